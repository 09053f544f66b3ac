"""A report from another marketplace in a case: the format's marketplace and the
notice's cited orders are checked (``metrics.report_fit``) on import and next to
the metrics, and an ok is then no all-clear (QA: a Joom export with Chinese
headers in an Amazon case was read as JD's and showed ✓ ok)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace

from appealdesk.cli import main
from appealdesk.metrics.engine import compute_metrics, cross_check
from appealdesk.metrics.report_fit import cited_absent, foreign_formats
from appealdesk.policy.loading import load_policies
from appealdesk.reports.table import Order, OrderTable

NOTICE = Path(__file__).parent / "notices" / "amazon_zh_late_shipment_mixed.txt"
JOOM_ZH = ("订单号,下单时间,承诺发货时间,发货时间,物流公司,物流单号,商品编号,订单状态\n"
           "J1001,2026-11-01 10:00,2026-11-03 10:00,2026-11-02 10:00,顺丰,SF1,S1,已发货\n"
           "J1002,2026-11-02 10:00,2026-11-04 10:00,2026-11-03 10:00,顺丰,SF2,S1,已发货\n")
FOREIGN = "read with JD POP's column names; this case is Amazon (seller-fulfilled)"
ABSENT = "none of the 2 orders the notice cites is in the reports: is this the right store's file?"


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_joom_export_in_an_amazon_case_is_flagged_on_import_and_in_the_metrics(
        tmp_path, capsys):
    data = tmp_path / "d"
    code, out, err = _run(capsys, "--data-dir", data, "intake", NOTICE)
    case_id = out.split()[0]
    report = tmp_path / "joom.csv"
    report.write_text(JOOM_ZH, encoding="utf-8")
    code, out, err = _run(capsys, "--data-dir", data, "import-report", case_id, report)
    assert code == 0
    assert f"warning: {FOREIGN}" in out and f"warning: {ABSENT}" in out
    code, out, err = _run(capsys, "--data-dir", data, "import-report", case_id, report, "--json")
    assert json.loads(out)["warnings"] == [FOREIGN, ABSENT]
    code, out, err = _run(capsys, "--data-dir", data, "metrics", case_id)
    assert f"warning: {ABSENT}" in out and "(an ok below is no all-clear)" in out
    assert code == 4  # nothing in breach, but no all-clear either
    code, out, err = _run(capsys, "--data-dir", data, "metrics", case_id, "--json")
    assert json.loads(out)["warnings"] == [FOREIGN, ABSENT] and code == 4


def test_the_case_metrics_carry_the_warnings_for_the_pane(tmp_path, capsys):
    from appealdesk.cases.workspace import Workspace
    from appealdesk.metrics.case_metrics import evaluate_case
    from appealdesk.widgets.metrics_guidance import summary_text

    data = tmp_path / "d"
    case_id = _run(capsys, "--data-dir", data, "intake", NOTICE)[1].split()[0]
    report = tmp_path / "joom.csv"
    report.write_text(JOOM_ZH, encoding="utf-8")
    _run(capsys, "--data-dir", data, "import-report", case_id, report)
    ws = Workspace.open(data)
    found = evaluate_case(ws, ws.store.load(case_id))
    assert found.doubtful == [FOREIGN, ABSENT]
    summary = summary_text(found, "")
    assert f"⚠ {ABSENT}" in summary and f"⚠ {FOREIGN}" in summary


def test_cross_check_says_none_of_the_cited_orders_is_there():
    amazon = load_policies().get("amazon")
    table = OrderTable.from_orders([Order("X1"), Order("X2")])
    results = compute_metrics(table, amazon, date(2026, 11, 20))
    notice = SimpleNamespace(cited_orders=["A-1", "A-2"], quoted_metrics=[])
    found = cross_check(notice, table, results)
    assert [(d.kind, d.message) for d in found] == [("no_cited_order", ABSENT)]
    notice.cited_orders = ["A-1", "X1"]  # one is there: the usual missing-order line
    assert [d.kind for d in cross_check(notice, table, results)][0] == "missing_order"


def test_the_checks_alone():
    policies = load_policies()
    amazon, jd = policies.get("amazon"), policies.get("jd")
    assert foreign_formats("jd", amazon, policies) == [FOREIGN]
    assert foreign_formats("generic+amazon", amazon, policies) == []
    assert foreign_formats("mapped:mine", amazon, policies) == []
    assert foreign_formats("amazon", jd, policies) != []
    assert cited_absent([], {"X1"}) == "" and cited_absent(["A"], set()) == ""
    assert cited_absent(["A", "B"], {"B"}) == ""
    assert cited_absent(["A", "B"], {"X"}) == ABSENT
