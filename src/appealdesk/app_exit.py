"""Leaving the app when its terminal goes away or the system asks it to stop.

A dropped SSH connection or a closed terminal window hangs up the terminal
(SIGHUP); a shutdown sends SIGTERM. Either way the app leaves as on ``q`` — the
letter being typed is saved on the way out (``widgets/editor_save.py``) and a
demo copy removed — and the process is gone within ``EXIT_DEADLINE`` seconds:

- When the terminal is gone (SIGHUP, or reading it fails with EIO because no
  SIGHUP came), nothing is written to it any more: the standard output and error
  are pointed at /dev/null before the app starts leaving, and ``bell`` is silent.
  (Textual's restore sequences, a late traceback or a bell written to a dead
  terminal used to fail in turn, and once left the app stuck ringing the bell.)
- ``cli.app_cmd.run_app`` ends the process at once after an app left on a signal
  (``os._exit``, after flushing): the interpreter's teardown of some 700 modules
  took about a second, half the time allowed.
- A watchdog ends the process (exit status 128 + the signal) if the orderly exit
  has not finished by ``EXIT_DEADLINE``; the autosave has kept all but the last
  second of typing, and every write is atomic, so this is no worse than a crash.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import IO, Any, cast

from textual.app import App
from textual.driver import Driver

EXIT_DEADLINE = 1.5  # seconds from the signal to a process that is gone, whatever happens
TERMINAL_CHECK = 0.5  # seconds between looks at the terminal (no SIGHUP came)
SIGNALS = ("SIGHUP", "SIGTERM")


def silence_terminal() -> None:
    """Point the standard output and error at /dev/null: nothing more reaches a
    terminal that is gone (writing to it fails with EIO, or blocks)."""
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    for fd in (1, 2):
        try:
            os.dup2(null, fd)
        except OSError:
            pass
    os.close(null)


def _hard_exit(code: int) -> None:
    silence_terminal()
    os._exit(code)


class _TerminalFile:
    """The driver's output file, made safe for a terminal that is gone: a failing write
    (EIO) reports the hang-up and drops the text. Textual's writer thread would die on
    it instead, and the app then blocks for good on its full output queue."""

    def __init__(self, file: IO[str], gone: Callable[[], None]) -> None:
        self._file = file
        self._gone = gone
        self._dead = False

    def write(self, text: str) -> int:
        if not self._dead:
            try:
                return self._file.write(text)
            except (OSError, ValueError):
                self._dead = True
                self._gone()
        return len(text)

    def flush(self) -> None:
        if not self._dead:
            try:
                self._file.flush()
            except (OSError, ValueError):
                self._dead = True
                self._gone()

    def fileno(self) -> int:
        return self._file.fileno()

    def isatty(self) -> bool:
        return True


def _hangup_aware(driver: type[Driver]) -> type[Driver]:
    """Textual's plain terminal driver, made to notice a terminal that is gone when no
    SIGHUP says so (the process has no controlling terminal; a hang-up signal that was
    lost): a write fails (EIO), or the terminal's settings can no longer be read
    (checked every TERMINAL_CHECK seconds: reading it gives an endless end-of-file,
    on which Textual's input thread spins). The app then leaves as on a hang-up.
    Any other driver (the browser's, Windows') is returned as it is."""
    try:
        import termios

        from textual.drivers.linux_driver import LinuxDriver
    except ImportError:  # Windows
        return driver
    if driver is not LinuxDriver:
        return driver

    class HangupAwareDriver(LinuxDriver):
        def __init__(self, app: App, *args: Any, **kwargs: Any) -> None:
            super().__init__(app, *args, **kwargs)
            self._hung_up = False
            if self._file is not None:
                self._file = cast(Any, _TerminalFile(self._file, self._terminal_gone))

        def _terminal_gone(self) -> None:
            if not self._hung_up:
                self._hung_up = True
                app: Any = self._app
                self._loop.call_soon_threadsafe(app.leave_on_signal, "SIGHUP")

        def run_input_thread(self) -> None:
            watch = threading.Thread(target=self._watch_terminal, name="terminal-watch",
                                     daemon=True)
            watch.start()
            try:
                super().run_input_thread()
            except OSError:
                self._terminal_gone()

        def _watch_terminal(self) -> None:
            while not self.exit_event.wait(TERMINAL_CHECK):
                try:
                    termios.tcgetattr(self.fileno)
                except (termios.error, OSError):
                    self._terminal_gone()
                    return

    return HangupAwareDriver


class LeavesOnSignal(App):
    """The app's base: SIGHUP and SIGTERM make it leave as on ``q``, quickly and quietly."""

    # The signal's name once one arrived (cli.app_cmd ends the process at once then).
    left_on_signal: str | None = None
    terminal_gone = False

    def get_driver_class(self) -> type[Driver]:
        return _hangup_aware(super().get_driver_class())

    def leave_on_signals(self) -> None:
        """Install the handlers (from on_mount: the event loop's own signal handling)."""
        loop = asyncio.get_running_loop()
        for name in SIGNALS:
            number = getattr(signal, name, None)
            if number is None:
                continue  # Windows
            try:
                loop.add_signal_handler(number, self.leave_on_signal, name)
            except (NotImplementedError, RuntimeError, ValueError):
                return  # not the main thread, or a loop without signal support

    def leave_on_signal(self, name: str) -> None:
        # Headless (the tests' run_test) there is no terminal to spare, and the process
        # is not the app's to end: just leave.
        real = not self.is_headless
        if name == "SIGHUP" and not self.terminal_gone:
            self.terminal_gone = True
            if real:
                silence_terminal()
        if self.left_on_signal is not None:
            return  # already leaving
        self.left_on_signal = name
        if real:
            code = 128 + int(getattr(signal, name, signal.SIGTERM))
            watchdog = threading.Timer(EXIT_DEADLINE, _hard_exit, (code,))
            watchdog.daemon = True
            watchdog.start()
        self.exit()

    def bell(self) -> None:
        if not self.terminal_gone:
            super().bell()
