"""The buyer messages or returns behind one message/return metric.

Opened with Enter on a message or return row of the metrics pane; Escape goes
back. The head says where they cluster (received days, hours of day, agents,
channels; for returns days, reasons and SKUs) and the breakdown's sentences
(seed 002: "all 6 late replies fell between 1 and 7 October"); the table lists
each one with when it arrived, when it was answered and how long it waited.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from appealdesk.i18n import N_, _
from appealdesk.metrics.case_messages import AnyResult, CaseMessages, kind_of
from appealdesk.metrics.message_detail import DetailRow, detail_clusters, detail_rows
from appealdesk.widgets.footer import Footer, FooterHiddenUnderModal
from appealdesk.widgets.metrics_messages import (
    clears_words,
    counted_words,
    label_of,
    missing_words,
    no_export_words,
)
from appealdesk.widgets.table import Table

MAX_ROWS = 2000  # a drill-down is for reading; the CLI's --json has every id
DIMENSIONS = {"day": N_("days"), "hour": N_("hours of day"), "agent": N_("agents"),
              "channel": N_("channels"), "reason": N_("reasons"), "sku": N_("SKUs")}


class MessageDetailScreen(FooterHiddenUnderModal, Screen):
    DEFAULT_CSS = """
    MessageDetailScreen #message-detail-head {
        height: auto;
        padding: 0 1;
    }
    MessageDetailScreen #message-detail-rows {
        height: 1fr;
    }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="message_detail.back"),
    ]

    def __init__(self, data: CaseMessages, result: AnyResult, zone: ZoneInfo,
                 as_of: date) -> None:
        super().__init__()
        self.data = data
        self.result = result
        self.zone = zone
        self.rows: list[DetailRow] = detail_rows(data, result, zone, as_of)

    def compose(self) -> ComposeResult:
        yield Header(icon="▣")
        with Vertical():
            yield Static(self._head(), id="message-detail-head")
            yield Table(id="message-detail-rows", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def _head(self) -> Text:
        r = self.result
        head = Text()
        head.append(label_of(r), style="bold")
        if r.status == "no_data":
            why = missing_words(r) if self.data.has_export(r) else no_export_words(r)
            head.append("\n" + _("no data: the exports cannot tell this metric") + "\n• "
                        + why, style="magenta")
            return head
        head.append("  " + counted_words(r) + ", " + _("{start} to {end}").format(
            start=r.window_start.isoformat(), end=r.window_end.isoformat()))
        noun = (_("{n} late or unanswered messages") if kind_of(r) == "messages"
                else _("{n} dissatisfied returns"))
        head.append("\n" + noun.format(n=len(self.rows)), style="bold")
        for sentence in r.sentences:
            head.append("\n• " + sentence)
        if clears := clears_words(r):
            head.append("\n" + clears, style="bold")
        by_dimension: dict[str, list[str]] = {}
        for c in detail_clusters(r, self.rows):
            by_dimension.setdefault(c.dimension, []).append(f"{c.value} ({c.count})")
        for dimension, values in by_dimension.items():
            head.append("\n" + _(DIMENSIONS.get(dimension, dimension)) + ": ", style="dim")
            head.append(", ".join(values))
        return head

    def on_mount(self) -> None:
        self.sub_title = label_of(self.result)
        table = self.query_one("#message-detail-rows", DataTable)
        messages = kind_of(self.result) == "messages"
        names = ([_("Message"), _("Order"), _("Received"), _("Answered"), _("Waited")]
                 if messages else
                 [_("Return"), _("Order"), _("Requested"), _("Responded"), _("Waited")])
        extra = list(self.rows[0].fields) if self.rows else []
        table.add_columns(*names, *(e.replace("_", " ") for e in extra))
        for row in self.rows[:MAX_ROWS]:
            table.add_row(
                row.id, row.order_id or "—", row.start.strftime("%Y-%m-%d %H:%M"),
                row.end.strftime("%Y-%m-%d %H:%M") if row.end else _("not yet"),
                Text(_("{h:.1f} h").format(h=row.waited_hours), justify="right"),
                *(row.fields[e] or "—" for e in extra))
        if len(self.rows) > MAX_ROWS:
            self.notify(_("Showing the first {n}; `appealdesk metrics --json` lists all."
                          ).format(n=MAX_ROWS))
        table.focus()
