"""Opening the app, on the user's data or on a throwaway demo copy."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from appealdesk.cli.common import workspace
from appealdesk.i18n import _, choose_language, set_language


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
    import os
    import sys

    from appealdesk.cases.workspace import DROP_DIR_ENV
    from appealdesk.cli.common import CommandError

    try:
        from appealdesk.cli.serve import serve
    except ImportError:
        raise CommandError(_("textual-serve is not installed")) from None
    command = [sys.executable, "-m", "appealdesk"]
    made_drop = None
    if getattr(args, "demo", False):
        command.append("--demo")
        # Each session's demo copy is its own folder: uploads go to one shared for the server.
        if os.environ.get(DROP_DIR_ENV):
            drop = Path(os.environ[DROP_DIR_ENV])
        else:
            drop = made_drop = Path(tempfile.mkdtemp(prefix="appealdesk-drop-"))
    else:
        ws = workspace(args)
        ws.store.ensure()
        command += ["--data-dir", str(ws.store.root)]
        drop = ws.drop_dir
    # The sessions (child processes) find the same drop folder, whatever their operator.
    os.environ[DROP_DIR_ENV] = str(drop)
    if getattr(args, "lang", None):
        command += ["--lang", args.lang]
    command.append("app")
    try:
        serve(command, host=args.host, port=args.port, drop_dir=drop)
    finally:
        if made_drop is not None:
            shutil.rmtree(made_drop, ignore_errors=True)
    return 0


def run_app(args: argparse.Namespace) -> int:
    from appealdesk.cases.workspace import Workspace

    demo_dir = None
    if getattr(args, "demo", False):
        from appealdesk.demo import install_demo

        demo_dir = Path(tempfile.mkdtemp(prefix="appealdesk-demo-"))
        ws = Workspace.open(demo_dir)
        install_demo(ws.store, ws.now(), operator=ws.operator)
    else:
        ws = workspace(args)
        ws.store.ensure()
    # Key descriptions on the classes are marked with N_ (English msgids whatever
    # the language at import) and translated per widget, so the order of these
    # lines does not matter; main() has usually set the language already.
    from appealdesk.app import AppealDeskApp  # textual only when the app really opens

    set_language(choose_language(getattr(args, "lang", None),
                                 {"language": ws.settings.language}))

    app = AppealDeskApp(ws, demo=demo_dir is not None)
    try:
        app.run()
    finally:
        if demo_dir:
            shutil.rmtree(demo_dir, ignore_errors=True)
    if app.left_on_signal:
        # SIGHUP/SIGTERM: the letter is saved and the app has left; end the process now
        # rather than after the interpreter's second-long teardown (app_exit.py).
        _end_process_now()
    return 0


def _end_process_now() -> None:
    import os
    import sys

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass  # the terminal is gone
    os._exit(0)
