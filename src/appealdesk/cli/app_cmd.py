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
    set_language(choose_language(args, config))
    from appealdesk.app import AppealDeskApp  # textual only when the app really opens

    try:
        AppealDeskApp(ws, demo=demo_dir is not None).run()
    finally:
        if demo_dir:
            shutil.rmtree(demo_dir, ignore_errors=True)
    return 0
