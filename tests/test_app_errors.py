"""The app's one error boundary: a failing worker or bad case data becomes one
notification naming what failed, and the app keeps running."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from textual import work

from appealdesk.app import WORKER_TITLES, AppealDeskApp, one_line
from appealdesk.cases.errors import StoreError
from appealdesk.widgets.pane import Pane
from tests.conftest import settle

ROOT = Path(__file__).resolve().parent.parent
UI_FILES = [ROOT / "src/appealdesk/app.py", *sorted((ROOT / "widgets").glob("*.py")),
            *sorted((ROOT / "screens").rglob("*.py"))]


def _work_calls():
    for path in UI_FILES:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and (
                getattr(node.func, "id", None) == "work"
                or getattr(node.func, "attr", None) in ("work", "run_worker")
            ):
                yield path, node


def test_every_worker_reports_instead_of_exiting():
    found, problems = 0, []
    for path, call in _work_calls():
        found += 1
        keywords = {k.arg: k.value for k in call.keywords}
        exit_on_error = keywords.get("exit_on_error")
        if not (isinstance(exit_on_error, ast.Constant) and exit_on_error.value is False):
            problems.append(f"{path.name}:{call.lineno}: exit_on_error=False missing")
        group = keywords.get("group")
        if not (isinstance(group, ast.Constant) and group.value in WORKER_TITLES):
            problems.append(f"{path.name}:{call.lineno}: group without a title in WORKER_TITLES")
    assert found >= 18
    assert not problems, problems


def test_every_class_with_workers_hands_their_errors_to_the_app():
    """Worker.StateChanged does not bubble: a widget or screen running workers must pass
    it on (WorkerErrorsToApp), or its failures would go unseen."""
    problems = []
    for path in UI_FILES:
        for cls in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(cls, ast.ClassDef) or cls.name == "AppealDeskApp":
                continue
            runs_workers = any(
                isinstance(d, ast.Call) and getattr(d.func, "id", None) == "work"
                for f in cls.body if isinstance(f, ast.FunctionDef) for d in f.decorator_list)
            bases = {getattr(b, "id", None) or getattr(getattr(b, "value", None), "id", None)
                     for b in cls.bases}
            if runs_workers and not bases & {"WorkerErrorsToApp", "Pane"}:
                problems.append(f"{path.name}: {cls.name}")
    assert not problems, problems


def test_one_line_names_foreign_errors_and_keeps_ours_as_written():
    assert one_line(KeyError("marketplace")) == "KeyError: 'marketplace'"
    assert one_line(ValueError("first\nsecond")) == "ValueError: first"
    assert one_line(RuntimeError()) == "RuntimeError"
    assert one_line(StoreError("case.toml: received: not a time")) == \
        "case.toml: received: not a time"


class FailingPane(Pane):
    @work(thread=True, group="metrics-compute", exit_on_error=False)
    def explode(self) -> None:
        raise ValueError("naive datetime in case.toml\nTraceback line")


async def test_a_failing_worker_is_one_notification_and_the_app_runs_on(demo_app):
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pane = FailingPane()
        await app.screen.mount(pane)
        pane.explode()
        await settle(pilot)
        failures = [n for n in app._notifications if n.severity == "error"]
        assert len(failures) == 1
        assert failures[0].title == "Computing the metrics failed"
        assert failures[0].message == "ValueError: naive datetime in case.toml"
        assert "Traceback" not in failures[0].message
        assert app.is_running
        await pilot.press("2")  # still answers keys
        await settle(pilot)
        assert app.is_running
    assert app.return_code in (0, None)


async def test_a_failing_app_worker_is_reported_too(demo_workspace, monkeypatch):
    app = AppealDeskApp(demo_workspace)

    def broken_sync(*args, **kwargs):
        raise TypeError("can't compare offset-naive and offset-aware datetimes")

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(app.case_index, "sync", broken_sync)
        await pilot.press("ctrl+r")
        await settle(pilot)
        titles = [n.title for n in app._notifications if n.severity == "error"]
        assert "Loading the cases failed" in titles  # (a letter check may fail likewise)
        assert app.is_running


async def test_a_naive_time_in_one_case_file_does_not_stop_the_app(demo_app, demo_workspace):
    """The issue's reproduction: `received` written as a TOML local date-time."""
    path = demo_workspace.store.root / "cases" / "amazon-5839201744" / "case.toml"
    text = path.read_text("utf-8")
    naive, count = re.subn(r"^(received = \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(Z|[+-]\d\d:\d\d)",
                           r"\1", text, flags=re.M)
    assert count == 1
    path.write_text(naive, "utf-8")
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        # Checked first: the toast leaves after its timeout, which a loaded machine can
        # outlast while the keys below are pressed.
        assert any(n.severity == "error" for n in app._notifications)
        for key in ("2", "3", "4", "1", "j", "k"):
            await pilot.press(key)
            await settle(pilot)
        assert app.is_running
    assert app.return_code in (0, None)
