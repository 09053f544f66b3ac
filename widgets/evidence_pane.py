"""Evidence: the checklist the policy asks for, the files attached, and order coverage.

Two views in one pane: the checklist (requirements with their state and files,
findings marked on the row they concern and spelled out below the table) and
the coverage matrix (orders x per-order requirements; ``n`` jumps to the next
gap). Every change runs in a thread worker through the core ``evidence`` module
and then asks the app to reload the case.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.coordinate import Coordinate
from textual.widgets import ContentSwitcher, DataTable, ProgressBar, Static

from appealdesk.app import guarded
from appealdesk.cases.model import Case
from appealdesk.checks.base import BLOCKING, CheckContext, Finding
from appealdesk.checks.reasons import reason
from appealdesk.checks.reasons import title as finding_title
from appealdesk.evidence.checklist import DONE, MISSING, PARTIAL, WAIVED, Checklist, checklist
from appealdesk.i18n import N_, _, ngettext, pick
from appealdesk.widgets.evidence_actions import EvidenceActionsMixin
from appealdesk.widgets.evidence_nav import EvidenceNavMixin
from appealdesk.widgets.fixes import finding_text
from appealdesk.widgets.pane import Pane
from appealdesk.widgets.table import Table, cut_cell

STATE_STYLE = {MISSING: "bold red", PARTIAL: "bold yellow", DONE: "green", WAIVED: "dim"}
STATE_ICON = {MISSING: "✗", PARTIAL: "◐", DONE: "✓", WAIVED: "–"}


def _mb(size: int) -> str:
    if size >= 100_000:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} B"


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _state_cell(state: str, covered: int, total: int) -> Text:
    """The compact state for the table; the detail line spells it out."""
    words = {MISSING: _("missing"), DONE: _("done"), WAIVED: _("waived"),
             PARTIAL: _("{n} of {m}").format(n=covered, m=total)}
    return Text(f"{STATE_ICON[state]} {words[state]}", style=STATE_STYLE[state])


# The commands that change the case live in EvidenceActionsMixin (evidence_actions.py).
class EvidencePane(EvidenceNavMixin, EvidenceActionsMixin, Pane):
    BINDINGS = [
        Binding("a", "attach", N_("Attach"), id="evidence.attach"),
        Binding("p", "paste_path", N_("Paste path"), show=False, id="evidence.paste"),
        Binding("w", "waive", N_("Waive"), id="evidence.waive"),
        Binding("x", "remove", N_("Remove file"), id="evidence.remove"),
        Binding("o", "edit_orders", N_("Orders"), id="evidence.orders"),
        Binding("b", "bundle", N_("Bundle"), id="evidence.bundle"),
        Binding("D", "download_bundle", N_("Download bundle"), id="evidence.download"),
        Binding("m", "toggle_matrix", N_("Coverage"), id="evidence.matrix"),
        Binding("n", "next_gap", N_("Next gap"), id="evidence.gap"),
        Binding("escape", "leave_matrix", N_("Back to the checklist"), show=False,
                id="evidence.checklist"),
    ]
    DEFAULT_CSS = """
    EvidencePane #evidence-views {
        height: 1fr;
    }
    EvidencePane DataTable {
        height: 1fr;
    }
    EvidencePane #evidence-detail-scroll {
        height: auto;
        max-height: 7;
        border-top: solid $surface-lighten-2;
    }
    EvidencePane #evidence-detail {
        height: auto;
        padding: 0 1;
    }
    EvidencePane #evidence-empty {
        color: $text-muted;
        padding: 1 2;
        height: auto;
    }
    EvidencePane #evidence-progress {
        display: none;
        height: 1;
    }
    EvidencePane.bundling #evidence-progress {
        display: block;
    }
    """

    # The hook for the metrics stage: orders that made the metric fail, per case.
    contributing_orders_for: ClassVar[Callable[[Case], Sequence[str]] | None] = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.case: Case | None = None
        self.result: Checklist | None = None
        self.findings: dict[str, list[Finding]] = {}
        self._row_info: dict[str, tuple[str, str]] = {}  # row key -> (kind, id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False: hidden from the footer, `?` and the palette.
        if action == "download_bundle":
            return self.app.is_web  # a terminal user has the path (shown when written)
        if action == "paste_path":
            return not self.app.is_web  # a path from the browser's machine means nothing here
        if action == "leave_matrix":
            # Esc leaves the matrix (one level up); on the checklist it goes on to the screen.
            return self._matrix_shown()
        return True

    def compose(self) -> ComposeResult:
        yield Static("", id="evidence-empty")
        with ContentSwitcher(initial="evidence-checklist", id="evidence-views"):
            yield Table(id="evidence-checklist", cursor_type="row", zebra_stripes=False)
            yield Table(id="evidence-matrix", cursor_type="cell")
        with VerticalScroll(id="evidence-detail-scroll"):
            yield Static("", id="evidence-detail")
        yield ProgressBar(id="evidence-progress", show_eta=False)

    def on_mount(self) -> None:
        self.border_title = _("Evidence")

    # -- showing ------------------------------------------------------------
    def _contributing(self, case: Case) -> Sequence[str]:
        # Set per pane by the main screen, or on the class (tests); never bound as a method.
        hook = vars(self).get("contributing_orders_for") or type(self).contributing_orders_for
        return tuple(hook(case)) if hook else ()

    @guarded(N_("Showing the case failed"))
    def show_case(self, case: Case | None) -> None:
        self.case = case
        empty = self.query_one("#evidence-empty", Static)
        views = self.query_one("#evidence-views")
        if case is None:
            self.result = None
            empty.update(_("Select a case in the inbox (key 1)."))
            empty.display, views.display = True, False
            self._detail("")
            return
        policy = self.app.workspace.policy_for(case)
        contributing = self._contributing(case)
        self.result = checklist(case, policy, contributing)
        self.findings = self._evidence_findings(case, policy, contributing)
        if not self.result.items and not case.evidence:
            if policy is None:
                empty.update(_("No policy for {m}: no evidence list.").format(m=case.marketplace))
            else:
                empty.update(_("No evidence requirements for this notification type. "
                               "Press a to attach a file anyway."))
            empty.display = True
        else:
            empty.display = False
        views.display = bool(self.result.items or case.evidence)
        self._fill_checklist()
        self._fill_matrix()
        self._show_detail()

    def _evidence_findings(self, case, policy, contributing) -> dict[str, list[Finding]]:
        from appealdesk.checks.evidence import evidence_findings

        ctx = CheckContext(case=case, policy=policy, now=self.app.workspace.now(),
                           workspace=self.app.workspace)
        ctx.cache["contributing_orders"] = list(contributing)
        by_where: dict[str, list[Finding]] = {}
        for finding in evidence_findings(ctx):
            by_where.setdefault(finding.where, []).append(finding)
        return by_where

    def _marker(self, where: str) -> Text:
        found = self.findings.get(where, [])
        if not found:
            return Text("")
        blocking = sum(f.severity == BLOCKING for f in found)
        # Plain characters: emoji widths differ between terminals.
        if blocking:
            return Text(f"!{blocking}", style="bold red")
        return Text(f"~{len(found)}", style="yellow")

    def _fill_checklist(self) -> None:
        table = self.query_one("#evidence-checklist", DataTable)
        previous = self._current_key(table)
        table.clear(columns=True)
        table.add_column(_("State"), key="state", width=13)
        table.add_column(_("Requirement / file"), key="what")
        table.add_column("!", key="flag", width=4)
        table.cut_columns = ("what",)  # shown whole in the detail below the table
        self._row_info = {}
        assert self.case is not None and self.result is not None
        by_name = {e.name: e for e in self.case.evidence}
        for item in self.result.items:
            req = item.requirement
            key = f"req:{req.id}"
            state = _state_cell(item.state, item.covered, item.total)
            table.add_row(state, cut_cell(item.label, style="bold"), self._marker(
                f"requirement:{req.id}"), key=key)
            self._row_info[key] = ("req", req.id)
            for name in item.files:
                self._add_file_row(table, by_name[name])
        if self.result.unassigned:
            table.add_row(Text(""), Text(_("Not linked to a requirement"), style="italic"),
                          Text(""), key="hdr:unassigned")
            self._row_info["hdr:unassigned"] = ("hdr", "")
            for name in self.result.unassigned:
                self._add_file_row(table, by_name[name])
        if previous and previous in self._row_info:
            table.move_cursor(row=table.get_row_index(previous))

    def _add_file_row(self, table: DataTable, item) -> None:
        key = f"file:{item.name}"
        facts = [item.kind]
        if item.pages:
            facts.append(_("{n}p").format(n=item.pages))
        facts.append(_mb(item.size))
        table.add_row(cut_cell("  " + " ".join(facts), style="dim"), cut_cell("  └ " + item.name),
                      self._marker(f"evidence:{item.name}"), key=key)
        self._row_info[key] = ("file", item.name)

    def _fill_matrix(self) -> None:
        table = self.query_one("#evidence-matrix", DataTable)
        table.clear(columns=True)
        assert self.result is not None
        cov = self.result.coverage
        table.add_column(_("Order"), key="order")
        for req in cov.requirements:
            table.add_column(_short(pick(req.name, req.name_zh), 22), key=req.id)
        for order in cov.orders:
            mark = "" if order in cov.cited else " +"
            cells: list[Text] = [Text(order + mark)]
            for req in cov.requirements:
                files = cov.files_for(order, req.id)
                if req.id in cov.waived:
                    cells.append(Text(_("waived"), style="dim"))
                elif files:
                    cells.append(Text("✓ " + _("{n} file(s)").format(n=len(files)),
                                      style="green"))
                else:
                    cells.append(Text("✗ " + _("missing"), style="bold red"))
            table.add_row(*cells, key=order)

    @staticmethod
    def _current_key(table: DataTable) -> str | None:
        if not table.row_count:
            return None
        try:
            return table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        except Exception:  # noqa: BLE001 - an emptied table has no cursor row
            return None

    # -- the detail line under the table ---------------------------------------
    def _detail(self, content: str | Text) -> None:
        self.query_one("#evidence-detail", Static).update(content)

    def _selected(self) -> tuple[str, str] | None:
        if self._matrix_shown():
            return None
        key = self._current_key(self.query_one("#evidence-checklist", DataTable))
        return self._row_info.get(key or "")

    @guarded(N_("Showing the case failed"))
    def _show_detail(self) -> None:
        if self.case is None or self.result is None:
            return
        if self._matrix_shown():
            self._detail(self._matrix_detail())
            return
        selected = self._selected()
        if not selected:
            self._detail("")
            return
        kind, ident = selected
        text = Text()
        if kind == "req":
            item = self.result.item(ident)
            assert item is not None
            req = item.requirement
            text.append(f"{item.state_text()} — ", style=STATE_STYLE[item.state])
            text.append(pick(req.description, req.description_zh) or item.label)
            rules = [", ".join(req.formats)] if req.formats else []
            if req.max_age_days:
                rules.append(_("at most {n} days old").format(n=req.max_age_days))
            if req.example:
                rules.append(_("e.g. {example}").format(example=req.example))
            if rules:
                text.append("\n" + " · ".join(rules), style="dim")
            if item.waiver:
                text.append("\n" + _("Waived by {who}: {reason}").format(
                    who=item.waiver.operator, reason=item.waiver.reason), style="italic")
            where = f"requirement:{ident}"
        elif kind == "file":
            ev = next(e for e in self.case.evidence if e.name == ident)
            facts = [ev.kind, _mb(ev.size)]
            if ev.pages:
                facts.append(ngettext("{n} page", "{n} pages", ev.pages).format(n=ev.pages))
            if ev.width:
                facts.append(f"{ev.width}x{ev.height}")
            if ev.document_date:
                facts.append(_("dated {date}").format(date=ev.document_date))
            text.append(f"{ev.name} ({', '.join(facts)})")
            if ev.orders:
                how = (_("found") if ev.extra.get("orders_source") == "detected"
                       else _("stated"))
                shown = ", ".join(ev.orders[:6]) + (" …" if len(ev.orders) > 6 else "")
                text.append("\n" + _("Orders ({how}): {orders}").format(how=how, orders=shown),
                            style="dim")
            where = f"evidence:{ident}"
        else:
            self._detail(_("Files not linked to a requirement of this notification type."))
            return
        for finding in self.findings.get(where, []):
            style = "red" if finding.severity == BLOCKING else "yellow"
            text.append(f"\n{finding_title(finding.code)}: ", style="bold " + style)
            text.append(finding_text(finding))
            why = reason(finding.code)
            if why:
                text.append("\n  " + _("why: {reason}").format(reason=why), style="dim")
        self._detail(text)

    def _matrix_detail(self) -> Text:
        assert self.result is not None
        cov = self.result.coverage
        if not cov.requirements:
            return Text(_("No per-order requirements for this notification type."))
        if not cov.orders:
            return Text(_("No cited or contributing orders known for this case."))
        gaps = cov.gaps()
        text = Text(_("{n} orders (+ = contributing, not cited) · {g} gaps").format(
            n=len(cov.orders), g=len(gaps)))
        table = self.query_one("#evidence-matrix", DataTable)
        row, column = table.cursor_row, table.cursor_column
        if 0 <= row < len(cov.orders) and 1 <= column <= len(cov.requirements):
            order, req = cov.orders[row], cov.requirements[column - 1]
            files = cov.files_for(order, req.id)
            text.append(f"\n{order} · {pick(req.name, req.name_zh)}: ", style="bold")
            if req.id in cov.waived:
                text.append(_("waived"))
            elif files:
                text.append(", ".join(files))
            else:
                text.append(_("missing — a: attach a file for this order"), style="red")
        if gaps:
            text.append("\n" + _("n: next gap · m: back to the checklist"), style="dim")
        return text

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self._show_detail()

    # -- views -----------------------------------------------------------------
