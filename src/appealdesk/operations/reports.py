"""Reports of a case: import one (copied in, recorded, checked that it reads).

Order reports, the account health report, buyer message exports and returns
exports; the family is told from the file's header (``reports.families``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from appealdesk.cases.model import ReportFile
from appealdesk.cases.workspace import Workspace
from appealdesk.metrics import case_metrics
from appealdesk.reports.account_health import HealthReport
from appealdesk.reports.conversations import MessageTable
from appealdesk.reports.orders import ImportResult, ReportError
from appealdesk.reports.returns import ReturnTable

__all__ = ["ReportError", "import_report"]


def import_report(workspace: Workspace, case_id: str, source: Path,
                  progress: Callable[[float], None] | None = None,
                  ) -> tuple[ReportFile, ImportResult | HealthReport | MessageTable | ReturnTable]:
    """Read ``source``, copy it into the case's reports/ and record it; raises
    ``ReportError`` when it is not a report (nothing is copied then). The result
    is a ``HealthReport`` for an account health report, a ``MessageTable`` for a
    buyer messages export, a ``ReturnTable`` for a returns export (the record's
    ``format`` is then ``messages`` / ``returns``)."""
    return case_metrics.import_into_case(workspace, case_id, Path(source), progress)
