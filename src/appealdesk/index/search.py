"""Search across every case: notices, letters, history and ids.

With FTS5's trigram tokenizer, any run of 3 or more characters is found
anywhere (an order id's tail, a listing id, 三个汉字); shorter words (most
Chinese words are two characters) are matched with LIKE over the hits, or over
every case when the query has no longer word. Without FTS5 every word is
matched with LIKE (slower, same answers).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from appealdesk.index.summary import SEARCH_COLUMNS

_TERM = re.compile(r'"([^"]+)"|(\S+)')
SNIPPET_CHARS = 36
MIN_TRIGRAM = 3


@dataclass(frozen=True)
class Hit:
    case_id: str
    marketplace: str
    store: str
    status: str
    field: str  # ids | notice | letter | history: where the first word was found
    snippet: str

    def to_dict(self) -> dict:
        return {"case": self.case_id, "marketplace": self.marketplace, "store": self.store,
                "status": self.status, "field": self.field, "snippet": self.snippet}


def terms(query: str) -> list[str]:
    """Words of the query; "quoted words" stay together."""
    return [m.group(1) or m.group(2) for m in _TERM.finditer(query or "")
            if (m.group(1) or m.group(2)).strip()]


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def run_search(con: sqlite3.Connection, query: str, limit: int, fts: bool) -> list[Hit]:
    words = terms(query)
    if not words:
        return []
    long = [w for w in words if fts and len(w) >= MIN_TRIGRAM]
    short = [w for w in words if w not in long]
    where, params = [], []
    if long:
        where.append("s.search MATCH ?")
        params.append(" AND ".join('"' + w.replace('"', '""') + '"' for w in long))
    for word in short:
        where.append("(" + " OR ".join(f"s.{c} LIKE ? ESCAPE '\\'" for c in SEARCH_COLUMNS)
                     + ")")
        params += [_like(word)] * len(SEARCH_COLUMNS)
    order = "s.rank" if long else "c.id"
    sql = (f"SELECT c.id, c.marketplace, c.store, c.status, "
           f"{', '.join('s.' + c for c in SEARCH_COLUMNS)} "
           f"FROM search s JOIN cases c ON c.rowid = s.rowid "
           f"WHERE {' AND '.join(where)} AND c.error IS NULL ORDER BY {order} LIMIT ?")
    rows = con.execute(sql, [*params, limit])
    return [_hit(row, words) for row in rows]


def _hit(row: tuple, words: list[str]) -> Hit:
    texts = dict(zip(SEARCH_COLUMNS, row[4:], strict=True))
    folded = [w.casefold() for w in words]
    for column in SEARCH_COLUMNS:
        text = texts[column] or ""
        low = text.casefold()
        for word in folded:
            at = low.find(word)
            if at >= 0:
                return Hit(row[0], row[1], row[2], row[3], column, snippet(text, at, len(word)))
    return Hit(row[0], row[1], row[2], row[3], "", "")


def snippet(text: str, at: int, length: int) -> str:
    start = max(0, at - SNIPPET_CHARS)
    end = min(len(text), at + length + SNIPPET_CHARS)
    part = " ".join(text[start:end].split())
    return ("…" if start > 0 else "") + part + ("…" if end < len(text) else "")
