"""The index file: ``<data>/index.sqlite``, SQLite from the standard library.

Derived data only. A file that is not a usable index (corrupt, from another
version) is deleted and built again; a data folder where it cannot be written
(read-only) gets an index in memory, built for this process alone.
Concurrent processes share it through SQLite's own locking (WAL journal, a
busy timeout), which is why nothing here keeps a lock of its own.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

INDEX_FILE = "index.sqlite"
# Bump when the tables or what goes into a summary change: older files are rebuilt.
INDEX_VERSION = "3"
BUSY_TIMEOUT_MS = 10_000

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cases (
    id TEXT PRIMARY KEY,
    mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL, ino INTEGER NOT NULL,
    error TEXT,
    marketplace TEXT NOT NULL DEFAULT '', store TEXT NOT NULL DEFAULT '',
    site TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'new',
    type TEXT NOT NULL DEFAULT '', type_name_en TEXT NOT NULL DEFAULT '',
    type_name_zh TEXT NOT NULL DEFAULT '', notification_id TEXT,
    received TEXT, created TEXT, cited_orders TEXT NOT NULL DEFAULT '',
    quoted_metrics TEXT NOT NULL DEFAULT '', evidence INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0, due TEXT, due_kind TEXT NOT NULL DEFAULT '',
    list_json TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS cases_peer ON cases (marketplace, store, type);
-- the stamps alone (a twentieth of the table): the look at every question reads this
CREATE INDEX IF NOT EXISTS cases_stamp ON cases (id, mtime_ns, size, ino);
CREATE TABLE IF NOT EXISTS due_items (
    case_id TEXT NOT NULL, kind TEXT NOT NULL, item TEXT NOT NULL, due TEXT NOT NULL,
    target TEXT, source TEXT NOT NULL, action_en TEXT NOT NULL, action_zh TEXT NOT NULL,
    title TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS due_items_case ON due_items (case_id);
CREATE TABLE IF NOT EXISTS search_pending (
    rowid INTEGER PRIMARY KEY, ids TEXT, notice TEXT, letter TEXT, history TEXT
);
"""
# A case's text waits in search_pending until a search needs it (or the app has a
# quiet moment): trigram indexing is most of a cold build's writing, and ``list``
# never searches. ``flush_search`` moves the waiting rows into ``search``.

# One row per case, rowid = the case row's rowid. The trigram tokenizer (SQLite
# 3.34+) matches any 3 characters anywhere: order ids, listing ids, Chinese text.
_FTS = ("CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5("
        "ids, notice, letter, history, tokenize='trigram')")
# Without FTS5 or the trigram tokenizer: the same columns in a plain table, searched by LIKE.
_PLAIN = ("CREATE TABLE IF NOT EXISTS search ("
          "rowid INTEGER PRIMARY KEY, ids TEXT, notice TEXT, letter TEXT, history TEXT)")


def trigram_available() -> bool:
    """Whether this SQLite has FTS5 with the trigram tokenizer."""
    try:
        con = sqlite3.connect(":memory:")
        try:
            con.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return True


def version_tag(fts: bool) -> str:
    return f"{INDEX_VERSION}-{'fts' if fts else 'plain'}"


def _group_shared(folder: Path) -> bool:
    try:
        return bool(folder.stat().st_mode & stat.S_ISGID)
    except OSError:
        return False


def _configure(con: sqlite3.Connection, fts: bool) -> None:
    con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    con.execute("PRAGMA synchronous = NORMAL")  # derived data: a lost tail is rebuilt
    con.executescript(_TABLES)
    con.execute(_FTS if fts else _PLAIN)
    con.commit()


def _open_file(path: Path, fts: bool) -> sqlite3.Connection:
    new = not path.exists()
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                          check_same_thread=False)
    try:
        if new:  # holds the cases' text: as private as the case files (SQLite uses umask)
            os.chmod(path, 0o660 if _group_shared(path.parent) else 0o600)
        mode = con.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            con.execute("PRAGMA journal_mode = WAL")
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()  # not a database: raises
        _configure(con, fts)
        version = con.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if version is None:
            con.execute("INSERT OR IGNORE INTO meta VALUES ('version', ?)", (version_tag(fts),))
        elif version[0] != version_tag(fts):
            raise sqlite3.DatabaseError("index from another version")
    except BaseException:
        con.close()
        raise
    return con


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def connect(root: Path, fts: bool) -> tuple[sqlite3.Connection, bool]:
    """(connection, in_memory). A broken index file is removed and built again."""
    path = Path(root) / INDEX_FILE
    if Path(root).is_dir():
        for attempt in range(2):
            try:
                return _open_file(path, fts), False
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError) and not _is_corrupt(exc):
                    break  # read-only folder, locked for too long, ...: use memory
                if attempt == 0:
                    try:
                        _remove(path)
                    except OSError:
                        break
            except OSError:
                break
    con = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    _configure(con, fts)
    con.execute("INSERT INTO meta VALUES ('version', ?)", (version_tag(fts),))
    return con, True


def _is_corrupt(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return any(w in text for w in ("malformed", "not a database", "another version", "corrupt",
                                   "no such column", "has no column"))
