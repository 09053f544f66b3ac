"""The app's one error boundary: what a failed worker or a failing event-loop method
becomes (one notification, never a traceback), and the titles it is shown under."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from appealdesk.i18n import N_

if TYPE_CHECKING:
    from textual.worker import Worker

# -- the one error boundary ------------------------------------------------------------
# Every worker runs with ``exit_on_error=False``; a failed one reaches
# ``AppealDeskApp.on_worker_state_changed`` (widgets and screens that run workers hand
# their ``Worker.StateChanged`` on: Textual does not bubble it). Code on the event loop
# that reads case data is wrapped in ``guarded``. Both end in ``report_failure``: one
# notification naming what failed, the error's first line, never a traceback.

WORKER_TITLES = {
    "load-cases": N_("Loading the cases failed"),
    "case-watch": N_("Looking for changes to the cases failed"),
    "metrics-compute": N_("Computing the metrics failed"),
    "metrics-import": N_("Importing the report failed"),
    "evidence-change": N_("Changing the evidence failed"),
    "evidence-bundle": N_("Bundling the evidence failed"),
    "editor-save": N_("Saving the letter failed"),
    "editor-lint": N_("Checking the letter failed"),
    "editor-preview": N_("The preview failed"),
    "editor-draft": N_("Drafting the letter failed"),
    "editor-render": N_("Rendering the PDF failed"),
    "editor-download": N_("Downloading the PDF failed"),
    "evidence-download": N_("Downloading the bundle failed"),
    "editor-phrase": N_("Opening the phrasebook failed"),
    "followup-done": N_("Marking the follow-up done failed"),
    "new-case-detect": N_("Reading the notification failed"),
    "new-case-create": N_("Creating the case failed"),
    "submit": N_("Recording the submission failed"),
    "outcome": N_("Recording the outcome failed"),
    "inbox-status": N_("Changing the status failed"),
    "inbox-search": N_("Searching the cases failed"),
    "editor-case-findings": N_("Checking the case failed"),
}
SOMETHING_FAILED = N_("Something went wrong")


def one_line(error: BaseException) -> str:
    """The error's first line. Our own errors (and OS errors) are written for the operator;
    anything else is named by its type, so "KeyError: 'x'" does not read as just 'x'."""
    lines = str(error).strip().splitlines()
    message = lines[0] if lines else ""
    readable = isinstance(error, OSError) or type(error).__module__.startswith("appealdesk")
    if readable and message:
        return message
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


P = ParamSpec("P")
R = TypeVar("R")


def guarded(title: str) -> Callable[[Callable[P, R]], Callable[P, R | None]]:
    """Run an event-loop method of a widget, screen or the app so that an error in the
    data it shows becomes one notification titled ``title`` (an ``N_`` msgid), not a
    crash. The method's owner must be mounted in an ``AppealDeskApp``. For plain methods:
    slow or async work belongs in a worker."""

    def decorate(method: Callable[P, R]) -> Callable[P, R | None]:
        if inspect.iscoroutinefunction(method):
            raise TypeError(f"guarded() is for plain methods, not {method.__qualname__}")
        @functools.wraps(method)
        def run(*args: P.args, **kwargs: P.kwargs) -> R | None:
            try:
                return method(*args, **kwargs)
            except Exception as error:
                owner: Any = args[0]
                # the app itself, or the widget or screen it runs in
                app = owner if hasattr(owner, "report_failure") else owner.app
                app.report_failure(title, error)
                return None

        return run

    return decorate


class WorkerErrorsToApp:
    """For a widget or screen that runs workers: Textual posts ``Worker.StateChanged`` to
    the worker's own node and does not bubble it, so this hands it to the App's one
    handler (``AppealDeskApp.on_worker_state_changed``)."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        app: Any = getattr(self, "app")  # noqa: B009  (the mixin has no app of its own)
        app.on_worker_state_changed(event)
