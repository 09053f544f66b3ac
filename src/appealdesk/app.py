"""The Textual application: four panes on the selected case.

The App takes its workspace (data folder, policies, clock, operator) through
its constructor, so tests run it on a temporary folder with a frozen clock.
Keys are declared once, as ``Binding``s with ids on the widget that owns
them; the footer, the command palette and the help screen all read those same
definitions (see ``get_system_commands`` and ``screens.help``) and translate
their descriptions when they show them (``widgets.footer``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker, WorkerState

# The one error boundary (app_errors.py); widgets and screens import it from here.
from appealdesk.app_errors import SOMETHING_FAILED as SOMETHING_FAILED
from appealdesk.app_errors import WORKER_TITLES as WORKER_TITLES
from appealdesk.app_errors import WorkerErrorsToApp as WorkerErrorsToApp
from appealdesk.app_errors import guarded as guarded
from appealdesk.app_errors import one_line as one_line
from appealdesk.app_exit import LeavesOnSignal
from appealdesk.cases.errors import StoreError
from appealdesk.cases.workspace import Workspace
from appealdesk.i18n import N_, _, current_language, set_language

if TYPE_CHECKING:  # the case model and the index are not needed to paint the first screen
    from appealdesk.cases.model import Case
    from appealdesk.index import CaseIndex, Summary

HIGH_CONTRAST = Theme(
    name="appealdesk-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    warning="#FFAA00",
    error="#FF5555",
    success="#55FF55",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    dark=True,
)
SHOWN_WAIT = 2.0  # seconds the case loader waits for the inbox to draw what the index held
THEMES = ("textual-dark", "textual-light", HIGH_CONTRAST.name)
# What the theme toast says (theme ids are for the config file).
THEME_NAMES = {"textual-dark": N_("Dark"), "textual-light": N_("Light"),
               HIGH_CONTRAST.name: N_("High contrast")}


class AppealDeskApp(LeavesOnSignal):
    TITLE = "AppealDesk"
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses live elsewhere
    # The rules of what mounts after the first frame (the case's panes, messages): read
    # right after it, one parse fewer before it (_read_later_css).
    LATER_CSS_PATH = Path(__file__).with_name("app_later.tcss")
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_BINDING = "ctrl+p"

    BINDINGS = [
        Binding("q", "quit", N_("Quit"), id="app.quit"),
        Binding("question_mark", "help", N_("Help"), key_display="?", id="app.help"),
        Binding("ctrl+p", "command_palette", N_("Commands"), show=False, id="app.palette",
                tooltip=N_("Open the command palette")),
        Binding("T", "cycle_theme", N_("Theme"), show=False, id="app.theme",
                tooltip=N_("Switch theme: dark, light, high contrast")),
        Binding("L", "switch_language", N_("中文 / English"), show=False, id="app.language",
                tooltip=N_("Switch language: 中文 / English")),
    ]

    INFORMATION_TIMEOUT = 3.0  # seconds a plain message stays (warnings: Textual's 5)
    CURSOR_BLINK = True
    """Whether text cursors blink (the tests turn it off: a picture never catches one
    half-way)."""

    def __init__(self, workspace: Workspace, *, demo: bool = False) -> None:
        super().__init__()
        self.workspace = workspace
        self.demo = demo
        self.summaries: list[Summary] = []  # every case, from the index (appealdesk.index)
        self.load_errors: list[str] = []
        self._case_index: CaseIndex | None = None
        self.case: Case | None = None
        self.register_theme(HIGH_CONTRAST)
        theme = workspace.settings.theme or "textual-dark"
        self.theme = theme if theme in self.available_themes else "textual-dark"

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """A message leaves sooner when it only confirms something (it should not sit
        over the text being read); warnings and errors stay as long as they say."""
        if timeout is None and severity == "information":
            timeout = self.INFORMATION_TIMEOUT
        super().notify(message, title=title, severity=severity, timeout=timeout,
                       markup=markup)

    def remember(self, **settings: str) -> None:
        """Save the operator's own preferences (theme, language) in their config file
        (``cases.config``), never in the shared data folder."""
        if self.demo:
            return
        from appealdesk.cases.config import remember

        try:
            remember(**settings)
        except (StoreError, OSError) as exc:  # e.g. the file is broken: it is left as it is
            self.notify(str(exc), title=_("Settings not saved"), severity="warning")

    def get_default_screen(self) -> Screen:
        from appealdesk.screens import MainScreen

        return MainScreen()

    def on_mount(self) -> None:
        self.call_after_refresh(self._read_later_css)  # first: before any message shows
        self._name_workspace()
        # Policies load on first use; reading them here would delay the first paint.
        self.call_after_refresh(self._report_policy_errors)
        self.call_after_refresh(self._report_config_errors)
        self.leave_on_signals()  # SIGHUP, SIGTERM: leave as on q (app_exit.py)

    def _read_later_css(self) -> None:
        """Add app_later.tcss to the stylesheet and restyle what is mounted (as Textual
        does when a screen brings its own CSS file)."""
        path = str(self.LATER_CSS_PATH)
        if self.stylesheet.has_source(path, ""):
            return
        self.stylesheet.read(path)
        self.stylesheet.update(self)
        for screen in self.screen_stack:
            self.stylesheet.update(screen)

    def _name_workspace(self) -> None:
        """The title's second half, in the interface language (again after ``L``)."""
        self.sub_title = (_("demo data") if self.demo
                          else self.workspace.label or str(self.workspace.store.root))

    def _report_config_errors(self) -> None:
        for error in self.workspace.settings.errors:
            self.notify(str(error), title=_("Settings file ignored"), severity="warning",
                        timeout=10)

    @guarded(N_("Loading the policies failed"))
    def _report_policy_errors(self) -> None:
        if self.workspace.policies.errors:
            first = self.workspace.policies.errors[0]
            self.notify(str(first), title=_("Policy file ignored"), severity="warning")

    def on_key(self, event: events.Key) -> None:
        """A printable key that reaches the app while a text area has the focus was typed
        before the focus moved there: Textual sends each key to the widget focused when
        it arrives, so keys typed right after ``e`` on a busy app went to the list that
        had the focus and were lost. They belong to the text (unless one is a key bound
        there, which the app's binding check runs next)."""
        from textual.widgets import TextArea

        area = self.focused
        if not (isinstance(area, TextArea) and event.is_printable and event.character
                and not area.read_only):
            return
        bound = self.screen.active_bindings.get(event.key)
        if bound is not None and bound.enabled:
            return
        event.prevent_default()
        event.stop()
        area.post_message(events.Key(event.key, event.character))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        widget: Any = event.widget
        if not self.CURSOR_BLINK and getattr(widget, "cursor_blink", False):
            widget.cursor_blink = False

    # -- errors -------------------------------------------------------------
    def report_failure(self, title: str, error: BaseException) -> None:
        """The one way an error reaches the operator: a notification naming what failed
        (``title``, an ``N_`` msgid) and the error's first line. The traceback goes to
        Textual's log (``textual console``), not to the screen."""
        self.log.error(title, error)
        self.notify(one_line(error), title=_(title), severity="error", timeout=10)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Every failed worker of the app, its screens and widgets ends here."""
        worker = event.worker
        if event.state is WorkerState.ERROR and worker.error is not None:
            self.report_failure(WORKER_TITLES.get(worker.group, SOMETHING_FAILED), worker.error)

    # -- cases -----------------------------------------------------------
    @property
    def case_index(self) -> CaseIndex:
        """The data folder's derived index; also answers the workspace's cross-case
        questions (``Workspace.cases_like``). Opened when first used, off the first paint."""
        if self._case_index is None:
            from appealdesk.index import attach

            self._case_index = attach(self.workspace)
            self._case_index.peers_max_age = 10.0  # the letter lint asks at every pause
        return self._case_index

    @work(thread=True, exclusive=True, group="load-cases", exit_on_error=False)
    def load_cases(self) -> None:
        """The inbox's cases from the index, off the event loop: first what the index
        holds (the first screen at once), then again once it has checked every file's
        stamp, if anything changed. Broken files are reported, not fatal."""
        import threading

        index = self.case_index
        known = index.summaries(sync=False)
        if known:
            shown = threading.Event()

            def show() -> None:
                self._cases_known(known)
                self.call_after_refresh(shown.set)

            self.call_from_thread(show)
            # The stat of every file waits until the inbox is drawn: this thread would
            # otherwise take the interpreter lock from the drawing, turn by turn.
            shown.wait(SHOWN_WAIT)
        index.sync()
        fresh = index.summaries(sync=False)
        self.call_from_thread(self._cases_loaded, fresh, index.errors(),
                              not known or fresh != known)
        index.prepare_search()  # the text of new or changed cases, for the search key

    def _cases_known(self, summaries: list[Summary]) -> None:
        """The first screen of cases: what the index held before checking the files."""
        self.summaries = summaries
        self.screen.post_message(CasesLoaded())

    def _cases_loaded(self, summaries: list[Summary], errors: list[str],
                      changed: bool = True) -> None:
        self.summaries = summaries
        self.load_errors = errors
        for err in errors[:3]:
            self.notify(str(err), title=_("Case file skipped"), severity="error", timeout=10)
        if changed:
            self.screen.post_message(CasesLoaded())
        if self.case is not None:
            self.reload_case(self.case.id)

    def select_case(self, case_id: str | None) -> None:
        """Show ``case_id`` in every pane (read from its file: the index holds summaries)."""
        if case_id is None:
            self.case = None
        elif self.case is None or self.case.id != case_id:
            try:
                self.case = self.workspace.store.load(case_id)
            except StoreError as exc:
                self.notify(str(exc), severity="error")
                self.case = None
        self.screen.post_message(CaseSelected(self.case))

    @guarded(N_("Reading the case failed"))
    def reload_case(self, case_id: str) -> None:
        """Re-read one case from disk (after a pane changed it) and show it again."""
        try:
            fresh = self.workspace.store.load(case_id)
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        before = self.summaries
        self._refresh_summary(case_id)
        # the inbox again only when its row changed (10,000 rows are not redrawn for a
        # letter edit, nor when the cases were just loaded)
        if [s for s in before if s.id == case_id] != [
                s for s in self.summaries if s.id == case_id]:
            self.screen.post_message(CasesLoaded())
        if self.case is None or self.case.id == case_id:
            self.case = fresh
            self.screen.post_message(CaseSelected(fresh))

    def _refresh_summary(self, case_id: str) -> None:
        """The index learns of a write this app made (one file, not a scan of all)."""
        index = self.case_index
        index.refresh([case_id])
        summary = index.summary(case_id)
        others = [s for s in self.summaries if s.id != case_id]
        self.summaries = others + ([summary] if summary is not None else [])

    def case_saved(self, case: Case) -> None:
        """A pane saved ``case`` itself (the editor's autosave): keep the in-memory copy
        fresh without showing it again in every pane (that would recompute metrics
        every second while the operator types). The index sees the new file by its stamp
        the next time it is asked."""
        if self.case is not None and self.case.id == case.id:
            self.case = case

    # -- keys, palette, help ----------------------------------------------
    def action_help(self) -> None:
        from appealdesk.screens import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The operator's keys active on ``screen`` (the same rows as ``?``), one line
        each: "Switch theme (T)". Widget internals (no binding id) and the palette's
        own key are left out."""
        from appealdesk.screens.dialogs.help import binding_label

        seen = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if (not binding.id or binding.id == "app.palette" or not binding.description
                    or binding.action in seen):
                continue
            seen.add(binding.action)
            node = active.node

            async def run(action: str = binding.action, node=node) -> None:
                await self.run_action(action, node)

            shown = binding.key_display or self.get_key_display(binding)
            title = _("{action} ({key})").format(action=binding_label(binding), key=shown)
            yield SystemCommand(title, "", run)

    def action_command_palette(self) -> None:
        """Textual's palette, its prompt in the interface language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=_("Search for an action…"),
                                            id="--command-palette"))

    def action_cycle_theme(self) -> None:
        """Dark, light, high contrast; remembered in the operator's own config file."""
        index = THEMES.index(self.theme) if self.theme in THEMES else -1
        self.theme = THEMES[(index + 1) % len(THEMES)]
        self.remember(theme=self.theme)
        self.notify(_(THEME_NAMES.get(self.theme, self.theme)), title=_("Theme"), timeout=2)

    async def action_switch_language(self) -> None:
        """Switch the interface between Chinese and English without restarting."""
        set_language("en" if current_language() == "zh" else "zh")
        self.remember(language=current_language())
        for screen in self.screen_stack:
            await screen.recompose()  # new widgets are built in the new language
            # The footer translates key descriptions as it is built; it is rebuilt on this
            # signal (the palette and `?` translate whenever they open).
            screen.refresh_bindings()
        self._name_workspace()
        self.load_cases()  # the screens put the focus back where it was (screens/place.py)

    def copy_text(self, text: str, what: str) -> None:
        """Copy through the terminal (OSC 52): works over SSH and in tmux."""
        self.copy_to_clipboard(text)
        if self.is_web:  # the page copies only over https or from this machine (loopback)
            self.notify(text + "\n" + _("Copied if your browser allows it (over https, or "
                                        "served on this machine)."), title=what, timeout=6)
            return
        self.notify(text, title=_("Copied {what}").format(what=what), timeout=3)


from textual.message import Message  # noqa: E402  (messages sit with the app they belong to)


class CasesLoaded(Message):
    """The list of cases changed."""


class CaseSelected(Message):
    def __init__(self, case: Case | None) -> None:
        super().__init__()
        self.case = case
