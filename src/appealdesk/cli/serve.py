"""`appealdesk serve`: textual-serve with our page and an upload into the drop folder.

textual-serve runs one `appealdesk app` process per browser tab and streams its screen to
xterm.js. What we add (``web/app_index.html`` and this module):

- the page focuses the terminal as soon as it loads, so keys work without a click first
  (textual-serve's own page never does: every key went to the page's body until the
  terminal was clicked);
- the page loads no font or script from the internet (the font is textual-serve's own copy);
- files the app delivers (the letter PDF, the bundle: ``App.deliver_binary``) are saved as
  downloads through a link, not a pop-up window that a browser may block;
- a bar above the terminal uploads files into the operator's drop folder
  (``Workspace.drop_dir``), where the attach and import pickers open. textual-serve itself
  has no way to send a file from the browser to the app.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from aiohttp import BodyPartReader, web
from textual_serve.server import Server

from appealdesk.i18n import _

PAGE_DIR = Path(__file__).with_name("web")
UPLOAD_HEADER = "X-AppealDesk-Upload"  # a cross-site form cannot send it (CSRF guard)
MAX_UPLOAD_BYTES = 100 * 1024 * 1024  # per request
CHUNK = 64 * 1024


def upload_name(name: str) -> str:
    """The browser's file name, kept readable but made safe for the drop folder: no folders,
    no control characters, no leading dot (the pickers hide dot files); '' if nothing is left."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if c.isprintable() and c not in '<>:"|?*')
    return base.strip().lstrip(".").strip()[:200]


def free_path(folder: Path, name: str) -> Path:
    """``folder/name``, or ``name (2).ext`` … when a file of that name is already there."""
    candidate = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{stem} ({n}){suffix}"
    return candidate


class AppealDeskServer(Server):
    """textual-serve's server with our page template and the upload route."""

    def __init__(self, command: str, *, host: str, port: int, drop_dir: Path | None) -> None:
        super().__init__(command, host=host, port=port, title="AppealDesk",
                         templates_path=PAGE_DIR)
        self.drop_dir = drop_dir

    async def _make_app(self) -> web.Application:
        import aiohttp_jinja2

        app = await super()._make_app()
        env = aiohttp_jinja2.get_env(app)
        env.globals.update(
            upload_enabled=self.drop_dir is not None,
            upload_header=UPLOAD_HEADER,
            upload_label=_("Upload files"),
            upload_hint=_("into your drop folder; then press a in the Evidence pane (3) to "
                          "attach them"),
            upload_done=_("Uploaded to the drop folder:"),
            upload_failed=_("Upload failed:"),
        )
        app.add_routes([web.post("/upload", self.handle_upload, name="upload")])
        return app

    async def handle_upload(self, request: web.Request) -> web.Response:
        """Save the posted files (multipart) in the drop folder; answer with their names."""
        if self.drop_dir is None:
            raise web.HTTPNotFound(text="no drop folder")
        if request.headers.get(UPLOAD_HEADER) != "1":
            raise web.HTTPForbidden(text="uploads come from the AppealDesk page")
        folder = self.drop_dir
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise web.HTTPInternalServerError(text=str(exc)) from None
        reader = await request.multipart()
        saved: list[str] = []
        total = 0
        async for part in reader:
            if not isinstance(part, BodyPartReader) or not part.filename:
                continue
            name = upload_name(part.filename)
            if not name:
                continue
            temp = folder / f".upload-{uuid.uuid4().hex}"
            try:
                with temp.open("wb") as out:
                    while chunk := await part.read_chunk(CHUNK):
                        total += len(chunk)
                        if total > MAX_UPLOAD_BYTES:
                            raise web.HTTPRequestEntityTooLarge(
                                max_size=MAX_UPLOAD_BYTES, actual_size=total)
                        out.write(chunk)
                target = self._place(temp, folder, name)
            finally:
                temp.unlink(missing_ok=True)
            saved.append(target.name)
        return web.json_response({"saved": saved, "folder": str(folder)})

    @staticmethod
    def _place(temp: Path, folder: Path, name: str) -> Path:
        """Give the finished upload its name without ever replacing a file (link, not rename)."""
        while True:
            target = free_path(folder, name)
            try:
                os.link(temp, target)
                return target
            except FileExistsError:
                continue  # taken between the look and the link: try the next name
            except OSError:  # a file system without hard links: an exclusive copy
                import shutil

                try:
                    with temp.open("rb") as src, target.open("xb") as dst:
                        shutil.copyfileobj(src, dst)
                except FileExistsError:
                    continue
                return target


def serve(command: list[str], *, host: str, port: int, drop_dir: Path | None) -> None:
    import shlex

    server = AppealDeskServer(shlex.join(command), host=host, port=port, drop_dir=drop_dir)
    server.serve()


__all__ = ["AppealDeskServer", "serve", "upload_name"]

