"""The core never imports textual: only app.py, app_exit.py, screens/ and widgets/ may."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import appealdesk

UI_MODULES = {"appealdesk.app", "appealdesk.app_exit", "appealdesk.screens", "appealdesk.widgets"}


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(appealdesk.__path__, "appealdesk."):
        if any(info.name == ui or info.name.startswith(ui + ".") for ui in UI_MODULES):
            continue
        if info.name.endswith(".__main__"):  # runs the program when imported
            continue
        names.append(info.name)
    return sorted(names)


def test_there_are_core_modules():
    names = core_modules()
    assert "appealdesk.cases.store" in names and "appealdesk.policy.validation" in names


def test_core_modules_do_not_import_textual():
    code = (
        "import importlib, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core imported textual: {out.stdout.strip()[:200]}"


def test_startup_does_not_load_heavy_libraries():
    """Opening the app must not pay for the PDF stack or numpy (report import only)."""
    code = (
        "import sys\n"
        "import appealdesk.cli, appealdesk.app, appealdesk.screens, appealdesk.widgets\n"
        "heavy = [m for m in ('xhtml2pdf', 'reportlab', 'pypdf', 'numpy') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
