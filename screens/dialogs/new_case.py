"""New case: paste a notification, check what was detected, create the case.

Detection and creation run in thread workers (a 1 MB paste takes a moment,
and creating writes to the data folder). The detected fields are editable;
what the operator corrects is what the case gets. A text without a received
time leaves Received empty and asks: Create once more counts from now.

A rejection reply that answers an open case offers that case in "Answers
case"; Create then asks for confirmation and records the reply as the outcome
of the case's submission instead of making a new case. Dismisses with the new
(or joined) case id, or None when cancelled.
"""

from __future__ import annotations

from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from appealdesk.app import WorkerErrorsToApp
from appealdesk.cases.errors import StoreError
from appealdesk.deadlines.display import format_moment
from appealdesk.i18n import N_, _, pick
from appealdesk.intake import rejection
from appealdesk.intake.create import Duplicate
from appealdesk.intake.detect import Detection, detect, resolve_stated
from appealdesk.intake.headers import parse_when
from appealdesk.intake.text import UNKNOWN, IntakeError
from appealdesk.operations import intake
from appealdesk.operations.replies import join_reply


class NewCaseScreen(WorkerErrorsToApp, ModalScreen[str | None]):
    DEFAULT_CSS = """
    NewCaseScreen {
        align: center middle;
    }
    NewCaseScreen > #new-case {
        width: 100;
        max-width: 100%;
        height: 100%;
        max-height: 44;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    NewCaseScreen #new-text {
        height: 1fr;
        min-height: 5;
    }
    NewCaseScreen.detected #new-text {
        height: 6;
    }
    NewCaseScreen #new-fields {
        display: none;
        height: 1fr;
    }
    NewCaseScreen.detected #new-fields {
        display: block;
    }
    NewCaseScreen .field {
        height: 1;
        margin-bottom: 1;
    }
    NewCaseScreen .field Label {
        width: 16;
        padding: 0 1 0 0;
    }
    NewCaseScreen .field Input, NewCaseScreen .field Select {
        width: 1fr;
    }
    NewCaseScreen #new-found {
        color: $text-muted;
        height: auto;
    }
    NewCaseScreen #new-message {
        height: auto;
        color: $error;
    }
    NewCaseScreen #new-message.warning {
        color: $warning;
    }
    NewCaseScreen #new-join-row {
        display: none;
    }
    NewCaseScreen.rejection #new-join-row {
        display: block;
    }
    NewCaseScreen #new-buttons {
        height: 1;
        align-horizontal: right;
    }
    NewCaseScreen #new-buttons Button {
        margin-left: 1;
    }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="new_case.cancel"),
        Binding("ctrl+r", "detect", N_("Detect"), id="new_case.detect"),
        Binding("ctrl+s", "create", N_("Create"), id="new_case.create"),
    ]

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.initial_text = text
        self.detection: Detection | None = None
        self._confirm: str = ""  # what the last Create press asked to confirm

    def compose(self) -> ComposeResult:
        policies = list(self.app.workspace.policies)
        markets = [(pick(p.name, p.name_zh), p.id) for p in policies]
        markets.append((_("unknown (fill in later)"), UNKNOWN))
        with Vertical(id="new-case"):
            yield Label(_("New case: paste the notification (e-mail, site message or notice)"))
            yield TextArea(self.initial_text, id="new-text", soft_wrap=True)
            with VerticalScroll(id="new-fields"):
                with Horizontal(classes="field"):
                    yield Label(_("Marketplace"))
                    yield Select(markets, id="new-marketplace", allow_blank=False, value=UNKNOWN,
                                 compact=True)
                with Horizontal(classes="field"):
                    yield Label(_("Type"))
                    yield Select([(_("unknown"), UNKNOWN)], id="new-type", allow_blank=False,
                                 value=UNKNOWN, compact=True)
                with Horizontal(classes="field"):
                    yield Label(_("Notification id"))
                    yield Input(id="new-id", compact=True,
                                placeholder=_("as printed on the notice"))
                with Horizontal(classes="field"):
                    yield Label(_("Store"))
                    yield Input(id="new-store", compact=True, placeholder=_("store name"))
                with Horizontal(classes="field"):
                    yield Label(_("Received"))
                    yield Input(id="new-received", compact=True,
                                placeholder="2026-11-20T09:30+03:00")
                with Horizontal(classes="field"):
                    yield Label(_("Cited orders"))
                    yield Input(id="new-orders", compact=True,
                                placeholder=_("order ids, comma separated"))
                with Horizontal(classes="field"):
                    yield Label(_("Cited listings"))
                    yield Input(id="new-listings", compact=True,
                                placeholder=_("listing ids (ASINs), comma separated"))
                with Horizontal(classes="field", id="new-join-row"):
                    yield Label(_("Answers case"))
                    yield Select([(_("none: make a new case"), "")], id="new-join",
                                 allow_blank=False, value="", compact=True)
                yield Static("", id="new-found")
            yield Static("", id="new-message")
            with Horizontal(id="new-buttons"):
                yield Button(_("Detect (ctrl+r)"), id="new-detect", variant="primary",
                             compact=True)
                yield Button(_("Create (ctrl+s)"), id="new-create", variant="success",
                             disabled=True, compact=True)
                yield Button(_("Cancel (esc)"), id="new-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#new-text", TextArea).focus()

    # -- detect ------------------------------------------------------------
    def action_detect(self) -> None:
        text = self.query_one("#new-text", TextArea).text
        self._message("")
        self._run_detect(text)

    @work(thread=True, exclusive=True, group="new-case-detect", exit_on_error=False)
    def _run_detect(self, text: str) -> None:
        ws = self.app.workspace
        try:
            detection = detect(text, list(ws.policies))
        except IntakeError as exc:
            self.app.call_from_thread(self._message, str(exc))
            return
        matches: list[rejection.Match] = []
        if detection.kind == "rejection":
            best, tied = rejection.best_match(ws.store.load_all().cases, detection)
            matches = [best] if best else tied
        self.app.call_from_thread(self._show_detection, detection, matches)

    def _show_detection(self, detection: Detection,
                        matches: list[rejection.Match] | None = None) -> None:
        self.detection = detection
        self._confirm = ""
        self.add_class("detected")
        market = self.query_one("#new-marketplace", Select)
        known = {p.id for p in self.app.workspace.policies}
        market.value = detection.marketplace if detection.marketplace in known else UNKNOWN
        self._fill_types(detection.marketplace, detection.type)
        self.query_one("#new-id", Input).value = detection.external_id or ""
        self.query_one("#new-store", Input).value = detection.store
        self.query_one("#new-received", Input).value = (
            detection.received.isoformat(timespec="minutes") if detection.received else ""
        )
        self.query_one("#new-orders", Input).value = ", ".join(detection.cited_orders)
        self.query_one("#new-listings", Input).value = ", ".join(detection.cited_listings)
        self.query_one("#new-found", Static).update(self._found_text(detection))
        self.query_one("#new-create", Button).disabled = False
        self._fill_join(detection, matches or [])
        # the operator checks the fields next: start at the first one
        self.query_one("#new-marketplace", Select).focus()
        notes = []
        if detection.candidates:
            notes.append(_("The text fits {markets} equally: choose the marketplace.").format(
                markets=", ".join(detection.candidates)))
        missing = detection.unknown_labels
        if missing:
            notes.append(_("Not detected, please fill in: {fields}").format(
                fields=", ".join(missing)))
        if matches:
            if len(matches) == 1:
                notes.append(_("This is a rejection reply to case {case}: Create records it as "
                               "the outcome of that case's submission.").format(
                                   case=matches[0].case.id))
            else:
                notes.append(_("This rejection reply could answer {cases}: choose one in "
                               "Answers case.").format(
                                   cases=", ".join(m.case.id for m in matches)))
        if notes:
            self._message(" ".join(notes), warning=True)

    def _fill_join(self, detection: Detection, matches: list[rejection.Match]) -> None:
        join = self.query_one("#new-join", Select)
        options = [(f"{m.case.id} · {m.case.store or '-'}", m.case.id) for m in matches]
        options.append((_("none: make a new case"), ""))
        join.set_options(options)
        join.value = matches[0].case.id if len(matches) == 1 else ""
        self.set_class(detection.kind == "rejection", "rejection")

    def _found_text(self, detection: Detection) -> str:
        lines = []
        policy = self.app.workspace.policies.get(detection.marketplace)
        if detection.quoted_metrics:
            figures = ", ".join(
                f"{_metric_name(policy, q.metric)} {q.value:.2%}" for q in detection.quoted_metrics
            )
            lines.append(_("Figures quoted: {figures}").format(figures=figures))
        if detection.thresholds:
            limits = ", ".join(
                f"{_metric_name(policy, q.metric)} {q.value:.2%}" for q in detection.thresholds)
            lines.append(_("Thresholds stated (not your figures): {limits}").format(
                limits=limits))
        window = detection.stated_window
        if detection.stated_deadline and window is not None:
            lines.append(_("Deadline stated in the notice: {when} ({text})").format(
                when=format_moment(detection.stated_deadline), text=window.text))
        elif detection.stated:
            lines.append(_("Deadline stated in the notice: \"{text}\", counted once Received is "
                           "known").format(text=detection.stated[0].text))
        else:
            lines.append(_("No deadline stated: the policy default applies."))
        if detection.received_line:
            lines.append(_("Received read from: {line}").format(line=detection.received_line))
        elif detection.received is None:
            lines.append(_("The text gives no received time: fill in Received."))
        if detection.truncated:
            lines.append(_("Only the first 1 MB of the text was read."))
        return "\n".join(lines)

    def _fill_types(self, marketplace: str, selected: str) -> None:
        policy = self.app.workspace.policies.get(marketplace)
        options = [(pick(t.name, t.name_zh), t.id) for t in policy.notification_types] \
            if policy else []
        options.append((_("unknown"), UNKNOWN))
        types = self.query_one("#new-type", Select)
        types.set_options(options)
        types.value = selected if any(v == selected for _l, v in options) else UNKNOWN

    @on(Select.Changed, "#new-marketplace")
    def _marketplace_changed(self, event: Select.Changed) -> None:
        if self.detection is not None and event.value != Select.BLANK:
            current = self.query_one("#new-type", Select).value
            self._fill_types(str(event.value), str(current))

    # -- create ------------------------------------------------------------
    def action_create(self) -> None:
        if self.detection is None:
            self.action_detect()
            return
        detection = self._corrected()
        if detection is None:
            return
        join = self.query_one("#new-join", Select).value
        join_id = str(join) if join not in (Select.BLANK, "") else ""
        if join_id and detection.kind == "rejection":
            if self._confirm != f"join:{join_id}":
                self._confirm = f"join:{join_id}"
                self._message(_("Record this reply as the rejection of {case}'s submission? "
                                "Press Create (ctrl+s) again to confirm.").format(case=join_id),
                              warning=True)
                return
            self._run_join(join_id, detection)
            return
        if detection.received is None and self._confirm != "received":
            self._confirm = "received"
            self._message(_("Received is empty: the text gives no date. Fill it in, or press "
                            "Create (ctrl+s) again to count the deadline from now."),
                          warning=True)
            self.query_one("#new-received", Input).focus()
            return
        self._run_create(detection)

    def _corrected(self) -> Detection | None:
        """The detection with the operator's corrections applied."""
        d = self.detection
        assert d is not None
        market = self.query_one("#new-marketplace", Select).value
        d.marketplace = str(market) if market != Select.BLANK else UNKNOWN
        kind = self.query_one("#new-type", Select).value
        d.type = str(kind) if kind != Select.BLANK else UNKNOWN
        d.external_id = self.query_one("#new-id", Input).value.strip() or None
        d.store = self.query_one("#new-store", Input).value.strip()
        orders = self.query_one("#new-orders", Input).value
        d.cited_orders = list(dict.fromkeys(o.strip() for o in orders.split(",") if o.strip()))
        listings = self.query_one("#new-listings", Input).value
        d.cited_listings = list(dict.fromkeys(
            x.strip().upper() for x in listings.split(",") if x.strip()))
        received = self.query_one("#new-received", Input).value.strip()
        if received:
            policy = self.app.workspace.policies.get(d.marketplace)
            zone = policy.calendar_for(d.site or None).zone if policy else None
            from zoneinfo import ZoneInfo

            moment: datetime | None = parse_when(received, zone or ZoneInfo("UTC"))
            if moment is None:
                self._message(_("Received is not a time: use ISO 8601, e.g. "
                                "2026-11-20T09:30+03:00"))
                return None
            if moment != d.received:
                d.received, d.received_from = moment, "operator"
            # a stated "within 72 hours" counts from the corrected received time
            d.stated_deadline = resolve_stated(d, policy.calendar_for(d.site or None)
                                               if policy else None)
        return d

    @work(thread=True, exclusive=True, group="new-case-create", exit_on_error=False)
    def _run_create(self, detection: Detection) -> None:
        try:
            case = intake.create_case(self.app.workspace, detection)
        except Duplicate as exc:
            self.app.call_from_thread(self._message, str(exc))
            return
        except (IntakeError, StoreError, OSError) as exc:
            self.app.call_from_thread(self._message, str(exc))
            return
        self.app.call_from_thread(self.dismiss, case.id)

    @work(thread=True, exclusive=True, group="new-case-create", exit_on_error=False)
    def _run_join(self, case_id: str, detection: Detection) -> None:
        try:
            join_reply(self.app.workspace, case_id, detection)
        except (IntakeError, StoreError, OSError) as exc:
            self.app.call_from_thread(self._message, str(exc))
            return
        self.app.call_from_thread(self.dismiss, case_id)

    # -- the rest ----------------------------------------------------------
    def _message(self, text: str, warning: bool = False) -> None:
        box = self.query_one("#new-message", Static)
        box.set_class(warning, "warning")
        box.update(text)

    @on(Button.Pressed, "#new-detect")
    def _detect_pressed(self) -> None:
        self.action_detect()

    @on(Button.Pressed, "#new-create")
    def _create_pressed(self) -> None:
        self.action_create()

    @on(Button.Pressed, "#new-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)


def _metric_name(policy, metric_id: str) -> str:
    metric = policy.metric(metric_id) if policy else None
    return pick(metric.name, metric.name_zh) if metric else metric_id
