"""Stamps: how the index tells, without reading a file, that it changed.

A case file's stamp is (mtime_ns, size, inode): the store writes by renaming a
new file into place, so a write changes the inode even when the size and the
(coarse) modification time do not. A file written less than ``RACY_NS`` before
it was read may still change within the same clock tick; its stamp is stored
with size -1 so the next look reads it again (git's "racily clean" rule).

The policies the summaries were computed with have a stamp too (their files,
the holidays library, the program version): when it changes, every summary is
computed again.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable
from pathlib import Path

from appealdesk.cases.store import CASE_FILE

Stamp = tuple[int, int, int]
RACY_NS = 2_000_000_000


def file_stamp(path: str) -> Stamp | None:
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def stored_stamp(stamp: Stamp) -> Stamp:
    """The stamp to keep: a racy one is kept so that it never matches again."""
    if time.time_ns() - stamp[0] < RACY_NS:
        return (stamp[0], -1, stamp[2])
    return stamp


def case_names(names: list[str]) -> list[str]:
    """The names that are case ids (``cases.status.is_safe_case_id``), tested in one
    regex pass over all of them (a file name never holds NUL, the separator)."""
    return [n for n in _SAFE_NAMES.findall("\0".join(names)) if "--" not in n]


# is_safe_case_id's pattern, anchored at NUL separators instead of the string's ends
_SAFE_NAMES = re.compile(r"(?:^|(?<=\0))([a-z0-9][a-z0-9-]{0,79})(?=\0|\Z)")


def scan(cases_dir: Path) -> dict[str, Stamp]:
    """Every case folder holding a case.toml, with the file's stamp.

    One ``stat`` per case folder, relative to the open cases folder (the kernel walks
    two path parts, not the whole path): this look runs at every question."""
    found: dict[str, Stamp] = {}
    if os.stat not in os.supports_dir_fd:  # e.g. Windows: whole paths
        try:
            names = case_names(os.listdir(cases_dir))
        except (FileNotFoundError, NotADirectoryError):
            return found
        for name in names:
            stamp = file_stamp(f"{cases_dir}/{name}/{CASE_FILE}")
            if stamp is not None:
                found[name] = stamp
        return found
    try:
        fd = os.open(cases_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except (FileNotFoundError, NotADirectoryError):
        return found
    try:
        stat = os.stat
        suffix = f"/{CASE_FILE}"
        for name in case_names(os.listdir(fd)):
            try:
                st = stat(name + suffix, dir_fd=fd)
            except (FileNotFoundError, NotADirectoryError):
                continue
            found[name] = (st.st_mtime_ns, st.st_size, st.st_ino)
    finally:
        os.close(fd)
    return found


def unchanged(cases_dir: Path, known: Iterable[tuple[str, int, int, int]]) -> bool:
    """Whether the case files are exactly the ones ``known`` describes: (id + "/" +
    CASE_FILE, mtime_ns, size, inode) rows, one per case the index holds. ``scan``'s
    answer compared with them, for the usual case where nothing changed, without building
    either mapping: every known file still has its stamp, and the folder holds no other
    case-named entry (dot names such as ``.claims`` are counted out at once; other names
    then by ``case_names``). Any doubt (a case-named folder the index does not hold, a
    missing file, no ``dir_fd`` here) answers False: then the caller scans."""
    if os.stat not in os.supports_dir_fd:
        return False
    try:
        fd = os.open(cases_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return False
    try:
        names = os.listdir(fd)
        joined = "\0".join(names)
        # entries that are not dot names: each must be a known case (counted below)
        entries = len(names) - joined.count("\0.") - joined.startswith(".")
        stat = os.stat
        count = 0
        for path, mtime_ns, size, ino in known:
            st = stat(path, dir_fd=fd)
            if st.st_mtime_ns != mtime_ns or st.st_size != size or st.st_ino != ino:
                return False
            count += 1
        # other entries (Thumbs.db, a notes folder): only case-named ones can be cases
        return count == entries or count == len(case_names(names))
    except OSError:  # a known file gone, the folder unreadable
        return False
    finally:
        os.close(fd)


def stamps_of(cases_dir: Path, ids: list[str]) -> dict[str, Stamp | None]:
    """The current stamp of these cases' files (None: gone), looked up as ``scan`` does:
    relative to the open cases folder. ``ids`` are case ids (safe single names)."""
    suffix = f"/{CASE_FILE}"
    if os.stat not in os.supports_dir_fd:
        return {i: file_stamp(f"{cases_dir}/{i}{suffix}") for i in ids}
    try:
        fd = os.open(cases_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except (FileNotFoundError, NotADirectoryError):
        return dict.fromkeys(ids)
    found: dict[str, Stamp | None] = {}
    try:
        stat = os.stat
        for name in ids:
            try:
                st = stat(name + suffix, dir_fd=fd)
            except (FileNotFoundError, NotADirectoryError):
                found[name] = None
                continue
            found[name] = (st.st_mtime_ns, st.st_size, st.st_ino)
    finally:
        os.close(fd)
    return found


def _dir_stamps(folder: Path | None, pattern: str) -> list[str]:
    if folder is None or not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob(pattern)):
        try:
            st = path.stat()
        except OSError:
            continue
        out.append(f"{path.name}:{st.st_mtime_ns}:{st.st_size}")
    return out


def policy_stamp(user_policies: Path) -> str:
    """Changes whenever a policy, the holiday data or the program may give other deadlines."""
    import importlib.util

    from appealdesk import __version__

    parts = [__version__]
    shipped = importlib.util.find_spec("appealdesk.policies")
    if shipped is not None and shipped.submodule_search_locations:
        parts += _dir_stamps(Path(list(shipped.submodule_search_locations)[0]), "*.toml")
    parts.append("|")
    parts += _dir_stamps(user_policies, "*.toml")
    holidays = importlib.util.find_spec("holidays")
    if holidays is not None and holidays.origin:
        parts += _dir_stamps(Path(holidays.origin).parent, "version.py")
    return ";".join(parts)
