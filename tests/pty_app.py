"""The real app in a real terminal: a process on a pseudo-terminal, typed into at a steady
rate, then killed (kill -9), hung up (the terminal closed) or sent SIGTERM.

Used by tests/test_crash_typing.py. The app runs as ``python -m appealdesk --data-dir
DIR app`` in its own session with the pty as its controlling terminal, as under a
terminal window or sshd, so closing the pty's master end hangs it up (SIGHUP).
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

from appealdesk.cases.workspace import Workspace

START_TIMEOUT = 30.0  # seconds for the app to show the case on a loaded machine


def _controlling_terminal() -> None:  # in the child, before exec
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class AppInPty:
    def __init__(self, root: Path, case_id: str) -> None:
        self.root = root
        self.case_id = case_id
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = dict(os.environ, TERM="xterm-256color")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "appealdesk", "--data-dir", str(root), "app"],
            stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
            preexec_fn=_controlling_terminal)
        os.close(slave)
        self.output = bytearray()
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()
        self.workspace = Workspace.open(root)

    def _drain(self) -> None:
        # select with a timeout, never a blocking read: a read in progress would keep
        # the master open after close() and the terminal would never hang up.
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            self.output.extend(data)

    def draft(self) -> str:
        return self.workspace.store.load(self.case_id).letter.draft

    def wait_for(self, condition, timeout: float = START_TIMEOUT) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if condition():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"the app ended early: {self.tail()}")
            time.sleep(0.05)
        raise AssertionError(f"timed out; the screen ends with: {self.tail()}")

    def tail(self) -> str:
        return bytes(self.output[-600:]).decode("utf-8", "replace")

    def press(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def start_editing(self, first: str = "x") -> None:
        """Open the letter of the one case, edit it and type ``first``; returns once the
        app has saved it (so the app is up and the keys reach the text)."""
        before = self.draft()
        self.wait_for(lambda: self.case_id.encode() in self.output)  # the inbox
        self.press("4")
        # The letter pane's findings title: the case is shown there (before, "e" does nothing).
        self.wait_for(lambda: b"Findings: " in self.output)
        mark = len(self.output)
        self.press("e")
        # Editing (the footer offers esc). A key typed before that goes to the widget
        # focused when it arrived: Textual routes each key on arrival.
        self.wait_for(lambda: b"Stop editing" in self.output[mark:])
        self.press(first)
        self.wait_for(lambda: self.draft() == first + before)

    def type_steadily(self, text: str, rate: float) -> list[float]:
        """Type ``text`` at ``rate`` keys a second; the moment each key was sent."""
        sent = []
        start = time.monotonic()
        for i, char in enumerate(text):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self.press(char)
            sent.append(time.monotonic())
        return sent

    def kill(self) -> float:
        os.kill(self.process.pid, signal.SIGKILL)
        at = time.monotonic()
        self.process.wait()
        return at

    def hang_up(self) -> float:
        """Close the terminal (its master end), as a terminal window or sshd does."""
        self._stop.set()
        self._reader.join()
        at = time.monotonic()
        os.close(self.master)
        self.master = -1
        return at

    def terminate(self) -> float:
        os.kill(self.process.pid, signal.SIGTERM)
        return time.monotonic()

    def wait_exit(self, since: float, timeout: float) -> float | None:
        """Seconds from ``since`` until the process ended, or None if it had not ended
        ``timeout`` seconds after it."""
        try:
            self.process.wait(timeout=max(0.0, since + timeout - time.monotonic()))
        except subprocess.TimeoutExpired:
            return None
        return time.monotonic() - since

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._stop.set()
        self._reader.join()
        if self.master >= 0:
            os.close(self.master)
            self.master = -1


def saved_prefix(draft: str, typed: str) -> int:
    """How many of the typed characters (typed at the start of the letter) are on disk."""
    count = 0
    for saved, sent in zip(draft, typed, strict=False):
        if saved != sent:
            break
        count += 1
    return count
