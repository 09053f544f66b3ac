"""The derived index of every case in a data folder.

Every question first brings the index up to date with the case files (a
``stat`` per file; only files whose stamp changed are read again), so hand
edits and other operators' saves are always seen. The TOML files stay the only
truth: a summary is written only while its file still has the stamp it was
read under, and a case that cannot be read is kept as an error row.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from appealdesk.cases.errors import StoreError
from appealdesk.index import db, look
from appealdesk.index.rows import (
    CITED,
    SUMMARY_COLUMNS,
    CaseRows,
    case_rows,
    dt,
    summaries_from_rows,
    summary_from_row,
)
from appealdesk.index.stamps import (
    Stamp,
    file_stamp,
    policy_stamp,
    scan,
    stamps_of,
    stored_stamp,
)

if TYPE_CHECKING:
    from appealdesk.cases.model import Case
    from appealdesk.cases.store import Store
    from appealdesk.cases.workspace import Workspace
    from appealdesk.index.search import Hit
    from appealdesk.index.summary import DueItem, Indexed, Summary
    from appealdesk.policy.loading import PolicySet

_INSERT_CASE = (f"INSERT INTO cases (mtime_ns, size, ino, {SUMMARY_COLUMNS}, list_json) "
                f"VALUES ({','.join('?' * 21)})")
_INSERT_CASE_AT = (f"INSERT INTO cases (rowid, mtime_ns, size, ino, {SUMMARY_COLUMNS}, "
                   f"list_json) VALUES ({','.join('?' * 22)})")
_INSERT_ERROR = "INSERT INTO cases (id, mtime_ns, size, ino, error) VALUES (?,?,?,?,?)"
_INSERT_DUE = "INSERT INTO due_items VALUES (?,?,?,?,?,?,?,?,?)"
# the search columns (summary.SEARCH_COLUMNS), in the order rows.case_rows gives them
_INSERT_TEXT = "INSERT INTO search_pending (rowid, ids, notice, letter, history) VALUES (?,?,?,?,?)"


class IndexBusy(StoreError):
    """Another process held the index longer than SQLite's busy timeout."""


class CaseIndex:
    """``<data>/index.sqlite`` for one store. Safe to share between threads (one lock)."""

    def __init__(
        self, store: Store, policies: Callable[[], PolicySet] | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.store = store
        self._policies = policies
        self._now = now or (lambda: datetime.now(UTC))
        self._con: sqlite3.Connection | None = None
        self.in_memory = False
        self.fts = True
        self._lock = threading.RLock()
        self._synced_at = -1e9  # time.monotonic() of the last full look at the files
        # How old a full look may be when a check asks for the cases it compares with:
        # 0 (the CLI) looks every time; the app, which asks on every pause in typing, less.
        self.peers_max_age = 0.0

    @classmethod
    def for_workspace(cls, ws: Workspace) -> CaseIndex:
        return cls(ws.store, lambda: ws.policies, ws.now)

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    # -- the connection -----------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        if self._con is None:
            self.fts = db.trigram_available()
            self._con, self.in_memory = db.connect(self.store.root, self.fts)
        return self._con

    def _load_policies(self) -> PolicySet:
        if self._policies is not None:
            return self._policies()
        from appealdesk.policy.loading import load_policies

        policies = load_policies(self.store.policies_dir)
        self._policies = lambda: policies
        return policies

    def _meta(self, con: sqlite3.Connection, key: str) -> str | None:
        row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # -- bringing it up to date --------------------------------------------
    def sync(self, max_age: float = 0.0) -> set[str]:
        """Read again every case file whose stamp changed; forget deleted ones.

        ``max_age``: skip the look when the last one is younger (seconds). Returns the
        ids read again or forgotten (a file saved in the last two seconds is read again
        at the next look too: see ``stamps.RACY_NS``)."""
        with self._lock:
            if max_age and time.monotonic() - self._synced_at < max_age:
                return set()
            try:
                changed = self._sync()
            except sqlite3.DatabaseError as exc:
                if not db._is_corrupt(exc):
                    try:  # busy past the timeout (another process rebuilding): once more
                        changed = self._sync()
                    except sqlite3.OperationalError as again:
                        raise IndexBusy(
                            f"{self.store.root / db.INDEX_FILE}: {again}; try again") from None
                else:
                    # corrupt under our feet (or another version wrote it): start again once
                    self.close()
                    db._remove(self.store.root / db.INDEX_FILE)
                    changed = self._sync()
            self._synced_at = time.monotonic()
            return changed

    def _sync(self, only: Iterable[str] | None = None) -> set[str]:
        con = self._connection()
        wanted = (policy_stamp(self.store.policies_dir), str(self.store.root.resolve()))
        rebuild = (self._meta(con, "policies"), self._meta(con, "root")) != wanted
        if rebuild:
            only = None  # everything is read again
        if only is None:
            if not rebuild and look.files_unchanged(con, self.store.cases_dir):
                return set()  # the usual answer: a stat per file, compared as it comes
            on_disk = scan(self.store.cases_dir)
            known = {} if rebuild else {
                i: (m, s, n) for i, m, s, n in con.execute(
                    "SELECT id, mtime_ns, size, ino FROM cases").fetchall()}
            if known == on_disk and not rebuild:
                return set()
        else:
            ids = list(only)
            on_disk = {i: s for i in ids
                       if (s := file_stamp(str(self.store.case_file(i)))) is not None}
            known = {} if rebuild else {
                r[0]: (r[1], r[2], r[3]) for r in con.execute(
                    f"SELECT id, mtime_ns, size, ino FROM cases WHERE id IN "
                    f"({','.join('?' * len(ids))})", ids)}
        changed = [i for i, stamp in on_disk.items() if known.get(i) != stamp]
        gone = [i for i in known if i not in on_disk]
        if not (rebuild or changed or gone):
            return set()
        from appealdesk.index.build import read_all

        self._load_policies()  # before any worker forks: each then starts with them
        read = read_all([(i, on_disk[i]) for i in sorted(changed)], self._read,
                        self.store.root, self._now())
        con.execute("BEGIN IMMEDIATE")
        try:
            look.forget(con)
            if rebuild:
                for table in ("cases", "due_items", "search", "search_pending"):
                    con.execute(f"DELETE FROM {table}")
                con.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                                [("policies", wanted[0]), ("root", wanted[1])])
            # ids from the index or the folder scan: safe names
            now_on_disk = stamps_of(self.store.cases_dir, [*gone, *(r[0] for r in read)])
            for case_id in gone:
                if now_on_disk[case_id] is None:
                    self._delete(con, case_id)
            # written only if the file is still what was read (another process may have
            # saved it since, and may already have indexed the newer version)
            current = [(case_id, stored_stamp(stamp), result) for case_id, stamp, result in read
                       if now_on_disk[case_id] == stamp]
            if rebuild:
                self._put_all(con, current)
            else:
                for case_id, stamp, result in current:
                    self._put(con, case_id, stamp, result)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return set(on_disk if rebuild else changed) | set(gone)

    def refresh(self, case_ids: Iterable[str]) -> None:
        """Bring these cases up to date now (after the app or the CLI wrote them)."""
        with self._lock:
            try:
                self._sync(only=[i for i in case_ids])
            except sqlite3.DatabaseError:
                self.sync()

    def _read(self, case_id: str, stamp: Stamp) -> tuple[str, Stamp, CaseRows | str]:
        from appealdesk.cases.errors import CaseNotFound, StoreError

        try:
            # tidy=False: reading for the index is not opening the case (no folder scans)
            case = self.store.load(case_id, tidy=False)
            return case_id, stamp, case_rows(self.summarize(case))
        except CaseNotFound:
            return case_id, stamp, ""
        except StoreError as exc:
            return case_id, stamp, str(exc)
        except (ValueError, TypeError, AttributeError) as exc:  # e.g. a time without offset
            where = self.store.case_file(case_id)
            return case_id, stamp, f"{where}: invalid value: {exc}"

    def summarize(self, case: Case) -> Indexed:
        from appealdesk.index.summary import summarize

        return summarize(case, self._load_policies(), self._now())

    def _delete(self, con: sqlite3.Connection, case_id: str) -> None:
        row = con.execute("SELECT rowid FROM cases WHERE id = ?", (case_id,)).fetchone()
        if row is None:
            return
        con.execute("DELETE FROM search WHERE rowid = ?", (row[0],))
        con.execute("DELETE FROM search_pending WHERE rowid = ?", (row[0],))
        con.execute("DELETE FROM due_items WHERE case_id = ?", (case_id,))
        con.execute("DELETE FROM cases WHERE rowid = ?", (row[0],))

    def _put(self, con: sqlite3.Connection, case_id: str, stamp: Stamp,
             result: CaseRows | str) -> None:
        """Write one case's rows in place of what the index held for it."""
        self._delete(con, case_id)
        if result == "":
            return  # the folder lost its case.toml while we looked
        if isinstance(result, str):
            con.execute(_INSERT_ERROR, (case_id, *stamp, result))
            return
        values, items, texts = result
        cur = con.execute(_INSERT_CASE, (*stamp, *values))
        con.executemany(_INSERT_DUE, items)
        con.execute(_INSERT_TEXT, (cur.lastrowid, *texts))

    def _put_all(self, con: sqlite3.Connection,
                 results: list[tuple[str, Stamp, CaseRows | str]]) -> None:
        """Write every case into just-emptied tables, each table in one statement (a cold
        build: the case rows get their rowids here, so the texts can name them)."""
        cases, errors, items, texts = [], [], [], []
        for rowid, (case_id, stamp, result) in enumerate(results, 1):
            if isinstance(result, str):
                if result:
                    errors.append((case_id, *stamp, result))
                continue
            values, due, text = result
            cases.append((rowid, *stamp, *values))
            items += due
            texts.append((rowid, *text))
        con.executemany(_INSERT_CASE_AT, cases)
        con.executemany(_INSERT_ERROR, errors)
        con.executemany(_INSERT_DUE, items)
        con.executemany(_INSERT_TEXT, texts)

    # -- questions ------------------------------------------------------------
    def summaries(self, *, sync: bool = True) -> list[Summary]:
        """Every readable case, by id."""
        with self._lock:
            if sync:
                self.sync()
            rows = self._connection().execute(
                f"SELECT {SUMMARY_COLUMNS} FROM cases WHERE error IS NULL ORDER BY id")
            return summaries_from_rows(rows)

    def list_rows(self) -> list[tuple]:
        """``appealdesk list``'s columns straight from the table, for speed: (id,
        marketplace, store, site, type, notification id, received ISO, status, number of
        cited orders, evidence, due ISO, due kind, type name en, type name zh)."""
        with self._lock:
            self.sync()
            return self._connection().execute(
                "SELECT id, marketplace, store, site, type, notification_id, received, status, "
                + CITED + ", evidence, due, due_kind, "
                "type_name_en, type_name_zh "
                "FROM cases WHERE error IS NULL ORDER BY id").fetchall()

    def list_json(self, hide: Iterable[str] = ()) -> list[tuple[bytes, str | None]]:
        """``appealdesk list --json``'s rows as the index holds them: (the case's JSON
        object without its closing brace, written with the row by ``rows.list_json``, as
        UTF-8 bytes; its due ISO text), by id. Cases whose status is in ``hide`` are left
        out."""
        hidden = sorted(hide)
        with self._lock:
            self.sync()
            return self._connection().execute(
                "SELECT CAST(list_json AS BLOB), due FROM cases WHERE error IS NULL "
                "AND status NOT IN "
                f"({','.join('?' * len(hidden))}) ORDER BY id", hidden).fetchall()

    def summary(self, case_id: str) -> Summary | None:
        """One case's summary as the index holds it (no look at the files)."""
        with self._lock:
            row = self._connection().execute(
                f"SELECT {SUMMARY_COLUMNS} FROM cases WHERE id = ? AND error IS NULL",
                (case_id,)).fetchone()
            return summary_from_row(row) if row else None

    def errors(self, *, sync: bool = False) -> list[str]:
        """One line per case file that could not be read."""
        with self._lock:
            if sync:
                self.sync()
            return [r[0] for r in self._connection().execute(
                "SELECT error FROM cases WHERE error IS NOT NULL ORDER BY id")]

    def due_items(self, *, sync: bool = True) -> list[DueItem]:
        with self._lock:
            if sync:
                self.sync()
            rows = self._connection().execute(
                "SELECT d.case_id, d.kind, d.item, d.due, d.target, d.source, d.action_en, "
                "d.action_zh, d.title FROM due_items d JOIN cases c ON c.id = d.case_id "
                "WHERE c.error IS NULL")
            from appealdesk.index.summary import DueItem

            return [DueItem(r[0], r[1], r[2], datetime.fromisoformat(r[3]), dt(r[4]), r[5],
                            r[6], r[7], r[8]) for r in rows]

    def rejected_like(self, case: Case) -> list[str]:
        """Ids of the other cases of ``case``'s marketplace, store and notification type
        that had a rejected submission: the letters ``repeated_appeal`` compares with."""
        with self._lock:
            self.sync(self.peers_max_age)
            rows = self._connection().execute(
                "SELECT id FROM cases WHERE marketplace = ? AND store = ? AND type = ? "
                "AND id != ? AND rejected > 0 AND error IS NULL ORDER BY id",
                (case.marketplace, case.store, case.notification.type, case.id))
            return [r[0] for r in rows]

    def load_rejected_like(self, case: Case) -> list[Case]:
        from appealdesk.cases.errors import StoreError

        out = []
        for case_id in self.rejected_like(case):
            try:
                out.append(self.store.load(case_id))
            except StoreError:
                continue  # changed or broken since: it only sharpens a check
        return out

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        from appealdesk.index.search import run_search

        with self._lock:
            self.sync()
            self._flush_search()
            return run_search(self._connection(), query, limit, self.fts)

    def prepare_search(self, batch: int = 500) -> None:
        """Index for search the text of cases read since the last search, a batch at a
        time (the app calls this from a worker once the inbox shows, so the first search
        answers at once, and nothing waits long for the index meanwhile)."""
        while True:
            with self._lock:
                if not self._flush_search(batch):
                    return

    def _flush_search(self, batch: int | None = None) -> bool:
        """Move waiting texts into the search table; whether any were moved."""
        con = self._connection()
        if con.execute("SELECT 1 FROM search_pending LIMIT 1").fetchone() is None:
            return False
        from appealdesk.index.summary import SEARCH_COLUMNS

        columns = ", ".join(SEARCH_COLUMNS)
        some = f" ORDER BY rowid LIMIT {int(batch)}" if batch else ""
        con.execute("BEGIN IMMEDIATE")
        try:
            con.execute(f"INSERT OR REPLACE INTO search (rowid, {columns}) "
                        f"SELECT rowid, {columns} FROM search_pending{some}")
            con.execute(f"DELETE FROM search_pending WHERE rowid IN "
                        f"(SELECT rowid FROM search_pending{some})")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return True
