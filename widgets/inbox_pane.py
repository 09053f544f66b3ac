"""The inbox: every case, most urgent first, with the time left ticking.

Rows come from ``appealdesk.inbox`` (pure, tested without Textual) on the
index's summaries. Keys: ``/`` filter by case id, store, order id, type;
``ctrl+f`` search every case's notice, letters and history (the index's full
text); ``m`` / ``s`` / ``S`` cycle the marketplace / status / store quick
filters; ``a`` shows closed and archived cases; ``n`` pastes a new
notification; ``c`` sets the status, ``C`` closes or archives (inbox_status.py).
The time left is refreshed every 30 seconds from the app's clock (a frozen clock in
tests keeps it still).

The table makes only the rows on screen (``LazyTable``): filtering 10,000
cases costs the filter and the visible rows, not 10,000 table rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input, Static

from appealdesk.app import guarded
from appealdesk.i18n import N_, _
from appealdesk.widgets.inbox_cells import RECURRENCE_MARK as RECURRENCE_MARK
from appealdesk.widgets.inbox_cells import (
    STORE_WIDTH,
    TYPE_WIDTH,
    InboxCellsMixin,
    _WidthOf,
)
from appealdesk.widgets.inbox_cells import status_label as status_label
from appealdesk.widgets.inbox_filters import InboxFiltersMixin
from appealdesk.widgets.inbox_status import InboxStatusMixin
from appealdesk.widgets.pane import Pane

# The rows, filters and statuses (appealdesk.inbox, cases.status) and the deadline
# engine (and the policy schema it reads) are imported where rows are made and drawn:
# the first paint shows an empty inbox and does not need them.
if TYPE_CHECKING:
    from textual.widgets import DataTable

    from appealdesk.cases.model import Case
    from appealdesk.inbox import InboxFilter, InboxRow
    from appealdesk.index import Hit, Summary
    from appealdesk.widgets.lazy_table import LazyTable

TICK_SECONDS = 30
FILTER_DEBOUNCE = 0.15  # seconds: typing "nsa1029" redraws once, not seven times


# Filtering and search live in InboxFiltersMixin (inbox_filters.py), drawing a row in
# InboxCellsMixin (inbox_cells.py).
class InboxPane(InboxFiltersMixin, InboxStatusMixin, InboxCellsMixin, Pane):
    DEFAULT_CSS = """
    InboxPane #inbox-filter {
        display: none;
        height: 1;
        border: none;
        padding: 0 1;
    }
    InboxPane.filtering #inbox-filter {
        display: block;
    }
    InboxPane #inbox-search {
        display: none;
        height: 1;
        border: none;
        padding: 0 1;
    }
    InboxPane.searching #inbox-search {
        display: block;
    }
    InboxPane #inbox-detail {
        height: auto;
        max-height: 3;
        color: $text-muted;
        padding: 0 1;
    }
    InboxPane #inbox-table {
        height: 1fr;
    }
    """

    BINDINGS = [
        Binding("slash", "filter", N_("Filter"), key_display="/", id="inbox.filter"),
        Binding("ctrl+f", "search", N_("Search"), show=False, id="inbox.search"),
        Binding("n", "new_case", N_("New case"), id="inbox.new"),
        Binding("m", "cycle_marketplace", N_("Market"), id="inbox.market",
                tooltip=N_("Show the next marketplace only")),
        Binding("s", "cycle_status", N_("Status"), id="inbox.status",
                tooltip=N_("Show the next status only")),
        Binding("S", "cycle_store", N_("Store"), show=False, id="inbox.store",
                tooltip=N_("Show the next store only")),
        Binding("a", "toggle_archive", N_("Closed cases"), id="inbox.archive",
                tooltip=N_("Show closed cases")),
        Binding("c", "change_status", N_("Set status"), id="inbox.change_status",
                tooltip=N_("Change the case's status, with a note")),
        Binding("C", "close_case", N_("Close / archive"), show=False, id="inbox.close",
                tooltip=N_("Close or archive the case")),
        Binding("escape", "clear_filters", N_("Clear filters"), show=False, id="inbox.clear"),
    ]

    class Opened(Message):
        """Enter on a case."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.all_rows: list[InboxRow] = []
        self.shown_rows: list[InboxRow] = []
        self._inbox_filter: InboxFilter | None = None  # made when first asked
        self._loaded = False
        self._left_cache: dict[str, str] = {}  # case id -> time-left text on screen
        # the title's status counts, and the rows and settings they were counted for
        self._counts: tuple[list | None, tuple, str] = (None, (), "")
        self._active: tuple[list | None, list] = (None, [])
        self._filter_timer = None
        self._filter_box: Input | None = None  # mounted the first time `/` is pressed
        self._search_box: Input | None = None  # mounted the first time ctrl+f is pressed
        self._hits: dict[str, Hit] = {}  # the last search's hits, by case id
        self._search_query = ""
        self._shown_by_id: dict[str, InboxRow] = {}
        self._widths: dict[str, tuple[int, ...]] = {}  # case id -> width of each fixed cell

    def compose(self) -> ComposeResult:
        self.border_title = _("1 Inbox")
        # The filter box (#inbox-filter) is mounted above this by the first `/`: one
        # widget fewer to build and style before the first paint.
        # the empty state sits above the table, which stays so focus (and `n`) keep working
        yield Static(_("Loading cases…"), id="inbox-empty", classes="empty")
        # The table (a DataTable: its module, its styles and its header line are a good
        # part of the first frame's work) comes right after the first paint, before the
        # rows; at once when the cases are known already (a rebuild: the language switch).
        if self.app.summaries:  # type: ignore[attr-defined]
            yield self._make_table()
        yield Static("", id="inbox-detail")

    def _make_table(self) -> LazyTable:
        from appealdesk.widgets.lazy_table import LazyTable
        from appealdesk.widgets.table import cut_cell

        table = LazyTable(id="inbox-table", cursor_type="row", zebra_stripes=True)
        table.cut_columns = ("market", "store", "type")  # shown whole below the table
        # Text, not str: a str label goes through markup parsing, which loads rich's
        # emoji table (a few ms before the first paint) for plain words.
        table.add_column(Text(_("Left")), key="left")
        table.add_column(cut_cell(_("Market")), key="market")
        table.add_column(Text(_("Case")), key="case")
        table.add_column(Text(_("Status")), key="status")
        table.add_column(cut_cell(_("Store")), key="store")
        table.add_column(cut_cell(_("Type")), key="type")
        return table

    def table(self) -> LazyTable:
        """The cases' table; mounted the first time it is asked for."""
        found = self.query("#inbox-table")
        if found:
            return found.first()  # type: ignore[return-value]
        table = self._make_table()
        self.mount(table, before="#inbox-detail")
        return table

    def _mount_table(self) -> None:
        """After the first paint: the table, with the focus if nothing has it yet."""
        if self.query("#inbox-table"):
            return
        table = self.table()
        self.call_after_refresh(self._focus_table, table)

    def _focus_table(self, table: DataTable) -> None:
        # At once (``focus()`` waits): a pane key typed meanwhile keeps the focus it set.
        if self.screen.focused is None and self.screen.is_current:
            self.screen.set_focus(table)

    def on_mount(self) -> None:
        self.set_interval(TICK_SECONDS, self.refresh_time_left, name="inbox-clock")
        self.call_after_refresh(self._mount_table)

    # -- data --------------------------------------------------------------
    @property
    def inbox_filter(self) -> InboxFilter:
        """What the inbox shows: the filter text, quick filters, search hits, closed cases."""
        if self._inbox_filter is None:
            from appealdesk.inbox import InboxFilter

            self._inbox_filter = InboxFilter()
        return self._inbox_filter

    @inbox_filter.setter
    def inbox_filter(self, value: InboxFilter) -> None:
        self._inbox_filter = value

    @property
    def now(self) -> datetime:
        return self.app.workspace.now()

    @guarded(N_("Showing the inbox failed"))
    def show_cases(self, summaries: list[Summary]) -> None:
        """All cases changed (loaded, reloaded, one created)."""
        from appealdesk.cases.status import Status
        from appealdesk.inbox import build_rows

        self._loaded = True
        self.all_rows = build_rows(summaries, self.now)
        self._left_cache = {}  # a submission or an outcome changes what is due next
        width = _WidthOf()  # width[text]: measured once per text
        labels = {status: cell_len(status_label(status.value)) for status in Status}
        stores: dict[str, int] = {}
        types: dict[tuple[str, str, str], int] = {}  # (en, zh, id) -> the name's width
        widths = self._widths = {}
        for r in self.all_rows:
            s = r.summary
            store = stores.get(s.store)
            if store is None:
                store = stores[s.store] = min(width[s.store or "-"], STORE_WIDTH)
            key = (s.type_name_en, s.type_name_zh, s.type)
            kind = types.get(key)
            if kind is None:
                kind = types[key] = min(width[s.type_name], TYPE_WIDTH)
            widths[r.id] = (width[s.marketplace], (2 if r.recurrence_of else 0) + len(r.id),
                            labels.get(s.status, 0), store, kind)
        self._render_rows()

    def show_case(self, case: Case | None) -> None:
        self._show_detail()

    @guarded(N_("Showing the inbox failed"))
    def _render_rows(self, keep: str | None = None) -> None:
        from appealdesk.inbox import apply_filter

        table = self.table()
        current = keep or (self.app.case.id if self.app.case else None)
        self.shown_rows = apply_filter(self.all_rows, self.inbox_filter, self._active_rows())
        self._shown_by_id = {r.id: r for r in self.shown_rows}
        table.set_rows([r.id for r in self.shown_rows], self._row_cells, self._column_widths())
        self._update_title()
        self._update_empty()
        if self.shown_rows:
            ids = [r.id for r in self.shown_rows]
            index = ids.index(current) if current in ids else 0
            table.move_cursor(row=index)
            if not self.app.case or self.app.case.id != ids[index]:
                self.app.select_case(ids[index])
        elif self.app.case is not None and not self.inbox_filter.text:
            self.app.select_case(None)
        self._show_detail()

    @guarded(N_("Showing the inbox failed"))
    def refresh_time_left(self) -> None:
        """Clock tick: only the time-left cells change (the order does not); the table
        makes the rows on screen again."""
        self._left_cache = {}
        if not self.shown_rows:
            return
        table = self.table()
        table.redraw_rows(self._row_cells, self._column_widths())
        self._show_detail()

    def _update_empty(self) -> None:
        empty = self.query_one("#inbox-empty", Static)
        if not self._loaded:
            return
        nothing = not self.shown_rows
        empty.display = nothing
        if not self.all_rows:
            empty.update(_("No cases yet. Press n to paste a notification (or `appealdesk "
                           "intake FILE`), or run `appealdesk --demo` to look around."))
        elif nothing and not self.inbox_filter.show_inactive and not self._filtered():
            empty.update(_("No open cases. Press a to see closed and archived ones, "
                           "or n to paste a new notification."))
        else:
            empty.update(_("No case matches the filters. Press Esc to clear them."))

    def _filtered(self) -> bool:
        f = self.inbox_filter
        return bool(f.text or f.marketplace or f.status or f.store or f.ids is not None)

    def _row_for(self, case_id: str | None) -> InboxRow | None:
        return self._shown_by_id.get(case_id) if case_id else None

    @guarded(N_("Showing the inbox failed"))
    def _show_detail(self) -> None:
        detail = self.query_one("#inbox-detail", Static)
        row = self._row_for(self.app.case.id if self.app.case else None)
        if row is None:
            detail.update("")
            return
        from appealdesk.deadlines.display import format_moment

        s = row.summary
        policy = self.app.workspace.policies.get(s.marketplace)
        parts = [f"{s.store or '-'} · {row.type_name}"]
        if row.due is not None:
            zone = policy.calendar_for(s.site or None).zone if policy else None
            mine = format_moment(row.due)
            theirs = format_moment(row.due, zone) if zone else ""
            what = {"response": _("Respond by"), "final": _("Final deadline"),
                    "followup": _("Next follow-up")}.get(row.due_kind, _("Due"))
            text = f"{what} {mine}"
            if theirs and theirs != mine:
                text += " " + _("({when} marketplace time)").format(when=theirs)
            case = self.app.case  # the detail line is the selected case's (read from its file)
            if row.due_kind == "response" and case is not None and case.id == row.id:
                from appealdesk.deadlines.display import deadline_source_label
                from appealdesk.deadlines.windows import response_deadline

                deadline = response_deadline(case, policy)
                if deadline is not None:  # where the deadline comes from, and a guessed start
                    text += " · " + deadline_source_label(deadline, case)
            parts.append(text)
        if row.recurrence_of:
            parts.append(_("{mark} repeat of {case}").format(mark=RECURRENCE_MARK,
                                                             case=row.recurrence_of))
        hit = self._hits.get(row.id)
        if hit is not None and self.inbox_filter.ids is not None and hit.snippet:
            parts.append(f"“{hit.snippet}”")
        detail.update(" · ".join(parts))

    # -- events ------------------------------------------------------------
    @guarded(N_("Showing the inbox failed"))
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value and (not self.app.case or self.app.case.id != event.row_key.value):
            self.app.select_case(event.row_key.value)
        self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.select_case(event.row_key.value)
        self.post_message(self.Opened())

    @on(Input.Changed, "#inbox-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.inbox_filter.text = event.value.strip()
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DEBOUNCE, self._render_rows)

    @on(Input.Submitted, "#inbox-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.table().focus()

    @on(Input.Submitted, "#inbox-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        query = event.value.strip()
        if query:
            self._run_search(query)

    # -- actions -----------------------------------------------------------

    def action_new_case(self) -> None:
        from appealdesk.screens.dialogs.new_case import NewCaseScreen

        modal = NewCaseScreen()

        def created(case_id: str | None) -> None:
            # the new case, or the one that already holds the notice ("open")
            if case_id:
                self.app.reload_case(case_id)
                self.app.call_after_refresh(self._focus_case, case_id, modal.then == "import")

        self.app.push_screen(modal, created)

    def _focus_case(self, case_id: str, then_import: bool = False) -> None:
        ids = [r.id for r in self.shown_rows]
        if case_id in ids:
            self.table().move_cursor(row=ids.index(case_id))
        self.app.select_case(case_id)
        if then_import:  # the new-case modal's offer: pick the report file now
            from appealdesk.widgets.metrics_pane import MetricsPane

            focus_pane = getattr(self.screen, "action_focus_pane", None)
            if focus_pane is not None:
                focus_pane("metrics")
            for pane in self.screen.query(MetricsPane):
                if pane.case is None or pane.case.id != case_id:
                    pane.show_case(self.app.case)
                pane.action_import_report()
