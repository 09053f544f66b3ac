"""How the app words a fix action id: as the key that does it ("press a in Evidence (3)").

The core says what fixes a finding or a refusal as an action id (``Finding.fix``,
``SubmissionError.fix``); this table is the app's wording of each, by binding id, so
the key shown is the key bound. The CLI has its own table naming commands
(``appealdesk.cli.fixes``). An id missing here is simply not worded.
"""

from __future__ import annotations

from appealdesk.checks.base import Finding
from appealdesk.i18n import N_, _

# fix action id -> the binding ids to press, in order ("a|b": either key)
FIX_KEYS: dict[str, tuple[str, ...]] = {
    "evidence.add": ("evidence.attach",),
    "evidence.cover": ("evidence.matrix", "evidence.gap", "evidence.attach"),
    "evidence.waive": ("evidence.waive",),
    "evidence.set_orders": ("evidence.orders",),
    "evidence.remove": ("evidence.remove",),
    "evidence.replace": ("evidence.remove", "evidence.attach"),
    "letter.draft": ("editor.draft",),
    "letter.edit": ("editor.edit",),
    "report.import": ("metrics.import",),
    "render": ("editor.render",),
    "submit": ("editor.submit",),
    "outcome.record": ("editor.outcome",),
}

# where a binding lives, by the first part of its id: (pane name msgid, its number key)
PLACES: dict[str, tuple[str, str]] = {
    "metrics": (N_("Metrics"), "2"),
    "evidence": (N_("Evidence"), "3"),
    "editor": (N_("Letter"), "4"),
    "timeline": (N_("the timeline"), ""),
}


def _bound_keys() -> dict[str, str]:
    """Binding id -> the key as shown, from the panes and screens that bind them."""
    from appealdesk.screens.dialogs.submissions import SubmissionsScreen
    from appealdesk.widgets.editor_pane import EditorPane
    from appealdesk.widgets.evidence_pane import EvidencePane
    from appealdesk.widgets.metrics_pane import MetricsPane

    keys: dict[str, str] = {}
    for owner in (EditorPane, EvidencePane, MetricsPane, SubmissionsScreen):
        for binding in owner.BINDINGS:
            if getattr(binding, "id", None):
                keys[binding.id] = binding.key_display or binding.key.split(",")[0]
    return keys


def key_hint(fix: str) -> str:
    """ "press a in Evidence (3)", "press x in Evidence (3), then a" for ``fix``, or ""."""
    ids = FIX_KEYS.get(fix)
    if not ids:
        return ""
    bound = _bound_keys()
    parts: list[str] = []
    last_place = None
    for step in ids:
        alternatives = step.split("|")
        if any(a not in bound for a in alternatives):
            return ""  # a key was unbound: say nothing rather than something wrong
        key = "/".join(bound[a] for a in alternatives)
        place = alternatives[0].split(".", 1)[0]
        name, number = PLACES.get(place, ("", ""))
        if place == last_place:
            parts.append(_("then {key}").format(key=key))
        elif parts:
            parts.append(_("then {key} in {pane}").format(key=key, pane=_(name)))
        elif number:
            parts.append(_("press {key} in {pane} ({number})").format(
                key=key, pane=_(name), number=number))
        else:
            parts.append(_("press {key} in {pane}").format(key=key, pane=_(name)))
        last_place = place
    return ", ".join(parts)


def with_key_hint(message: str, fix: str) -> str:
    """``message`` followed by the key that fixes it, when there is one."""
    hint = key_hint(fix)
    return f"{message} ({hint})" if hint else message


def finding_text(finding: Finding) -> str:
    """A finding's message and, when it has a fix, the key that does it."""
    return with_key_hint(finding.message, finding.fix)
