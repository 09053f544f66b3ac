"""Drive headless Chromium over the DevTools protocol (CDP), with aiohttp's websocket client.

For the real-browser test (``tests/test_browser_real.py``) and the screenshot script
(``tests/browser_screenshot.py``). No Playwright: it would want to download its own browser;
this uses the system's ``chromium`` (Debian package) and nothing beyond loopback (every other
host name resolves to nothing).
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")

# Before any script of the page: keep a handle on the xterm.js Terminal that textual.js
# creates (`this.terminal = new Terminal(...)`), so the test can read the screen buffer.
CAPTURE_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true,
                                             enumerable: true});
    if (value && typeof value.loadAddon === "function") { window.__adTerminal = value; }
  },
});
"""
SCREEN_TEXT = """(() => {
  const t = window.__adTerminal;
  if (!t) return null;
  const b = t.buffer.active, lines = [];
  for (let y = 0; y < t.rows; y++) {
    const line = b.getLine(b.viewportY + y);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
})()"""

# key name -> (key, code, windowsVirtualKeyCode, text)
SPECIAL_KEYS = {
    "enter": ("Enter", "Enter", 13, "\r"),
    "escape": ("Escape", "Escape", 27, ""),
    "tab": ("Tab", "Tab", 9, ""),
    "backspace": ("Backspace", "Backspace", 8, ""),
    "down": ("ArrowDown", "ArrowDown", 40, ""),
    "up": ("ArrowUp", "ArrowUp", 38, ""),
}


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_args: list[str], port: int, env: dict[str, str] | None = None,
                 timeout: float = 30) -> subprocess.Popen:
    """`appealdesk … serve` on loopback; returns once the page answers."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "appealdesk", *data_args, "serve", "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return proc
        except OSError:
            time.sleep(0.2)
    stop(proc)
    out = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
    raise RuntimeError(f"appealdesk serve did not answer: {out[-2000:]}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Browser:
    """One headless Chromium with one page, driven over CDP."""

    def __init__(self, executable: str, downloads: Path, width: int = 1400,
                 height: int = 900) -> None:
        self.executable = executable
        self.downloads = downloads
        self.width, self.height = width, height
        self.profile = Path(tempfile.mkdtemp(prefix="appealdesk-chromium-"))
        self.proc: subprocess.Popen | None = None
        self._http: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future] = {}
        self._events: list[dict[str, Any]] = []
        self._event_added = asyncio.Event()
        self._reader: asyncio.Task | None = None
        self.session = ""

    async def __aenter__(self) -> Browser:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> None:
        args = [
            self.executable, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", f"--user-data-dir={self.profile}",
            "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
            f"--window-size={self.width},{self.height}",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--metrics-recording-only", "--mute-audio",
            "--disable-features=Translate,MediaRouter,OptimizationHints",
            # Nothing beyond loopback: every other host name resolves to nothing.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "about:blank",
        ]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = await asyncio.to_thread(self._devtools_url)
        self._http = aiohttp.ClientSession()
        self._ws = await self._http.ws_connect(url, max_msg_size=0)
        self._reader = asyncio.create_task(self._read())
        await self.send("Browser.setDownloadBehavior", behavior="allow",
                        downloadPath=str(self.downloads), eventsEnabled=True, session=None)
        target = await self.send("Target.createTarget", url="about:blank", session=None)
        attached = await self.send("Target.attachToTarget", targetId=target["targetId"],
                                   flatten=True, session=None)
        self.session = attached["sessionId"]
        await self.send("Page.enable")
        await self.send("Runtime.enable")
        await self.send("Page.addScriptToEvaluateOnNewDocument", source=CAPTURE_TERMINAL)

    def _devtools_url(self) -> str:
        assert self.proc is not None and self.proc.stderr is not None
        deadline = time.monotonic() + 30
        seen = []
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline().decode("utf-8", "replace")
            if not line:
                if self.proc.poll() is not None:
                    break
                continue
            seen.append(line)
            found = re.search(r"DevTools listening on (ws://\S+)", line)
            if found:
                # Keep draining stderr so Chromium never blocks on a full pipe.
                import threading

                threading.Thread(target=self._drain, daemon=True).start()
                return found.group(1)
        raise RuntimeError("Chromium did not start: " + "".join(seen)[-2000:])

    def _drain(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        for _line in self.proc.stderr:
            pass

    async def _read(self) -> None:
        assert self._ws is not None
        async for message in self._ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(message.data)
            if "id" in data:
                future = self._pending.pop(data["id"], None)
                if future is not None and not future.done():
                    future.set_result(data)
            else:
                self._events.append(data)
                self._event_added.set()

    async def send(self, method: str, session: str | None | bool = True,
                   **params: Any) -> dict[str, Any]:
        assert self._ws is not None
        ident = next(self._ids)
        message: dict[str, Any] = {"id": ident, "method": method, "params": params}
        if session is True:
            message["sessionId"] = self.session
        elif session:
            message["sessionId"] = session
        future = asyncio.get_running_loop().create_future()
        self._pending[ident] = future
        await self._ws.send_str(json.dumps(message))
        answer = await asyncio.wait_for(future, 30)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    async def wait_event(self, method: str, timeout: float, **match: Any) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for event in self._events:
                if event.get("method") == method and all(
                        event.get("params", {}).get(k) == v for k, v in match.items()):
                    self._events.remove(event)
                    return event["params"]
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {method} {match} within {timeout} s")
            self._event_added.clear()
            try:
                await asyncio.wait_for(self._event_added.wait(), left)
            except TimeoutError:
                pass

    async def evaluate(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", expression=expression,
                                 returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(str(result["exceptionDetails"])[:500])
        return result["result"].get("value")

    async def goto(self, url: str) -> None:
        await self.send("Page.navigate", url=url)
        await self.wait_event("Page.loadEventFired", 30)

    async def screen(self) -> str:
        """The terminal's visible lines, as xterm.js holds them."""
        return await self.evaluate(SCREEN_TEXT) or ""

    async def wait_for_text(self, pattern: str, timeout: float = 20) -> str:
        """Poll the screen until ``pattern`` (a regex) is on it; the screen then."""
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = await self.screen()
            if re.search(pattern, text):
                return text
            await asyncio.sleep(0.2)
        raise TimeoutError(f"{pattern!r} not on the screen within {timeout} s:\n{text}")

    async def press(self, *keys: str) -> None:
        """Type keys as a person would: real key events to whatever has the focus."""
        for key in keys:
            if key in SPECIAL_KEYS:
                name, code, vk, text = SPECIAL_KEYS[key]
                modifiers = 0
            else:
                name, text = key, key
                code = f"Key{key.upper()}" if key.isalpha() else (
                    f"Digit{key}" if key.isdigit() else "")
                vk = ord(key.upper()) if key.isalnum() else 0
                modifiers = 8 if key.isupper() else 0  # shift
            down: dict[str, Any] = {"type": "keyDown", "key": name, "code": code,
                                    "windowsVirtualKeyCode": vk, "modifiers": modifiers}
            if text:
                down["text"] = text
            await self.send("Input.dispatchKeyEvent", **down)
            await self.send("Input.dispatchKeyEvent", type="keyUp", key=name, code=code,
                            windowsVirtualKeyCode=vk, modifiers=modifiers)
            # A lone ESC byte is only escape once nothing follows it for a moment; a key
            # sent right after it would be read as alt+key.
            await asyncio.sleep(0.4 if key == "escape" else 0.05)

    async def wait_download(self, timeout: float = 30) -> Path:
        """The next completed download: its file in ``downloads``."""
        begin = await self.wait_event("Browser.downloadWillBegin", timeout)
        await self.wait_event("Browser.downloadProgress", timeout, guid=begin["guid"],
                              state="completed")
        return self.downloads / begin["suggestedFilename"]

    async def screenshot(self, path: Path) -> None:
        shot = await self.send("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))

    async def close(self) -> None:
        try:
            if self._ws is not None and not self._ws.closed:
                try:
                    await self.send("Browser.close", session=None)
                except (RuntimeError, TimeoutError, ConnectionError, aiohttp.ClientError):
                    pass
                await self._ws.close()
            if self._reader is not None:
                self._reader.cancel()
            if self._http is not None:
                await self._http.close()
        finally:
            if self.proc is not None:
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
            shutil.rmtree(self.profile, ignore_errors=True)


def environment_without_display() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    return env
