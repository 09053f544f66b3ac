"""Evidence findings: each code triggered, and not triggered when the case is right."""

from __future__ import annotations

from datetime import date

import pytest

from appealdesk.checks.base import BLOCKING, CHECK_MODULES, WARNING, CheckContext, run_checks
from appealdesk.evidence import attach as ev
from tests.evidence_fixtures import (
    CITED,
    NOW,
    make_big_pdf,
    make_case,
    make_encrypted_pdf,
    make_gif,
    make_jpeg,
    make_pdf,
    make_png,
    make_workspace,
    make_zip,
)

EVIDENCE_CODES = {"evidence_missing", "orders_not_covered", "file_too_large", "file_format",
                  "file_name", "encrypted_pdf", "document_too_old"}


@pytest.fixture
def ws(tmp_path):
    return make_workspace(tmp_path)


def findings(ws, case_id, code=None, contributing=()):
    case = ws.store.load(case_id)
    ctx = CheckContext(case=case, policy=ws.policy_for(case), now=NOW, workspace=ws)
    if contributing:
        ctx.cache["contributing_orders"] = list(contributing)
    found = [f for f in run_checks(ctx) if f.code in EVIDENCE_CODES]  # letter checks share it
    return [f for f in found if code is None or f.code == code]


def complete_late_shipment(ws, tmp_path, case_id):
    ev.add_evidence(ws, case_id, [make_pdf(tmp_path / "t.pdf", CITED)],
                    requirement="carrier_tracking")
    ev.add_evidence(ws, case_id, [make_png(tmp_path / "delay.png")], requirement="carrier_delay")
    ev.add_evidence(ws, case_id, [make_jpeg(tmp_path / "log.jpg")],
                    requirement="dispatch_records")


def test_evidence_module_is_registered():
    assert "appealdesk.checks.evidence" in CHECK_MODULES


def test_complete_case_has_no_evidence_findings(ws, tmp_path):
    case = make_case(ws)
    complete_late_shipment(ws, tmp_path, case.id)
    assert findings(ws, case.id) == []


def test_evidence_missing(ws, tmp_path):
    case = make_case(ws)
    found = findings(ws, case.id, "evidence_missing")
    assert {f.where for f in found} == {"requirement:carrier_tracking",
                                        "requirement:carrier_delay",
                                        "requirement:dispatch_records"}
    assert all(f.severity == BLOCKING for f in found)
    # Findings are data: the fix is an action id with its values, no command text.
    delay = next(f for f in found if f.where == "requirement:carrier_delay")
    assert (delay.fix, dict(delay.values)) == ("evidence.add", {"requirement": "carrier_delay"})
    assert all("appealdesk" not in f.message for f in found)
    ev.waive(ws, case.id, "carrier_delay", "the delay was ours, no carrier notice exists")
    assert "requirement:carrier_delay" not in {f.where for f in findings(ws, case.id,
                                                                          "evidence_missing")}


def test_evidence_missing_when_file_vanished(ws, tmp_path):
    case = make_case(ws)
    complete_late_shipment(ws, tmp_path, case.id)
    name = ws.store.load(case.id).evidence[1].name
    ws.store.remove_file(case.id, "evidence", name)
    [f] = findings(ws, case.id, "evidence_missing")
    assert f.where == f"evidence:{name}"


def test_orders_not_covered(ws, tmp_path):
    case = make_case(ws)
    complete_late_shipment(ws, tmp_path, case.id)
    assert findings(ws, case.id, "orders_not_covered") == []
    extra = "114-7777777-8888888"
    [f] = findings(ws, case.id, "orders_not_covered", contributing=[extra])
    assert f.severity == BLOCKING and f.where == "requirement:carrier_tracking"
    assert extra in f.message and "3 of 4" in f.message


def test_file_too_large(ws, tmp_path):
    case = make_case(ws)
    complete_late_shipment(ws, tmp_path, case.id)
    assert findings(ws, case.id, "file_too_large") == []
    [item] = ev.add_evidence(ws, case.id, [make_big_pdf(tmp_path / "scan.pdf")],
                             requirement="dispatch_records")
    [f] = findings(ws, case.id, "file_too_large")
    assert f.where == f"evidence:{item.name}" and f.severity == BLOCKING
    assert "10.0 MB" in f.message


def test_file_format(ws, tmp_path):
    case = make_case(ws, type_="valid_tracking")
    [ok] = ev.add_evidence(ws, case.id, [make_pdf(tmp_path / "c.pdf", ["contract"])],
                           requirement="carrier_contract")
    assert findings(ws, case.id, "file_format") == []
    [png] = ev.add_evidence(ws, case.id, [make_png(tmp_path / "c.png")],
                            requirement="carrier_contract")  # contracts: PDF only
    [z] = ev.add_evidence(ws, case.id, [make_zip(tmp_path / "a.zip", {"a.pdf": b"%PDF-"})])
    found = {f.where: f for f in findings(ws, case.id, "file_format")}
    assert set(found) == {f"evidence:{png.name}", f"evidence:{z.name}"}
    assert "pdf" in found[f"evidence:{png.name}"].message


def test_a_pdf_where_only_images_are_accepted_is_told_to_become_an_image(ws, tmp_path):
    # Amazon's IP notices: "we only accept attachments in .jpeg, .jpg, .gif, .png, .tiff"
    case = make_case(ws, type_="intellectual_property")
    ev.add_evidence(ws, case.id, [make_pdf(tmp_path / "loa.pdf", ["authorization"])],
                    requirement="rights_owner_document")
    [f] = findings(ws, case.id, "file_format")
    assert "print it to PDF" not in f.message and "PNG" in f.message
    assert "pdf" not in f.values["allowed"]


def test_gif_allowed_only_where_listed(ws, tmp_path):
    case = make_case(ws, type_="authenticity")
    ev.add_evidence(ws, case.id, [make_gif(tmp_path / "inv.gif")], requirement="supplier_invoice",
                    date=date(2026, 5, 1))
    assert findings(ws, case.id, "file_format") == []
    ev.add_evidence(ws, case.id, [make_gif(tmp_path / "c.gif", 31, 21)],
                    requirement="supplier_contact")
    assert len(findings(ws, case.id, "file_format")) == 1


def test_file_name(ws, tmp_path):
    case = make_case(ws)
    complete_late_shipment(ws, tmp_path, case.id)
    assert findings(ws, case.id, "file_name") == []
    # a hand-edited case: a file renamed outside the app
    with ws.store.editing(case.id, "tester") as c:
        c.evidence[0].name = "scan.png"  # a PDF with a .png name and no template parts
        c.evidence[1].name = "whatever.png"
    found = {f.where: f for f in findings(ws, case.id, "file_name")}
    assert found["evidence:scan.png"].severity == WARNING
    assert "ends in '.png'" in found["evidence:scan.png"].message
    assert "naming" in found["evidence:whatever.png"].message


def test_encrypted_pdf(ws, tmp_path):
    case = make_case(ws)
    complete_late_shipment(ws, tmp_path, case.id)
    assert findings(ws, case.id, "encrypted_pdf") == []
    [item] = ev.add_evidence(ws, case.id, [make_encrypted_pdf(tmp_path / "locked.pdf")],
                             requirement="carrier_delay")
    [f] = findings(ws, case.id, "encrypted_pdf")
    assert f.where == f"evidence:{item.name}" and f.severity == BLOCKING


def test_document_too_old(ws, tmp_path):
    case = make_case(ws, type_="authenticity")  # received 2026-11-18; invoices max 365 days
    ev.add_evidence(ws, case.id, [make_pdf(tmp_path / "new.pdf", ["Invoice date 2026-03-01"])],
                    requirement="supplier_invoice")
    assert findings(ws, case.id, "document_too_old") == []
    [old] = ev.add_evidence(ws, case.id, [make_pdf(tmp_path / "old.pdf", ["Invoice"])],
                            requirement="supplier_invoice", date=date(2025, 11, 17))
    [f] = findings(ws, case.id, "document_too_old")
    assert f.where == f"evidence:{old.name}" and f.severity == BLOCKING
    assert "2025-11-18 or later" in f.message


def test_document_exactly_at_the_limit_passes(ws, tmp_path):
    case = make_case(ws, type_="authenticity")
    ev.add_evidence(ws, case.id, [make_pdf(tmp_path / "edge.pdf", ["Invoice"])],
                    requirement="supplier_invoice", date=date(2025, 11, 18))
    assert findings(ws, case.id, "document_too_old") == []


def test_undated_document_is_a_warning(ws, tmp_path):
    case = make_case(ws, type_="authenticity")
    ev.add_evidence(ws, case.id, [make_png(tmp_path / "inv.png")], requirement="supplier_invoice")
    [f] = findings(ws, case.id, "document_too_old")
    assert f.severity == WARNING and f.fix == "evidence.set_date"
    assert f.values["file"] == f.where.removeprefix("evidence:")


def test_no_policy_no_evidence_findings(ws, tmp_path):
    case = make_case(ws, marketplace="nowhere", case_id="nowhere-1")
    assert findings(ws, case.id) == []
