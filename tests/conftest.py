"""Shared test setup, and the one place where the test machine is pinned.

- Time zone, locale and language: pinned for the whole session, below, before any
  test or fixture runs (times "in the operator's zone" are shown in UTC; gettext and
  the app see English), so the suite passes under any ``TZ``/``LANG``/``LANGUAGE``.
- Clock: ``FROZEN_NOW`` is the clock of every app test; the demo cases are anchored to it.
- Cursor blink: off in every app (``AppealDeskApp.CURSOR_BLINK``), so a snapshot never
  catches a cursor half-way; ``still()`` also waits for the screen to settle.
- Snapshots are stored under the top-level ``snapshots/`` folder (one folder per
  test module) instead of syrupy's default ``__snapshots__`` beside the tests.
- The environment is neutralised: NO_COLOR / TEXTUAL_THEME would change every
  snapshot, and nothing may touch the real user data folder.
- Tests that cannot share the machine with others are marked ``serial``
  (README: they run after the parallel part).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_textual_snapshot

from appealdesk.cases.clock import frozen_clock
from appealdesk.cases.workspace import Workspace
from appealdesk.i18n import set_language

# -- pinned for the whole session (xdist workers import this module too) ------------------
os.environ["TZ"] = "UTC"
time.tzset()
os.environ["LANG"] = "C.UTF-8"
for _var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LC_TIME"):
    os.environ.pop(_var, None)

SNAPSHOT_DIR = Path(__file__).resolve().parent.parent / "snapshots"
FROZEN_NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SIZES = {"narrow": (80, 24), "wide": (160, 48)}


# rich names an SVG "terminal-<hash>" after everything it drew, invisible metadata
# included; the plugin strips the hash only where a suffix follows it. What a snapshot
# shows is compared, not that hash: a screen drawn alike must match however it got there.
_SVG_ID = re.compile(r"\bterminal-\d+\b")


class _TopLevelSVGExtension(pytest_textual_snapshot.SVGImageExtension):
    @classmethod
    def dirname(cls, *, test_location) -> str:
        return str(SNAPSHOT_DIR / test_location.basename)

    def serialize(self, *args, **kwargs):
        return _SVG_ID.sub("terminal", super().serialize(*args, **kwargs))

    def _read_snapshot_data_from_location(self, *args, **kwargs):
        data = super()._read_snapshot_data_from_location(*args, **kwargs)
        return _SVG_ID.sub("terminal", data) if data is not None else None


# snap_compare looks the extension up by this module-level name on every call.
pytest_textual_snapshot.SVGImageExtension = _TopLevelSVGExtension

COLLECTED = pytest.StashKey[list]()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Every collected test, before -k/-m deselect some (tests/test_snapshot_files.py)."""
    config.stash[COLLECTED] = list(items)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch, tmp_path_factory):
    for var in ("NO_COLOR", "TEXTUAL_THEME", "FORCE_COLOR", "EDITOR", "VISUAL",
                "APPEALDESK_DROP_DIR"):
        monkeypatch.delenv(var, raising=False)
    # Anything that forgets --data-dir lands in a throwaway folder, never the user's.
    monkeypatch.setenv("APPEALDESK_DATA_DIR", str(tmp_path_factory.mktemp("default-data")))
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    # The operator's own settings (language, theme) likewise: never the real ones.
    monkeypatch.setenv("APPEALDESK_CONFIG_DIR", str(home / ".config" / "appealdesk"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    from appealdesk.app import AppealDeskApp

    monkeypatch.setattr(AppealDeskApp, "CURSOR_BLINK", False)
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def empty_workspace(tmp_path) -> Workspace:
    ws = Workspace.open(tmp_path / "data", clock=frozen_clock(FROZEN_NOW), operator="tester")
    ws.label = "test data"
    ws.store.ensure()
    return ws


@pytest.fixture(scope="session")
def _demo_data(tmp_path_factory) -> Path:
    """The demo cases, installed once per test process (writing them takes most of a
    second: reports, PDFs, one fsync per file); each test gets a copy."""
    from appealdesk.demo import install_demo

    root = tmp_path_factory.mktemp("demo-template") / "data"
    ws = Workspace.open(root, clock=frozen_clock(FROZEN_NOW), operator="tester")
    install_demo(ws.store, FROZEN_NOW, operator="tester")
    return root


@pytest.fixture
def demo_workspace(tmp_path, _demo_data) -> Workspace:
    shutil.copytree(_demo_data, tmp_path / "data", symlinks=True)
    ws = Workspace.open(tmp_path / "data", clock=frozen_clock(FROZEN_NOW), operator="tester")
    ws.label = "test data"
    return ws


@pytest.fixture
def demo_app(demo_workspace):
    """A factory: ``demo_app()`` is the app on the demo cases with the frozen clock."""
    from appealdesk.app import AppealDeskApp

    def make(workspace: Workspace | None = None):
        return AppealDeskApp(workspace or demo_workspace)

    return make


@pytest.fixture
def fast_timers(monkeypatch):
    """Short editor timers so tests wait a fraction of a second (the real ones are tested)."""
    from appealdesk.widgets import editor_pane

    monkeypatch.setattr(editor_pane, "AUTOSAVE_INTERVAL", 0.05)
    monkeypatch.setattr(editor_pane, "LINT_DEBOUNCE", 0.05)


async def settle(pilot, times: int = 3) -> None:
    """Let workers finish and the screen repaint (case loading runs in a thread)."""
    from textual.worker import WorkerCancelled, WorkerFailed

    app = pilot.app
    for _ in range(times):
        try:
            await app.workers.wait_for_complete()
        except WorkerFailed:
            pass  # the app's error boundary reports it; tests look at the notifications
        except WorkerCancelled:
            pass  # an exclusive worker replaced by a newer one: nothing left to wait for
        await pilot.pause()


async def wait_until(pilot, ready, limit: float = 10.0) -> bool:
    """Pause until ``ready()`` or ``limit`` seconds, then settle; returns ``ready()``.

    For work done in a thread worker or behind a timer (the checks, an autosave, a
    save on the way out): a loaded machine takes longer, and a fixed pause then fails
    for nothing. The limit only bounds a test whose condition never comes true."""
    import time

    deadline = time.monotonic() + limit
    while not ready() and time.monotonic() < deadline:
        await pilot.pause(0.05)
    await settle(pilot)
    return bool(ready())


async def still(pilot, times: int = 3) -> None:
    """Settle and stop cursors blinking, so a snapshot never catches one half-way."""
    await settle(pilot, times)
    # Every screen of the stack: a modal shows the screen under it at its edges.
    for screen in pilot.app.screen_stack:
        for widget in screen.query("Input, TextArea"):
            widget.cursor_blink = False
            widget.notify_style_update()  # TextArea caches lines without the focus state
            widget.refresh()
    await pilot.pause()
