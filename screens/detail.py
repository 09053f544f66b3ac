"""The selected case's panes (metrics, evidence, letter) as tabs in a frame whose title is
the case line (``widgets/case_line.py``). Mounted by the main screen once the inbox shows
its cases (``MainScreen.mount_detail``): neither this module nor the panes' are needed for
the first frame.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from appealdesk.i18n import _


class CaseDetail(Vertical):
    """The selected case's panes, as tabs, framed; the frame's title is the case line."""

    def compose(self) -> ComposeResult:
        # Imported here: these panes load most of the core, which the first paint does not need.
        from textual.widgets import TabbedContent, TabPane

        from appealdesk.widgets import EditorPane, EvidencePane, MetricsPane

        initial = getattr(self.screen, "place", None)
        with TabbedContent(id="detail-tabs", initial=initial.tab if initial else "tab-metrics"):
            with TabPane(_("2 Metrics"), id="tab-metrics"):
                yield MetricsPane(id="metrics-pane")
            with TabPane(_("3 Evidence"), id="tab-evidence"):
                yield EvidencePane(id="evidence-pane")
            with TabPane(_("4 Letter"), id="tab-letter"):
                yield EditorPane(id="editor-pane")

    def on_mount(self) -> None:
        # Mounted after the first paint: catch up with the case already selected.
        self.call_after_refresh(self._catch_up)

    def _catch_up(self) -> None:
        for pane in self.query("MetricsPane, EvidencePane, EditorPane"):
            pane.show_case(self.app.case)
        self.update_case_line()
        restore = getattr(self.screen, "restore_place", None)
        if restore is not None:
            restore()

    def on_resize(self) -> None:
        self.update_case_line()

    def update_case_line(self) -> None:
        from appealdesk.widgets.case_line import case_line, summary_of

        case = self.app.case
        summary = summary_of(self.app.summaries, case.id) if case else None
        # The frame's corners and the title's own padding take six cells.
        self.border_title = case_line(case, summary, self.app.workspace.now(),
                                      self.size.width - 6)
