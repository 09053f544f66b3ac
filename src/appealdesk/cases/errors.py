"""What the data folder refuses, one line each for the user, and the TOML reader that says so.

``StoreError`` and its kinds are raised by ``cases.store``; ``DataFileError`` (a data file
that cannot be used: ``file[:line]: message``) also by ``cases.config``. ``parse_toml``
turns a TOML syntax error into one of them, naming the file and line.

Parsing is most of the cost of reading a case (tomllib, pure Python: ~0.35 ms a case
file; 10,000 of them at every cold index build). ``parse_toml`` reads with
``toml_fast`` first (in a process with one thread only, see ``parse_toml``), and
tomllib judges whatever it declines.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from appealdesk.toml_fast import fast_toml


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


