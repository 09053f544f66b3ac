"""A bundle holds exactly the files that were recorded: a symlink planted in evidence/ is
not followed, a file swapped after it was added is refused (its sha256 is checked)."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import replace

import pytest

from appealdesk.evidence import attach
from appealdesk.evidence import bundle as ev
from appealdesk.evidence.errors import EvidenceError
from appealdesk.evidence.outputs import letter_pdf
from tests.evidence_fixtures import make_case, make_png, make_workspace


@pytest.fixture
def ws(tmp_path):
    ws = make_workspace(tmp_path)
    return ws


@pytest.fixture
def case(ws):
    case = make_case(ws)
    policy = ws.policy_for(case)
    files = replace(policy.files, bundle="zip", bundle_name="{notification_id}_evidence.zip")
    ws.policies.policies["amazon"] = replace(policy, files=files)
    return case


def _added(ws, case, tmp_path):
    (item,) = attach.add_evidence(ws, case.id, [make_png(tmp_path / "t.png")],
                              requirement="carrier_tracking")
    return item, ws.store.file_path(case.id, "evidence", item.name)


def test_bundle_holds_the_recorded_bytes(ws, case, tmp_path):
    item, path = _added(ws, case, tmp_path)
    with zipfile.ZipFile(ev.bundle(ws, case.id)) as archive:
        data = archive.read(item.name)
    assert hashlib.sha256(data).hexdigest() == item.sha256


def test_a_planted_symlink_is_not_followed(ws, case, tmp_path):
    item, path = _added(ws, case, tmp_path)
    secret = tmp_path / "secret.png"
    secret.write_bytes(path.read_bytes())  # even the very same bytes: a link is not the file
    path.unlink()
    path.symlink_to(secret)
    with pytest.raises(EvidenceError, match=f"{item.name} is not a plain file"):
        ev.bundle(ws, case.id)
    assert ws.store.list_files(case.id, "out") == []


def test_a_swapped_file_is_refused(ws, case, tmp_path):
    item, path = _added(ws, case, tmp_path)
    path.write_bytes(make_png(tmp_path / "other.png", width=7).read_bytes())
    with pytest.raises(EvidenceError, match=f"{item.name} changed since it was added"):
        ev.bundle(ws, case.id)
    assert ws.store.list_files(case.id, "out") == []


def test_a_planted_letter_symlink_in_out_is_not_followed(ws, case, tmp_path):
    _added(ws, case, tmp_path)
    target = tmp_path / "elsewhere.pdf"
    target.write_bytes(b"%PDF-1.4 not ours")
    (ws.store.case_dir(case.id) / "out").mkdir(exist_ok=True)
    planted = ws.store.case_dir(case.id) / "out" / "POA_x_123456789_2026-11-20.pdf"
    planted.symlink_to(target)
    assert planted not in ws.store.list_files(case.id, "out")
    assert letter_pdf(ws.store, case, ws.policy_for(case)) is None
    with zipfile.ZipFile(ev.bundle(ws, case.id)) as archive:
        assert all(b"not ours" not in archive.read(n) for n in archive.namelist())
    # read directly, it is refused all the same
    with pytest.raises(EvidenceError, match="not a plain file"):
        ev.read_recorded(planted)
