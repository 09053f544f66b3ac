"""The data folder: the only module that reads or writes it.

Layout (see DESIGN.md)::

    <root>/config.toml
    <root>/policies/*.toml
    <root>/cases/<case-id>/case.toml
    <root>/cases/<case-id>/{reports,evidence,out}/

Every write is atomic (temp file in the same folder, fsync, rename). A case is
saved under an exclusive lock (``case.toml.lock``); a second writer is refused
with the name of whoever holds it. A save also refuses to overwrite a file that
changed on disk since the case was loaded, so two operators never overwrite
each other silently.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from appealdesk.cases import disk
from appealdesk.cases.disk import atomic_write, dumps_toml, make_dir
from appealdesk.cases.errors import (
    CaseChanged,
    CaseExists,
    CaseFileError,
    CaseLocked,
    CaseNotFound,
    StoreError,
    UnsafeName,
    parse_toml,
)

# tomlkit (writing), filelock (saving), hashlib, socket, getpass and the case model are
# imported where they are used: the app paints its first screen before it needs any of them.
if TYPE_CHECKING:
    from appealdesk.cases.model import Case

CASE_FILE = "case.toml"
CASE_SUBDIRS = ("reports", "evidence", "out")
LOCK_TIMEOUT = 2.0  # seconds to wait for another writer before refusing
CLAIM_TIMEOUT = 30.0  # seconds to wait for another intake of the same notification


@dataclass
class LoadedCases:
    cases: list[Case]
    errors: list[CaseFileError]


def operator_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "operator"


def _safe_file_name(name: str) -> str:
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        raise UnsafeName(f"unsafe file name: {name!r}")
    if name.startswith("."):
        raise UnsafeName(f"hidden file names are not allowed: {name!r}")
    return name


def _recorded(case: Case) -> dict[str, set[str]]:
    """The files of evidence/ and reports/ a case lists (anything else there is a leftover)."""
    return {"evidence": {e.name for e in case.evidence}, "reports": {r.name for r in case.reports}}


class Store:
    def __init__(self, root: Path):
        self.root = Path(root)

    # -- paths -----------------------------------------------------------
    @property
    def cases_dir(self) -> Path:
        return self.root / "cases"

    @property
    def policies_dir(self) -> Path:
        return self.root / "policies"

    @property
    def config_path(self) -> Path:
        return self.root / "config.toml"

    def case_dir(self, case_id: str) -> Path:
        from appealdesk.cases.model import is_safe_case_id

        if not is_safe_case_id(case_id):
            raise UnsafeName(f"not a valid case id: {case_id!r}")
        return self.cases_dir / case_id

    def case_file(self, case_id: str) -> Path:
        return self.case_dir(case_id) / CASE_FILE

    def file_path(self, case_id: str, subdir: str, name: str) -> Path:
        if subdir not in CASE_SUBDIRS:
            raise UnsafeName(f"unknown case folder: {subdir!r}")
        return self.case_dir(case_id) / subdir / _safe_file_name(name)

    def ensure(self) -> None:
        for folder in (self.root, self.cases_dir, self.policies_dir):
            make_dir(folder)

    # -- reading ---------------------------------------------------------
    def exists(self, case_id: str) -> bool:
        return self.case_file(case_id).is_file()

    def case_ids(self) -> list[str]:
        from appealdesk.cases.model import is_safe_case_id

        if not self.cases_dir.is_dir():
            return []
        return sorted(
            p.name for p in self.cases_dir.iterdir() if is_safe_case_id(p.name) and p.is_dir()
        )

    def load(self, case_id: str, *, tidy: bool = True) -> Case:
        path = self.case_file(case_id)
        try:
            raw_bytes = path.read_bytes()
        except FileNotFoundError:
            raise CaseNotFound(f"no case {case_id!r} in {self.cases_dir}") from None
        except OSError as exc:
            raise CaseFileError(path, f"cannot read ({exc.strerror})") from None
        try:
            case = self._parse(path, raw_bytes)
        except RecursionError:  # arrays nested a thousand deep
            raise CaseFileError(path, "nested too deeply") from None
        if case.id != case_id:
            raise CaseFileError(path, f"id is {case.id!r} but the folder is {case_id!r}")
        if tidy:  # opening a case clears what a killed write left in its folder
            self.tidy(case_id, case, raw_bytes)
        return case

    @staticmethod
    def _parse(path: Path, raw_bytes: bytes) -> Case:
        import hashlib

        from appealdesk.cases.model import Case, is_safe_case_id

        try:
            text = raw_bytes.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CaseFileError(path, f"not UTF-8 text (byte {exc.start})") from None
        data = parse_toml(path, text)
        if disk.may_refer_to_texts(text):
            try:
                data = disk.load_texts(data, path.parent)  # long texts live in texts/ beside it
            except disk.TextFileError as exc:
                raise CaseFileError(path, str(exc)) from None
        try:
            # refuses too, naming the key: a date outside the sane years (a year 9999
            # would overflow every deadline computed from it), values nested too deep
            case = Case.from_dict(data)
        except ValueError as exc:  # validate.DataError: "key.path: what is wrong"
            raise CaseFileError(path, str(exc)) from None
        if not is_safe_case_id(case.id):
            raise CaseFileError(path, f"unsafe case id {case.id!r}")
        case._loaded_digest = hashlib.sha256(raw_bytes).hexdigest()  # type: ignore[attr-defined]
        return case

    def load_all(self) -> LoadedCases:
        """Every readable case; broken files are reported, never fatal."""
        cases, errors = [], []
        for case_id in self.case_ids():
            try:
                cases.append(self.load(case_id, tidy=False))
            except CaseNotFound:
                continue  # a folder without case.toml (e.g. mid-copy)
            except CaseFileError as exc:
                errors.append(exc)
        return LoadedCases(cases, errors)

    # -- writing ---------------------------------------------------------
    def _case_lock(self, case_id: str, timeout: float):
        from filelock import FileLock

        folder = self.case_dir(case_id)
        return FileLock(str(folder / f"{CASE_FILE}.lock"), timeout=timeout,
                        mode=disk.file_mode(folder))

    @contextmanager
    def _locked(self, case_id: str, operator: str) -> Iterator[None]:
        import socket

        from filelock import Timeout

        folder = self.case_dir(case_id)
        self.ensure()
        make_dir(folder)
        holder_path = folder / ".lock-holder"
        lock = self._case_lock(case_id, LOCK_TIMEOUT)
        try:
            lock.acquire()
        except Timeout:
            try:
                holder = holder_path.read_text("utf-8").strip() or "another process"
            except OSError:
                holder = "another process"
            raise CaseLocked(f"case {case_id} is being saved by {holder}; try again") from None
        try:
            try:  # a crash may have left another member's holder file: replace, not rewrite
                holder_path.unlink(missing_ok=True)
                fd = disk.open_shared(holder_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(f"{operator}@{socket.gethostname()} (pid {os.getpid()})")
            except OSError:
                pass  # the name of the holder is a courtesy, never a reason to fail a save
            yield
        finally:
            holder_path.unlink(missing_ok=True)
            lock.release()

    def _write(self, case: Case) -> None:
        import hashlib

        from appealdesk.cases.model import Case

        path = self.case_file(case.id)
        raw = case.to_dict()
        try:  # never write a file that would not load again (e.g. a naive date-time)
            Case.from_dict(raw)
        except ValueError as exc:
            raise StoreError(f"case {case.id} not saved: {exc}") from None
        try:
            before = disk.text_refs(path.read_bytes())
        except OSError:
            before = set()
        stored, refs = disk.store_texts(raw, path.parent)
        data = dumps_toml(stored).encode("utf-8")
        atomic_write(path, data)
        case._loaded_digest = hashlib.sha256(data).hexdigest()  # type: ignore[attr-defined]
        # texts neither this nor the previous file refers to; the previous one's stay so
        # that a reader who has just read that file still finds them
        disk.drop_texts(path.parent, refs | before)

    def create(self, case: Case, operator: str) -> Case:
        """Write a new case; refuse when the id is taken."""
        self.ensure()
        with self._locked(case.id, operator):
            if self.case_file(case.id).exists():
                raise CaseExists(f"case {case.id} already exists")
            for sub in CASE_SUBDIRS:
                make_dir(self.case_dir(case.id) / sub)
            self._write(case)
        return case

    def save(self, case: Case, operator: str) -> None:
        """Save a loaded case; refuse if someone else changed it since it was loaded."""
        with self._locked(case.id, operator):
            path = self.case_file(case.id)
            expected = getattr(case, "_loaded_digest", None)
            if path.exists() and expected is not None:
                import hashlib

                current = hashlib.sha256(path.read_bytes()).hexdigest()
                if current != expected:
                    raise CaseChanged(
                        f"case {case.id} was changed by someone else since it was opened; "
                        "reload it and try again"
                    )
            self._write(case)

    @contextmanager
    def editing(self, case_id: str, operator: str) -> Iterator[Case]:
        """Load, let the caller change, save — all under the lock."""
        with self._locked(case_id, operator):
            case = self.load(case_id, tidy=False)
            yield case
            self._write(case)

    @contextmanager
    def claim(self, key: str, timeout: float = CLAIM_TIMEOUT) -> Iterator[None]:
        """Hold the folder-wide claim on ``key`` (e.g. a notification's marketplace and id).

        Whoever checks "is this already a case?" and then creates it does both inside
        ``claim``, so two operators pasting the same notice at once make one case.
        Keys share 256 lock files (``<root>/cases/.claims/XX.lock``) by hash; they live in
        ``cases/`` so a team folder set up as the README says shares them too.
        """
        import hashlib

        from filelock import FileLock, Timeout

        self.ensure()
        folder = self.cases_dir / ".claims"
        make_dir(folder)
        bucket = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:2]
        lock = FileLock(str(folder / f"{bucket}.lock"), timeout=timeout,
                        mode=disk.file_mode(folder))
        try:
            lock.acquire()
        except Timeout:
            raise CaseLocked("another operator is taking in this notification right now; "
                             "try again") from None
        try:
            yield
        finally:
            lock.release()

    # -- leftovers of a killed write ----------------------------------------
    def tidy(self, case_id: str, case: Case | None = None, raw: bytes | None = None) -> list[Path]:
        """Remove what a killed write left (``disk.leftovers``); returns what was removed.

        Only while nobody holds the case's lock, and only what the case file, read again
        under it, does not list. Never fails. ``load`` calls it with what it just read.
        """
        folder = self.case_dir(case_id)
        recorded = refs = None
        if case is not None and raw is not None:
            recorded = _recorded(case)
            refs = disk.text_refs(raw)
        if not disk.leftovers(folder, recorded, refs, CASE_SUBDIRS):
            return []
        from filelock import Timeout

        lock = self._case_lock(case_id, 0)
        try:
            lock.acquire()
        except (Timeout, OSError):
            return []
        try:
            return self._tidy_locked(case_id)
        finally:
            lock.release()

    def _tidy_locked(self, case_id: str) -> list[Path]:
        folder = self.case_dir(case_id)
        path = folder / CASE_FILE
        recorded: dict[str, set[str]] | None = None
        refs: set[str] | None = None
        try:
            raw = path.read_bytes()
            case = self._parse(path, raw)
        except (OSError, StoreError, RecursionError):
            pass  # unreadable case file: only temp files are surely leftovers
        else:
            recorded = _recorded(case)
            refs = disk.text_refs(raw)
        found = disk.leftovers(folder, recorded, refs, CASE_SUBDIRS)
        return disk.remove(found)

    # -- files inside a case ----------------------------------------------
    def write_file(self, case_id: str, subdir: str, name: str, data: bytes) -> Path:
        path = self.file_path(case_id, subdir, name)
        atomic_write(path, data)
        return path

    def copy_in(self, case_id: str, subdir: str, source: Path, name: str | None = None) -> Path:
        """Copy a user's file into the case; the original is never moved or changed."""
        target = self.file_path(case_id, subdir, name or source.name)

        def copy(dst: BinaryIO) -> None:
            with open(source, "rb") as src:
                shutil.copyfileobj(src, dst, 1024 * 1024)

        disk.replace_with(target, copy)
        return target

    def remove_file(self, case_id: str, subdir: str, name: str) -> None:
        self.file_path(case_id, subdir, name).unlink(missing_ok=True)

    def list_files(self, case_id: str, subdir: str) -> list[Path]:
        folder = self.case_dir(case_id) / subdir
        if subdir not in CASE_SUBDIRS or not folder.is_dir():
            return []
        # a symlink planted in a case folder is not one of its files (it is never followed)
        return sorted(p for p in folder.iterdir()
                      if not p.is_symlink() and p.is_file() and not p.name.startswith("."))

    # -- config ----------------------------------------------------------
    def read_config(self) -> dict[str, Any]:
        """The team's config.toml as parsed TOML, validated (see ``cases.config``).

        {} when absent; ``cases.config.ConfigError`` naming the file and line or key
        when it is broken.
        """
        from appealdesk.cases.config import TeamConfig, read_checked

        return read_checked(self.config_path, TeamConfig)[0]

    def update_config(self, **changes: Any) -> None:
        """Change keys of the team's config.toml, keeping the user's comments and layout."""
        from appealdesk.cases.config import update_config

        self.ensure()
        update_config(self.config_path, **changes)
