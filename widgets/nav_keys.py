"""The same moving keys in every list, table and scrolled text (as in lazygit, k9s, aerc).

``j`` / ``k`` one row down / up, ``g`` / ``G`` the first / last row, ``ctrl+d`` /
``ctrl+u`` half a page down / up. Declared once per kind of widget, here: the tables
(``widgets/table.py``: ``Table`` and ``LazyTable`` take ``TableKeys``), the lists
(``List``: an ``OptionList``), the file pickers' trees (``TreeKeys``) and the scrolled
texts (``Scroll``: a ``VerticalScroll``; the ``?`` list binds the same keys).
The arrow keys, Home/End and PageUp/PageDown stay what Textual makes them.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import OptionList

from appealdesk.i18n import N_


def _keys(prefix: str, down: str, up: str) -> list[Binding]:
    return [
        Binding("j", down, N_("Down"), show=False, id=f"{prefix}.down"),
        Binding("k", up, N_("Up"), show=False, id=f"{prefix}.up"),
        Binding("g", "nav_first", N_("First"), show=False, id=f"{prefix}.first"),
        Binding("G", "nav_last", N_("Last"), show=False, id=f"{prefix}.last"),
        Binding("ctrl+d", "nav_half(1)", N_("Half a page down"), show=False,
                id=f"{prefix}.half_down"),
        Binding("ctrl+u", "nav_half(-1)", N_("Half a page up"), show=False,
                id=f"{prefix}.half_up"),
    ]


def half_page(widget: Any) -> int:
    """Half the rows the widget shows, at least one."""
    return max(1, widget.scrollable_content_region.height // 2)


class TableKeys:
    """For a ``DataTable`` (a mixin: ``widgets.table.Table`` takes it)."""

    NAV_BINDINGS = _keys("table", "cursor_down", "cursor_up")

    def action_nav_first(self) -> None:
        table: Any = self
        table.action_scroll_top()

    def action_nav_last(self) -> None:
        table: Any = self
        table.action_scroll_bottom()

    def action_nav_half(self, direction: int) -> None:
        table: Any = self
        if not table.row_count:
            return
        rows = max(1, (table.scrollable_content_region.height - table.header_height) // 2)
        target = min(max(0, table.cursor_row + direction * rows), table.row_count - 1)
        table.move_cursor(row=target)


class ListKeys:
    """For an ``OptionList`` or a ``SelectionList`` (a mixin; ``List`` is the OptionList)."""

    NAV_BINDINGS = _keys("list", "cursor_down", "cursor_up")

    def action_nav_first(self) -> None:
        options: Any = self
        options.action_first()

    def action_nav_last(self) -> None:
        options: Any = self
        options.action_last()

    def action_nav_half(self, direction: int) -> None:
        options: Any = self
        count = options.option_count
        if not count:
            return
        here = options.highlighted if options.highlighted is not None else 0
        target = min(max(0, here + direction * half_page(options)), count - 1)
        # Skip disabled options (headings) the way the arrow keys do.
        step = 1 if direction > 0 else -1
        while 0 <= target < count and options.get_option_at_index(target).disabled:
            target += step
        if 0 <= target < count:
            options.highlighted = target


class TreeKeys:
    """For a ``Tree`` (a mixin: the file pickers' ``DirectoryTree``)."""

    NAV_BINDINGS = _keys("tree", "cursor_down", "cursor_up")

    def action_nav_first(self) -> None:
        tree: Any = self
        tree.action_scroll_home()

    def action_nav_last(self) -> None:
        tree: Any = self
        tree.action_scroll_end()

    def action_nav_half(self, direction: int) -> None:
        tree: Any = self
        here = max(0, tree.cursor_line)
        tree.cursor_line = min(max(0, here + direction * half_page(tree)), tree.last_line)
        tree.scroll_to_line(tree.cursor_line, animate=False)


class List(ListKeys, OptionList):
    """An OptionList with the moving keys."""

    BINDINGS = ListKeys.NAV_BINDINGS


class Scroll(VerticalScroll):
    """A VerticalScroll (a timeline, a diff, a preview) with the moving keys."""

    BINDINGS = _keys("scroll", "scroll_down", "scroll_up")

    def action_nav_first(self) -> None:
        self.scroll_home(animate=False)

    def action_nav_last(self) -> None:
        self.scroll_end(animate=False)

    def action_nav_half(self, direction: int) -> None:
        self.scroll_relative(y=direction * half_page(self), animate=False)
