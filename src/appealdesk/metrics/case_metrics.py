"""The metrics of one case: its imported order reports, evaluated as of its notification.

The one place that turns a case into metric results; the CLI, the metrics
pane, the evidence checklist (contributing orders) and the letter drafter all
use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from appealdesk.cases.model import Case, ReportFile
from appealdesk.i18n import _
from appealdesk.metrics.case_messages import CaseMessages, evaluate_messages
from appealdesk.metrics.engine import (
    BREACH,
    Analysis,
    Discrepancy,
    Evaluation,
    analyse,
    as_of_for,
    cross_check,
)
from appealdesk.metrics.report_fit import foreign_formats
from appealdesk.policy.types import Policy
from appealdesk.reports.account_health import FORMAT as HEALTH_FORMAT
from appealdesk.reports.account_health import (
    HealthReport,
    read_health_report,
)
from appealdesk.reports.conversations import MessagesError, MessageTable, read_messages
from appealdesk.reports.encodings import encodings_for
from appealdesk.reports.families import (
    HEALTH,
    MESSAGES,
    ORDERS,
    RETURNS,
    family_of,
    split_by_family,
)
from appealdesk.reports.orders import (
    ImportResult,
    OrderTable,
    ReportError,
    import_report,
    import_reports,
    mappings_for,
)
from appealdesk.reports.returns import ReturnTable, read_returns


class NoPolicy(ValueError):
    pass


@dataclass
class CaseMetrics:
    case_id: str
    as_of: date
    evaluation: Evaluation
    analyses: list[Analysis]
    discrepancies: list[Discrepancy]
    files: list[str]
    orders: int
    bad_rows: list[tuple[int, str]] = field(default_factory=list)
    key: tuple = ()
    health: HealthReport | None = None  # Amazon's own figures, when imported
    imported: ImportResult | None = None
    messages: CaseMessages = field(default_factory=CaseMessages)  # message/return metrics
    # Reports read with another marketplace's column names (``report_fit``).
    foreign: list[str] = field(default_factory=list)

    @property
    def doubtful(self) -> list[str]:
        """Why these metrics are no all-clear even where they show ok: another
        marketplace's format, none of the cited orders in the reports."""
        return self.foreign + [d.message for d in self.discrepancies
                               if d.kind == "no_cited_order"]


def read_inputs(paths: list[Path], mappings: list, policy: Policy | None,
                ) -> tuple[ImportResult, HealthReport | None]:
    """Order reports merged by order id, and the account health report among
    ``paths`` (the last one when several); message and return exports among them
    are left to ``message_inputs``. Raises ReportError."""
    families = split_by_family(paths, policy)
    orders = families[ORDERS]
    health = None
    for p in families[HEALTH]:
        health = read_health_report(p, policy)
    if orders:
        return import_reports(orders, mappings, encodings=encodings_for(policy)), health
    return ImportResult(OrderTable(), [], "", 0), health


def report_mappings(ws: Any, policy: Policy | None) -> list:
    """Column mappings from the policy, the user's config and the other policies."""
    try:
        config = ws.store.read_config()
    except Exception:  # a broken config only loses the user's own mappings
        config = {}
    return mappings_for(policy, config, list(ws.policies))


def report_paths(ws: Any, case: Case) -> list[Path]:
    return [ws.store.file_path(case.id, "reports", r.name) for r in case.reports]


def case_as_of(ws: Any, case: Case, policy: Policy) -> date:
    """The notification's day in the marketplace's zone (today when it has no date)."""
    today = ws.now().astimezone(policy.calendar.zone).date()
    return as_of_for(case.notification.received, policy, today)


def inputs_key(case: Case) -> tuple:
    """Changes when the result of ``evaluate_case`` may change."""
    return (case.id, case.site, tuple((r.name, r.rows) for r in case.reports),
            case.notification.received)


def evaluate_case(ws: Any, case: Case, as_of: date | None = None) -> CaseMetrics:
    """Import the case's reports and analyse every metric of its policy.

    Raises NoPolicy, or reports.ReportError for an unreadable report.
    """
    policy = ws.policy_for(case)
    if policy is None:
        raise NoPolicy(_("no policy for marketplace {name}").format(name=case.marketplace))
    paths = report_paths(ws, case)
    imported, health = read_inputs(paths, report_mappings(ws, policy), policy)
    # Days and windows in the case's site's zone: an amazon.co.jp order placed at
    # 08:00 in Tokyo is on that day, not on the day before as in Los Angeles.
    local = policy.for_site(case.site or None)
    as_of = as_of or case_as_of(ws, case, local)
    messages = message_inputs(paths, local, as_of)
    evaluation = Evaluation(imported.orders, local, imported.known)
    analyses = [analyse(evaluation, m, as_of) for m in local.metrics]
    found = cross_check(case.notification, imported.orders, [a.metric for a in analyses],
                        health=health)
    files = imported.files + ([health.file] if health else []) + messages.files
    return CaseMetrics(case.id, as_of, evaluation, analyses, found, files,
                       len(imported.orders), imported.bad_rows, inputs_key(case), health,
                       imported, messages,
                       foreign_formats(imported.format, policy, ws.policies))


def message_inputs(paths: list[Path], policy: Policy, as_of: date) -> CaseMessages:
    """The message and return metrics of the exports among ``paths``. Raises ReportError."""
    families = split_by_family(paths, policy)
    try:
        return evaluate_messages(families[MESSAGES], families[RETURNS], policy, as_of)
    except MessagesError as exc:
        raise ReportError(str(exc)) from None


def contributing_orders(ws: Any, case: Case) -> list[str]:
    """Orders behind the breached metrics this notification is about (for evidence coverage).

    Empty when the case has no reports or they cannot be read: the cited orders
    still count, so nothing is lost by failing quietly here.
    """
    if not case.reports:
        return []
    try:
        result = evaluate_case(ws, case)
    except Exception:  # reported where the metrics are shown; coverage falls back to cited
        return []
    return contributing_from(result, case, ws.policy_for(case))


def contributing_from(result: CaseMetrics, case: Case, policy: Policy | None) -> list[str]:
    """The orders counting against the breached metrics of the case's notification type."""
    ntype = policy.notification_type(case.notification.type) if policy else None
    wanted = set(ntype.metrics) if ntype and ntype.metrics else None
    orders: list[str] = []
    for analysis in result.analyses:
        metric = analysis.metric
        if metric.status == BREACH and (wanted is None or metric.id in wanted):
            orders.extend(o for o in metric.against if o not in orders)
    return orders


def _free_name(ws: Any, case_id: str, name: str) -> str:
    """A file name not yet used in the case's reports/ (an earlier import is never replaced)."""
    existing = {p.name for p in ws.store.list_files(case_id, "reports")}
    if name not in existing:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    n = 2
    while f"{stem}-{n}{dot}{ext}" in existing:
        n += 1
    return f"{stem}-{n}{dot}{ext}"


def import_into_case(
    ws: Any, case_id: str, source: Path, progress: Any = None
) -> tuple[ReportFile, ImportResult | HealthReport | MessageTable | ReturnTable]:
    """Read ``source`` (an order report, an account health report: JSON, a buyer
    messages or a returns export: told from its header), copy it into the case
    and record it; returns (ReportFile, result).

    Raises ReportError when the file is not a report; nothing is copied then.
    """
    case = ws.store.load(case_id)
    policy = ws.policy_for(case)
    family = family_of(source, policy)
    result: ImportResult | HealthReport | MessageTable | ReturnTable
    if family == HEALTH:
        health = read_health_report(source, policy)
        result = health
        fmt, rows, bad = HEALTH_FORMAT, len(health.metrics), 0
    elif family in (MESSAGES, RETURNS) and policy is not None:
        try:
            result = (read_messages if family == MESSAGES else read_returns)([source], policy)
        except MessagesError as exc:
            raise ReportError(str(exc)) from None
        fmt, rows, bad = family, len(result) + len(result.bad_rows), len(result.bad_rows)
    else:
        result = import_report(source, report_mappings(ws, policy), progress=progress,
                               encodings=encodings_for(policy))
        fmt, rows, bad = result.format, result.rows, len(result.bad_rows)
    name = _free_name(ws, case_id, source.name)
    ws.store.copy_in(case_id, "reports", source, name)
    record = ReportFile(name=name, format=fmt, rows=rows, bad_rows=bad, imported=ws.now())
    with ws.store.editing(case_id, ws.operator) as editing:
        editing.reports.append(record)
        editing.log("report", operator=ws.operator, at=ws.now(), note=_(
            "imported {name}: {rows} rows, {bad} unreadable").format(
            name=name, rows=rows, bad=bad))
    return record, result
