"""Metrics: the case's metrics recomputed from its order reports.

A table of every metric of the case's policy (value, limit, status, window,
numerator/denominator; enforced and advisory told apart), the buyer-message and
return metrics of the exports imported into the case below the order metrics
(widgets/metrics_messages.py), and for the highlighted metric: where its bad
orders cluster, a per-day sparkline, the recovery day and the cross-check with
the notification. Enter opens the orders behind a metric
(screens/metric_detail.py; messages and returns: screens/message_detail.py);
``i`` imports a report of any family.
Importing and computing run in thread workers; the event loop only paints.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, ProgressBar, Static

from appealdesk.app import guarded
from appealdesk.cases.model import Case
from appealdesk.i18n import N_, _
from appealdesk.metrics.case_metrics import CaseMetrics, evaluate_case, inputs_key
from appealdesk.metrics.engine import BREACH, NO_DATA, OK, Analysis, Discrepancy
from appealdesk.metrics.report_fit import import_warnings
from appealdesk.operations import reports
from appealdesk.widgets import metrics_messages
from appealdesk.widgets.day_chart import DayChart, trend_legend
from appealdesk.widgets.metrics_guidance import no_report_message, summary_text, unrelated_note
from appealdesk.widgets.pane import Pane
from appealdesk.widgets.table import Table, cut_cell

HEALTH_STYLE = {"GOOD": "green", "BAD": "bold red"}
KIND_FROM = 100  # cells of pane from which the table has its Kind column


def health_cell(entry) -> Text:
    """Amazon's own figure for a metric (account health report), or "not stated"."""
    if entry is None:
        return Text(_("not stated"), style="dim")
    value = percent(entry.value) if entry.value is not None else ""
    return Text(f"{value} {entry.status}".strip(), style=HEALTH_STYLE.get(entry.status, ""),
                justify="right")


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def short_span(start: date, end: date) -> str:
    """ "1–30 Nov" / "11月1日至30日" (Babel, the interface language)."""
    from appealdesk.i18n_dates import span

    return span(start, end)


class MetricsPane(Pane):
    BINDINGS = [
        Binding("enter", "drill_down", N_("Orders"), id="metrics.orders"),
        Binding("i", "import_report", N_("Import report"), id="metrics.import"),
        Binding("r", "recompute", N_("Recompute"), show=False, id="metrics.recompute"),
    ]
    DEFAULT_CSS = """
    MetricsPane #metrics-summary {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    MetricsPane #metrics-table {
        height: auto;
        max-height: 12;
    }
    MetricsPane #metrics-trend {
        height: auto;
        display: none;
    }
    MetricsPane.has-trend #metrics-trend {
        display: block;
    }
    MetricsPane #metrics-detail-scroll {
        height: 1fr;
        border-top: solid $surface-lighten-2;
    }
    MetricsPane #metrics-detail {
        height: auto;
        padding: 0 1;
    }
    MetricsPane #metrics-progress {
        display: none;
        height: 1;
    }
    MetricsPane.busy #metrics-progress {
        display: block;
    }
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.case: Case | None = None
        self.results: CaseMetrics | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="metrics-summary")
        yield Table(id="metrics-table", cursor_type="row")
        yield DayChart(id="metrics-trend", rows=2)
        with VerticalScroll(id="metrics-detail-scroll"):
            yield Static("", id="metrics-detail")
        yield ProgressBar(id="metrics-progress", total=100, show_eta=False)

    def on_mount(self) -> None:
        self.border_title = _("Metrics")
        self._columns(with_health=False)

    def _columns(self, with_health: bool) -> None:
        table = self.query_one("#metrics-table", Table)
        table.clear(columns=True)
        table.cut_columns = ("metric",)  # shown whole in the detail below the table
        columns = [("metric", _("Metric")), ("value", _("Value")), ("limit", _("Limit")),
                   ("status", _("Status")), ("orders", _("Orders")), ("window", _("Window"))]
        if self._with_kind():  # narrow: the name is dim for advisory, the detail says it
            columns.append(("kind", _("Kind")))
        if with_health:
            columns.insert(2, ("health", _("Amazon says")))
        for key, name in columns:
            table.add_column(name, key=key)

    def _with_kind(self) -> bool:
        width = self.size.width or self.app.size.width
        return width >= KIND_FROM

    def on_resize(self) -> None:
        table = self.query_one("#metrics-table", Table)
        has_kind = any(key.value == "kind" for key in table.columns)
        if self.results is not None and has_kind != self._with_kind():
            self._fill()

    # -- showing ---------------------------------------------------------------
    @guarded(N_("Showing the case failed"))
    def show_case(self, case: Case | None) -> None:
        self.case = case
        if case is None:
            self.results = None
            self._show_message(_("Select a case in the inbox (key 1)."))
            return
        if not case.reports:
            self.results = None
            self._show_message(no_report_message(self.app.workspace, case))
            return
        if self.results is not None and self.results.key == inputs_key(case):
            self._fill()
            return
        self._show_message(_("Computing metrics…"))
        self._compute_in_worker(case)

    def _show_message(self, message: str) -> None:
        self.query_one("#metrics-table", DataTable).clear()
        self.query_one("#metrics-summary", Static).update(message)
        self.query_one("#metrics-detail", Static).update("")
        self.remove_class("has-trend")

    @work(thread=True, exclusive=True, group="metrics-compute", exit_on_error=False)
    def _compute_in_worker(self, case: Case) -> None:
        from appealdesk.cases.errors import StoreError
        from appealdesk.reports.orders import ReportError

        try:
            data = evaluate_case(self.app.workspace, case)
        except (ReportError, StoreError, OSError, ValueError) as exc:
            self.app.call_from_thread(self._show_message, str(exc))
            return
        self.app.call_from_thread(self._computed, data)

    class Computed(Message):
        """Metrics of a case are ready (the evidence pane uses the contributing orders)."""

        def __init__(self, data: CaseMetrics) -> None:
            super().__init__()
            self.data = data

    def _computed(self, data: CaseMetrics) -> None:
        self.post_message(self.Computed(data))
        if self.case is None or self.case.id != data.case_id:
            return  # the selection moved on while we computed
        self.results = data
        self._fill()

    @guarded(N_("Showing the case failed"))
    def _fill(self) -> None:
        data = self.results
        assert data is not None
        note = unrelated_note(self.app.workspace, self.case) if self.case is not None else ""
        summary = summary_text(data, note)
        self.query_one("#metrics-summary", Static).update(summary)
        table = self.query_one("#metrics-table", DataTable)
        row = table.cursor_row
        self._columns(with_health=data.health is not None)
        with_kind = any(key.value == "kind" for key in table.columns)
        for a in data.analyses:
            m = a.metric
            advisory = not m.enforced
            name = cut_cell(m.label, style="dim" if advisory else "", keep_tail=True)
            cells = [
                name,
                Text(percent(m.value), style=metrics_messages.STYLE[m.status], justify="right"),
                _("not stated") if m.limit is None else f"{m.comparator} {m.limit * 100:g}%",
                (Text("? " + _("ok?"), style="yellow") if m.status == OK and data.doubtful
                 else metrics_messages.status_cell(m.status)),
                Text("—" if m.status == NO_DATA else f"{m.numerator}/{m.denominator}",
                     justify="right"),
                short_span(m.window_start, m.window_end),
            ]
            if with_kind:
                cells.append(Text(_("advisory"), style="italic dim") if advisory
                             else _("enforced"))
            if data.health is not None:
                cells.insert(2, health_cell(data.health.for_metric(m.id)))
            table.add_row(*cells, key=m.id)
        for r in data.messages.results:  # buyer messages and returns, same columns
            table.add_row(*metrics_messages.row_cells(r, data.health is not None, with_kind),
                          key=f"{metrics_messages.kind_of(r)}:{r.id}")
        entries = self._entries()
        if entries:
            first_breach = next((i for i, e in enumerate(entries)
                                 if metrics_messages.status_of(e) == BREACH), 0)
            table.move_cursor(row=row if 0 < row < len(entries) else first_breach)
        self._show_detail()

    def _entries(self) -> list:
        """The table's rows: order analyses, then message and return results."""
        if self.results is None:
            return []
        return [*self.results.analyses, *self.results.messages.results]

    def _current(self) -> Analysis | metrics_messages.AnyResult | None:
        entries = self._entries()
        if not entries:
            return None
        table = self.query_one("#metrics-table", DataTable)
        return entries[min(max(table.cursor_row, 0), len(entries) - 1)]

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on the table (the table itself binds Enter) opens the orders."""
        event.stop()
        self.action_drill_down()

    @guarded(N_("Showing the case failed"))
    def _show_detail(self) -> None:
        analysis = self._current()
        detail = self.query_one("#metrics-detail", Static)
        if analysis is None or self.results is None:
            detail.update("")
            self.remove_class("has-trend")
            return
        if not isinstance(analysis, Analysis):  # a buyer-message or return metric
            found = self.results.messages
            detail.update(metrics_messages.detail_text(analysis, found.has_export(analysis)))
            self.remove_class("has-trend")
            return
        health = self.results.health.for_metric(analysis.metric.id) if self.results.health \
            else None
        detail.update(detail_text(analysis, self.results.discrepancies, health))
        days = [(day, n) for day, n, _den in analysis.trend]
        self.query_one("#metrics-trend", DayChart).show(days, trend_legend(
            self.results.evaluation.policy.metric(analysis.metric.id)))
        self.set_class(any(n for _day, n in days), "has-trend")

    # -- actions ---------------------------------------------------------------
    @guarded(N_("Showing the case failed"))
    def action_drill_down(self) -> None:
        analysis = self._current()
        if analysis is None or self.results is None:
            return
        if not isinstance(analysis, Analysis):
            from appealdesk.screens.message_detail import MessageDetailScreen

            self.app.push_screen(MessageDetailScreen(
                self.results.messages, analysis, self.results.evaluation.zone,
                self.results.as_of))
            return
        from appealdesk.screens.metric_detail import MetricDetailScreen

        policy = self.results.evaluation.policy
        metric = policy.metric(analysis.metric.id)
        if metric is not None:
            self.app.push_screen(MetricDetailScreen(self.results.evaluation, metric, analysis))

    def action_recompute(self) -> None:
        if self.case is not None:
            self.results = None
            self.show_case(self.case)

    def action_import_report(self) -> None:
        if self.case is None:
            return
        from appealdesk.screens.dialogs.file_picker import FilePickerScreen

        case_id = self.case.id

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.add_class("busy")
                self.query_one("#metrics-progress", ProgressBar).update(progress=0)
                self._import(case_id, path)

        self.app.push_screen(FilePickerScreen(_("Import a report"), paste=True), chosen)

    @work(thread=True, exclusive=True, group="metrics-import", exit_on_error=False)
    def _import(self, case_id: str, path: Path) -> None:
        from appealdesk.cases.errors import StoreError

        bar = self.query_one("#metrics-progress", ProgressBar)

        def progress(fraction: float) -> None:
            self.app.call_from_thread(bar.update, progress=round(fraction * 100))

        try:
            record, result = reports.import_report(self.app.workspace, case_id, path, progress)
        except (reports.ReportError, StoreError, OSError) as exc:
            self.app.call_from_thread(self.app.notify, str(exc), severity="error", timeout=8)
            self.app.call_from_thread(self.remove_class, "busy")
            return
        message = metrics_messages.imported_words(record)
        guessed = getattr(result, "guessed", [])
        if guessed:
            message += "\n" + _("format guessed: {guess}").format(guess=", ".join(guessed))
        try:
            warnings = import_warnings(self.app.workspace, case_id, result)
        except StoreError:
            warnings = []
        for warning in warnings:
            message += "\n⚠ " + warning
        self.app.call_from_thread(self.remove_class, "busy")
        self.app.call_from_thread(self.app.reload_case, case_id)
        self.app.call_from_thread(
            self.app.notify, message,
            severity="warning" if record.bad_rows or guessed or warnings else "information")


def detail_text(analysis: Analysis, discrepancies: list[Discrepancy], health=None) -> Text:
    """The highlighted metric explained: what it lacks, Amazon's own figure,
    clusters, recovery, cross-check."""
    m = analysis.metric
    out = Text()
    out.append(m.label, style="bold")
    if m.status == NO_DATA:
        out.append("  " + _("no data: the reports cannot tell this metric"), style="magenta")
    else:
        out.append("  " + _("{num} of {den} orders, {day}").format(
            num=m.numerator, den=m.denominator, day=short_span(m.window_start, m.window_end)),
            style="dim")
    out.append("  " + (_("enforced") if m.enforced else _("advisory")), style="dim")
    out.append("\n")
    if m.limit is None and analysis.compared_with:
        out.append("• " + _("no limit stated: compared with {what}").format(
            what=analysis.compared_with) + "\n", style="cyan")
    if m.lacks:
        out.append("• " + m.needs + "\n", style="magenta" if m.status == NO_DATA else "")
    if health is not None:
        span = (short_span(health.window_start, health.window_end)
                if health.window_start and health.window_end else _("window not stated"))
        count = (f" ({health.numerator}/{health.denominator})"
                 if health.denominator is not None else "")
        out.append("• " + _("Amazon's account health report: {value} {status}{count}, {span}"
                            ).format(value=percent(health.value), status=health.status,
                                     count=count, span=span) + "\n")
    for sentence in analysis.sentences:
        out.append("• " + sentence + "\n")
    if not analysis.sentences and analysis.clusters:
        tops = {}
        for c in analysis.clusters:
            tops.setdefault(c.dimension, c)
        shown = ", ".join(f"{c.value} {c.share:.0%}" for c in tops.values())
        out.append("• " + _("no strong cluster; top: {shown}").format(shown=shown) + "\n")
    recovery = analysis.recovery
    if m.status == BREACH and recovery is not None:
        if recovery.day is None:
            out.append(_("Does not clear within 400 days at the current rate.") + "\n",
                       style="yellow")
        else:
            out.append(_("Clears on {day} if no new bad orders come: {good} good orders at "
                         "{rate:.1f} a day.").format(
                day=recovery.day.isoformat(), good=recovery.good_orders,
                rate=recovery.daily_rate) + "\n", style="bold")
    for problem in discrepancies:
        if problem.metric in ("", m.id):
            out.append("⚠ " + problem.message + "\n", style="yellow")
    return out


__all__ = ["MetricsPane", "detail_text"]
