"""The letter's live findings: lint of the text, blocking findings of the case's other
areas, the outline and the findings list with the detail of the highlighted one.

A mixin of ``EditorPane`` (``widgets/editor_pane.py``). The checks run in thread
workers; each run carries a number (or a case id) and only the newest answer for
the case still shown is put on screen. The ``@on`` handlers that call into this
stay in ``EditorPane``: Textual collects decorated handlers only from classes
built by its own metaclass, and this mixin is a plain class.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from appealdesk.app import WorkerErrorsToApp
from appealdesk.cases.model import Case
from appealdesk.checks.base import BLOCKING, Finding
from appealdesk.checks.reasons import reason, where_label
from appealdesk.checks.reasons import title as finding_title
from appealdesk.i18n import _, ngettext
from appealdesk.widgets.fixes import finding_text


def finding_line(finding: Finding) -> int | None:
    """The 1-based letter line a finding is about, if any ("letter:12")."""
    kind, _sep, rest = finding.where.partition(":")
    if kind == "letter" and rest.isdigit():
        return int(rest)
    return None


def finding_prompt(finding: Finding) -> Text:
    style = "bold red" if finding.severity == BLOCKING else "bold yellow"
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("✗ " if finding.severity == BLOCKING else "~ ", style=style)
    where = where_label(finding.where)
    if where:
        text.append(f"{where} ", style="dim")
    text.append(finding_title(finding.code), style=style)
    text.append(f" {finding.message}", style="dim")
    return text


@dataclass
class _Heading:
    title: str
    line: int
    level: int


def _outline(sections, text: str) -> list[_Heading]:
    """Headings with their level (the number of #), from lint's section split."""
    lines = text.splitlines()
    out = []
    for s in sections:
        if not s.title:
            continue
        raw = lines[s.line - 1].lstrip() if s.line - 1 < len(lines) else ""
        out.append(_Heading(s.title, s.line, max(1, len(raw) - len(raw.lstrip("#")))))
    return out


# WorkerErrorsToApp: its workers' failures reach the app even outside EditorPane.
class EditorFindingsMixin(WorkerErrorsToApp):
    """Checks, outline and findings list of ``EditorPane`` (state lives in the pane)."""

    def _lint_now(self) -> None:
        if self.case is None:
            return
        self._lint_seq += 1
        self._lint_worker(self.case, self.text, self._lint_seq)
        if self._preview_shown():
            self._refresh_preview()

    # Not exclusive: cancelling a thread does not stop it, and a cancelled worker fails
    # whoever waits for it; each run carries a number and only the newest is shown.
    @work(thread=True, group="editor-lint", exit_on_error=False)
    def _lint_worker(self, case: Case, text: str, seq: int = 0) -> None:
        from appealdesk.checks.letter import LintInput, lint_letter
        from appealdesk.checks.letter_sections import split_sections

        ws = self.app.workspace
        policy = ws.policy_for(case)
        findings = lint_letter(LintInput(
            text=text, case=case, policy=policy, now=ws.now(),
            other_cases=ws.cases_like(case), user_dir=ws.store.policies_dir))
        outline = [(s.title, s.line, s.level)
                   for s in _outline(split_sections(text, policy), text)]
        if seq == self._lint_seq:
            self.app.call_from_thread(self._show_findings, case.id, findings, outline)

    # Not exclusive: a newer case shown does not cancel it; a stale answer is dropped.
    @work(thread=True, group="editor-case-findings", exit_on_error=False)
    def _case_findings_worker(self, case: Case) -> None:
        """The case's blocking findings of every other area (evidence, ...): the letter
        pane is where the operator renders, so it shows everything that blocks."""
        from appealdesk.checks.letter import other_area_findings

        ws = self.app.workspace
        found = [f for f in other_area_findings(case, ws.policy_for(case), ws.now(), ws)
                 if f.severity == BLOCKING]
        self.app.call_from_thread(self._show_case_findings, case.id, found)

    def _show_case_findings(self, case_id: str, found: list[Finding]) -> None:
        if self.case is None or self.case.id != case_id or not self._widgets_present():
            return
        self._case_findings = found
        self._merge_findings()
        self._fill_findings()
        self._update_status()

    def _widgets_present(self) -> bool:
        return bool(self.is_mounted and self.query("#editor-outline")
                    and self.query("#editor-findings"))

    def _merge_findings(self) -> None:
        merged = self._letter_findings + self._case_findings
        self.findings = sorted(merged, key=lambda f: f.severity != BLOCKING)  # blocking first

    def _show_findings(self, case_id: str, findings: list[Finding],
                       outline: list[tuple[str, int, int]]) -> None:
        if self.case is None or self.case.id != case_id or not self._widgets_present():
            return  # another case, or the pane is going away while the worker ran
        self._letter_findings = findings
        self._merge_findings()
        self._fill_outline(outline)
        self._fill_findings()
        self._update_status()

    def _fill_outline(self, outline: list[tuple[str, int, int]]) -> None:
        widget = self.query_one("#editor-outline", OptionList)
        highlighted = widget.highlighted
        widget.clear_options()
        self._outline_lines = [line for _title, line, _level in outline]
        widget.add_options([Option(Text("  " * max(0, level - 1) + title, no_wrap=True,
                                        overflow="ellipsis"), id=f"line-{line}")
                            for title, line, level in outline])
        if outline:
            widget.highlighted = min(highlighted or 0, len(outline) - 1)

    def _fill_findings(self) -> None:
        widget = self.query_one("#editor-findings", OptionList)
        shown = self.render_findings + self.findings
        highlighted = widget.highlighted
        widget.clear_options()
        widget.add_options([Option(finding_prompt(f), id=f"finding-{i}")
                            for i, f in enumerate(shown)])
        blocking = sum(f.severity == BLOCKING for f in shown)
        if shown:
            warnings = len(shown) - blocking
            widget.border_title = ngettext("Findings: {b} blocking, {w} warning",
                                           "Findings: {b} blocking, {w} warnings",
                                           warnings).format(b=blocking, w=warnings)
            widget.highlighted = min(highlighted or 0, len(shown) - 1)
        else:
            widget.border_title = _("No findings")
        self._show_finding_detail()

    def _show_finding_detail(self) -> None:
        """The whole message of the highlighted finding (the list shows one line each)."""
        shown = self.render_findings + self.findings
        index = self.query_one("#editor-findings", OptionList).highlighted
        detail = self.query_one("#editor-finding-detail", Static)
        if index is None or index >= len(shown):
            detail.update("")
            detail.display = False
            return
        finding = shown[index]
        text = Text()
        text.append(finding_title(finding.code), style="bold red" if finding.severity == BLOCKING
                    else "bold yellow")
        text.append(f": {finding_text(finding)}")
        why = reason(finding.code)
        if why:  # why it gets an appeal rejected, as `appealdesk check` says it
            text.append("\n" + _("why: {reason}").format(reason=why), style="dim")
        detail.update(text)
        detail.display = True


    def _open_finding(self, index: int) -> None:
        """Enter on a finding: edit at its line, or show its whole message when it has none."""
        shown = self.render_findings + self.findings
        finding = shown[index] if index < len(shown) else None
        line = finding_line(finding) if finding is not None else None
        if line is None and finding is not None:
            line = finding.values.get("line") if isinstance(
                finding.values.get("line"), int) else None  # a section's heading line
        if finding is not None and line is not None and finding.code == "placeholder_left" \
                and self.select_gap_on_line(line, str(finding.values.get("token", ""))):
            return  # the cursor is on the placeholder, selected: typing replaces it
        if line is not None:
            self.jump_to_line(line)
        elif index < len(shown):
            self.notify(shown[index].message, title=finding_title(shown[index].code),
                        timeout=8)

    def _highlight_finding_at_cursor(self) -> None:
        """Highlight the finding about the cursor's line, if there is one."""
        row = self.text_area.cursor_location[0] + 1
        shown = self.render_findings + self.findings
        for index, finding in enumerate(shown):
            if finding_line(finding) == row:
                self.query_one("#editor-findings", OptionList).highlighted = index
                break
