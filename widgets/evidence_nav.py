"""Moving about the evidence pane: between the checklist and the coverage matrix, and
to the next gap (an order a requirement does not cover yet, or, once every order is
covered, the next requirement without a file or a waiver).

A mixin of ``EvidencePane`` (``widgets/evidence_pane.py``), which keeps the views,
the state (``result``) and the keys.
"""

from __future__ import annotations

from textual.widgets import ContentSwitcher, DataTable

from appealdesk.app import guarded
from appealdesk.evidence.checklist import MISSING, PARTIAL
from appealdesk.i18n import N_, _


class EvidenceNavMixin:
    """The pane's moves between its two views and to the next gap."""

    def _matrix_shown(self) -> bool:
        return self.query_one(ContentSwitcher).current == "evidence-matrix"

    def action_leave_matrix(self) -> None:
        if self._matrix_shown():
            self.action_toggle_matrix()

    def action_toggle_matrix(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        switcher.current = ("evidence-checklist" if self._matrix_shown()
                            else "evidence-matrix")
        self.query_one(f"#{switcher.current}", DataTable).focus()
        self._show_detail()

    @guarded(N_("Showing the case failed"))
    def action_next_gap(self) -> None:
        if self.result is None:
            return
        cov = self.result.coverage
        gaps = cov.gaps()
        if not gaps:
            self._next_open_requirement()
            return
        if not self._matrix_shown():
            self.action_toggle_matrix()
        table = self.query_one("#evidence-matrix", DataTable)
        req_ids = [r.id for r in cov.requirements]
        cells = [(cov.orders.index(o), 1 + req_ids.index(r)) for o, r in gaps]
        here = (table.cursor_row, table.cursor_column)
        target = next((c for c in cells if c > here), cells[0])  # wrap around
        table.move_cursor(row=target[0], column=target[1])
        table.focus()

    def _next_open_requirement(self) -> None:
        """Every order covered: on to the next requirement without a file or a waiver."""
        assert self.result is not None
        open_ = [i.requirement.id for i in self.result.items if i.state in (MISSING, PARTIAL)]
        if not open_:
            self.notify(_("Every order is covered and every requirement has a file or a "
                          "waiver."))
            return
        if self._matrix_shown():
            self.action_toggle_matrix()
        table = self.query_one("#evidence-checklist", DataTable)
        rows = [table.get_row_index(f"req:{r}") for r in open_]
        target = next((r for r in rows if r > table.cursor_row), rows[0])  # wrap around
        table.move_cursor(row=target)
        table.focus()
