"""A crash loses at most two seconds of typing, and closing the terminal loses nothing.

The real app in a real terminal (tests/pty_app.py): typed into at a steady rate, then
killed with kill -9 at a random moment (what is on disk is compared with what was typed,
in seconds of typing), or hung up (the terminal closed: SIGHUP) or sent SIGTERM (it must
save and be gone within two seconds, writing nothing to the terminal on the way out).
Serial: these measure real time.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from appealdesk.cli import main
from appealdesk.widgets.editor_pane import MAX_LOSS
from tests.pty_app import AppInPty, saved_prefix

NOTICE = Path(__file__).parent / "notices" / "amazon_uk_late_dispatch.txt"
RUNS = 5
RATE = 10.0  # keys a second: a fast typist, steadily, never pausing
LETTERS = "abcdefghijklmnopqrstuvwxyz"

pytestmark = pytest.mark.serial


@pytest.fixture
def one_case(tmp_path) -> tuple[Path, str]:
    root = tmp_path / "data"
    assert main(["--data-dir", str(root), "intake", str(NOTICE),
                 "--received", "2026-11-30T10:00:00+00:00"]) == 0
    (case_id,) = [p.parent.name for p in (root / "cases").glob("*/case.toml")]
    return root, case_id


def test_kill_9_while_typing_loses_at_most_two_seconds(one_case, capsys):
    root, case_id = one_case
    rng = random.Random(16)
    losses = []
    for _run in range(RUNS):
        app = AppInPty(root, case_id)
        try:
            before = app.draft()
            app.start_editing("x")  # saved: from here on the keys reach the letter
            typed = "x" + "".join(rng.choice(LETTERS) for _ in range(200))
            seconds = rng.uniform(1.2, 3.0)  # the kill comes at a random moment
            sent = [0.0] + app.type_steadily(typed[1:1 + int(seconds * RATE)], RATE)
            killed = app.kill()
        finally:
            app.close()
        draft = app.draft()
        kept = saved_prefix(draft, typed)
        # What is on disk is exactly what was typed up to a point: nothing half-saved.
        assert draft == typed[:kept] + before
        lost = 0.0 if kept >= len(sent) else killed - sent[kept]
        losses.append(lost)
        assert lost <= MAX_LOSS, f"{lost:.2f} s of typing lost (run {_run + 1})"
    with capsys.disabled():
        print(f"\nkill -9 while typing: {RUNS} runs, seconds of typing lost: "
              + ", ".join(f"{lost:.2f}" for lost in losses))


@pytest.mark.parametrize("how", ["hang up", "SIGTERM"])
def test_closing_the_terminal_saves_and_exits_within_two_seconds(one_case, how):
    root, case_id = one_case
    app = AppInPty(root, case_id)
    try:
        before = app.draft()
        app.start_editing("x")
        typed = "x" + "".join(random.Random(how).choice(LETTERS) for _ in range(5))
        app.type_steadily(typed[1:], RATE)
        # On screen: the app has read the keys (unread ones die with the terminal). This
        # is usually well before the autosave, 1 s after the first key, so the save on
        # the way out keeps them; on a very busy machine the autosave may have.
        app.wait_for(lambda: typed.encode() in app.output, timeout=5.0)
        mark = len(app.output)
        at = app.hang_up() if how == "hang up" else app.terminate()
        took = app.wait_exit(at, timeout=MAX_LOSS)
        assert took is not None, f"still running {MAX_LOSS} s after the {how}"
        assert app.process.returncode == 0  # an orderly exit, not the watchdog's
        if how == "SIGTERM":  # the terminal is still there: nothing rang, nothing failed
            after = bytes(app.output[mark:])
            assert b"\x07" not in after and b"Traceback" not in after
    finally:
        app.close()
    assert app.draft() == typed + before
