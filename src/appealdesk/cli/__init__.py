"""``appealdesk`` — the command line.

Each command group lives in its own module with a ``register(subparsers)``
function; ``COMMAND_MODULES`` lists them. Errors the user can cause end as one
line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from appealdesk import __version__
from appealdesk.cli.common import EXIT_ERROR, CommandError
from appealdesk.i18n import _

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="appealdesk",
        description=_(
            "AppealDesk: answer marketplace performance notifications with a correct appeal, "
            "on time. Without a command, opens the app."
        ),
    )
    parser.add_argument("--version", action="version", version=f"appealdesk {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help=_(
        "data folder (default: $APPEALDESK_DATA_DIR, else the user data folder)"))
    parser.add_argument("--demo", action="store_true", help=_(
        "open the app on a throwaway copy of the bundled demo cases"))
    parser.add_argument("--lang", choices=("en", "zh"), help=_("interface language"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        from appealdesk.cli.app_cmd import run_app

        handler = run_app
    try:
        return int(handler(args) or 0)
    except CommandError as exc:
        print(f"appealdesk: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last line of defence: one line, not a traceback
        from appealdesk.policy import PolicyError
        from appealdesk.store import StoreError

        if isinstance(exc, StoreError | PolicyError | OSError):
            print(f"appealdesk: {exc}", file=sys.stderr)
            return EXIT_ERROR
        print(f"appealdesk: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_ERROR
