"""Rows a stray quote ran together: found, explained, and their lines read again.

An unterminated quote makes ``csv.reader`` read every line up to the next
quote (or the end of the file) into one field: the rows in between would
vanish into one bad row. A row is taken for such a run when one of its fields
holds a line break and either the row has another number of fields than the
header or a line inside that field looks like a row of its own (as many
delimiters as a row has). The readers then report the row with the lines it
took and read those lines again on their own, so no row is lost silently.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from appealdesk.i18n import _

# Runs found inside a run (each one line shorter at least) are read again up to this depth.
MAX_DEPTH = 20


def tap(lines: Iterable[str], kept: list[str]) -> Iterator[str]:
    """``lines``, each also appended to ``kept`` (which the caller empties)."""
    append = kept.append
    for line in lines:
        append(line)
        yield line


def swallows(row: list[str], ncols: int, delimiter: str) -> bool:
    """Whether a quote in ``row`` ran other lines' rows into one of its fields."""
    if ncols < 2:
        return False
    for field in row:
        if "\n" in field or "\r" in field:
            if len(row) != ncols:
                return True
            if any(part.count(delimiter) >= ncols - 1 for part in field.splitlines()[1:]):
                return True
    return False


def reason(first: int, last: int, closed: bool) -> str:
    """The bad-row reason of a row that ran lines ``first``–``last`` together."""
    if closed:
        return _("a quote opened on this line is closed only on line {last}, so lines "
                 "{first}–{last} ran into one row; the lines after this one are read again "
                 "on their own").format(first=first, last=last)
    return _("a quote opened on this line is never closed, so lines {first}–{last} ran into "
             "one row; the lines after this one are read again on their own").format(
        first=first, last=last)


def csv_rows(lines: Iterable[str], delimiter: str, ncols: int, start: int = 0,
             depth: int = 0) -> Iterator[tuple[int, list[str], str]]:
    """(first line, row, reason) for each row of ``lines`` (numbered from
    ``start`` + 1): reason is "" but for a row a stray quote ran together,
    which is followed by the rows of its lines after the first, read again."""
    kept: list[str] = []
    reader = csv.reader(tap(lines, kept), delimiter=delimiter)
    row = next(reader, None)
    while row is not None:
        own = kept.copy()
        kept.clear()
        following = next(reader, None)
        first, last = start + 1, start + len(own)
        if last > first and swallows(row, ncols, delimiter):
            yield first, row, reason(first, last, closed=following is not None)
            if depth < MAX_DEPTH:
                yield from csv_rows(own[1:], delimiter, ncols, first, depth + 1)
        else:
            yield first, row, ""
        start = last
        row = following
