"""Where the operator is on the main screen, and the focus rules that keep it.

A mixin of ``MainScreen`` (``screens/main.py``):

- **the place**: the half shown (the screen's ``show-inbox`` / ``show-detail``
  classes), the case's tab, the pane holding the focus and the tables' cursor rows.
  ``L`` rebuilds the screen in the other language (``recompose``): the place is
  taken before and given back once the case's panes are mounted again, so the
  operator stays where they were instead of landing on the Metrics tab.
- **Tab never edits**: the letter's text area (CSS class ``edit-only``) is left out
  of the focus chain unless it already has the focus, so Tab and shift+Tab walk the
  read-only views; only ``e`` or Enter (``EditorPane``) put the keys into the letter.
- **Esc backs out one level**: the editor takes Esc first while editing (it stops
  editing); otherwise Esc on a case pane goes to the inbox (``action_back``).
- **which pane has the keys**: the frame of the focused half is lit (``.pane:focus-within``
  in app.tcss); while the letter is being edited the case's frame turns to the
  warning colour and says so (``editing``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from appealdesk.i18n import _

if TYPE_CHECKING:
    from textual.widget import Widget

PANE_OF = {"inbox-pane": "inbox", "metrics-pane": "metrics", "evidence-pane": "evidence",
           "editor-pane": "letter"}
EDIT_ONLY = "edit-only"


class Place:
    """The tab, the focused pane, the tables' cursor rows, the letter's cursor. (A plain
    class: a dataclass costs the first frame a few million instructions to build.)"""

    __slots__ = ("cursors", "letter_cursor", "pane", "tab")

    def __init__(self) -> None:
        self.tab = "tab-metrics"
        self.pane = "inbox"
        self.cursors: dict[str, int] = {}  # table id -> cursor row
        self.letter_cursor: tuple[int, int] | None = None


def pane_of(widget: Widget | None) -> str | None:
    node: Any = widget
    while node is not None:
        name = PANE_OF.get(getattr(node, "id", None) or "")
        if name:
            return name
        node = node.parent
    return None


class PlaceMixin:
    """The place and the focus rules of ``MainScreen``."""

    _recomposing = False
    _restore_pending = False

    @property
    def place(self) -> Place:
        me: Any = self
        if "_place" not in vars(me):
            me._place = Place()
        return me._place

    # -- Tab never edits ------------------------------------------------------------
    @property
    def focus_chain(self) -> list[Widget]:
        me: Any = self
        chain: list[Widget] = super().focus_chain  # type: ignore[misc]
        return [w for w in chain if w is me.focused or not w.has_class(EDIT_ONLY)]

    # -- following the focus and the tab --------------------------------------------
    def watch_focused(self, widget: Widget | None) -> None:
        if self._recomposing:
            return
        name = pane_of(widget)
        if name is not None:
            self.place.pane = name
        self._show_editing(widget is not None and widget.has_class(EDIT_ONLY))

    def _show_editing(self, editing: bool) -> None:
        me: Any = self
        for detail in me.query("#detail"):
            detail.set_class(editing, "editing")
            detail.border_subtitle = _("editing the letter · esc: stop") if editing else ""

    def on_tabbed_content_tab_activated(self, event: Any) -> None:
        if not self._recomposing and event.pane is not None and event.pane.id:
            self.place.tab = event.pane.id

    # -- Esc ---------------------------------------------------------------------------
    def action_back(self) -> None:
        """One level up: from a case's pane to the inbox (the editor stops editing first,
        a modal closes first: both take Esc before it reaches the screen)."""
        me: Any = self
        if pane_of(me.focused) not in (None, "inbox"):
            me.action_focus_pane("inbox")

    # -- keeping the place through a rebuild -------------------------------------------
    async def recompose(self) -> None:
        me: Any = self
        from textual.widgets import DataTable, TextArea

        place = self.place
        place.cursors = {t.id: t.cursor_row for t in me.query(DataTable)
                         if t.id and t.row_count}
        area = next(iter(me.query(f"TextArea.{EDIT_ONLY}").results(TextArea)), None)
        place.letter_cursor = area.cursor_location if area is not None else None
        self._recomposing = True
        try:
            await super().recompose()  # type: ignore[misc]
        finally:
            self._recomposing = False
        self._restore_pending = True
        me.call_after_refresh(self.restore_place)

    def restore_place(self) -> None:
        """Once the case's panes are mounted again (``CaseDetail`` calls this): the
        pane's focus (on its read-only view), the tables' cursors, the letter's cursor."""
        if not self._restore_pending:
            return
        me: Any = self
        from appealdesk.widgets.table import Table

        place = self.place
        if not me.query("#detail-tabs"):
            # The case's panes mount after the first paint: CaseDetail calls again.
            if place.pane == "inbox":
                me.action_focus_pane("inbox")
            return
        self._restore_pending = False
        for table in me.query(Table):
            row = place.cursors.get(table.id or "")
            if row is not None:
                table.keep_cursor_row(row)
        if place.letter_cursor is not None:
            for area in me.query(f"TextArea.{EDIT_ONLY}"):
                area.cursor_location = place.letter_cursor
        me.action_focus_pane(place.pane)
