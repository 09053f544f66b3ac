"""Submissions and outcomes recorded on the case."""

from __future__ import annotations

import hashlib

import pytest

from appealdesk.cases.model import Status
from appealdesk.operations.submissions import SubmissionError, submit
from appealdesk.operations.submissions import outcome as record_outcome
from appealdesk.render.pdf import render_letter
from tests.letter_fixtures import GOOD_AMAZON

CASE = "amazon-5839201744"


def _render(ws):
    from appealdesk.operations.letters import save_letter

    save_letter(ws, CASE, GOOD_AMAZON)
    case = ws.store.load(CASE)
    return render_letter(ws.store, case, ws.policy_for(case), at=ws.now())


def test_submit_needs_a_rendered_letter(demo_workspace):
    with pytest.raises(SubmissionError, match="render"):
        submit(demo_workspace, CASE)
    assert demo_workspace.store.load(CASE).submissions == []


def test_submit_records_pdf_hash_and_status(demo_workspace):
    ws = demo_workspace
    result = _render(ws)
    s = submit(ws, CASE, ticket="T-1", note="via Seller Central")
    case = ws.store.load(CASE)
    assert case.status is Status.SUBMITTED
    assert s.pdf == result.name
    assert s.sha256 == hashlib.sha256(result.path.read_bytes()).hexdigest()
    assert (s.ticket, s.operator, s.at) == ("T-1", "tester", ws.now())
    assert s.letter_version == case.letter.version
    with pytest.raises(SubmissionError) as err:
        submit(ws, CASE)
    assert err.value.duplicate


def test_outcome_rejected_then_approved(demo_workspace):
    ws = demo_workspace
    _render(ws)
    submit(ws, CASE)
    record_outcome(ws, CASE, "rejected", reason="documents invalid", code="R-7")
    case = ws.store.load(CASE)
    assert case.status is Status.REJECTED
    assert (case.submissions[-1].outcome, case.submissions[-1].code) == ("rejected", "R-7")
    with pytest.raises(SubmissionError, match="already"):
        record_outcome(ws, CASE, "approved")
    submit(ws, CASE)
    record_outcome(ws, CASE, "approved")
    assert ws.store.load(CASE).status is Status.APPROVED


def test_outcome_without_submission(demo_workspace):
    with pytest.raises(SubmissionError):
        record_outcome(demo_workspace, CASE, "approved")
    with pytest.raises(SubmissionError):
        record_outcome(demo_workspace, CASE, "maybe")
