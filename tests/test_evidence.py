"""Evidence core: file inspection, naming, adding, coverage, checklist, bundle."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appealdesk.evidence import attach
from appealdesk.evidence import bundle as evb
from appealdesk.evidence import checklist as ev
from appealdesk.evidence import names as evn
from appealdesk.evidence.errors import EvidenceError
from appealdesk.evidence.files import (
    EvidenceFileError,
    detect_kind,
    inspect_file,
    unsafe_member_reason,
)
from tests.evidence_fixtures import (
    CITED,
    make_big_pdf,
    make_case,
    make_elf,
    make_encrypted_pdf,
    make_gif,
    make_jpeg,
    make_pdf,
    make_png,
    make_workspace,
    make_zip,
    make_zip_bomb,
    pdf_page_count,
)


@pytest.fixture
def ws(tmp_path):
    return make_workspace(tmp_path)


@pytest.fixture
def case(ws):
    return make_case(ws)


# -- inspection ---------------------------------------------------------------


def test_pdf_pages_text_and_orders(tmp_path):
    path = make_pdf(tmp_path / "log.pdf", ["Dispatch log", "Order 114-3941689-8772232"], pages=3)
    facts = inspect_file(path)
    assert facts.kind == "pdf" and facts.pages == 3 and not facts.encrypted
    assert "114-3941689-8772232" in facts.text
    assert len(facts.sha256) == 64 and facts.size == path.stat().st_size


def test_encrypted_pdf_is_detected(tmp_path):
    facts = inspect_file(make_encrypted_pdf(tmp_path / "locked.pdf"))
    assert facts.kind == "pdf" and facts.encrypted


def test_image_sizes_from_headers(tmp_path):
    assert (inspect_file(make_png(tmp_path / "a.png", 64, 48)).width,
            inspect_file(tmp_path / "a.png").height) == (64, 48)
    jpeg = inspect_file(make_jpeg(tmp_path / "a.jpg", 120, 80))
    assert (jpeg.kind, jpeg.width, jpeg.height) == ("jpeg", 120, 80)
    gif = inspect_file(make_gif(tmp_path / "a.gif", 30, 20))
    assert (gif.kind, gif.width, gif.height) == ("gif", 30, 20)


def test_type_comes_from_content_not_extension(tmp_path):
    png_named_pdf = make_png(tmp_path / "scan.pdf")
    assert inspect_file(png_named_pdf).kind == "png"


def test_executable_renamed_pdf_is_refused_as_what_it_is(tmp_path):
    with pytest.raises(EvidenceFileError, match="ELF executable"):
        inspect_file(make_elf(tmp_path / "invoice.pdf"))
    with pytest.raises(EvidenceFileError, match="Windows executable"):
        detect_kind(b"MZ\x90\x00")
    with pytest.raises(EvidenceFileError, match="script"):
        detect_kind(b"#!/bin/sh\nrm -rf /")


def test_empty_file_is_refused(tmp_path):
    (tmp_path / "empty.pdf").write_bytes(b"")
    with pytest.raises(EvidenceFileError, match="empty"):
        inspect_file(tmp_path / "empty.pdf")


def test_zip_members_listed(tmp_path):
    facts = inspect_file(make_zip(tmp_path / "ok.zip", {"a/b.pdf": b"%PDF-1.4", "c.txt": b"x"}))
    assert facts.kind == "zip" and [m.name for m in facts.members] == ["a/b.pdf", "c.txt"]


@pytest.mark.parametrize("member", ["../evil.txt", "a/../../evil", "/etc/passwd",
                                    "C:/x.txt", "dir\\evil.txt"])
def test_zip_member_escaping_the_folder_is_refused(tmp_path, member):
    with pytest.raises(EvidenceFileError, match="member"):
        inspect_file(make_zip(tmp_path / "bad.zip", {member: b"x"}))


def test_zip_bomb_is_refused(tmp_path):
    with pytest.raises(EvidenceFileError, match="ZIP bomb"):
        inspect_file(make_zip_bomb(tmp_path / "bomb.zip"))


def test_damaged_pdf_is_refused(tmp_path):
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.7\n this is not really a pdf")
    with pytest.raises(EvidenceFileError, match="damaged PDF"):
        inspect_file(tmp_path / "bad.pdf")


@given(st.text(max_size=80))
@settings(max_examples=150)
def test_member_paths_that_pass_stay_inside(name):
    if unsafe_member_reason(name) is None:
        from pathlib import PurePosixPath

        assert not name.startswith("/") and ".." not in PurePosixPath(name).parts
        assert "\\" not in name


# -- naming -------------------------------------------------------------------


def test_template_keeps_chinese_store_names_readable():
    name = evn.make_name("Appeal_{store}_{date}.pdf",
                        {"store": "深圳/优品 旗舰店", "date": "2026-11-20"}, ".pdf")
    assert name == "Appeal_深圳-优品-旗舰店_2026-11-20.pdf"


def test_template_extension_follows_detected_type():
    assert evn.make_name("{case_id}_{reason}_{evidence_type}.pdf",
                        {"case_id": "PERF-1", "reason": "Late shipment",
                         "evidence_type": "tracking"},
                        ".png") == "PERF-1_Late-shipment_tracking.png"


def test_name_is_unique_with_and_without_n():
    taken = {"c_req_1.pdf", "c_req_2.pdf"}
    assert evn.make_name("{case_id}_{requirement}_{n}", {"case_id": "c", "requirement": "req"},
                        ".pdf", taken) == "c_req_3.pdf"
    assert evn.make_name("Appeal_{store}", {"store": "s"}, ".pdf", {"Appeal_s.pdf"}) \
        == "Appeal_s-2.pdf"


@pytest.mark.parametrize("evil", ["../../etc/passwd", ".hidden", "a\x00b\x1fc", "/", "..", "",
                                  "x" * 500, "店" * 300, "a\nb\tc"])
def test_names_are_always_one_safe_path_component(evil):
    name = evn.make_name("{store}_{n}", {"store": evil}, ".pdf")
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert all(ch.isprintable() for ch in name)
    assert len(name.encode()) <= 255 and name.endswith(".pdf")


@given(st.text(max_size=120), st.text(max_size=60))
@settings(max_examples=200)
def test_make_name_property(store, template):
    name = evn.make_name(template or "{store}", {"store": store}, ".pdf")
    assert name.endswith(".pdf") and "/" not in name and not name.startswith(".")
    assert len(name.encode()) <= evn.MAX_NAME_BYTES and all(c.isprintable() for c in name)


def test_malformed_template_does_not_fail():
    assert evn.make_name("Appeal_{store", {"store": "x"}, ".pdf").endswith(".pdf")


# -- adding -------------------------------------------------------------------


def test_add_copies_names_and_records(ws, case, tmp_path):
    src = make_pdf(tmp_path / "tracking.pdf", ["UPS 1Z999", "Order 114-3941689-8772232",
                                               "Shipped 2026-11-02"])
    before = src.read_bytes()
    [item] = attach.add_evidence(ws, case.id, [src], requirement="carrier_tracking")
    assert src.read_bytes() == before and src.exists()  # original untouched
    assert item.name == "amazon-123456789_carrier_tracking_1.pdf"
    stored = ws.store.file_path(case.id, "evidence", item.name)
    assert stored.read_bytes() == before
    assert item.kind == "pdf" and item.pages == 1 and item.size == len(before)
    assert item.orders == ["114-3941689-8772232"]
    assert item.extra["orders_source"] == "detected"
    assert item.document_date == "2026-11-02"
    saved = ws.store.load(case.id)
    assert saved.evidence[0].name == item.name
    assert saved.history[-1].event == "evidence"


def test_orders_inferred_from_file_name_with_underscores(ws, case, tmp_path):
    src = make_png(tmp_path / "tracking_114-1111111-2222222_and_114-3333333-4444444.png")
    [item] = attach.add_evidence(ws, case.id, [src], requirement="carrier_tracking")
    assert item.orders == ["114-1111111-2222222", "114-3333333-4444444"]
    assert item.name.endswith(".png") and (item.width, item.height) == (64, 48)


def test_stated_orders_and_date_win(ws, case, tmp_path):
    src = make_pdf(tmp_path / "t-114-3941689-8772232.pdf", ["2020-01-01"])
    [item] = attach.add_evidence(ws, case.id, [src], requirement="carrier_tracking",
                             orders=["114-1111111-2222222"], date=date(2026, 11, 1))
    assert item.orders == ["114-1111111-2222222"]
    assert item.document_date == "2026-11-01" and item.extra["orders_source"] == "stated"


def test_bad_file_in_a_batch_adds_nothing(ws, case, tmp_path):
    good = make_pdf(tmp_path / "good.pdf", ["x"])
    bad = make_elf(tmp_path / "bad.pdf")
    with pytest.raises(EvidenceError, match="bad.pdf: is an ELF executable"):
        attach.add_evidence(ws, case.id, [good, bad])
    assert ws.store.load(case.id).evidence == []
    assert ws.store.list_files(case.id, "evidence") == []


def test_unknown_content_and_unknown_requirement_refused(ws, case, tmp_path):
    (tmp_path / "notes.pdf").write_text("just text")
    with pytest.raises(EvidenceError, match="not a PDF, image or ZIP"):
        attach.add_evidence(ws, case.id, [tmp_path / "notes.pdf"])
    with pytest.raises(EvidenceError, match="no evidence requirement 'nope'"):
        attach.add_evidence(ws, case.id, [make_png(tmp_path / "a.png")], requirement="nope")


def test_same_file_twice_refused(ws, case, tmp_path):
    src = make_png(tmp_path / "a.png")
    attach.add_evidence(ws, case.id, [src])
    with pytest.raises(EvidenceError, match="already attached"):
        attach.add_evidence(ws, case.id, [src])


def test_remove_deletes_copy_keeps_original(ws, case, tmp_path):
    src = make_png(tmp_path / "a.png")
    [item] = attach.add_evidence(ws, case.id, [src])
    attach.remove_evidence(ws, case.id, item.name)
    assert src.exists() and ws.store.list_files(case.id, "evidence") == []
    assert ws.store.load(case.id).evidence == []
    with pytest.raises(EvidenceError, match="no evidence file"):
        attach.remove_evidence(ws, case.id, item.name)


def test_waive_and_unwaive(ws, case):
    with pytest.raises(EvidenceError, match="reason"):
        attach.waive(ws, case.id, "carrier_delay", "   ")
    attach.waive(ws, case.id, "carrier_delay", "no carrier delay: our own warehouse was late")
    loaded = ws.store.load(case.id)
    assert loaded.waivers[0].requirement == "carrier_delay"
    assert "our own warehouse" in loaded.history[-1].note
    assert ev.checklist(loaded, ws.policy_for(loaded)).item("carrier_delay").state == ev.WAIVED
    attach.unwaive(ws, case.id, "carrier_delay")
    assert ws.store.load(case.id).waivers == []
    with pytest.raises(EvidenceError, match="not waived"):
        attach.unwaive(ws, case.id, "carrier_delay")


# -- checklist and coverage ---------------------------------------------------


def test_checklist_states_missing_partial_done(ws, case, tmp_path):
    policy = ws.policy_for(case)
    result = ev.checklist(ws.store.load(case.id), policy)
    assert [i.requirement.id for i in result.items] == [
        "carrier_tracking", "carrier_delay", "dispatch_records"]
    assert {i.state for i in result.items} == {ev.MISSING}
    attach.add_evidence(ws, case.id, [make_png(tmp_path / f"t_{CITED[0]}.png")],
                    requirement="carrier_tracking")
    attach.add_evidence(ws, case.id, [make_pdf(tmp_path / "delay.pdf", ["storm"])],
                    requirement="carrier_delay")
    result = ev.checklist(ws.store.load(case.id), policy)
    tracking = result.item("carrier_tracking")
    assert (tracking.state, tracking.covered, tracking.total) == (ev.PARTIAL, 1, 3)
    assert tracking.state_text() == "partial (1 of 3)"
    assert tracking.uncovered == CITED[1:]
    assert result.item("carrier_delay").state == ev.DONE
    assert result.item("dispatch_records").state == ev.MISSING
    attach.add_evidence(ws, case.id, [make_jpeg(tmp_path / "rest.jpg")],
                    requirement="carrier_tracking", orders=CITED[1:])
    result = ev.checklist(ws.store.load(case.id), policy)
    assert result.item("carrier_tracking").state == ev.DONE
    assert result.coverage.gaps() == []


def test_contributing_orders_widen_coverage(ws, case, tmp_path):
    attach.add_evidence(ws, case.id, [make_jpeg(tmp_path / "all.jpg")],
                    requirement="carrier_tracking", orders=CITED)
    loaded = ws.store.load(case.id)
    policy = ws.policy_for(loaded)
    assert ev.checklist(loaded, policy).item("carrier_tracking").state == ev.DONE
    wider = ev.checklist(loaded, policy, contributing_orders=["114-9999999-0000000", CITED[0]])
    item = wider.item("carrier_tracking")
    assert (item.state, item.covered, item.total) == (ev.PARTIAL, 3, 4)
    assert wider.coverage.orders[-1] == "114-9999999-0000000"
    assert "114-9999999-0000000" not in wider.coverage.cited


def test_coverage_matrix_cells_and_gaps(ws, tmp_path):
    case = make_case(ws, type_="order_defect")
    attach.add_evidence(ws, case.id, [make_png(tmp_path / f"msg {CITED[1]}.png")],
                    requirement="buyer_communication")
    result = ev.checklist(ws.store.load(case.id), ws.policy_for(case))
    cov = result.coverage
    assert [r.id for r in cov.requirements] == ["buyer_communication", "carrier_tracking"]
    assert cov.files_for(CITED[1], "buyer_communication")
    gaps = cov.gaps()
    assert (CITED[0], "buyer_communication") in gaps and (CITED[1], "carrier_tracking") in gaps
    assert (CITED[1], "buyer_communication") not in gaps
    data = cov.to_dict()
    assert data["cells"][CITED[1]]["buyer_communication"]


def test_per_order_requirement_without_known_orders(ws, tmp_path):
    case = make_case(ws, cited=[])
    assert ev.checklist(case, ws.policy_for(case)).item("carrier_tracking").state == ev.MISSING
    attach.add_evidence(ws, case.id, [make_png(tmp_path / "x.png")], requirement="carrier_tracking")
    loaded = ws.store.load(case.id)
    assert ev.checklist(loaded, ws.policy_for(loaded)).item("carrier_tracking").state == ev.DONE


def test_unknown_type_or_policy_gives_empty_checklist(ws):
    case = make_case(ws, type_="unknown")
    assert ev.checklist(case, ws.policy_for(case)).items == []
    assert ev.checklist(case, None).items == []


# -- bundle -------------------------------------------------------------------


def test_bundle_pdf_letter_first_then_evidence(ws, case, tmp_path):
    attach.add_evidence(ws, case.id, [make_pdf(tmp_path / "d.pdf", ["dispatch"], pages=2)],
                    requirement="dispatch_records")
    attach.add_evidence(ws, case.id, [make_png(tmp_path / "t.png")], requirement="carrier_tracking")
    attach.add_evidence(ws, case.id, [make_jpeg(tmp_path / "j.jpg")], requirement="carrier_delay")
    letter = make_pdf(tmp_path / "letter.pdf", ["Plan of Action"])
    ws.store.write_file(case.id, "out", "POA_store_123456789_2026-11-19.pdf", letter.read_bytes())
    path = evb.bundle(ws, case.id)
    assert path.parent == ws.store.case_dir(case.id) / "out"
    assert path.name == "Evidence_深圳优品旗舰店_123456789_2026-11-20.pdf"
    data = path.read_bytes()
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1 + 1 + 1 + 2  # letter, tracking image, delay image, dispatch
    assert "Plan of Action" in reader.pages[0].extract_text()
    assert "dispatch" in reader.pages[3].extract_text()
    assert evb.BUNDLE_MARKER in reader.metadata
    # bundling again does not take the first bundle for the letter
    path2 = evb.bundle(ws, case.id)
    assert pdf_page_count(path2.read_bytes()) == 5


def test_bundle_never_overwrites_the_letter(ws, case, tmp_path):
    attach.add_evidence(ws, case.id, [make_png(tmp_path / "t.png")], requirement="carrier_tracking")
    letter_name = "POA_深圳优品旗舰店_123456789_2026-11-20.pdf"
    letter = make_pdf(tmp_path / "letter.pdf", ["Plan of Action"]).read_bytes()
    ws.store.write_file(case.id, "out", letter_name, letter)
    path = evb.bundle(ws, case.id)
    assert path.name != letter_name
    assert ws.store.file_path(case.id, "out", letter_name).read_bytes() == letter


def test_bundle_over_the_limit_names_files_and_writes_nothing(ws, case, tmp_path):
    attach.add_evidence(ws, case.id, [make_big_pdf(tmp_path / "scan.pdf")],
                    requirement="dispatch_records")
    attach.add_evidence(ws, case.id, [make_png(tmp_path / "t.png")], requirement="carrier_tracking")
    with pytest.raises(evb.BundleTooLarge) as err:
        evb.bundle(ws, case.id)
    assert "amazon-123456789_dispatch_records_1.pdf" in str(err.value)
    assert err.value.culprits[0][0] == "amazon-123456789_dispatch_records_1.pdf"
    assert err.value.size > err.value.limit
    assert ws.store.list_files(case.id, "out") == []


def test_bundle_zip_policy(ws, case, tmp_path):
    policy = ws.policy_for(case)
    files = replace(policy.files, bundle="zip", bundle_name="{notification_id}_evidence.zip")
    ws.policies.policies["amazon"] = replace(policy, files=files)
    attach.add_evidence(ws, case.id, [make_png(tmp_path / "t.png")], requirement="carrier_tracking")
    path = evb.bundle(ws, case.id)
    assert path.name == "123456789_evidence.zip"
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["amazon-123456789_carrier_tracking_1.png"]


def test_bundle_refuses_encrypted_pdf_and_empty(ws, case, tmp_path):
    with pytest.raises(EvidenceError, match="nothing to bundle"):
        evb.bundle(ws, case.id)
    attach.add_evidence(ws, case.id, [make_encrypted_pdf(tmp_path / "locked.pdf")],
                    requirement="carrier_delay")
    with pytest.raises(EvidenceError, match="encrypted"):
        evb.bundle(ws, case.id)
    assert ws.store.list_files(case.id, "out") == []
