"""Narrowing the inbox: the filter box, the full-text search, the quick filters
(marketplace, status, store), showing closed and archived cases, and the
pane's title and subtitle that say what is shown.

A mixin of ``InboxPane`` (``widgets/inbox_pane.py``), which keeps the table, the
keys and the ``@on`` handlers of the two boxes (Textual collects decorated
handlers only from classes built by its metaclass; this mixin is a plain class).
Every change here edits ``inbox_filter`` and redraws through the pane's
``_render_rows``; the search asks the index in a thread worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.widgets import Input

from appealdesk.app import WorkerErrorsToApp
from appealdesk.i18n import _, current_language
from appealdesk.widgets.inbox_cells import status_label

if TYPE_CHECKING:
    from appealdesk.index import Hit

SEARCH_LIMIT = 500  # cases a search shows in the inbox, best matches first


# WorkerErrorsToApp: its workers' failures reach the app even outside InboxPane.
class InboxFiltersMixin(WorkerErrorsToApp):
    """Filter, search and quick filters of ``InboxPane`` (state lives in the pane)."""

    @work(thread=True, exclusive=True, group="inbox-search", exit_on_error=False)
    def _run_search(self, query: str) -> None:
        """Ask the index (it brings itself up to date first) off the event loop."""
        from appealdesk.index import CaseIndex

        index = getattr(self.app, "case_index", None) or CaseIndex.for_workspace(
            self.app.workspace)
        try:
            hits = index.search(query, limit=SEARCH_LIMIT)
        except Exception as exc:  # an index that cannot answer: say so, keep the inbox
            self.app.call_from_thread(self.app.notify, str(exc), title=_("Search failed"),
                                      severity="error")
            return
        self.app.call_from_thread(self._show_hits, query, hits)

    def _show_hits(self, query: str, hits: list[Hit]) -> None:
        self._hits = {h.case_id: h for h in hits}
        self._search_query = query
        self.inbox_filter.ids = frozenset(self._hits)
        self._render_rows()
        self.query_one("#inbox-table").focus()

    async def action_filter(self) -> None:
        self.add_class("filtering")
        box = self._filter_box
        if box is None:
            box = self._filter_box = Input(
                placeholder=_("filter: case id, store, order id, type"), id="inbox-filter")
            await self.mount(box, before=0)
        box.disabled = False
        box.focus()

    async def action_search(self) -> None:
        self.add_class("searching")
        box = self._search_box
        if box is None:
            box = self._search_box = Input(
                placeholder=_("search every case: ids, notices, letters, history (Enter)"),
                id="inbox-search")
            await self.mount(box, before=0)
        box.disabled = False
        box.focus()

    def action_clear_filters(self) -> None:
        from appealdesk.inbox import InboxFilter

        box = self._filter_box
        self.inbox_filter = InboxFilter(show_inactive=self.inbox_filter.show_inactive)
        self._hits = {}
        self.remove_class("filtering")
        self.remove_class("searching")
        if self._search_box is not None:
            self._search_box.value = ""
            self._search_box.disabled = True
        if box is not None:
            with box.prevent(Input.Changed):
                box.value = ""
            box.disabled = True  # disabled while hidden, so focus never lands in an invisible box
        self._render_rows()
        self.query_one("#inbox-table").focus()

    def _options(self, attribute: str) -> list[str]:
        values = {getattr(r.summary, attribute) for r in self.all_rows
                  if self.inbox_filter.show_inactive or r.summary.active}
        return sorted(v.value if hasattr(v, "value") else v for v in values if v)

    def action_cycle_marketplace(self) -> None:
        from appealdesk.inbox import cycle

        flt = self.inbox_filter
        flt.marketplace = cycle(self._options("marketplace"), flt.marketplace)
        self._render_rows()

    def action_cycle_status(self) -> None:
        from appealdesk.inbox import cycle

        self.inbox_filter.status = cycle(self._options("status"), self.inbox_filter.status)
        self._render_rows()

    def action_cycle_store(self) -> None:
        from appealdesk.inbox import cycle

        self.inbox_filter.store = cycle(self._options("store"), self.inbox_filter.store)
        self._render_rows()

    def action_toggle_archive(self) -> None:
        flt = self.inbox_filter
        flt.show_inactive = not flt.show_inactive
        if not flt.show_inactive and flt.status in ("closed", "archived"):
            flt.status = None
        self._render_rows()

    def _active_rows(self) -> list:
        """The rows without the archive's, kept until the cases change (a keystroke
        in the filter starts from them instead of 10,000 rows)."""
        if self._active[0] is not self.all_rows:
            from appealdesk.inbox import active_rows

            self._active = (self.all_rows, active_rows(self.all_rows))
        return self._active[1]

    def _update_title(self) -> None:
        # the counts depend on the cases and the archive toggle, not on the typed filter
        rows, key = self.all_rows, (self.inbox_filter.show_inactive, current_language())
        if self._counts[0] is not rows or self._counts[1] != key:
            from appealdesk.inbox import status_counts

            shown = [r for r in rows if self.inbox_filter.show_inactive or r.summary.active]
            self._counts = (rows, key, " · ".join(f"{status_label(s.value)} {n}"
                                                  for s, n in status_counts(shown)))
        counts = self._counts[2]
        title = _("1 Inbox")
        if counts:
            title = f"{title} ({counts})"
        self.border_title = title
        parts = []
        if self.inbox_filter.marketplace:
            parts.append(_("market: {value}").format(value=self.inbox_filter.marketplace))
        if self.inbox_filter.status:
            parts.append(_("status: {value}").format(value=status_label(self.inbox_filter.status)))
        if self.inbox_filter.store:
            parts.append(_("store: {value}").format(value=self.inbox_filter.store))
        if self.inbox_filter.text:
            parts.append(f"/{self.inbox_filter.text}")
        if self.inbox_filter.ids is not None:
            parts.append(_("search: {query} ({n} found)").format(
                query=self._search_query, n=len(self.inbox_filter.ids)))
        if self.inbox_filter.show_inactive:
            parts.append(_("with archive"))
        if parts:  # of the cases the archive toggle shows, as the title counts them
            total = len(self.all_rows if self.inbox_filter.show_inactive
                        else self._active_rows())
            parts.append(_("{shown} of {total}").format(shown=len(self.shown_rows), total=total))
        self.border_subtitle = " · ".join(parts)
