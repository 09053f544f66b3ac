"""The texts of the new-case modal (screens/dialogs/new_case.py): its styles, what a
detection found, and what to do once the case exists."""

from __future__ import annotations

from appealdesk.deadlines.display import format_moment
from appealdesk.i18n import _, pick
from appealdesk.intake.detect import Detection

# Every field has a border, so the focused one shows at any size (80x24 too).
NEW_CASE_CSS = """
NewCaseScreen {
    align: center middle;
}
NewCaseScreen > #new-case {
    width: 100;
    max-width: 100%;
    height: 100%;
    max-height: 44;
    border: round $accent;
    background: $surface;
    padding: 0 1;
}
NewCaseScreen #new-text {
    height: 1fr;
    min-height: 5;
}
NewCaseScreen.detected #new-text {
    height: 6;
}
NewCaseScreen #new-fields {
    display: none;
    height: 1fr;
}
NewCaseScreen.detected #new-fields {
    display: block;
}
NewCaseScreen .field {
    height: 3;
}
NewCaseScreen .field Label {
    width: 16;
    padding: 1 1 0 0;
}
NewCaseScreen .field Input, NewCaseScreen .field Select {
    width: 1fr;
}
NewCaseScreen #new-found {
    color: $text-muted;
    height: auto;
}
NewCaseScreen #new-message {
    height: auto;
    color: $error;
}
NewCaseScreen #new-message.warning {
    color: $warning;
}
NewCaseScreen #new-join-row {
    display: none;
}
NewCaseScreen.rejection #new-join-row {
    display: block;
}
NewCaseScreen #new-next {
    display: none;
    height: 1fr;
    padding: 1 0;
}
NewCaseScreen.created #new-next {
    display: block;
}
NewCaseScreen.created #new-text, NewCaseScreen.created #new-fields,
NewCaseScreen.created #new-detect, NewCaseScreen.created #new-create,
NewCaseScreen.created #new-cancel {
    display: none;
}
NewCaseScreen #new-open, NewCaseScreen #new-import, NewCaseScreen #new-done {
    display: none;
}
NewCaseScreen.duplicate #new-open, NewCaseScreen.created #new-import,
NewCaseScreen.created #new-done {
    display: block;
}
NewCaseScreen #new-buttons {
    height: 1;
    align-horizontal: right;
}
NewCaseScreen #new-buttons Button {
    margin-left: 1;
}
"""


def found_text(policy, detection: Detection) -> str:
    """What the detection found besides the fields: figures, limits, the deadline."""
    lines = []
    if detection.quoted_metrics:
        figures = ", ".join(
            f"{metric_name(policy, q.metric)} {q.value:.2%}" for q in detection.quoted_metrics
        )
        lines.append(_("Figures quoted: {figures}").format(figures=figures))
    if detection.thresholds:
        limits = ", ".join(
            f"{metric_name(policy, q.metric)} {q.value:.2%}" for q in detection.thresholds)
        lines.append(_("Thresholds stated (not your figures): {limits}").format(
            limits=limits))
    window = detection.stated_window
    if detection.stated_deadline and window is not None:
        lines.append(_("Deadline stated in the notice: {when} ({text})").format(
            when=format_moment(detection.stated_deadline), text=window.text))
    elif detection.stated:
        lines.append(_("Deadline stated in the notice: \"{text}\", counted once Received is "
                       "known").format(text=detection.stated[0].text))
    else:
        lines.append(_("No deadline stated: the policy default applies."))
    if detection.received_line:
        lines.append(_("Received read from: {line}").format(line=detection.received_line))
    elif detection.received is None:
        lines.append(_("The text gives no received time: fill in Received."))
    if detection.truncated:
        lines.append(_("Only the first 1 MB of the text was read."))
    return "\n".join(lines)


def metric_name(policy, metric_id: str) -> str:
    metric = policy.metric(metric_id) if policy else None
    return pick(metric.name, metric.name_zh) if metric else metric_id


def next_step(policy, case) -> str:
    """After Create: which report to import for the metrics the notice names, or ""
    when the notice names none AppealDesk recomputes (nothing to offer)."""
    from appealdesk.metrics.report_advice import case_report_advice

    advice = case_report_advice(policy, case.notification)
    if advice is None or not advice.recomputable:
        return ""
    return advice.message + "\n" + _(
        "Press i to pick the report file now, or esc to do it later (key i in the Metrics "
        "pane).")
