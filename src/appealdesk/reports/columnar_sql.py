"""The SQL of the columnar path: what DuckDB computes for each cell, and the
tables that turn its small codes into the per-cell reader's values.

Every expression is a plain per-row function (no ``IN`` list: DuckDB turns
one into a hash join, whose output is not in file order), so the query is a
projection over the CSV scan and may run on every core; ``ordered_plan``
checks that from DuckDB's own plan before more than one thread is used.

* A date cell: ``shape`` is 0 for an empty cell, its length in bytes when it
  matches one of the exact ISO layouts below (the lengths tell the kinds
  apart), 255 otherwise; ``us`` its microseconds from one cast in UTC (a
  naive value or a bare date then reads as wall-clock time, as ``DateColumn``
  keeps it). A value that matches but does not cast (30
  February) is ``NO_VALUE``.
* A yes/no or canceller cell: its 1-based position in a word list (the
  spellings as written first, then any case and spaces), 0 when absent.
"""

from __future__ import annotations

import json
from typing import Any

from appealdesk.cases.clock import SANE_FIRST_YEAR, SANE_LAST_YEAR
from appealdesk.reports.cells import _FALSE, _TRUE, _CancellerCache
from appealdesk.reports.dates import AWARE, DATE, NAIVE

_YEAR = "(" + "|".join(str(y) for y in range(SANE_FIRST_YEAR, SANE_LAST_YEAR + 1)) + ")"
_CLOCK = r"[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{3}|\.[0-9]{6})?)?"
_OFFSET = "(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"
# Exactly the ISO layouts both readers read alike: a date, a clock with
# minutes, seconds and a fraction of 3 or 6 digits, "Z" or "+hh:mm".
ISO = f"{_YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])({_CLOCK}{_OFFSET}?)?"


def _kinds_by_length() -> bytes:
    table = bytearray([255]) * 256
    table[0] = 0
    table[10] = DATE
    for clock in (16, 19, 23, 26):  # hh:mm, :ss, .fff, .ffffff
        table[clock] = NAIVE
        table[clock + 1] = AWARE  # Z
        table[clock + 6] = AWARE  # +hh:mm
    return bytes(table)


KIND_BY_SHAPE = _kinds_by_length()
_WITH_OFFSET = (22, 25, 29, 32)  # the aware shapes that end in "+hh:mm"

# Python's str.strip() removes exactly these (str.isspace; a test checks).
_SPACE = (r"\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
          r"\x{202f}\x{205f}\x{3000}")


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


NO_VALUE = -(2**63)  # micros of a value that matches a shape but is no date (30 February)


def date_exprs(v: str, name: str) -> list[str]:
    """``k_<name>``: the shape; ``us_<name>``: microseconds from the epoch, UTC for
    a value with an offset, wall-clock otherwise (the session's zone is UTC);
    ``DateColumn`` divides them by 1e6, as ``timedelta.total_seconds`` does.
    (A TIMESTAMP cast less the offset, taken from the text, measured no cheaper.)"""
    shape = (f"(CASE WHEN {v} IS NULL OR {v} = '' THEN 0 "
             f"WHEN regexp_full_match({v}, {quote(ISO)}) THEN strlen({v}) ELSE 255 END)"
             f"::UTINYINT AS k_{name}")
    # Only the shapes that end in "+hh:mm" need the (dearer) TIMESTAMPTZ cast; the
    # TIMESTAMP cast reads the others' wall clock, which for "Z" is UTC already.
    offset = " OR ".join(f"strlen({v}) = {n}" for n in _WITH_OFFSET)
    micros = (f"coalesce(CASE WHEN {offset} THEN epoch_us(TRY_CAST({v} AS TIMESTAMPTZ)) "
              f"ELSE epoch_us(TRY_CAST({v} AS TIMESTAMP)) END, {NO_VALUE}) AS us_{name}")
    return [shape, micros]


def _spellings(words: list[str]) -> list[str]:
    """The words as read (lower case), then as exports write them."""
    out = list(words)
    for w in words:
        for variant in (w.upper(), w.capitalize()):
            if variant not in out:
                out.append(variant)
    return out


def _lookup(spellings: list[str], value_of: dict[str, int]) -> bytes:
    """Position (1-based; 0: not found) -> the per-cell reader's code; 255: refused."""
    table = bytearray([255]) * 256
    for i, word in enumerate(spellings, 1):
        table[i] = value_of[word.lower()]
    return bytes(table)


BOOL_WORDS = _spellings(sorted(_TRUE) + sorted(_FALSE))
BOOL_CODE = _lookup(BOOL_WORDS, {w: 1 for w in _TRUE} | {w: 0 for w in _FALSE})
CANCELLER_WORDS = _spellings(list(_CancellerCache._WORDS))
CANCELLER_CODE = _lookup(CANCELLER_WORDS, dict(_CancellerCache._WORDS))


def word_expr(v: str, words: list[str], alias: str) -> str:
    """The position of a cell among ``words``: as written, else lower-cased
    without the spaces around it (DuckDB's trim removes only spaces, which
    str.strip removes too; a tab leaves the cell unfound, so refused)."""
    listed = "[" + ", ".join(quote(w) for w in words) + "]"
    return (f"coalesce(list_position({listed}, coalesce({v}, '')), "
            f"list_position({listed}, lower(trim({v}))), 0)::UTINYINT AS {alias}")


def filled_expr(v: str, alias: str) -> str:
    """1 when a cell holds more than white space (str.strip() leaves something);
    255 (not read here) for "E+" or "e+", as in Excel's number for a long tracking
    number ("9.4001E+21"), which the per-cell reader refuses."""
    return (f"(CASE WHEN {v} IS NULL OR {v} = '' THEN 0 "
            f"WHEN contains({v}, 'E+') OR contains({v}, 'e+') THEN 255 "
            f"WHEN regexp_matches({v}, {quote('[^' + _SPACE + ']')}) THEN 1 ELSE 0 END)"
            f"::UTINYINT AS {alias}")


_ORDERED = {"PROJECTION", "READ_CSV"}


def ordered_plan(con: Any, sql: str) -> bool:
    """Whether DuckDB's plan for ``sql`` only projects the CSV scan, which keeps
    file order on any number of threads (a join or an aggregate may not)."""
    rows = con.execute("EXPLAIN (FORMAT json) " + sql).fetchall()
    try:
        nodes = json.loads(rows[0][1])
    except (IndexError, ValueError, TypeError):
        return False
    names: set[str] = set()

    def walk(node: Any) -> None:
        names.add(str(node.get("name", "")))
        for child in node.get("children", ()):
            walk(child)

    for node in nodes:
        walk(node)
    return bool(names) and names <= _ORDERED
