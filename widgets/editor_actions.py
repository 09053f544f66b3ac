"""What the letter pane does with the letter: draft it, render it (a DRAFT only when
confirmed) and show its versions (the submission timeline, submit and outcome:
``widgets/workflow_actions.py``).

A mixin of ``EditorPane`` (``widgets/editor_pane.py``). Drafting and rendering
first save the text on screen through the pane's ``_write`` (under the save
lock), so what they work on is what the operator sees.
"""

from __future__ import annotations

from textual import work
from textual.widgets import ProgressBar

from appealdesk.app import WorkerErrorsToApp, guarded
from appealdesk.cases.errors import StoreError
from appealdesk.cases.model import LetterVersion
from appealdesk.checks.base import BLOCKING
from appealdesk.i18n import N_, _, ngettext
from appealdesk.operations import letters


# WorkerErrorsToApp: its workers' failures reach the app even outside EditorPane.
class EditorActionsMixin(WorkerErrorsToApp):
    """Draft, render and versions commands of ``EditorPane``."""

    # draft ---------------------------------------------------------------------
    def action_draft(self) -> None:
        if self.case is None:
            return
        self._draft_worker(self.case.id, self.text, False)

    def _busy(self, on: bool) -> None:
        self.set_class(on, "busy")
        if on:
            self.query_one("#editor-progress", ProgressBar).update(total=None, progress=0)

    @work(thread=True, exclusive=True, group="editor-draft", exit_on_error=False)
    def _draft_worker(self, case_id: str, text: str, new_version: bool) -> None:
        from appealdesk.letter.versions import DraftWouldOverwrite

        self.app.call_from_thread(self._busy, True)
        try:
            self._save_seq += 1
            saved = self._write(case_id, text, self._save_seq)  # keep the edits first
            if saved is not None:
                self.app.call_from_thread(self._saved, case_id, text, saved)
            with self._save_lock:
                version = letters.draft(self.app.workspace, case_id, new_version=new_version)
                self._known_disk[case_id] = version.text
        except DraftWouldOverwrite:
            self.app.call_from_thread(self._offer_new_version, case_id)
            return
        except (letters.NoPolicy, StoreError, OSError) as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=10)
            return
        finally:
            self.app.call_from_thread(self._busy, False)
        self.app.call_from_thread(self._drafted, case_id, version)

    def _offer_new_version(self, case_id: str) -> None:
        from appealdesk.screens.dialogs.letter_versions import NewVersionScreen

        def answered(yes: bool | None) -> None:
            if yes and self.case is not None and self.case.id == case_id:
                self._draft_worker(case_id, self.text, True)

        version = self.case.letter.version if self.case else 0
        self.app.push_screen(NewVersionScreen(version), answered)

    def _drafted(self, case_id: str, version: LetterVersion) -> None:
        from appealdesk.letter.versions import origin_name

        message = (_("Drafted version {n} ({origin}); the earlier text is kept as a version.")
                   if version.version > 1 else _("Drafted version {n} ({origin})."))
        self.notify(message.format(n=version.version, origin=origin_name(version.origin)),
                    title=_("Draft"))
        if self.case is not None and self.case.id == case_id and not self.dirty:
            self._load(self.case, version.text, self.text_area.cursor_location[0])
        self.app.reload_case(case_id)

    # render ----------------------------------------------------------------------
    def action_render(self) -> None:
        """Render; with blocking findings, only as a DRAFT and only when confirmed."""
        from appealdesk.render.gate import NOT_ABOUT_THE_PDF

        if self.case is None:
            return
        blocking = [f for f in self.findings
                    if f.severity == BLOCKING and f.where not in NOT_ABOUT_THE_PDF]
        if not blocking:
            self._busy(True)
            self._render_worker(self.case.id, self.text, False)
            return
        from appealdesk.screens.dialogs.render_draft import RenderDraftScreen

        case_id, text = self.case.id, self.text

        def answered(yes: bool | None) -> None:
            if yes and self.case is not None and self.case.id == case_id:
                self._busy(True)
                self._render_worker(case_id, text, True)

        self.app.push_screen(RenderDraftScreen(blocking), answered)

    @work(thread=True, exclusive=True, group="editor-render", exit_on_error=False)
    def _render_worker(self, case_id: str, text: str, as_draft: bool) -> None:
        from appealdesk.render.fonts import FontMissing
        from appealdesk.render.gate import blocking_findings
        from appealdesk.render.pdf import RenderError

        ws = self.app.workspace
        try:
            self._save_seq += 1
            saved = self._write(case_id, text, self._save_seq)  # the PDF shows what is on disk
            if saved is not None:
                self.app.call_from_thread(self._saved, case_id, text, saved)
            case = ws.store.load(case_id)
            blocking = blocking_findings(ws, case)  # of the saved case, every area
            if blocking and not as_draft:
                raise RenderError(ngettext(
                    "{n} blocking finding; render again to make a DRAFT",
                    "{n} blocking findings; render again to make a DRAFT", len(blocking))
                    .format(n=len(blocking)))
            result = letters.render(ws, case_id, text=text, hold=self._save_lock,
                                    blocking=blocking or None)
        except (RenderError, FontMissing, StoreError, OSError) as exc:
            self.app.call_from_thread(self.notify, str(exc), title=_("Not rendered"),
                                      severity="error", timeout=12)
            return
        finally:
            self.app.call_from_thread(self._busy, False)
        self.app.call_from_thread(self._rendered, case_id, result)

    def _rendered(self, case_id: str, result) -> None:
        # In a browser the server's path means nothing: the name, and the key that downloads it.
        web = self.app.is_web
        message = ngettext("{path} ({pages} page, {size} KB)", "{path} ({pages} pages, {size} KB)",
                           result.pages).format(
            path=result.path.name if web else result.path, pages=result.pages,
            size=max(1, result.size // 1024))
        if web:
            message += "\n" + _("D: download it.")
        if result.draft:
            self.notify(message + "\n" + _("A DRAFT: watermarked and not for submission."),
                        title=_("DRAFT rendered"), severity="warning", timeout=12)
        elif result.ok:
            from appealdesk.widgets.fixes import key_hint

            self.notify(message + "\n" + _("Once it is uploaded, record the submission ({key}).")
                        .format(key=key_hint("submit")), title=_("Letter rendered"), timeout=10)
        else:
            self.notify(message + "\n" + _("It has blocking findings; see the list."),
                        title=_("Letter rendered"), severity="warning", timeout=12)
        if self.case is not None and self.case.id == case_id:
            self.render_findings = list(result.findings)
            self._fill_findings()
        self.app.reload_case(case_id)

    # download (served in a browser only: check_action hides it in a terminal) -----------
    def action_download_pdf(self) -> None:
        if self.case is not None:
            self._download_worker(self.case.id)

    @work(thread=True, exclusive=True, group="editor-download", exit_on_error=False)
    def _download_worker(self, case_id: str) -> None:
        from appealdesk.evidence.outputs import letter_pdf
        from appealdesk.widgets.download import offer_download

        ws = self.app.workspace
        case = ws.store.load(case_id)
        path = letter_pdf(ws.store, case, ws.policy_for(case))
        if path is None:
            self.app.call_from_thread(self.notify, _("No rendered letter yet: r renders it."),
                                      severity="warning")
            return
        self.app.call_from_thread(offer_download, self.app, path)

    # versions ----------------------------------------------------------
    @guarded(N_("Showing the case failed"))
    def action_versions(self) -> None:
        if self.case is None:
            return
        from appealdesk.screens.dialogs.letter_versions import LetterVersionsScreen

        self.app.push_screen(LetterVersionsScreen(self.case, self.text))
