"""Order reports of a case: import one (copied in, recorded, checked that it reads)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from appealdesk.cases.model import ReportFile
from appealdesk.cases.workspace import Workspace
from appealdesk.metrics import case_metrics
from appealdesk.reports.account_health import HealthReport
from appealdesk.reports.orders import ImportResult, ReportError

__all__ = ["ReportError", "import_report"]


def import_report(workspace: Workspace, case_id: str, source: Path,
                  progress: Callable[[float], None] | None = None,
                  ) -> tuple[ReportFile, ImportResult | HealthReport]:
    """Read ``source``, copy it into the case's reports/ and record it; raises
    ``ReportError`` when it is not a report (nothing is copied then). The result
    is a ``HealthReport`` when ``source`` is an account health report."""
    return case_metrics.import_into_case(workspace, case_id, Path(source), progress)
