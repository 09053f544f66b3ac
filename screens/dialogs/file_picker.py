"""Pick a file with the keyboard: a directory tree, or paste a path.

Returns the chosen file's Path (or None when cancelled). The tree hides dot
files; Backspace goes up one folder; typing or pasting into the path box and
pressing Enter takes that file (or opens that folder).

It opens in the operator's drop folder (``Workspace.drop_dir``), shown with its path:
where files arrive when the operator has no shell (scp/sftp, a shared mount, the
upload bar of ``appealdesk serve``). Served in a browser, the picker stays inside
the drop folder and has no path box: the server's disk and a path typed from the
browser's machine mean nothing there.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Input, Label, Static
from textual.widgets.directory_tree import DirEntry
from textual.widgets.tree import TreeNode

from appealdesk.i18n import N_, _
from appealdesk.widgets.nav_keys import TreeKeys


def shown(path: Path) -> str:
    """``path`` as the operator reads it: under the home folder as ``~/…`` (a drop folder
    under a long home path took three lines of the picker at 80x24)."""
    try:
        return str(Path("~") / path.relative_to(Path.home()))
    except (ValueError, RuntimeError):  # not under home, or no home folder
        return str(path)


MIN_ROOM = 20  # narrower than this (not laid out yet): the name as it is
TAIL = 16  # cells kept at the end of a shortened name


class _VisibleTree(TreeKeys, DirectoryTree):
    BINDINGS = TreeKeys.NAV_BINDINGS

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if not p.name.startswith(".")]

    def render_label(self, node: TreeNode[DirEntry], base_style: Style, style: Style) -> Text:
        """A name too long for the picker loses its middle, not its end: the extension and
        the last words (a date, an order id) are what tells two exports apart."""
        label = super().render_label(node, base_style, style)
        depth, parent = 0, node.parent
        while parent is not None:
            depth, parent = depth + 1, parent.parent
        room = self.scrollable_content_region.width - depth * self.guide_depth - 1
        if room < MIN_ROOM or label.cell_len <= room:
            return label
        tail = label[-TAIL:]
        head = label[:max(1, room - tail.cell_len - 1)]
        while head.cell_len + 1 + tail.cell_len > room and len(head) > 1:
            head = head[:-1]  # double-width characters take two cells
        return Text.assemble(head, "…", tail)


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
    FilePickerScreen #picker-title {
        width: 100%;  /* a long requirement name wraps instead of being cut */
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
    FilePickerScreen #picker-drop {
        color: $text-muted;
        height: auto;
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
        self.start = start.expanduser() if start is not None else None
        self.paste = paste
        self.drop: Path | None = None  # the drop folder, when it exists or could be made
        self.drop_error = ""
        self.web = False

    def _find_drop(self) -> None:
        workspace = getattr(self.app, "workspace", None)
        if workspace is None:
            return
        folder = workspace.drop_dir
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.drop_error = _("The drop folder {path} cannot be made: {error}").format(
                path=shown(folder), error=exc.strerror or exc)
            return
        self.drop = folder

    def compose(self) -> ComposeResult:
        self.web = self.app.is_web
        self._find_drop()
        self.confined = self.web and self.drop is not None
        start = self.start or self.drop or Path.home()
        with Vertical(id="picker"):
            yield Label(self.title_text, id="picker-title")
            if self.drop is not None:
                yield Static(_("Drop folder: {path} — put files there to pick them "
                               "here (upload, scp/sftp or a shared folder).").format(
                    path=shown(self.drop)), id="picker-drop", markup=False)
            elif self.drop_error:
                yield Static(self.drop_error, id="picker-drop", markup=False)
            path_box = Input(placeholder=_("paste or type a path, then Enter"), id="picker-path")
            path_box.display = not self.web
            yield path_box
            tree = _VisibleTree(self.drop if self.confined else start, id="picker-tree")
            tree.display = self.confined or not self.web  # no drop folder: nothing to offer
            yield tree
            yield Static(_("Enter: take the file · Backspace: up · Esc: cancel") if self.web
                         else _("Enter: take the file · Backspace: up · Ctrl+L: path · "
                                "Esc: cancel"), id="picker-status")

    def on_mount(self) -> None:
        self.query_one("#picker-path" if self.paste and not self.web else "#picker-tree").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_path":
            return not self.web  # no path box in a browser
        return True

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
            self._status(_("no such file: {path}").format(path=shown(path)), error=True)

    def action_parent(self) -> None:
        if isinstance(self.focused, Input):
            self.focused.action_delete_left()
            return
        tree = self.query_one(_VisibleTree)
        current = Path(tree.path)
        if self.confined and self.drop is not None and current == self.drop:
            self._status(_("This is the drop folder; files elsewhere on the server are not "
                           "offered in a browser."))
            return
        if current.parent != current:
            tree.path = current.parent

    def action_focus_path(self) -> None:
        self.query_one("#picker-path", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
