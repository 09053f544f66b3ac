"""How the store puts bytes on disk: permissions, atomic files, long texts, leftovers.

Used by ``cases.store`` (and by ``cases.config`` for atomic writes); nothing here knows
what a case is.

* Permissions: a folder whose parent is setgid is a team folder. Everything made
  in it gets the group (the kernel copies it from a setgid parent) and the
  group-write bit: folders 2770, files 660 — whatever the umask, because every
  mode is set with ``chmod`` after creation (``mkdir``'s own mode is masked).
  Elsewhere folders are 700 and files 600.
* Atomic files: temp file in the same folder, fsync, rename, fsync the folder.
  Temp files are named ``.<name>.<random>.tmp`` so a killed write is recognisable.
* Long texts (a pasted 1 MB notice, a letter and its versions) are not escaped
  into ``case.toml``: each distinct text is written once to
  ``texts/<sha256>.txt`` beside it and ``case.toml`` holds
  ``text = { stored_in = "texts/<sha256>.txt" }``. A text that occurs twice in a
  case (the draft and the version it was saved as) is one file.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

TEMP_SUFFIX = ".tmp"
TEXTS_DIR = "texts"
STORED_KEY = "stored_in"
INLINE_LIMIT = 4096  # characters: a longer text goes to texts/
SHARED_MIN = 256  # characters: a text this long that occurs twice is stored once
LEFTOVER_GRACE = 60.0  # seconds: a file this old that nobody recorded is a leftover
_REF = re.compile(r"texts/([0-9a-f]{64})\.txt")
_REF_BYTES = re.compile(rb"texts/([0-9a-f]{64})\.txt")


class TextFileError(ValueError):
    """A text referenced by ``case.toml`` that cannot be read; the message is one line."""


# -- permissions ------------------------------------------------------------
def group_shared(folder: Path) -> bool:
    """A team folder shares with its group when the folder is setgid."""
    try:
        return bool(folder.stat().st_mode & stat.S_ISGID)
    except OSError:
        return False


def file_mode(folder: Path) -> int:
    return 0o660 if group_shared(folder) else 0o600


def dir_mode(parent: Path) -> int:
    return 0o2770 if group_shared(parent) else 0o700


def make_dir(path: Path) -> None:
    """Create ``path`` and missing parents, each with the mode its parent calls for."""
    missing = []
    folder = Path(path)
    while not folder.is_dir():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for folder in reversed(missing):
        mode = dir_mode(folder.parent)
        try:
            folder.mkdir(mode=mode)
        except FileExistsError:
            continue  # made by someone else a moment ago: theirs to set
        try:
            os.chmod(folder, mode)  # mkdir's mode went through the umask
        except OSError:
            pass


def open_shared(path: Path, flags: int) -> int:
    """``os.open`` with the folder's file mode applied whatever the umask."""
    mode = file_mode(path.parent)
    fd = os.open(path, flags | os.O_CLOEXEC, mode)
    try:
        os.fchmod(fd, mode)
    except OSError:
        pass  # someone else's file (a shared lock): its mode is theirs
    return fd


# -- atomic files -------------------------------------------------------------
def _fsync_dir(folder: Path) -> None:
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


def temp_for(path: Path) -> tuple[int, str]:
    """An open temp file beside ``path`` (``.<name>.<random>.tmp``) with the folder's mode."""
    make_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        os.fchmod(fd, file_mode(path.parent))
    except OSError:
        pass
    return fd, tmp


def replace_with(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """A new ``path`` written by ``write(handle)`` into a temp file beside it, fsynced and
    renamed over it: readers see the old file or the new one, never half; on a failure
    the temp file goes and the old file stays."""
    fd, tmp = temp_for(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old or the new file, never half."""
    replace_with(path, lambda handle: handle.write(data))
    _fsync_dir(path.parent)  # make the rename itself durable


# -- long texts ---------------------------------------------------------------
def _long_strings(value: Any, counts: Counter) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _long_strings(item, counts)
    elif isinstance(value, list):
        for item in value:
            _long_strings(item, counts)
    elif isinstance(value, str) and len(value) >= SHARED_MIN:
        counts[value] += 1


def store_texts(data: dict[str, Any], folder: Path) -> tuple[dict[str, Any], set[str]]:
    """``data`` with long texts replaced by references; writes each distinct text once.

    Returns the new dict and the names (``<sha256>.txt``) it refers to.
    """
    counts: Counter = Counter()
    _long_strings(data, counts)
    stored: dict[str, str] = {}  # text -> reference

    def ref(text: str) -> str:
        found = stored.get(text)
        if found is None:
            raw = text.encode("utf-8", "surrogatepass")
            import hashlib  # here: loading OpenSSL is not needed to open a data folder

            digest = hashlib.sha256(raw).hexdigest()
            target = folder / TEXTS_DIR / f"{digest}.txt"
            try:
                same = target.stat().st_size == len(raw)
            except OSError:
                same = False
            if not same:  # content-addressed: an unchanged text is not written again
                atomic_write(target, raw)
            found = stored[text] = f"{TEXTS_DIR}/{digest}.txt"
        return found

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, str) and (len(value) > INLINE_LIMIT or counts.get(value, 0) > 1):
            return {STORED_KEY: ref(value)}
        return value

    result = walk(data)
    return result, {r.rsplit("/", 1)[1] for r in stored.values()}


def may_refer_to_texts(text: str) -> bool:
    """Whether a case.toml's text can hold a ``{stored_in = ...}`` table: without the key
    written out (or an escape that could spell it in a quoted key) it cannot, and
    ``load_texts`` would only copy the parsed data."""
    # "\\" first: one memchr, where the two-character searches scan slowly
    return STORED_KEY in text or ("\\" in text and ("\\u" in text or "\\U" in text))


def load_texts(data: Any, folder: Path) -> Any:
    """``data`` (parsed case.toml) with every ``{stored_in = "texts/..."}`` read back."""
    cache: dict[str, str] = {}

    def read(name: str) -> str:
        if name not in cache:
            if not _REF.fullmatch(name):
                raise TextFileError(f"{STORED_KEY} = {name!r} is not a texts/<sha256>.txt name")
            try:
                fd = os.open(folder / name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
                with os.fdopen(fd, "rb") as handle:
                    cache[name] = handle.read().decode("utf-8", "surrogatepass")
            except FileNotFoundError:
                raise TextFileError(f"{name} is missing") from None
            except OSError as exc:
                raise TextFileError(f"cannot read {name} ({exc.strerror})") from None
            except UnicodeDecodeError as exc:
                raise TextFileError(f"{name} is not UTF-8 text (byte {exc.start})") from None
        return cache[name]

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            if set(value) == {STORED_KEY} and isinstance(value[STORED_KEY], str):
                return read(value[STORED_KEY])
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return walk(data)


def text_refs(raw: bytes) -> set[str]:
    """The texts/ file names a case.toml (as bytes) refers to."""
    return {m.group(1).decode() + ".txt" for m in _REF_BYTES.finditer(raw)}


def drop_texts(folder: Path, keep: set[str]) -> None:
    """Remove texts/ files not in ``keep`` (called under the case lock)."""
    texts = folder / TEXTS_DIR
    try:
        entries = list(os.scandir(texts))
    except OSError:
        return
    for entry in entries:
        if entry.name.endswith(".txt") and entry.name not in keep:
            try:
                os.unlink(entry.path)
            except OSError:
                pass


def _readable(value: Any) -> Any:
    """Multi-line strings (notification text, letters) as TOML multi-line strings."""
    if isinstance(value, dict):
        if set(value) == {STORED_KEY}:  # a long text kept in texts/: one readable line
            import tomlkit

            table = tomlkit.inline_table()
            table.update(value)
            return table
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


# -- leftovers of a killed write ----------------------------------------------
def is_temp(name: str) -> bool:
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def _old(entry: os.DirEntry, now: float) -> bool:
    try:
        return entry.stat(follow_symlinks=False).st_mtime < now - LEFTOVER_GRACE
    except OSError:
        return False


def leftovers(
    folder: Path, recorded: dict[str, set[str]] | None, refs: set[str] | None,
    subdirs: tuple[str, ...],
) -> list[Path]:
    """What a killed write left in a case folder.

    * temp files of ``case.toml`` and of texts/ (those are written under the case
      lock, so when the caller holds it every one is a leftover);
    * temp files in ``subdirs`` older than ``LEFTOVER_GRACE`` (a live copy keeps
      its temp file's time fresh);
    * with ``recorded`` (subdir -> names the case lists): files in those subdirs
      the case does not list, older than ``LEFTOVER_GRACE`` (a copy made just
      before its case is saved is not a leftover yet);
    * with ``refs``: texts/ files the case does not refer to, older than the grace.
    """
    now = time.time()
    found: list[Path] = []

    def scan(path: Path) -> list[os.DirEntry]:
        try:
            return [e for e in os.scandir(path) if e.is_file(follow_symlinks=False)
                    or e.is_symlink()]
        except OSError:
            return []

    for entry in scan(folder):
        if is_temp(entry.name):
            found.append(Path(entry.path))
    for entry in scan(folder / TEXTS_DIR):
        if is_temp(entry.name):
            found.append(Path(entry.path))
        elif refs is not None and entry.name not in refs and _old(entry, now):
            found.append(Path(entry.path))
    for sub in subdirs:
        names = recorded.get(sub) if recorded is not None else None
        for entry in scan(folder / sub):
            if is_temp(entry.name):
                if _old(entry, now):
                    found.append(Path(entry.path))
            elif names is not None and entry.name not in names and _old(entry, now):
                found.append(Path(entry.path))
    return found


def remove(paths: list[Path]) -> list[Path]:
    removed = []
    for path in paths:
        try:
            path.unlink()
            removed.append(path)
        except FileNotFoundError:
            continue
        except OSError:
            continue  # not ours to remove (read-only member): it stays hidden
    return removed
