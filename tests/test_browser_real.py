"""The app in a real browser: `appealdesk serve` on loopback, headless Chromium over the
DevTools protocol (tests/browser_cdp.py). Keys work without a click, the screen reads as
the app drew it, a rendered letter downloads as a PDF, a file uploaded from the page's bar
lands in the drop folder and is attached from the picker.

Needs the system's Chromium (`.ci/run` installs the Debian package); skipped, saying why,
without it. Nothing beyond loopback.
"""

from __future__ import annotations

import asyncio
import os

import pytest

from tests.browser_cdp import Browser, find_chromium, free_port, start_server, stop
from tests.evidence_fixtures import make_png

CHROMIUM = find_chromium()


@pytest.mark.serial  # a server port, a browser and real timers
@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH: .ci/run installs the "
                    "Debian package 'chromium'; without it the real-browser test cannot run")
def test_served_app_in_headless_chromium(tmp_path):
    asyncio.run(_served_app_in_headless_chromium(tmp_path))


async def _served_app_in_headless_chromium(tmp_path):
    assert CHROMIUM is not None
    drop = tmp_path / "drop"
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    env = dict(os.environ, APPEALDESK_DROP_DIR=str(drop))
    port = free_port()
    server = start_server(["--demo"], port, env=env)
    try:
        async with Browser(CHROMIUM, downloads, width=1400, height=900) as browser:
            await browser.goto(f"http://127.0.0.1:{port}/")
            screen = await browser.wait_for_text(r"amazon-5839201744", 30)  # the demo cases
            assert "AppealDesk" in screen and "Inbox" in screen

            # Keys reach the app with no click: the page focuses the terminal itself.
            await browser.press("?")
            await browser.wait_for_text(r"Keys — esc to close")
            await browser.press("escape")

            # Filter the inbox to the demo's Amazon case and open its letter: D (download)
            # is offered in a browser.
            await browser.press("/", *"5839201744", "enter")
            await browser.wait_for_text(r"^(?![\s\S]*joom-jn-)[\s\S]*amazon-5839201744")
            await browser.press("enter", "4")
            screen = await browser.wait_for_text(r"D Download PDF")
            assert "Sunrise Home" in screen
            assert "Open in $EDITOR" not in screen

            # Render (a DRAFT if the case still has blocking findings), then download it.
            await browser.press("r")
            screen = await browser.wait_for_text(r"rendered|Render a DRAFT", 30)
            if "Render a DRAFT" in screen and "rendered" not in screen:
                await browser.press("y")
            screen = await browser.wait_for_text(r"rendered", 30)
            assert "/out/" not in screen  # the server's path means nothing here
            await browser.press("D")
            pdf = await browser.wait_download(30)
            assert pdf.suffix == ".pdf" and pdf.read_bytes().startswith(b"%PDF")

            # A file in: the page's upload bar puts it in the drop folder …
            proof = make_png(tmp_path / "tracking proof.png")
            document = await browser.send("DOM.getDocument")
            node = await browser.send("DOM.querySelector", nodeId=document["root"]["nodeId"],
                                      selector="#ad-files")
            await browser.send("DOM.setFileInputFiles", files=[str(proof)],
                               nodeId=node["nodeId"])
            for _ in range(100):
                status = await browser.evaluate(
                    "document.getElementById('ad-upload-status').textContent")
                if "tracking proof.png" in (status or ""):
                    break
                await asyncio.sleep(0.1)
            assert "tracking proof.png" in status, status
            assert (drop / "tracking proof.png").read_bytes() == proof.read_bytes()

            # … and the attach picker opens there (keys still reach the app after the upload).
            # The pane key moves focus after the next frame: the footer shows the evidence
            # pane's keys once it has it (a key sent in the same instant reaches the old pane).
            await browser.press("3")
            await browser.wait_for_text(r"a Attach")
            await browser.press("a")
            screen = await browser.wait_for_text(r"tracking proof\.png")
            assert "Drop folder:" in screen
            await browser.press("down", "enter")
            await browser.wait_for_text(r"Attached tracking proof\.png")
    finally:
        stop(server)
