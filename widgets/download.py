"""Files out of the app in a browser: the rendered letter and the bundle as downloads.

Served on the web (``appealdesk serve``), the server's ``out/`` folder is out of the
operator's reach, so the letter and the evidence panes offer ``D`` (and a palette entry),
which hands the file to the browser through Textual's delivery API
(``App.deliver_binary``; textual-serve turns it into a download). In a terminal the keys
are hidden and the notification shows the file's path, as before.
"""

from __future__ import annotations

import re
from pathlib import Path

from textual.app import App

from appealdesk.i18n import _

MIME = {".pdf": "application/pdf", ".zip": "application/zip"}


def download_name(name: str) -> str:
    """The name the browser saves the file under. textual-serve writes it into the
    Content-Disposition header unquoted: keep letters, digits, '.', '-' and '_'."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")
    return safe or "appealdesk-download"


def offer_download(app: App, path: Path) -> None:
    """Send ``path`` to the browser as a download (on the event loop)."""
    app.deliver_binary(path, save_filename=download_name(path.name), open_method="download",
                       mime_type=MIME.get(path.suffix.lower(), "application/octet-stream"))
    app.notify(_("Your browser saves {name}.").format(name=download_name(path.name)),
               title=_("Download"), timeout=6)
