"""`appealdesk serve` answers a browser on loopback."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.serial  # a free port can be taken by another test between probe and bind
def test_serve_on_loopback_returns_the_app_page(tmp_path):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "appealdesk", "--data-dir", str(tmp_path / "data"), "serve",
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        page = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as resp:
                    assert resp.status == 200
                    page = resp.read().decode("utf-8", "replace")
                    break
            except OSError:
                time.sleep(0.2)
        if page is None:
            pytest.fail(f"server did not answer: {proc.stdout.read(2000) if proc.poll() else ''}")
        assert "AppealDesk" in page
        assert "textual" in page.lower()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.mark.serial  # a server port
def test_served_page_focuses_the_terminal_and_uploads_only_from_the_page(tmp_path):
    """The page needs no click before keys work and loads nothing from the internet; the
    upload route saves into the drop folder, never over a file, and refuses a cross-site
    form (which cannot send the page's header)."""
    import json
    import os
    import uuid

    from tests.browser_cdp import start_server, stop

    port = free_port()
    drop = tmp_path / "drop"
    server = start_server(["--data-dir", str(tmp_path / "data")], port,
                          env=dict(os.environ, APPEALDESK_DROP_DIR=str(drop)))
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as resp:
            page = resp.read().decode("utf-8")
        assert "xterm-helper-textarea" in page and "focus(" in page
        assert "https://" not in page and "Upload files" in page

        def post(name: str, data: bytes, header: bool) -> tuple[int, str]:
            boundary = uuid.uuid4().hex
            body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                    f"filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/upload", data=body, method="POST",
                headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                         **({"X-AppealDesk-Upload": "1"} if header else {})})
            try:
                with urllib.request.urlopen(request, timeout=5) as resp:
                    return resp.status, resp.read().decode("utf-8")
            except urllib.error.HTTPError as error:
                return error.code, ""

        assert post("proof.png", b"one", header=False)[0] == 403
        assert not drop.exists() or not any(drop.iterdir())
        status, answer = post("proof.png", b"one", header=True)
        assert status == 200 and json.loads(answer)["saved"] == ["proof.png"]
        status, answer = post("../proof.png", b"two", header=True)
        assert json.loads(answer)["saved"] == ["proof (2).png"]
        assert (drop / "proof.png").read_bytes() == b"one"
        assert (drop / "proof (2).png").read_bytes() == b"two"
        assert sorted(p.name for p in drop.iterdir()) == ["proof (2).png", "proof.png"]
    finally:
        stop(server)
