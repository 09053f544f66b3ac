"""The footer every screen uses: Textual's Footer, speaking the current language.

Key descriptions are written in English on each class's ``BINDINGS`` (the gettext
msgid, marked with ``N_``); they stay English in the bindings. Whatever shows a
key translates its description at that moment: this footer, the command palette
(``AppealDeskApp.get_system_commands``) and ``?`` (``screens.dialogs.help``). So a
language switch only has to ask the footer to draw again (``refresh_bindings``),
and Textual's own widgets' keys (listed in ``screens/textual_keys.py``) are
translated too, without touching Textual's internals.

At 80 columns not every key fits. The footer keeps what an operator needs
everywhere — ``1–4`` (one key for the four panes when they do not fit one by
one), ``?`` (every other key) and ``q`` — at its right end, and fills the room
before them with the focused pane's keys, most important first (the order of its
``BINDINGS``); what does not fit is in ``?`` and the palette. The palette key
(``^p``) shows only when there is room.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

from appealdesk.i18n import _

__all__ = ["Footer", "FooterHiddenUnderModal", "key_description"]

PANES_ACTION = "focus_pane"  # 1–4: one key in the footer, "1–4 Panes"
ESSENTIAL = ("help", "quit")  # always shown, after the panes' key


def key_description(description: str) -> str:
    """A binding's description (an English msgid) in the current language."""
    return _(description) if description else ""


class FooterHiddenUnderModal:
    """For a screen with a ``Footer``: while a modal (``?``, the palette, a picker) is on
    top, the modal has the keys and this footer's would do nothing — hide it, keeping
    its line so nothing moves; show it again when the screen is back on top."""

    def on_screen_suspend(self) -> None:
        for footer in self.query(Footer):  # type: ignore[attr-defined]
            footer.visible = False

    def on_screen_resume(self) -> None:
        for footer in self.query(Footer):  # type: ignore[attr-defined]
            footer.visible = True


class Footer(TextualFooter):
    """Textual's Footer; each key's description is translated as the footer is built.

    Textual's footer yields one key widget per binding, holding the binding's
    ``description`` (and maybe a ``tooltip``) as plain attributes; they are translated
    on the way out of ``compose``, before the keys are mounted and drawn.
    """

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("compact", True)
        super().__init__(*args, **kwargs)
        self._width = 0

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        for widget in keys:
            _translate(widget)
        yield from fit(keys, self.app.size.width)

    def on_resize(self) -> None:
        if self.size.width != self._width:
            self._width = self.size.width
            self.call_after_refresh(self.recompose)


def key_width(widget: Widget) -> int:
    """Cells a compact footer key takes: key, space, description, margin."""
    key = getattr(widget, "key_display", "")
    description = getattr(widget, "description", "")
    return cell_len(key) + (1 + cell_len(description) if description else 0) + 1


def fit(keys: list[Widget], width: int) -> list[Widget]:
    """The footer's keys for ``width`` columns: the pane's own keys that fit (in their
    order, most important first), then ``1–4``, ``?`` and ``q``; the palette key if
    there is room left."""
    def action(widget: Widget) -> str:
        return str(getattr(widget, "action", "")).split("(")[0].split(".")[-1]

    palette = [k for k in keys if k.has_class("-command-palette")]
    panes = [k for k in keys if action(k) == PANES_ACTION]
    essential = sorted((k for k in keys if action(k) in ESSENTIAL and k not in palette),
                       key=lambda k: ESSENTIAL.index(action(k)))
    own = [k for k in keys if k not in palette and k not in panes and k not in essential]
    whole = own + panes + essential
    if sum(key_width(k) for k in whole) <= width - 1:  # room for every key as it is
        room = width - 1 - sum(key_width(k) for k in whole)
        return whole + (palette if sum(key_width(k) + 2 for k in palette) <= room else [])
    tail: list[Widget] = []
    if panes:
        first = panes[0]
        tail.append(FooterKey(getattr(first, "key", "1"), "1–4", _("Panes"),
                              getattr(first, "action", ""),
                              tooltip=" · ".join(getattr(k, "description", "") for k in panes)
                              ).data_bind(compact=Footer.compact))
    tail.extend(essential)
    room = width - 1 - sum(key_width(k) for k in tail)
    shown = []
    for key in own:
        needed = key_width(key)
        if needed <= room:
            shown.append(key)
            room -= needed
    palette_width = sum(key_width(k) + 2 for k in palette)
    return shown + tail + (palette if palette_width <= room else [])


def _translate(widget: Widget) -> None:
    description = getattr(widget, "description", None)
    if isinstance(description, str):
        widget.description = key_description(description)  # type: ignore[attr-defined]
        if isinstance(widget.tooltip, str):
            widget.tooltip = key_description(widget.tooltip)
