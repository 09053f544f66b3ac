"""What the metrics pane says in words, above its table: before any report, which
report to import (``metrics.report_advice``); for a notice that names no metric
AppealDesk recomputes, that the metrics shown are the account's others; once
reports are read, what was read and what they cannot tell."""

from __future__ import annotations

from typing import Any

from appealdesk.cases.model import Case
from appealdesk.i18n import _, ngettext, sentences
from appealdesk.metrics.report_advice import ReportAdvice, case_report_advice


def advice_for(workspace: Any, case: Case) -> ReportAdvice | None:
    return case_report_advice(workspace.policy_for(case), case.notification)


def no_report_message(workspace: Any, case: Case) -> str:
    """The pane's text while the case has no report."""
    advice = advice_for(workspace, case)
    if advice is None:
        return _(
            "No report yet. Press i to import the seller's order export (generic CSV, "
            "Amazon flat file or a mapped export), a buyer messages or returns export, "
            "or the account health report.")
    if not advice.recomputable:
        return advice.message + "\n" + _(
            "Press i to import an order report anyway: the account's other metrics are "
            "shown for reference.")
    return _("No order report yet.") + " " + advice.message + "\n" + _(
        "Press i to import it.")


def unrelated_note(workspace: Any, case: Case) -> str:
    """A line for the summary when the notice names no recomputable metric, else ""."""
    advice = advice_for(workspace, case)
    if advice is None or advice.recomputable:
        return ""
    return sentences(advice.message, _("The metrics below are the account's others, for "
                                       "reference."))


def summary_text(data: Any, note: str) -> str:
    """The lines above the metrics table: what was read (orders and exports), what could
    not be, a guessed format, ``note`` (see ``unrelated_note``) and how many metrics the
    reports cannot tell."""
    from appealdesk.metrics.engine import NO_DATA
    from appealdesk.widgets import metrics_messages

    exports = set(data.messages.files)
    summary = _("As of {day}: {orders} orders from {files}").format(
        day=data.as_of.isoformat(), orders=data.orders,
        files=", ".join(f for f in data.files if f not in exports))
    summary += metrics_messages.exports_line(data.messages)
    if data.bad_rows:
        summary += "  " + _("({n} unreadable rows not counted)").format(n=len(data.bad_rows))
    imported = data.imported
    if imported is not None and imported.guessed:
        summary += "\n" + _("format guessed: {guess}").format(guess=", ".join(imported.guessed))
    for warning in getattr(data, "doubtful", []):
        summary += "\n⚠ " + warning + "  " + _("(an ok below is no all-clear)")
    if note:
        summary += "\n" + note
    lacking = sum(a.metric.status == NO_DATA for a in data.analyses) + len(
        data.messages.lacking())
    if lacking:
        summary += "\n" + ngettext(
            "{n} metric cannot be told from these reports (no data)",
            "{n} metrics cannot be told from these reports (no data)", lacking
        ).format(n=lacking)
    return summary
