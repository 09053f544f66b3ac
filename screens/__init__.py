"""Screens and modals of the app.

The names are re-exported lazily (PEP 562): the help screen is not needed to paint
the first screen.
"""

from __future__ import annotations

import importlib

_MODULES = {
    "HelpScreen": "appealdesk.screens.dialogs.help",
    "MainScreen": "appealdesk.screens.main",
}

__all__ = sorted(_MODULES)


def __getattr__(name: str):
    if name in _MODULES:
        return getattr(importlib.import_module(_MODULES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
