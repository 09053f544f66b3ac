"""``appealdesk metrics`` and ``import-report``: JSON shape and exit codes."""

from __future__ import annotations

import json

from appealdesk.cli import main
from appealdesk.reports.orders import GENERIC_COLUMNS

KEYS = {"id", "name", "numerator", "denominator", "value", "limit", "comparator", "status",
        "enforced", "window_start", "window_end", "orders", "needs"}


def _report(tmp_path, late: int, total: int = 50):
    rows = [",".join(GENERIC_COLUMNS)]
    for i in range(total):
        shipped = "2026-11-16" if i < late else "2026-11-15"
        rows.append(f"O{i},2026-11-14,2026-11-15,{shipped},2026-11-20,,,,T{i},yes,UPS,S1,,,,,")
    rows.append("BAD,not-a-date,,,,,,,,,,,,,,,")
    path = tmp_path / "orders.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_metrics_json_without_a_case(tmp_path, capsys):
    report = _report(tmp_path, late=5)
    code, out, err = _run(capsys, "--data-dir", str(tmp_path / "d"), "metrics", "--policy",
                          "amazon", "--report", str(report), "--as-of", "2026-11-20", "--json")
    data = json.loads(out)
    assert set(data) == {"policy", "as_of", "metrics", "files", "columns", "guessed",
                         "bad_rows"}
    assert data["bad_rows"] == [{"line": 52, "reason": "order_date: cannot read the date "
                                                      "'not-a-date'"}]
    assert data["policy"] == "amazon" and data["as_of"] == "2026-11-20"
    by_id = {m["id"]: m for m in data["metrics"]}
    assert all(set(m) == KEYS for m in data["metrics"])
    late = by_id["late_shipment_rate_10d"]
    assert (late["numerator"], late["denominator"], late["status"]) == (5, 50, "breach")
    assert late["value"] == 0.1 and late["orders"] == [f"O{i}" for i in range(5)]
    assert late["window_start"] == "2026-11-11" and late["window_end"] == "2026-11-20"
    assert by_id["order_defect_rate"]["value"] is None
    assert by_id["order_defect_rate"]["status"] == "insufficient_data"
    assert code == 1  # an enforced metric is in breach


def test_metrics_healthy_but_with_an_unread_row_is_no_all_clear(tmp_path, capsys):
    report = _report(tmp_path, late=0)
    code, out, err = _run(capsys, "--data-dir", str(tmp_path / "d"), "metrics", "--policy",
                          "amazon", "--report", str(report), "--as-of", "2026-11-20")
    assert "late_shipment_rate_10d" in out and "advisory" in out
    assert "line 52" in err  # the unreadable row is named
    assert code == 4  # it is not counted, and could have been a late shipment
    report.write_text(report.read_text(encoding="utf-8").replace(
        "BAD,not-a-date,,,,,,,,,,,,,,,\n", ""), encoding="utf-8")
    code, out, err = _run(capsys, "--data-dir", str(tmp_path / "d"), "metrics", "--policy",
                          "amazon", "--report", str(report), "--as-of", "2026-11-20")
    assert code == 0 and "line 52" not in err


def test_metrics_errors_exit_2(tmp_path, capsys):
    d = str(tmp_path / "d")
    assert _run(capsys, "--data-dir", d, "metrics", "--policy", "nope", "--report", "x")[0] == 2
    assert _run(capsys, "--data-dir", d, "metrics", "--policy", "amazon")[0] == 2
    code, _, err = _run(capsys, "--data-dir", d, "metrics", "--policy", "amazon", "--report",
                        str(tmp_path / "missing.csv"))
    assert code == 2 and err.count("\n") == 1
    junk = tmp_path / "junk.csv"
    junk.write_text("a,b\n1,2\n")
    code, _, err = _run(capsys, "--data-dir", d, "metrics", "--policy", "amazon", "--report",
                        str(junk))
    assert code == 2 and "not an order report" in err
    assert _run(capsys, "--data-dir", d, "metrics", "no-such-case")[0] == 2


def test_import_report_into_a_case_then_metrics(demo_workspace, tmp_path, capsys):
    ws = demo_workspace
    case_id = next(c for c in ws.store.case_ids() if c.startswith("amazon"))
    data = str(ws.store.root)
    report = _report(tmp_path, late=3)
    code, out, err = _run(capsys, "--data-dir", data, "import-report", case_id, str(report),
                          "--json")
    assert code == 0
    info = json.loads(out)
    assert info["rows"] == 51 and info["orders"] == 50
    assert info["bad_rows"][0]["line"] == 52
    assert info["file"] == "orders-2.csv"  # the demo's orders.csv is kept
    case = ws.store.load(case_id)
    assert case.reports[-1].name == "orders-2.csv" and case.reports[-1].bad_rows == 1
    assert (ws.store.case_dir(case_id) / "reports" / "orders-2.csv").read_bytes() == \
        report.read_bytes()
    code, out, err = _run(capsys, "--data-dir", data, "metrics", case_id, "--json")
    assert code in (0, 1)
    metrics = json.loads(out)
    assert metrics["policy"] == "amazon" and metrics["metrics"]
    code, out, err = _run(capsys, "--data-dir", data, "import-report", case_id,
                          str(tmp_path / "none.csv"))
    assert code == 2


def test_a_large_table_ends_the_process_at_once_with_its_output_whole(tmp_path):
    """Past LARGE_TABLE orders the process ends without freeing them (os._exit):
    its JSON and its exit code are still whole. (LARGE_TABLE set to 1 here.)"""
    import subprocess
    import sys

    report = _report(tmp_path, late=5)
    code = ("import sys\nimport appealdesk.cli.metrics_cmd as m\nm.LARGE_TABLE = 1\n"
            "from appealdesk.cli import main\nraise SystemExit(main())")
    argv = ["--data-dir", str(tmp_path / "d"), "metrics", "--policy", "amazon", "--report",
            str(report), "--as-of", "2026-11-20"]
    done = subprocess.run([sys.executable, "-c", code, *argv, "--json"], capture_output=True,
                          text=True)
    assert done.returncode == 1  # the late shipment breach
    assert json.loads(done.stdout)["policy"] == "amazon"
    text = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True)
    assert text.returncode == 1 and "late_shipment_rate_10d" in text.stdout
    assert text.stdout.endswith("\n")
