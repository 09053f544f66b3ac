"""The DataTable every pane uses: one that draws again once its columns are measured.

Textual 8.2's DataTable measures column widths when it is next idle after rows or
cells change, and caches each drawn row (the header too) under a key that the
change moves but the measuring does not. A frame drawn between the change and
that idle (rare; it happens under load) leaves rows drawn with the old widths in
the cache: a header that no longer lines up with its columns (seen once in a CI
snapshot).

At 80 columns a table may be wider than its pane: ``cut_columns`` names the
columns that give up room (``fit_width``, again on every resize), each in
proportion to its width; their cells are drawn cut with an ellipsis (a cell of
such a column must be a ``Text`` with ``no_wrap`` and ``overflow="ellipsis"``,
``cut_cell`` makes one) and the pane's detail line shows the cursor row whole.

This subclass uses public API only (but for ``fit_width``, which asks DataTable to
measure again the way ``LazyTable`` does). A change that can widen a column (``add_row``,
``add_column``, ``update_cell``) notes the widths; the next idle handler runs just
before DataTable's own (subclass handlers come first in the MRO walk), so it
schedules a check with ``call_next`` that runs just after the measuring. When a
width changed, ``notify_style_update`` (public: it drops the render caches and
refreshes) draws every row again at the new widths.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.widgets import DataTable
from textual.widgets._data_table import ColumnKey

from appealdesk.widgets.nav_keys import TableKeys

MIN_CUT = 6  # cells a cut column keeps ("Late…")


def cut_cell(value: str | Text, style: str = "", keep_tail: bool = False) -> Text:
    """A cell that a narrow table cuts with an ellipsis instead of wrapping or cropping.
    ``keep_tail``: a name ending in a bracketed part is cut before it, so rows that
    differ only there stay apart ("Late shipm… (10 days)", "Late shipm… (30 days)")."""
    text = value.copy() if isinstance(value, Text) else Text(value, style=style)
    if keep_tail:
        text = _TailKept(text.plain, style=text.style, spans=text.spans)
    text.no_wrap = True
    text.overflow = "ellipsis"
    return text


class _TailKept(Text):
    """A Text cut in the middle when too narrow, keeping its last bracketed part when
    that holds a number (a window; "(advisory)" is cut as any text)."""

    def __rich_console__(self, console: Any, options: Any) -> Any:
        width = options.max_width
        plain = self.plain
        start = max(plain.rfind(" ("), plain.rfind("（"))
        # only a tail that tells rows apart by a number: a window ("(10 days)", "（7天）")
        if (self.cell_len <= width or start <= 0 or not plain.endswith((")", "）"))
                or not any(ch.isdigit() for ch in plain[start:])):
            yield from super().__rich_console__(console, options)
            return
        tail = self[start:]
        room = width - tail.cell_len
        if room < MIN_CUT // 2:  # no room for the head: cut at the end as any cell
            yield from super().__rich_console__(console, options)
            return
        head = self[:start]
        head.truncate(room, overflow="ellipsis")
        cut = Text(no_wrap=True, overflow="ellipsis", end=self.end)
        cut.append_text(head)
        cut.append_text(tail)
        yield from cut.__rich_console__(console, options)


def share_cut(natural: list[int], shortage: int, least: int = MIN_CUT) -> list[int]:
    """Widths for columns of ``natural`` widths giving up ``shortage`` cells between
    them, each in proportion to its width and none below ``least`` (or its own width)."""
    widths = list(natural)
    while shortage > 0:
        able = [i for i, w in enumerate(widths) if w > min(least, natural[i])]
        if not able:
            break
        total = sum(widths[i] for i in able)
        taken = 0
        for i in able:
            give = min(widths[i] - min(least, natural[i]),
                       max(1, shortage * widths[i] // total), shortage - taken)
            widths[i] -= give
            taken += give
            if taken >= shortage:
                break
        shortage -= taken
    return widths


class Table(TableKeys, DataTable):
    """A DataTable whose rows never stay drawn at column widths measured before; it
    takes the moving keys every list has (``j``/``k``, ``g``/``G``, ``ctrl+d``/``ctrl+u``:
    ``widgets/nav_keys.py``)."""

    BINDINGS = TableKeys.NAV_BINDINGS

    _widths_before: list[int] | None = None
    _wanted_row: int | None = None
    cut_columns: tuple[str, ...] = ()  # column keys that give up room at a narrow width

    def fit_width(self) -> None:
        """Cut the ``cut_columns`` so the table fits its width (or let them grow back)."""
        keys = [ColumnKey(k) for k in self.cut_columns if ColumnKey(k) in self.columns]
        room = self.scrollable_content_region.width
        if not keys or room <= 0:
            return
        cut = [self.columns[k] for k in keys]
        others = sum(c.get_render_width(self) for k, c in self.columns.items() if k not in keys)
        natural = [c.content_width for c in cut]
        shortage = others + sum(natural) + 2 * self.cell_padding * len(cut) - room
        widths = natural
        if shortage > 0:  # a first share keeps each at MIN_CUT; a tighter one goes to 3
            widths = share_cut(natural, shortage)
            left = sum(widths) - (sum(natural) - shortage)
            if left > 0:
                widths = share_cut(widths, left, least=3)
        changed = False
        for column, width, whole in zip(cut, widths, natural, strict=True):
            fitted = width < whole
            if column.auto_width == fitted or (fitted and column.width != width):
                column.auto_width = not fitted
                column.width = width if fitted else 0
                changed = True
        if changed:
            self._require_update_dimensions = True
            self.notify_style_update()

    def on_resize(self) -> None:
        self.fit_width()

    def keep_cursor_row(self, row: int) -> None:
        """Put the cursor on ``row`` now, or once the table has that many rows (a pane
        filled again after the screen was rebuilt)."""
        if row < self.row_count:
            self.move_cursor(row=row)
        else:
            self._wanted_row = row

    def add_column(self, *args: Any, **kwargs: Any) -> Any:
        self._note_widths()
        return super().add_column(*args, **kwargs)

    def add_row(self, *args: Any, **kwargs: Any) -> Any:
        self._note_widths()
        key = super().add_row(*args, **kwargs)
        wanted = self._wanted_row
        if wanted is not None and wanted < self.row_count:
            self._wanted_row = None
            # After the filler's own cursor move (it runs on to the end of its rows).
            self.call_after_refresh(self.move_cursor, row=wanted)
        return key

    def update_cell(self, *args: Any, **kwargs: Any) -> None:
        self._note_widths()
        super().update_cell(*args, **kwargs)

    def _note_widths(self) -> None:
        if self._widths_before is None:
            self._widths_before = self._widths()

    def _widths(self) -> list[int]:
        return [column.content_width for column in self.columns.values()]

    def on_idle(self, _event: events.Idle) -> None:
        if self._widths_before is not None:
            self.call_next(self._redraw_if_remeasured, self._widths_before)
            self._widths_before = None

    def _redraw_if_remeasured(self, before: list[int]) -> None:
        if self._widths() != before:
            self.notify_style_update()
        self.fit_width()
