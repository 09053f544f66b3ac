"""The workflow's forms: record a submission (which PDF, ticket id, note) and record the
marketplace's answer (approved or rejected, the reviewer's reason, a code).

Each returns what the operator filled in (``SubmitRequest``, ``OutcomeRequest``) or None
on Esc; the caller runs the operation (``operations.submissions``) in a worker, the same
one the CLI's ``submit`` and ``outcome`` call. Enter in a field confirms the form; Tab
moves between the fields (bordered inputs, so the focused one is plain to see).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from appealdesk.cases.model import Case
from appealdesk.i18n import N_, _


@dataclass(frozen=True)
class PdfChoice:
    """A PDF of the case's out/ folder the operator may record as submitted."""

    name: str
    draft: bool = False  # rendered with blocking findings: submit refuses it


@dataclass(frozen=True)
class SubmitRequest:
    pdf: str
    ticket: str = ""
    note: str = ""


@dataclass(frozen=True)
class OutcomeRequest:
    result: str  # approved | rejected
    reason: str = ""
    code: str = ""


class OneLineInput(Input):
    """An Input that keeps a pasted paragraph whole, on one line (Textual's keeps only
    the first line: a reviewer's reason is often several)."""

    def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # Input's own handler would paste the first line again
        text = " ".join(event.text.split())
        if text:
            if self.selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *self.selection)
        event.stop()


FORM_CSS = """
{name} {{
    align: center middle;
}}
{name} > #form {{
    width: 76;
    max-width: 96%;
    height: auto;
    max-height: 96%;
    border: round $accent;
    background: $surface;
    padding: 0 1;
}}
{name} #form-title {{
    text-style: bold;
}}
{name} OptionList {{
    height: auto;
    max-height: 6;
}}
{name} .field-label {{
    color: $text-muted;
    margin-top: 1;
}}
{name} #form-error {{
    color: $error;
    height: auto;
}}
{name} .hint {{
    color: $text-muted;
    height: auto;
}}
"""


class SubmitScreen(ModalScreen[SubmitRequest | None]):
    """Which PDF went to the marketplace, its ticket id and a note."""

    DEFAULT_CSS = FORM_CSS.format(name="SubmitScreen")
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="submit.cancel")]

    def __init__(self, case: Case, pdfs: list[PdfChoice], default: str | None) -> None:
        super().__init__()
        self.case = case
        self.pdfs = pdfs
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Label(_("Record the submission of {case_id}").format(case_id=self.case.id),
                        id="form-title")
            if not self.pdfs:
                yield Static(_("No rendered letter in out/ yet: render it first (r in the "
                               "Letter pane)."))
                yield Static(_("Esc: close"), classes="hint")
                return
            yield Label(_("The PDF that was submitted"), classes="field-label")
            yield OptionList(*[
                Option(pdf.name + (" " + _("(DRAFT: cannot be submitted)") if pdf.draft else ""),
                       id=pdf.name, disabled=pdf.draft) for pdf in self.pdfs], id="submit-pdf")
            yield Label(_("The marketplace's case or ticket id (empty if it gave none)"),
                        classes="field-label")
            yield OneLineInput(placeholder=_("ticket id"), id="submit-ticket")
            yield Label(_("Note (optional)"), classes="field-label")
            yield OneLineInput(placeholder=_("note"), id="submit-note")
            yield Static("", id="form-error")
            yield Static(_("Enter: record · Tab: next field · Esc: cancel"), classes="hint")

    def on_mount(self) -> None:
        if not self.pdfs:
            return
        options = self.query_one("#submit-pdf", OptionList)
        names = [p.name for p in self.pdfs]
        if self.default in names:
            options.highlighted = names.index(self.default)
        else:
            first = next((i for i, p in enumerate(self.pdfs) if not p.draft), None)
            if first is not None:
                options.highlighted = first
        self.query_one("#submit-ticket", Input).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#submit-ticket", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#submit-pdf", OptionList)
        index = options.highlighted
        if index is None or self.pdfs[index].draft:
            self.query_one("#form-error", Static).update(
                _("Pick the PDF that was submitted (not a DRAFT)."))
            options.focus()
            return
        self.dismiss(SubmitRequest(
            self.pdfs[index].name,
            ticket=self.query_one("#submit-ticket", Input).value.strip(),
            note=self.query_one("#submit-note", Input).value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)


RESULTS = ("approved", "rejected")


class OutcomeScreen(ModalScreen[OutcomeRequest | None]):
    """The marketplace's answer to the last submission: approved or rejected, with the
    reviewer's reason and the code it gave (kept with the submission; after a rejection
    the next draft starts with the reason)."""

    DEFAULT_CSS = FORM_CSS.format(name="OutcomeScreen")
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="outcome.cancel")]

    def __init__(self, case: Case, result: str | None = None) -> None:
        super().__init__()
        self.case = case
        self.result = result if result in RESULTS else None

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Label(_("The marketplace's answer for {case_id}").format(
                case_id=self.case.id), id="form-title")
            yield OptionList(Option(_("Approved"), id="approved"),
                             Option(_("Rejected"), id="rejected"), id="outcome-result")
            yield Label(_("The reviewer's reason, as the marketplace wrote it"),
                        classes="field-label")
            yield OneLineInput(placeholder=_("reason"), id="outcome-reason")
            yield Label(_("The rejection code, when the marketplace gives one"),
                        classes="field-label")
            yield OneLineInput(placeholder=_("code, e.g. ERR-007"), id="outcome-code")
            yield Static("", id="form-error")
            yield Static(_("Enter: record · Tab: next field · Esc: cancel"), classes="hint")

    def on_mount(self) -> None:
        options = self.query_one("#outcome-result", OptionList)
        if self.result is not None:
            options.highlighted = RESULTS.index(self.result)
            self.query_one("#outcome-reason", Input).focus()
        else:
            options.highlighted = 0
            options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#outcome-reason", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        index = self.query_one("#outcome-result", OptionList).highlighted
        self.dismiss(OutcomeRequest(
            RESULTS[index or 0],
            reason=self.query_one("#outcome-reason", Input).value.strip(),
            code=self.query_one("#outcome-code", Input).value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)
