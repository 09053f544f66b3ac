"""The letter's text area: Home and End act on the line as written, not the wrapped row.

The letter soft-wraps, and Textual's TextArea moves Home/End (and shift+Home/End,
ctrl+a/e) to the start and end of the *wrapped row* the cursor is on, so on a long
paragraph Home lands mid-sentence and shift+End selects half a line. Here they
act on the logical line: Home goes to its first non-blank character (again: to
column 0), End to its last character.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import TextArea

from appealdesk.i18n import N_


class LetterArea(TextArea):
    BINDINGS = [
        Binding("home,ctrl+a", "line_start", N_("Start of the line"), show=False,
                id="letter.line_start"),
        Binding("end,ctrl+e", "line_end", N_("End of the line"), show=False,
                id="letter.line_end"),
        Binding("shift+home", "line_start(True)", N_("Select to the start of the line"),
                show=False, id="letter.select_line_start"),
        Binding("shift+end", "line_end(True)", N_("Select to the end of the line"),
                show=False, id="letter.select_line_end"),
    ]

    def action_line_start(self, select: bool = False) -> None:
        row, column = self.cursor_location
        line = self.document.get_line(row)
        indent = len(line) - len(line.lstrip())
        self.move_cursor((row, 0 if column == indent else indent), select=select)

    def action_line_end(self, select: bool = False) -> None:
        row, _column = self.cursor_location
        self.move_cursor((row, len(self.document.get_line(row))), select=select)
