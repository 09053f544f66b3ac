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
from appealdesk.i18n import N_, _, pick
from appealdesk.intake import rejection
from appealdesk.intake.create import Duplicate
from appealdesk.intake.detect import Detection, detect, resolve_stated
from appealdesk.intake.headers import parse_when
from appealdesk.intake.text import UNKNOWN, IntakeError
from appealdesk.operations import intake
from appealdesk.operations.replies import join_reply
from appealdesk.screens.dialogs.new_case_text import NEW_CASE_CSS, found_text, next_step

# Where the operator fills in a field detection left empty (Detection.unknowns ids).
_FIELD_IDS = {"marketplace": "#new-marketplace", "type": "#new-type",
              "external_id": "#new-id", "store": "#new-store", "received": "#new-received"}

class NewCaseScreen(WorkerErrorsToApp, ModalScreen[str | None]):
    DEFAULT_CSS = NEW_CASE_CSS
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="new_case.cancel"),
        Binding("ctrl+r", "detect", N_("Detect"), id="new_case.detect"),
        Binding("ctrl+s", "create", N_("Create"), id="new_case.create"),
        Binding("ctrl+o", "open_existing", N_("Open the existing case"),
                id="new_case.open_existing"),
        Binding("i", "import_report", N_("Import a report"), id="new_case.import"),
    ]

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.initial_text = text
        self.detection: Detection | None = None
        self._confirm: str = ""  # what the last Create press asked to confirm
        self.existing_id = ""  # the case that already holds this notice (a duplicate)
        self.created_id = ""  # the case Create made: the modal now offers the next step
        self.then = ""  # what the opener does after closing: "import" | "open" | ""

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
                    yield Select(markets, id="new-marketplace", allow_blank=False, value=UNKNOWN)
                with Horizontal(classes="field"):
                    yield Label(_("Type"))
                    yield Select([(_("unknown"), UNKNOWN)], id="new-type", allow_blank=False,
                                 value=UNKNOWN)
                with Horizontal(classes="field"):
                    yield Label(_("Notification id"))
                    yield Input(id="new-id",
                                placeholder=_("as printed on the notice"))
                with Horizontal(classes="field"):
                    yield Label(_("Store"))
                    yield Input(id="new-store", placeholder=_("store name"))
                with Horizontal(classes="field"):
                    yield Label(_("Received"))
                    yield Input(id="new-received",
                                placeholder="2026-11-20T09:30+03:00")
                with Horizontal(classes="field"):
                    yield Label(_("Cited orders"))
                    yield Input(id="new-orders",
                                placeholder=_("order ids, comma separated"))
                with Horizontal(classes="field"):
                    yield Label(_("Cited listings"))
                    yield Input(id="new-listings",
                                placeholder=_("listing ids (ASINs), comma separated"))
                with Horizontal(classes="field", id="new-join-row"):
                    yield Label(_("Answers case"))
                    yield Select([(_("none: make a new case"), "")], id="new-join",
                                 allow_blank=False, value="")
                yield Static("", id="new-found")
            yield Static("", id="new-next")
            yield Static("", id="new-message")
            with Horizontal(id="new-buttons"):
                yield Button(_("Detect (ctrl+r)"), id="new-detect", variant="primary",
                             compact=True)
                yield Button(_("Create (ctrl+s)"), id="new-create", variant="success",
                             disabled=True, compact=True)
                yield Button(_("Cancel (esc)"), id="new-cancel", compact=True)
                yield Button(_("Open it (ctrl+o)"), id="new-open", variant="primary",
                             compact=True)
                yield Button(_("Import a report (i)"), id="new-import", variant="primary",
                             compact=True)
                yield Button(_("Done (esc)"), id="new-done", compact=True)

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
        policy = self.app.workspace.policies.get(detection.marketplace)
        self.query_one("#new-found", Static).update(found_text(policy, detection))
        self.query_one("#new-create", Button).disabled = False
        self._fill_join(detection, matches or [])
        # the operator checks the fields next: start at the first one to fill in (typing
        # the store asked for below must not go to the marketplace select), else the first
        first = next((_FIELD_IDS[f] for f in detection.unknowns if f in _FIELD_IDS),
                     "#new-marketplace")
        self.query_one(first).focus()
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
            self.app.call_from_thread(self._duplicate, exc)
            return
        except (IntakeError, StoreError, OSError) as exc:
            self.app.call_from_thread(self._message, str(exc))
            return
        step = next_step(self.app.workspace.policy_for(case), case)
        if step:
            self.app.call_from_thread(self._created, case.id, step)
        else:
            self.app.call_from_thread(self.dismiss, case.id)

    def _duplicate(self, exc: Duplicate) -> None:
        """The notice is a case already: say which, and offer to open it."""
        self.existing_id = exc.case_id
        self.add_class("duplicate")
        self._message(_("{error}. Press ctrl+o to open it.").format(error=exc))
        self.refresh_bindings()

    def _created(self, case_id: str, step: str) -> None:
        """The case exists: offer the next step (importing the report it needs)."""
        self.created_id = case_id
        self.remove_class("detected", "duplicate", "rejection")
        self.add_class("created")
        self.query_one("#new-next", Static).update(
            _("Created case {case}.").format(case=case_id) + "\n\n" + step)
        self._message("")
        self.refresh_bindings()
        self.query_one("#new-import", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        created = bool(self.created_id)
        if action == "open_existing":
            return bool(self.existing_id) and not created
        if action == "import_report":
            return created
        if action in ("detect", "create"):
            return not created
        return True

    def action_open_existing(self) -> None:
        if self.existing_id:
            self.then = "open"
            self.dismiss(self.existing_id)

    def action_import_report(self) -> None:
        if self.created_id:
            self.then = "import"
            self.dismiss(self.created_id)

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

    @on(Button.Pressed, "#new-open")
    def _open_pressed(self) -> None:
        self.action_open_existing()

    @on(Button.Pressed, "#new-import")
    def _import_pressed(self) -> None:
        self.action_import_report()

    @on(Button.Pressed, "#new-done")
    def _done_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(self.created_id or None)  # once created, closing keeps the case

