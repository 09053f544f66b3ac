"""The footer every screen uses: Textual's Footer, speaking the current language.

Key descriptions are written in English on each class's ``BINDINGS`` (the gettext
msgid, marked with ``N_``); they stay English in the bindings. Whatever shows a
key translates its description at that moment: this footer, the command palette
(``AppealDeskApp.get_system_commands``) and ``?`` (``screens.dialogs.help``). So a
language switch only has to ask the footer to draw again (``refresh_bindings``),
and Textual's own widgets' keys (listed in ``screens/textual_keys.py``) are
translated too, without touching Textual's internals.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter

from appealdesk.i18n import _

__all__ = ["Footer", "key_description"]


def key_description(description: str) -> str:
    """A binding's description (an English msgid) in the current language."""
    return _(description) if description else ""


class Footer(TextualFooter):
    """Textual's Footer; each key's description is translated as the footer is built.

    Textual's footer yields one key widget per binding, holding the binding's
    ``description`` (and maybe a ``tooltip``) as plain attributes; they are translated
    on the way out of ``compose``, before the keys are mounted and drawn.
    """

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            _translate(widget)
            yield widget


def _translate(widget: Widget) -> None:
    description = getattr(widget, "description", None)
    if isinstance(description, str):
        widget.description = key_description(description)  # type: ignore[attr-defined]
        if isinstance(widget.tooltip, str):
            widget.tooltip = key_description(widget.tooltip)
