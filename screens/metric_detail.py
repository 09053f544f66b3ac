"""The orders behind one metric, with the fields that made each one count.

Opened with Enter on a row of the metrics pane; Escape goes back. The table
lists the orders counting against the metric (the numerator's orders for a
"lower is better" metric, the denominator's orders outside the numerator for a
"higher is better" one); the top shows where they cluster.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from appealdesk.i18n import N_, _
from appealdesk.i18n_dates import day
from appealdesk.metrics.engine import Analysis, Evaluation, bad_noun, drill_down
from appealdesk.metrics.needs import FIELD_NOUNS
from appealdesk.policy.types import MetricDef
from appealdesk.widgets.day_chart import DayChart, trend_legend
from appealdesk.widgets.footer import Footer, FooterHiddenUnderModal
from appealdesk.widgets.table import Table

MAX_ROWS = 2000  # a drill-down is for reading; the CLI's --json has every id


def _cell(value: object, zone: tzinfo) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else ""
    if isinstance(value, datetime):
        if value.tzinfo is not None:  # shown in the policy's zone, like the metric sees it
            value = value.astimezone(zone)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def field_noun(name: str) -> str:
    """A report column's name in the interface language (``ship_by`` -> "ship-by ...")."""
    return _(FIELD_NOUNS[name]) if name in FIELD_NOUNS else name


class MetricDetailScreen(FooterHiddenUnderModal, Screen):
    DEFAULT_CSS = """
    MetricDetailScreen #detail-head {
        height: auto;
        padding: 0 1;
    }
    MetricDetailScreen #detail-orders {
        height: 1fr;
    }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="metric_detail.back"),
    ]

    def __init__(self, evaluation: Evaluation, metric: MetricDef, analysis: Analysis) -> None:
        super().__init__()
        self.evaluation = evaluation
        self.metric = metric
        self.analysis = analysis

    def compose(self) -> ComposeResult:
        yield Header(icon="▣")
        with Vertical():
            yield Static(self._head(), id="detail-head")
            yield DayChart(id="detail-chart", rows=4)
            yield Table(id="detail-orders", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def _head(self) -> Text:
        r = self.analysis.metric
        noun = bad_noun(self.metric)
        head = Text()
        head.append(r.label, style="bold")
        value = "—" if r.value is None else f"{r.value * 100:.2f}%"
        if r.limit is None:
            head.append("  " + _("{value} ({num}/{den}), no limit stated, {start} to {end}")
                        .format(value=value, num=r.numerator, den=r.denominator,
                                start=day(r.window_start, year=True),
                                end=day(r.window_end, year=True)))
        else:
            head.append("  " + _("{value} ({num}/{den}), limit {cmp} {limit:g}%, {start} to {end}")
                        .format(value=value, num=r.numerator, den=r.denominator,
                                cmp=r.comparator, limit=r.limit * 100,
                                start=day(r.window_start, year=True),
                                end=day(r.window_end, year=True)))
        if r.limit is None and self.analysis.compared_with:
            head.append("\n• " + _("no limit stated: compared with {what}").format(
                what=self.analysis.compared_with), style="cyan")
        if r.status == "no_data":  # no count from data that is not there
            head.append("\n" + _("no data: the reports cannot tell this metric") + "\n• "
                        + r.needs, style="magenta")
            return head
        head.append("\n" + _("{n} {noun}").format(n=len(r.against), noun=noun), style="bold")
        if r.lacks:  # a breach found from part of the inputs: at least this many
            head.append("\n• " + r.needs)
        for sentence in self.analysis.sentences:
            head.append("\n• " + sentence)
        return head

    def on_mount(self) -> None:
        self.sub_title = self.analysis.metric.label
        chart = self.query_one(DayChart)
        days = [(day, n) for day, n, _den in self.analysis.trend]
        chart.show(days, trend_legend(self.metric))
        chart.display = any(n for _day, n in days)
        table = self.query_one("#detail-orders", DataTable)
        ids = self.analysis.metric.against
        table_data = self.evaluation.table
        if not ids:
            table.add_column(_("Order"))
            return
        # the SKU and listing beside the order, when the report has them: the clusters
        # speak of SKUs
        columns, rows = drill_down(table_data, ids[:MAX_ROWS], self.metric)
        zone = self.evaluation.zone
        table.add_column(_("Order"), key="order_id")
        for name in columns:
            table.add_column(field_noun(name), key=name)
        for order_id, values in rows:
            table.add_row(order_id, *(_cell(values[c], zone) for c in columns), key=order_id)
        if len(ids) > MAX_ROWS:
            self.notify(_("Showing the first {n} orders; `appealdesk metrics --json` lists "
                          "all.").format(n=MAX_ROWS))
        table.focus()
