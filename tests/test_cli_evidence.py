"""`appealdesk evidence ...` and `appealdesk check` end to end, with real files."""

from __future__ import annotations

import json

import pytest

from appealdesk.cli import main
from tests.evidence_fixtures import (
    CITED,
    make_big_pdf,
    make_case,
    make_elf,
    make_pdf,
    make_png,
    make_workspace,
    make_zip,
)


@pytest.fixture
def ws(tmp_path):
    ws = make_workspace(tmp_path)
    make_case(ws)
    return ws


def run(capsys, ws, *argv):
    code = main(["--data-dir", str(ws.store.root), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


CASE = "amazon-123456789"


def test_add_then_list_json(capsys, ws, tmp_path):
    src = make_pdf(tmp_path / "tracking.pdf", ["Order " + CITED[0], "2026-11-02"])
    code, out, err = run(capsys, ws, "evidence", "add", CASE, str(src),
                         "--requirement", "carrier_tracking")
    assert code == 0, err
    assert "added amazon-123456789_carrier_tracking_1.pdf (pdf, 1 page)" in out
    assert CITED[0] in out
    code, out, _ = run(capsys, ws, "evidence", "list", CASE, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["case"] == CASE
    assert data["files"][0]["sha256"] and data["files"][0]["kind"] == "pdf"
    states = {i["requirement"]: i for i in data["items"]}
    assert states["carrier_tracking"]["state"] == "partial"
    assert (states["carrier_tracking"]["covered"], states["carrier_tracking"]["total"]) == (1, 3)
    assert states["carrier_delay"]["state"] == "missing"
    assert data["coverage"]["cells"][CITED[0]]["carrier_tracking"]
    assert {"order": CITED[1], "requirement": "carrier_tracking"} in data["coverage"]["gaps"]


def test_add_with_orders_and_date(capsys, ws, tmp_path):
    code, out, _ = run(capsys, ws, "evidence", "add", CASE, str(make_png(tmp_path / "a.png")),
                       "--requirement", "carrier_tracking", "--orders", ",".join(CITED),
                       "--date", "2026-11-03", "--json")
    assert code == 0
    item = json.loads(out)["added"][0]
    assert item["orders"] == CITED and item["document_date"] == "2026-11-03"
    assert (item["width"], item["height"]) == (64, 48)


@pytest.mark.parametrize("argv,needle", [
    (["--date", "03/11/2026"], "YYYY-MM-DD"),
    (["--requirement", "nope"], "no evidence requirement 'nope'"),
])
def test_add_bad_options_one_line(capsys, ws, tmp_path, argv, needle):
    code, out, err = run(capsys, ws, "evidence", "add", CASE, str(make_png(tmp_path / "a.png")),
                         *argv)
    assert code == 2 and needle in err and "Traceback" not in err
    assert err.count("\n") == 1


def test_add_refuses_executable_and_zip_escape(capsys, ws, tmp_path):
    code, _, err = run(capsys, ws, "evidence", "add", CASE, str(make_elf(tmp_path / "x.pdf")))
    assert code == 2 and "ELF executable" in err
    bad = make_zip(tmp_path / "bad.zip", {"../../x": b"x"})
    code, _, err = run(capsys, ws, "evidence", "add", CASE, str(bad))
    assert code == 2 and "goes up" in err
    code, _, err = run(capsys, ws, "evidence", "add", CASE, str(tmp_path / "nope.pdf"))
    assert code == 2 and "not a file" in err
    assert ws.store.load(CASE).evidence == []


def test_unknown_case(capsys, ws, tmp_path):
    code, _, err = run(capsys, ws, "evidence", "list", "amazon-nope")
    assert code == 2 and "no such case" in err


def test_set_corrects_orders_requirement_and_date(capsys, ws, tmp_path):
    run(capsys, ws, "evidence", "add", CASE, str(make_png(tmp_path / "a.png")))
    name = ws.store.load(CASE).evidence[0].name
    code, out, err = run(capsys, ws, "evidence", "set", CASE, name, "--requirement",
                         "carrier_tracking", "--orders", CITED[0], "--date", "2026-11-01")
    assert code == 0, err
    item = ws.store.load(CASE).evidence[0]
    assert (item.requirement, item.orders, item.document_date) == (
        "carrier_tracking", [CITED[0]], "2026-11-01")
    assert item.extra["orders_source"] == "stated"
    code, _, err = run(capsys, ws, "evidence", "set", CASE, name, "--requirement", "nope")
    assert code == 2 and "nope" in err


def test_remove_and_waive(capsys, ws, tmp_path):
    run(capsys, ws, "evidence", "add", CASE, str(make_png(tmp_path / "a.png")))
    name = ws.store.load(CASE).evidence[0].name
    code, out, _ = run(capsys, ws, "evidence", "remove", CASE, name)
    assert code == 0 and name in out and ws.store.load(CASE).evidence == []
    code, _, err = run(capsys, ws, "evidence", "remove", CASE, name)
    assert code == 2 and "no evidence file" in err
    code, out, _ = run(capsys, ws, "evidence", "waive", CASE, "carrier_delay",
                       "--reason", "we shipped late ourselves")
    assert code == 0
    code, out, _ = run(capsys, ws, "evidence", "list", CASE)
    assert "[waived] Carrier delay proof" in out and "we shipped late ourselves" in out
    code, _, err = run(capsys, ws, "evidence", "waive", CASE, "carrier_delay", "--reason", " ")
    assert code == 2 and "reason" in err
    code, _, _ = run(capsys, ws, "evidence", "unwaive", CASE, "carrier_delay")
    assert code == 0 and ws.store.load(CASE).waivers == []


def test_bundle_under_and_over_the_limit(capsys, ws, tmp_path):
    run(capsys, ws, "evidence", "add", CASE, str(make_png(tmp_path / "a.png")),
        "--requirement", "carrier_tracking")
    code, out, _ = run(capsys, ws, "evidence", "bundle", CASE, "--force", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["name"].startswith("DRAFT_Evidence_") and data["bytes"] > 0
    run(capsys, ws, "evidence", "add", CASE, str(make_big_pdf(tmp_path / "scan.pdf")),
        "--requirement", "dispatch_records")
    before = {p.name for p in ws.store.list_files(CASE, "out")}
    code, _, err = run(capsys, ws, "evidence", "bundle", CASE, "--force")
    assert code == 1 and "shrink or split" in err and "dispatch_records_1.pdf" in err
    assert {p.name for p in ws.store.list_files(CASE, "out")} == before


def test_check_json_blocked_then_ready(capsys, ws, tmp_path):
    code, out, _ = run(capsys, ws, "check", CASE, "--json")
    data = json.loads(out)
    assert code == 1 and data["case"] == CASE and data["ready"] is False
    codes = {f["code"] for f in data["findings"]}
    assert "evidence_missing" in codes
    f = data["findings"][0]
    assert set(f) == {"code", "severity", "message", "where", "values", "fix"}
    missing = next(f for f in data["findings"] if f["code"] == "evidence_missing")
    assert missing["fix"] == "evidence.add" and missing["values"]["requirement"]
    assert f["severity"] in ("blocking", "warning")
    # make every evidence requirement right; other areas' checks may still block
    run(capsys, ws, "evidence", "add", CASE, str(make_png(tmp_path / "a.png")),
        "--requirement", "carrier_tracking", "--orders", ",".join(CITED))
    run(capsys, ws, "evidence", "waive", CASE, "carrier_delay", "--reason", "ours")
    run(capsys, ws, "evidence", "waive", CASE, "dispatch_records", "--reason", "ours")
    code, out, _ = run(capsys, ws, "check", CASE, "--json")
    data = json.loads(out)
    evidence_codes = {"evidence_missing", "orders_not_covered", "file_too_large", "file_format",
                      "file_name", "encrypted_pdf", "document_too_old"}
    assert not [f for f in data["findings"] if f["code"] in evidence_codes]
    assert code == (0 if data["ready"] else 1)
    assert data["ready"] == (not any(f["severity"] == "blocking" for f in data["findings"]))


def test_check_text_and_errors(capsys, ws):
    code, out, _ = run(capsys, ws, "check", CASE)
    assert code == 1 and "evidence_missing" in out and "Not ready" in out
    code, _, err = run(capsys, ws, "check", "amazon-none")
    assert code == 2 and "no such case" in err
