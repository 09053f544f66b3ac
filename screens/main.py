"""The main screen: inbox on the left, the selected case's panes on the right.

Below 120 columns the two halves take turns (the inbox, or the case), so the
app stays usable at 80x24; the number keys switch between them. From 120
columns both stand side by side and the case gets the larger share.

The focus model (``screens/place.py``): each half has a frame, the focused one
lit; the case's frame carries the case line (``widgets/case_line.py``). Tab walks
the read-only views only: the letter's text area takes the focus only from ``e``
or Enter. Esc backs out one level, up to the inbox. ``L``, ``T`` and a resize
keep the place (the half, the tab, the pane, the cursors).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widget import Widget

from appealdesk.app import CaseSelected, CasesLoaded, guarded
from appealdesk.i18n import N_, _
from appealdesk.screens.place import PlaceMixin
from appealdesk.widgets.inbox_pane import InboxPane
from appealdesk.widgets.title_line import TitleLine

NARROW_BELOW = 120
# The case's panes mount once the inbox has shown its cases, or this many seconds after
# the first paint (the cases could not be read): the inbox's rows come first.
DETAIL_LATEST = 2.0

PANES = {
    "inbox": ("inbox-pane", None),
    "metrics": ("metrics-pane", "tab-metrics"),
    "evidence": ("evidence-pane", "tab-evidence"),
    "letter": ("editor-pane", "tab-letter"),
}


class MainScreen(PlaceMixin, Screen):
    BINDINGS = [
        Binding("1", "focus_pane('inbox')", N_("Inbox"), id="main.pane.inbox"),
        Binding("2", "focus_pane('metrics')", N_("Metrics"), id="main.pane.metrics"),
        Binding("3", "focus_pane('evidence')", N_("Evidence"), id="main.pane.evidence"),
        Binding("4", "focus_pane('letter')", N_("Letter"), id="main.pane.letter"),
        Binding("escape", "back", N_("Back"), show=False, id="main.back"),
        Binding("ctrl+r", "reload", N_("Reload"), show=False, id="main.reload"),
        Binding("y", "copy_case_id", N_("Copy id"), show=False, id="main.copy_id"),
    ]

    def compose(self) -> ComposeResult:
        # before the children mount (they are styled as they mount): no restyle now or after
        self._apply_width(self.app.size.width, update=False)
        yield TitleLine(icon="▣")  # Textual's Header, drawn by one widget
        with Horizontal(id="body"):
            yield InboxPane(id="inbox-pane", classes="pane")
            # The case's panes (mount_detail) mount once the inbox shows its cases: they
            # import most of the core, which neither the first paint nor the rows need.
            # A rebuild (the language switch) has them at once.
            if getattr(self, "_detail_mounted", False):
                yield self._detail()
        # The footer and the case watch mount right after the first frame (_mount_rest):
        # the footer's keys are a good part of that frame's work, and neither handles a
        # key. A rebuild (the language switch) has them at once.
        if getattr(self, "_rest_mounted", False):
            yield from self._rest()

    def _detail(self) -> Widget:
        from appealdesk.screens.detail import CaseDetail

        return CaseDetail(id="detail", classes="pane")

    def _rest(self) -> list[Widget]:
        from appealdesk.widgets.case_watch import CaseWatch
        from appealdesk.widgets.footer import Footer

        # the case watch: the live team view, changes made elsewhere appear by themselves
        return [Footer(), CaseWatch()]

    def _mount_rest(self) -> None:
        if getattr(self, "_rest_mounted", False) or not self.is_attached:
            return
        self._rest_mounted = True
        footer, watch = self._rest()
        footer.visible = self.is_current  # a modal opened meanwhile has the keys
        self.mount(footer, watch, after="#body")

    def on_mount(self) -> None:
        self.call_after_refresh(self._mount_rest)
        # Paint first, then read the cases: the worker shares the interpreter lock.
        self.call_after_refresh(self.app.load_cases)
        self.set_interval(30, self._tick, name="case-line-clock")
        self.set_timer(DETAIL_LATEST, self.mount_detail)

    def mount_detail(self):
        """Mount the case's panes (once); an awaitable for the mount, or None if done."""
        if getattr(self, "_detail_mounted", False) or not self.is_attached:
            return None
        self._detail_mounted = True
        return self.query_one("#body", Horizontal).mount(self._detail())

    def on_screen_suspend(self) -> None:
        # A modal on top has the keys: this footer's would do nothing (hidden, its line kept)
        for footer in self.query("Footer"):
            footer.visible = False

    def on_screen_resume(self) -> None:
        for footer in self.query("Footer"):
            footer.visible = True

    def _tick(self) -> None:
        for detail in self.query("CaseDetail"):
            detail.update_case_line()  # type: ignore[attr-defined]

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int, update: bool = True) -> None:
        narrow = width < NARROW_BELOW
        self.set_class(narrow, "narrow", update=update)
        if narrow and not (self.has_class("show-inbox") or self.has_class("show-detail")):
            self.add_class("show-inbox", update=update)

    def show_half(self, inbox: bool) -> None:
        self.set_class(inbox, "show-inbox")
        self.set_class(not inbox, "show-detail")

    def action_focus_pane(self, name: str) -> None:
        widget_id, tab = PANES[name]
        mounting = self.mount_detail() if tab else None
        if mounting is not None:  # a key pressed before the cases were shown

            async def then() -> None:
                await mounting
                self.action_focus_pane(name)

            self.call_later(then)
            return
        self.show_half(tab is None)
        if tab:
            from textual.widgets import TabbedContent

            self.query_one("#detail-tabs", TabbedContent).active = tab
        pane = self.query_one(f"#{widget_id}")
        self.call_after_refresh(pane.focus_first)

    def action_copy_case_id(self) -> None:
        if self.app.case:
            self.app.copy_text(self.app.case.id, _("case id"))

    def action_reload(self) -> None:
        self.app.load_cases()

    def on_cases_loaded(self, _message: CasesLoaded) -> None:
        self.query_one(InboxPane).show_cases(self.app.summaries)
        self._tick()
        if not getattr(self, "_detail_mounted", False):
            # the rows are drawn first: after the app's refresh, which shows the frame (the
            # screen's own came before it, so the panes mounted before the rows were seen)
            self.app.call_after_refresh(self.mount_detail)

    def on_case_selected(self, message: CaseSelected) -> None:
        for pane in self.query("MetricsPane, EvidencePane, EditorPane"):
            pane.show_case(message.case)
        self._tick()
        self.refresh_bindings()  # what the case allows now (submit, outcome, ...)

    @guarded(N_("Showing the case failed"))
    def on_metrics_pane_computed(self, message) -> None:
        """Orders behind a breach must be covered by evidence too, not only the cited ones."""
        from appealdesk.metrics.case_metrics import contributing_from
        from appealdesk.widgets import EvidencePane

        case = self.app.case
        if case is None or case.id != message.data.case_id:
            return
        orders = contributing_from(message.data, case, self.app.workspace.policy_for(case))
        for pane in self.query(EvidencePane):
            pane.contributing_orders_for = lambda c, o=orders, cid=case.id: o if c.id == cid else ()
            pane.show_case(case)

    def on_inbox_pane_opened(self, _message: InboxPane.Opened) -> None:
        """Enter on a case: on a narrow terminal, switch to the case's panes."""
        if self.has_class("narrow"):
            self.action_focus_pane("metrics")
