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
import re
import shutil
import stat
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

# tomlkit (writing), filelock (saving), hashlib, socket, getpass and the case model are
# imported where they are used: the app paints its first screen before it needs any of them.
if TYPE_CHECKING:
    from appealdesk.cases.model import Case

CASE_FILE = "case.toml"
CASE_SUBDIRS = ("reports", "evidence", "out")
LOCK_TIMEOUT = 2.0  # seconds to wait for another writer before refusing


class StoreError(Exception):
    """Anything the store refuses; the message is one line for the user."""


class CaseNotFound(StoreError):
    pass


class CaseExists(StoreError):
    pass


class CaseLocked(StoreError):
    pass


class CaseChanged(StoreError):
    """The file changed on disk since it was loaded."""


class UnsafeName(StoreError):
    pass


class DataFileError(StoreError):
    """A data file (case, config) that cannot be used: ``file[:line]: message``."""

    def __init__(self, path: Path, message: str, line: int | None = None):
        self.path = path
        self.line = line
        self.reason = message
        where = f"{path}:{line}" if line else str(path)
        # One line, whatever a hand-edited key or value holds.
        super().__init__(" ".join(f"{where}: {message}".split()))


class CaseFileError(DataFileError):
    """A case file that cannot be read, with the file and line or key when known."""


def parse_toml(path: Path, text: str, error: type[DataFileError] = CaseFileError) -> dict[str, Any]:
    """Parse one TOML file; raise ``error`` naming the file and line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        if line is None:  # Python < 3.14 only puts "(at line N, column M)" in the text
            found = re.search(r"at line (\d+)", str(exc))
            line = int(found.group(1)) if found else None
        message = getattr(exc, "msg", None) or re.sub(r"\s*\(at line \d+.*\)$", "", str(exc))
        if line is None and "end of document" in str(exc):  # e.g. an unclosed [ at the end
            line = max(1, len(text.rstrip().splitlines()))
            message = re.sub(r"\s*\(at end of document\)$", "", message) + " at the end"
        raise error(path, f"not valid TOML: {message}", line) from None
    except RecursionError:
        raise error(path, "not valid TOML: values nested too deeply") from None


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


def _group_shared(folder: Path) -> bool:
    """A team folder shares with its group when the folder is setgid."""
    try:
        return bool(folder.stat().st_mode & stat.S_ISGID)
    except OSError:
        return False


def _mode_for(folder: Path) -> int:
    return 0o660 if _group_shared(folder) else 0o600


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode_for(path.parent))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


def _readable(value: Any) -> Any:
    """Multi-line strings (notification text, letters) as TOML multi-line strings."""
    if isinstance(value, dict):
        return {k: _readable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_readable(v) for v in value]
    if isinstance(value, str) and "\n" in value:
        import tomlkit

        return tomlkit.string(value, multiline=True)
    return value


def dumps_toml(data: dict[str, Any]) -> str:
    import tomlkit

    return tomlkit.dumps(_readable(data))


def _dir_mode(parent: Path) -> int:
    return 0o2770 if _group_shared(parent) else 0o700


def _safe_file_name(name: str) -> str:
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        raise UnsafeName(f"unsafe file name: {name!r}")
    if name.startswith("."):
        raise UnsafeName(f"hidden file names are not allowed: {name!r}")
    return name


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
            folder.mkdir(parents=True, exist_ok=True, mode=_dir_mode(folder.parent))

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

    def load(self, case_id: str) -> Case:
        path = self.case_file(case_id)
        try:
            raw_bytes = path.read_bytes()
        except FileNotFoundError:
            raise CaseNotFound(f"no case {case_id!r} in {self.cases_dir}") from None
        except OSError as exc:
            raise CaseFileError(path, f"cannot read ({exc.strerror})") from None
        case = self._parse(path, raw_bytes)
        if case.id != case_id:
            raise CaseFileError(path, f"id is {case.id!r} but the folder is {case_id!r}")
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
        try:
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
                cases.append(self.load(case_id))
            except CaseNotFound:
                continue  # a folder without case.toml (e.g. mid-copy)
            except CaseFileError as exc:
                errors.append(exc)
        return LoadedCases(cases, errors)

    # -- writing ---------------------------------------------------------
    @contextmanager
    def _locked(self, case_id: str, operator: str) -> Iterator[None]:
        import socket

        from filelock import FileLock, Timeout

        folder = self.case_dir(case_id)
        self.ensure()
        folder.mkdir(exist_ok=True, mode=_dir_mode(self.cases_dir))
        lock_path = folder / f"{CASE_FILE}.lock"
        holder_path = folder / ".lock-holder"
        lock = FileLock(str(lock_path), timeout=LOCK_TIMEOUT, mode=_mode_for(folder))
        try:
            lock.acquire()
        except Timeout:
            try:
                holder = holder_path.read_text("utf-8").strip() or "another process"
            except OSError:
                holder = "another process"
            raise CaseLocked(f"case {case_id} is being saved by {holder}; try again") from None
        try:
            holder_path.write_text(f"{operator}@{socket.gethostname()} (pid {os.getpid()})")
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
        data = dumps_toml(raw).encode("utf-8")
        atomic_write(path, data)
        case._loaded_digest = hashlib.sha256(data).hexdigest()  # type: ignore[attr-defined]

    def create(self, case: Case, operator: str) -> Case:
        """Write a new case; refuse when the id is taken."""
        self.ensure()
        with self._locked(case.id, operator):
            if self.case_file(case.id).exists():
                raise CaseExists(f"case {case.id} already exists")
            for sub in CASE_SUBDIRS:
                (self.case_dir(case.id) / sub).mkdir(exist_ok=True, mode=_dir_mode(self.cases_dir))
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
            case = self.load(case_id)
            yield case
            self._write(case)

    # -- files inside a case ----------------------------------------------
    def write_file(self, case_id: str, subdir: str, name: str, data: bytes) -> Path:
        path = self.file_path(case_id, subdir, name)
        atomic_write(path, data)
        return path

    def copy_in(self, case_id: str, subdir: str, source: Path, name: str | None = None) -> Path:
        """Copy a user's file into the case; the original is never moved or changed."""
        target = self.file_path(case_id, subdir, name or source.name)
        target.parent.mkdir(parents=True, exist_ok=True, mode=_dir_mode(self.cases_dir))
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        try:
            shutil.copyfile(source, tmp)
            os.chmod(tmp, _mode_for(target.parent))
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target

    def remove_file(self, case_id: str, subdir: str, name: str) -> None:
        self.file_path(case_id, subdir, name).unlink(missing_ok=True)

    def list_files(self, case_id: str, subdir: str) -> list[Path]:
        folder = self.case_dir(case_id) / subdir
        if subdir not in CASE_SUBDIRS or not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))

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
