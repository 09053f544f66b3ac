"""The main screen's title line: Textual's ``Header`` (icon, title — sub-title, the
clock's room) drawn by one widget.

Textual's Header is four widgets (the bar, the icon, the title, the clock's space),
each with its own styles to parse and apply: about a twentieth of the work before the
first frame. This draws the same line — the icon in the first eight cells, the
app's ``format_title`` centred between them and ten empty cells, cut with "…" when
narrow — and keeps what the icon does: a click on it opens the command palette, as
its tooltip says. (Not kept: the icon's hover shade, and a click elsewhere making
the bar three lines tall.)
"""

from __future__ import annotations

from textual import events
from textual.app import RenderResult
from textual.content import Content
from textual.widget import Widget

from appealdesk.i18n import _

ICON_WIDTH = 8  # Textual's HeaderIcon: width 8, padding 0 1
CLOCK_WIDTH = 10  # Textual's HeaderClockSpace


class TitleLine(Widget):
    DEFAULT_CSS = """
    TitleLine {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(self, icon: str = "▣") -> None:
        super().__init__()
        self.icon = icon

    def on_mount(self) -> None:
        for node in (self.app, self.screen):
            self.watch(node, "title", self.refresh, init=False)
            self.watch(node, "sub_title", self.refresh, init=False)

    def render(self) -> RenderResult:
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        middle = max(0, self.size.width - ICON_WIDTH - CLOCK_WIDTH)
        text = app.format_title(title, sub_title).truncate(middle, ellipsis=True)
        left = (middle - text.cell_length) // 2
        icon = Content(" " + self.icon).truncate(ICON_WIDTH, pad=True)
        return Content.assemble(icon, text.pad(left, middle - left - text.cell_length),
                                " " * CLOCK_WIDTH)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.tooltip = _("Open the command palette") if event.x < ICON_WIDTH else None

    async def on_click(self, event: events.Click) -> None:
        if event.x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE:
            event.stop()
            await self.run_action("app.command_palette")
