"""Screens and modals of the app.

The names are re-exported lazily (PEP 562): the help screen is not needed to paint
the first screen.
"""

from __future__ import annotations

from appealdesk.lazy_names import lazy_names

_MODULES = {
    "HelpScreen": "appealdesk.screens.dialogs.help",
    "MainScreen": "appealdesk.screens.main",
}

__all__ = sorted(_MODULES)


__getattr__ = lazy_names(__name__, _MODULES)
