"""The look before every question: are the case files exactly what the index holds?

The usual answer is yes, and it costs a ``stat`` per case file (``stamps.unchanged``)
plus the index's own stamps. Those are kept ready in ``meta`` as one marshalled list
(read back in C, where 10,000 rows from SQLite cost about as much as the stats): every
transaction that writes the cases table drops it (``forget``), and a look that found
everything unchanged writes it again, only if nothing was written since that look
began (its read snapshot is still the newest) and no other process is writing now. So
the list is either absent or exactly the table's stamps.
"""

from __future__ import annotations

import marshal
import sqlite3
from pathlib import Path

from appealdesk.cases.store import CASE_FILE
from appealdesk.index.db import BUSY_TIMEOUT_MS
from appealdesk.index.stamps import unchanged

KEY = "stamps"
_ROWS = f"SELECT id || '/{CASE_FILE}', mtime_ns, size, ino FROM cases"


def forget(con: sqlite3.Connection) -> None:
    """In every transaction that writes the cases table: the kept stamps are stale."""
    con.execute("DELETE FROM meta WHERE key = ?", (KEY,))


def files_unchanged(con: sqlite3.Connection, cases_dir: Path) -> bool:
    """Whether every case file still has the stamp the index holds and no case was added
    (False also when in doubt: then the caller scans the folder)."""
    row = con.execute("SELECT value FROM meta WHERE key = ?", (KEY,)).fetchone()
    if row is not None and isinstance(row[0], bytes):
        try:
            return unchanged(cases_dir, marshal.loads(row[0]))
        except (ValueError, TypeError, EOFError):
            pass  # not a list of stamps: ask the table
    con.execute("BEGIN")  # one read snapshot: the rows, then (maybe) keeping them
    try:
        rows = con.execute(_ROWS).fetchall()
        if not unchanged(cases_dir, rows):
            return False
        _keep(con, rows)
        return True
    finally:
        if con.in_transaction:
            con.execute("ROLLBACK")


def _keep(con: sqlite3.Connection, rows: list) -> None:
    """Write the stamps just compared, in the read transaction that read them: SQLite
    refuses (busy) if another connection wrote since it began or is writing now, and
    then nothing is kept; never wait for another writer on a question."""
    con.execute("PRAGMA busy_timeout = 0")
    try:
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (KEY, marshal.dumps(rows)))
        con.execute("COMMIT")
    except sqlite3.OperationalError:  # busy, a newer snapshot, a read-only file
        pass
    finally:
        con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
