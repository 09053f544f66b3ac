"""Shared pieces of the command line: errors, the workspace, JSON output."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from appealdesk.i18n import _

EXIT_OK = 0
EXIT_FAIL = 1  # the command ran and the answer is "no" (invalid, blocked)
EXIT_ERROR = 2  # the command could not run
EXIT_DUPLICATE = 3


EXIT_AT_ONCE: list[bool] = []  # set by a command whose objects need no freeing at exit


def exit_at_once() -> None:
    """Let the process end without freeing what this command built, one object
    at a time (called once its output is written; honoured by ``main`` only when
    it runs a whole process, never for a caller that passes its arguments)."""
    EXIT_AT_ONCE.append(True)


class CommandError(Exception):
    def __init__(self, message: str, exit_code: int = EXIT_ERROR):
        super().__init__(message)
        self.exit_code = exit_code


def report_config_errors(ws: Any) -> None:
    """A broken config file: one line on stderr per file; the command goes on."""
    for error in ws.settings.errors:
        line = _("warning: {error} (its settings are not used)").format(error=error)
        print(f"appealdesk: {line}", file=sys.stderr)


def workspace(args: Any):
    """The workspace named by --data-dir / $APPEALDESK_DATA_DIR / the user folder."""
    from appealdesk.cases.workspace import Workspace
    from appealdesk.index import attach

    data_dir = Path(args.data_dir).expanduser() if getattr(args, "data_dir", None) else None
    ws = Workspace.open(data_dir)
    report_config_errors(ws)
    attach(ws)  # the derived index answers cross-case questions; opened when first asked
    return ws


def load_case(ws: Any, case_id: str):
    from appealdesk.cases.errors import CaseNotFound
    from appealdesk.cases.model import is_safe_case_id

    if not is_safe_case_id(case_id):
        raise CommandError(_("not a valid case id: {case_id}").format(case_id=case_id))
    try:
        return ws.store.load(case_id)
    except CaseNotFound:
        raise CommandError(_("no such case: {case_id}").format(case_id=case_id)) from None


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "to_dict"):
        return value.to_dict()
    raise TypeError(f"cannot encode {type(value).__name__}")


def to_json(data: Any) -> str:
    return json.dumps(data, default=_default, ensure_ascii=False, indent=2)


def print_json(data: Any) -> None:
    """``to_json``'s document, written by orjson: ``metrics --json`` on a million
    rows holds hundreds of thousands of order ids, which the standard library's
    indenting encoder (pure Python) takes ~0.3 s to write, orjson ~0.03 s. Dates,
    enums and dataclasses go through ``_default`` as before; what orjson refuses
    (an integer over 64 bits, a lone surrogate) is written by ``to_json``."""
    import orjson

    options = (orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS
               | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS)
    try:
        encoded = orjson.dumps(data, default=_default, option=options)
    except orjson.JSONEncodeError:
        sys.stdout.write(to_json(data) + "\n")
        return
    out = getattr(sys.stdout, "buffer", None)
    if out is None:  # a text-only stream (a test's StringIO)
        sys.stdout.write(encoded.decode("utf-8"))
        return
    sys.stdout.flush()
    out.write(encoded)
    out.flush()


def add_json_flag(parser: Any) -> None:
    parser.add_argument("--json", action="store_true",
                        help=_("print JSON (documented in the README)"))
