"""What the data folder refuses, one line each for the user, and the TOML reader that says so.

``StoreError`` and its kinds are raised by ``cases.store``; ``DataFileError`` (a data file
that cannot be used: ``file[:line]: message``) also by ``cases.config``. ``parse_toml``
turns a TOML syntax error into one of them, naming the file and line.

Parsing is most of the cost of reading a case (tomllib, pure Python: ~0.35 ms a case
file; 10,000 of them at every cold index build). ``parse_toml`` reads with ``toml_rs``
(Rust, about 10x faster; in a process with one thread only, see ``parse_toml``),
loaded on first use, and keeps tomllib as the judge:
whatever ``toml_rs`` refuses (or a file it would read but tomllib would not: a byte
order mark, values nested deeper than any case) is parsed again by tomllib, so a
broken file gets tomllib's verdict and message, and a sound one the same values
(``tests/test_toml_fast.py`` checks both against tomllib). Without ``toml_rs``
installed, tomllib reads everything.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any


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


# Deeper than this the fast result is not trusted (tomllib runs out of stack somewhere
# past a few hundred levels, toml_rs does not); above validate.MAX_DEPTH, so a file
# nested that deep is refused by validation either way, and a case nests 4 deep.
FAST_MAX_DEPTH = 32

_fast: Callable[[str], dict[str, Any]] | None = None
_fast_looked = False


def _fast_loads() -> Callable[[str], dict[str, Any]] | None:
    """``toml_rs.loads`` reading TOML 1.0 (what tomllib reads), or None without it."""
    global _fast, _fast_looked
    if not _fast_looked:
        try:
            import toml_rs
        except ImportError:
            _fast = None
        else:
            def loads(text: str) -> dict[str, Any]:
                return toml_rs.loads(text, toml_version="1.0.0")

            _fast = loads
        _fast_looked = True
    return _fast


def _shallow(data: dict[str, Any]) -> bool:
    """Nothing in ``data`` nested deeper than FAST_MAX_DEPTH tables and lists."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        for item in value.values() if type(value) is dict else value:
            kind = type(item)
            if kind is dict or kind is list:
                if depth >= FAST_MAX_DEPTH:
                    return False
                stack.append((item, depth + 1))
    return True


def fast_toml(text: str) -> dict[str, Any] | None:
    """The parsed text when the fast parser reads it as tomllib would, else None (then
    tomllib decides: the same values, or its error)."""
    loads = _fast_loads()
    if loads is None or text.startswith("\ufeff"):  # tomllib refuses a byte order mark
        return None
    try:
        data = loads(text)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - any refusal, or a panic in the Rust code (pyo3's
        return None  # PanicException is a BaseException): tomllib gives the verdict
    # tomllib recurses once per level of nested inline arrays and tables: with fewer
    # brackets and braces in the whole text than FAST_MAX_DEPTH twice, no value is
    # nested deep enough for it to run out of stack, and the walk is not needed
    if text.count("[") + text.count("{") < 2 * FAST_MAX_DEPTH or _shallow(data):
        return data
    return None


def parse_toml(path: Path, text: str, error: type[DataFileError] = CaseFileError) -> dict[str, Any]:
    """Parse one TOML file; raise ``error`` naming the file and line.

    toml_rs only in a process with one thread (the CLI, the index's forked workers):
    toml_rs 0.4.3 crashed the app (a segmentation fault, a null pointer read in its
    Rust code) when cases were read from worker threads while other threads ran
    (tests/test_live.py, 2 runs in 3); with tomllib alone it never did. A process with
    threads (the app) reads with tomllib until that is understood."""
    if threading.active_count() == 1:
        data = fast_toml(text)
        if data is not None:
            return data
    import tomllib  # here: an app without a settings file paints without it

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


