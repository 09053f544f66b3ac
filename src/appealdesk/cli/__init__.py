"""``appealdesk`` — the command line.

Each command group lives in its own module with a ``register(subparsers)``
function; ``COMMAND_MODULES`` lists them. Errors the user can cause end as one
line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from appealdesk import __version__
from appealdesk.cli.common import EXIT_AT_ONCE, EXIT_ERROR, CommandError
from appealdesk.i18n import _, choose_language, ngettext, set_language

# argparse's own texts ("usage:", "error:", "options") go through our catalog too;
# their msgids are listed in cli/argparse_texts.py.
argparse._ = _  # type: ignore[attr-defined]
argparse.ngettext = ngettext  # type: ignore[attr-defined]

COMMAND_MODULES = (
    "appealdesk.cli.app_cmd",
    "appealdesk.cli.cases",
    "appealdesk.cli.policies_cmd",
    "appealdesk.cli.metrics_cmd",
    "appealdesk.cli.evidence_cmd",
    "appealdesk.cli.check_cmd",
    "appealdesk.cli.intake_cmd",
    "appealdesk.cli.letter_cmd",
)
# Which module registers each command: a process running one command imports only that
# module (every module imports what its commands need, some of it heavy: the metrics
# engine, the letter checks). A command missing here still works: then every module is
# registered, as for ``--help`` (tests/test_cli_commands.py keeps this map complete).
COMMANDS = {
    "app": "appealdesk.cli.app_cmd", "serve": "appealdesk.cli.app_cmd",
    "list": "appealdesk.cli.cases", "search": "appealdesk.cli.cases",
    "show": "appealdesk.cli.cases",
    "policies": "appealdesk.cli.policies_cmd",
    "metrics": "appealdesk.cli.metrics_cmd", "import-report": "appealdesk.cli.metrics_cmd",
    "evidence": "appealdesk.cli.evidence_cmd",
    "check": "appealdesk.cli.check_cmd",
    "intake": "appealdesk.cli.intake_cmd", "status": "appealdesk.cli.intake_cmd",
    "followups": "appealdesk.cli.intake_cmd", "followup-done": "appealdesk.cli.intake_cmd",
    "letter": "appealdesk.cli.letter_cmd", "render": "appealdesk.cli.letter_cmd",
    "submit": "appealdesk.cli.letter_cmd", "outcome": "appealdesk.cli.letter_cmd",
}


def one_line(text: object) -> str:
    """An error message as one line: line breaks (from a file's text, a pasted value) folded."""
    return " ".join(str(text).split()) or "?"


class Parser(argparse.ArgumentParser):
    """argparse with usage errors as one line on stderr (exit 2), like every other error."""

    def error(self, message: str) -> NoReturn:
        hint = _("see {command} --help").format(command=self.prog)
        line = f"{one_line(message)} ({hint})"
        self.exit(2, _("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": line})


class _Quiet(argparse.ArgumentParser):
    """The early look at --lang/--data-dir: silent; the real parser reports any error."""

    def error(self, message: str) -> NoReturn:
        raise SystemExit(2)


def build_parser(modules: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser with the commands of ``modules`` (by default every command)."""
    parser = Parser(
        prog="appealdesk",
        description=_(
            "AppealDesk: answer marketplace performance notifications with a correct appeal, "
            "on time. Without a command, opens the app."
        ),
    )
    parser.add_argument("--version", action="version", version=f"appealdesk {__version__}",
                        help=_("show the version and exit"))
    parser.add_argument("--data-dir", metavar="DIR", help=_(
        "data folder (default: $APPEALDESK_DATA_DIR, else the user data folder)"))
    parser.add_argument("--demo", action="store_true", help=_(
        "open the app on a throwaway copy of the bundled demo cases"))
    parser.add_argument("--lang", choices=("en", "zh"), help=_("interface language"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES if modules is None else modules:
        importlib.import_module(name).register(sub)
    return parser


def modules_for(argv: Sequence[str]) -> Sequence[str]:
    """The command modules a run with ``argv`` needs: the one of its command; none when
    it opens the app; all of them for ``--help`` or a command this map does not know."""
    early = _Quiet(add_help=False)
    early.add_argument("--lang")
    early.add_argument("--data-dir")
    early.add_argument("--demo", action="store_true")
    try:
        _known, rest = early.parse_known_args(argv)
    except SystemExit:  # a malformed option: the full parser reports it
        return COMMAND_MODULES
    for arg in rest:
        if arg in ("-h", "--help") or (arg.startswith("-") and arg != "--version"):
            return COMMAND_MODULES
        if not arg.startswith("-"):
            return (COMMANDS[arg],) if arg in COMMANDS else COMMAND_MODULES
    return ()


def language_for(argv: Sequence[str]) -> str:
    """The interface language, decided before the parser is built (its help texts
    are translated then): ``--lang``, the operator's config.toml ``language`` (else
    the data folder's, where older versions wrote it), LANG/LC_ALL, English. The
    same rule as the app's (``i18n.choose_language``)."""
    early = _Quiet(add_help=False)
    early.add_argument("--lang")
    early.add_argument("--data-dir")
    early.add_argument("--demo", action="store_true")
    try:
        known, _rest = early.parse_known_args(argv)
    except SystemExit:  # a malformed option: the real parser reports it
        return choose_language(None, None)
    config: dict = {}
    if known.lang not in ("en", "zh"):
        from pathlib import Path

        from appealdesk.cases.config import load_settings
        from appealdesk.cases.workspace import default_data_dir

        # The operator's own config, then (legacy) the data folder's; the demo copy has
        # no data folder config. A broken file never stops `--help`: load_settings
        # does not raise, and the command reports it (cli.common.workspace).
        root = Path(known.data_dir).expanduser() if known.data_dir else default_data_dir()
        config = {"language": load_settings(None if known.demo else root).language}
    return choose_language(known.lang, config)


def main(argv: Sequence[str] | None = None) -> int:
    code = _main(sys.argv[1:] if argv is None else list(argv))
    if argv is None and EXIT_AT_ONCE:
        # A command that held a million orders: the process ends without freeing
        # them one by one (~0.1 s). Its output is flushed, its files are closed.
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (BrokenPipeError, OSError):  # the reader left (| head): as without it
            pass
        os._exit(code)
    return code


def _main(argv: list[str]) -> int:
    set_language(language_for(argv))
    parser = build_parser(modules_for(argv))
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        from appealdesk.cli.app_cmd import run_app

        handler = run_app
    try:
        return int(handler(args) or 0)
    except CommandError as exc:
        print(f"appealdesk: {one_line(exc)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last line of defence: one line, not a traceback
        from appealdesk.cases.errors import StoreError
        from appealdesk.policy.types import PolicyError

        if isinstance(exc, StoreError | PolicyError | OSError):
            print(f"appealdesk: {one_line(exc)}", file=sys.stderr)
            return EXIT_ERROR
        print(f"appealdesk: internal error: {type(exc).__name__}: {one_line(exc)}",
              file=sys.stderr)
        return EXIT_ERROR
