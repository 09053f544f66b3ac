"""Opening the app, on the user's data or on a throwaway demo copy."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from appealdesk.cli.common import workspace
from appealdesk.i18n import _, language_from_environment, set_language


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("app", help=_("open the app (the default when no command is given)"))
    parser.set_defaults(handler=run_app)

    parser = sub.add_parser("serve", help=_(
        "serve the app in a web browser (textual-serve) for operators without an SSH client"))
    parser.add_argument("--host", default="127.0.0.1", help=_("address to listen on"))
    parser.add_argument("--port", type=int, default=8000, help=_("port to listen on"))
    parser.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    """Each browser session runs its own `appealdesk app` process on the same data folder."""
    import shlex
    import sys

    from appealdesk.cli.common import CommandError

    try:
        from textual_serve.server import Server
    except ImportError:
        raise CommandError(_("textual-serve is not installed")) from None
    command = [sys.executable, "-m", "appealdesk"]
    if getattr(args, "demo", False):
        command.append("--demo")
    else:
        ws = workspace(args)
        ws.store.ensure()
        command += ["--data-dir", str(ws.store.root)]
    if getattr(args, "lang", None):
        command += ["--lang", args.lang]
    command.append("app")
    Server(shlex.join(command), host=args.host, port=args.port, title="AppealDesk").serve()
    return 0


def choose_language(args: argparse.Namespace, config: dict) -> str:
    """--lang, then the user's config, then LANG/LC_ALL, then English."""
    lang = getattr(args, "lang", None) or config.get("language") or language_from_environment()
    return lang if lang in ("en", "zh") else "en"


def run_app(args: argparse.Namespace) -> int:
    from appealdesk.workspace import Workspace

    demo_dir = None
    if getattr(args, "demo", False):
        from appealdesk.demo import install_demo

        demo_dir = Path(tempfile.mkdtemp(prefix="appealdesk-demo-"))
        ws = Workspace.open(demo_dir)
        install_demo(ws.store, ws.now(), operator=ws.operator)
    else:
        ws = workspace(args)
        ws.store.ensure()
    try:
        config = ws.store.read_config()
    except Exception:
        config = {}
    # Import the app first: its key descriptions must be created in English (the
    # msgids) and are translated per widget, so a language switch can undo them.
    import appealdesk.screens  # noqa: F401  (every screen's keys, created in English)
    from appealdesk.app import AppealDeskApp  # textual only when the app really opens

    set_language(choose_language(args, config))

    try:
        AppealDeskApp(ws, demo=demo_dir is not None).run()
    finally:
        if demo_dir:
            shutil.rmtree(demo_dir, ignore_errors=True)
    return 0
