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
