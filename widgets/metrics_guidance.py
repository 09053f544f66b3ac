"""What the metrics pane says about the notice's own metrics (``metrics.report_advice``):
before any report, which report to import; for a notice that names no metric
AppealDesk recomputes, that the metrics shown are the account's others."""

from __future__ import annotations

from typing import Any

from appealdesk.cases.model import Case
from appealdesk.i18n import _
from appealdesk.metrics.report_advice import ReportAdvice, report_advice


def advice_for(workspace: Any, case: Case) -> ReportAdvice | None:
    return report_advice(workspace.policy_for(case), case.notification.type)


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
    return advice.message + " " + _("The metrics below are the account's others, for "
                                    "reference.")
