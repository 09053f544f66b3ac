"""Changing a case's evidence from the evidence pane: attach (to the requirement or the
matrix cell pointed at), waive and withdraw a waiver, remove, set the orders a file
covers, and write the bundle.

A mixin of ``EvidencePane`` (``widgets/evidence_pane.py``), which keeps the views
and the keys. Every change runs in a thread worker through the core ``evidence``
operations and then asks the app to reload the case.
"""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.widgets import DataTable, ProgressBar

from appealdesk.app import WorkerErrorsToApp, guarded
from appealdesk.i18n import N_, _, pick
from appealdesk.operations import evidence


# WorkerErrorsToApp: its workers' failures reach the app even outside EvidencePane.
class EvidenceActionsMixin(WorkerErrorsToApp):
    """The commands of ``EvidencePane`` that change the case (state lives in the pane)."""

    def _target_requirement(self) -> tuple[str | None, str | None]:
        """(requirement, order) the operator is pointing at."""
        if self.result is None:
            return None, None
        if self._matrix_shown():
            table = self.query_one("#evidence-matrix", DataTable)
            cov = self.result.coverage
            if not cov.orders or table.cursor_column < 1:
                return (cov.requirements[0].id if cov.requirements else None), None
            return (cov.requirements[table.cursor_column - 1].id,
                    cov.orders[table.cursor_row])
        selected = self._selected()
        if not selected:
            return None, None
        kind, ident = selected
        if kind == "req":
            return ident, None
        if kind == "file" and self.case is not None:
            ev = next(e for e in self.case.evidence if e.name == ident)
            return ev.requirement, None
        return None, None

    @guarded(N_("Showing the case failed"))
    def action_attach(self, paste: bool = False) -> None:
        if self.case is None:
            return
        from appealdesk.screens.dialogs.file_picker import FilePickerScreen

        requirement, order = self._target_requirement()
        req = self.app.workspace.policy_for(self.case)
        name = ""
        if requirement and req is not None and req.requirement(requirement):
            r = req.requirement(requirement)
            name = pick(r.name, r.name_zh)
        title = (_("Attach to \u201c{name}\u201d").format(name=name) if name
                 else _("Attach a file"))
        case_id = self.case.id

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._attach_file(case_id, path, requirement, order)

        self.app.push_screen(FilePickerScreen(title, paste=paste), chosen)

    def action_paste_path(self) -> None:
        self.action_attach(paste=True)

    @work(thread=True, exclusive=True, group="evidence-change", exit_on_error=False)
    def _attach_file(self, case_id: str, path: Path, requirement: str | None,
                     order: str | None) -> None:
        # Attached from a matrix cell: that order is covered too.
        self._apply(case_id, lambda ws, cid: evidence.add(ws, cid, [path], requirement=requirement,
                                                          also_covers=order),
                    _("Attached {name}").format(name=path.name))

    def _apply(self, case_id: str, change, message: str) -> None:
        self.apply_change(case_id, change, message, errors=(evidence.EvidenceError,))

    @guarded(N_("Showing the case failed"))
    def action_waive(self) -> None:
        if self.case is None or self.result is None:
            return
        requirement, _order = self._target_requirement()
        item = self.result.item(requirement or "")
        if item is None:
            self.notify(_("Highlight a requirement to waive it."), severity="warning")
            return
        case_id = self.case.id
        if item.waiver:
            self._unwaive(case_id, item.requirement.id, item.label)
            return
        from appealdesk.screens.dialogs.waive import WaiveScreen

        def chosen(reason: str | None) -> None:
            if reason:
                self._waive(case_id, item.requirement.id, reason, item.label)

        self.app.push_screen(WaiveScreen(item.label), chosen)

    @work(thread=True, exclusive=True, group="evidence-change", exit_on_error=False)
    def _waive(self, case_id: str, requirement: str, reason: str, label: str) -> None:
        # The toast names the requirement as the checklist does, not by its id
        self._apply(case_id, lambda ws, cid: evidence.waive(ws, cid, requirement, reason),
                    _("Waived {req}").format(req=label))

    @work(thread=True, exclusive=True, group="evidence-change", exit_on_error=False)
    def _unwaive(self, case_id: str, requirement: str, label: str) -> None:
        self._apply(case_id, lambda ws, cid: evidence.unwaive(ws, cid, requirement),
                    _("Waiver withdrawn for {req}").format(req=label))

    def action_remove(self) -> None:
        selected = self._selected()
        if self.case is None or not selected or selected[0] != "file":
            self.notify(_("Highlight a file to remove it."), severity="warning")
            return
        from appealdesk.screens.dialogs.remove_evidence import RemoveEvidenceScreen

        case_id, name = self.case.id, selected[1]

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove(case_id, name)

        self.app.push_screen(RemoveEvidenceScreen(name), answered)

    def action_edit_orders(self) -> None:
        """Confirm or correct the orders a file covers (found ones are a guess)."""
        selected = self._selected()
        if self.case is None or not selected or selected[0] != "file":
            self.notify(_("Highlight a file to set its orders."), severity="warning")
            return
        from appealdesk.screens.dialogs.waive import PromptScreen

        case_id, name = self.case.id, selected[1]
        item = next(e for e in self.case.evidence if e.name == name)

        def chosen(text: str | None) -> None:
            if text is not None:
                orders = [o for o in text.replace(",", " ").split() if o]
                self._set_orders(case_id, name, orders)

        self.app.push_screen(PromptScreen(
            _("Orders covered by {name}").format(name=name),
            _("Order ids separated by commas or spaces; empty for none."),
            value=", ".join(item.orders)), chosen)

    @work(thread=True, exclusive=True, group="evidence-change", exit_on_error=False)
    def _set_orders(self, case_id: str, name: str, orders: list[str]) -> None:
        self._apply(case_id, lambda ws, cid: evidence.set_facts(ws, cid, name, orders=orders),
                    _("Orders updated for {name}").format(name=name))

    @work(thread=True, exclusive=True, group="evidence-change", exit_on_error=False)
    def _remove(self, case_id: str, name: str) -> None:
        self._apply(case_id, lambda ws, cid: evidence.remove(ws, cid, name),
                    _("Removed {name}").format(name=name))

    def action_bundle(self) -> None:
        if self.case is None:
            return
        self.add_class("bundling")
        self.query_one(ProgressBar).update(total=None, progress=0)
        self._bundle(self.case.id)

    @work(thread=True, exclusive=True, group="evidence-bundle", exit_on_error=False)
    def _bundle(self, case_id: str) -> None:
        from appealdesk.cases.errors import StoreError

        bar = self.query_one(ProgressBar)

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(bar.update, total=total, progress=done)

        try:
            path = evidence.bundle(self.app.workspace, case_id, progress)
        except (evidence.EvidenceError, StoreError, OSError) as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=12)
        else:
            if self.app.is_web:  # the server's path means nothing in a browser
                message = _("Wrote {path}").format(path=path.name) + "\n" + _("D: download it.")
            else:
                message = _("Wrote {path}").format(path=path)
            self.app.call_from_thread(self.notify, message, timeout=8)
            self.app.call_from_thread(self.app.reload_case, case_id)
        finally:
            self.app.call_from_thread(self.remove_class, "bundling")

    # download (served in a browser only: EvidencePane.check_action hides it elsewhere) --
    def action_download_bundle(self) -> None:
        if self.case is not None:
            self._download_bundle(self.case.id)

    @work(thread=True, exclusive=True, group="evidence-download", exit_on_error=False)
    def _download_bundle(self, case_id: str) -> None:
        from appealdesk.evidence.outputs import latest_bundle
        from appealdesk.widgets.download import offer_download

        store = self.app.workspace.store
        path = latest_bundle(store, store.load(case_id))
        if path is None:
            self.app.call_from_thread(self.notify, _("No bundle yet: b writes it."),
                                      severity="warning")
            return
        self.app.call_from_thread(offer_download, self.app, path)
