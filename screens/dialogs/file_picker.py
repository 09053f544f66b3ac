"""Pick a file with the keyboard: a directory tree, or paste a path.

Returns the chosen file's Path (or None when cancelled). The tree hides dot
files; Backspace goes up one folder; typing or pasting into the path box and
pressing Enter takes that file (or opens that folder).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Input, Label, Static

from appealdesk.i18n import N_, _


class _VisibleTree(DirectoryTree):
    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if not p.name.startswith(".")]


class FilePickerScreen(ModalScreen[Path | None]):
    DEFAULT_CSS = """
    FilePickerScreen {
        align: center middle;
    }
    FilePickerScreen > #picker {
        width: 90%;
        max-width: 110;
        height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    FilePickerScreen #picker-tree {
        height: 1fr;
    }
    FilePickerScreen #picker-status {
        color: $text-muted;
        height: auto;
    }
    FilePickerScreen #picker-status.error {
        color: $error;
    }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="picker.cancel"),
        Binding("backspace", "parent", N_("Up a folder"), id="picker.parent"),
        Binding("ctrl+l", "focus_path", N_("Type a path"), id="picker.path"),
    ]

    def __init__(self, title: str, start: Path | None = None, *, paste: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.start = (start or Path.home()).expanduser()
        self.paste = paste

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label(self.title_text, id="picker-title")
            yield Input(placeholder=_("paste or type a path, then Enter"), id="picker-path")
            yield _VisibleTree(self.start, id="picker-tree")
            yield Static(_("Enter: take the file · Backspace: up · Ctrl+L: type a path · "
                           "Esc: cancel"), id="picker-status")

    def on_mount(self) -> None:
        self.query_one("#picker-path" if self.paste else "#picker-tree").focus()

    def _status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#picker-status", Static)
        status.update(text)
        status.set_class(error, "error")

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.dismiss(Path(event.path))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        # A pasted path often arrives quoted ('/a b/c.pdf') or as a file:// URL.
        text = event.value.strip().strip("'\"")
        if text.startswith("file://"):
            text = text[len("file://"):]
        if not text:
            return
        path = Path(text).expanduser()
        if path.is_file():
            self.dismiss(path)
        elif path.is_dir():
            self.query_one(_VisibleTree).path = path
            self.query_one(_VisibleTree).focus()
        else:
            self._status(_("no such file: {path}").format(path=path), error=True)

    def action_parent(self) -> None:
        if isinstance(self.focused, Input):
            self.focused.action_delete_left()
            return
        tree = self.query_one(_VisibleTree)
        current = Path(tree.path)
        if current.parent != current:
            tree.path = current.parent

    def action_focus_path(self) -> None:
        self.query_one("#picker-path", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
