"""What the data folder refuses, one line each for the user, and the TOML reader that says so.

``StoreError`` and its kinds are raised by ``cases.store``; ``DataFileError`` (a data file
that cannot be used: ``file[:line]: message``) also by ``cases.config``. ``parse_toml``
turns a TOML syntax error into one of them, naming the file and line.
"""

from __future__ import annotations

import re
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


def parse_toml(path: Path, text: str, error: type[DataFileError] = CaseFileError) -> dict[str, Any]:
    """Parse one TOML file; raise ``error`` naming the file and line."""
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


