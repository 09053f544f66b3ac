"""An order metric without a published number (Joom's Negative Feedback Rate): status
``no_limit``, advisory, shown with what the marketplace compares it with — never ``ok``."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from appealdesk.cli import main
from appealdesk.metrics.case_metrics import read_inputs
from appealdesk.metrics.engine import Evaluation, analyse
from appealdesk.policy.loading import load_policies, parse_policy_text, shipped_policy_texts
from appealdesk.policy.types import PolicyError
from appealdesk.reports.formats import mappings_for

AS_OF = date(2026, 11, 12)  # window 10-24 August (15 days ending 80 days back)
HEADER = "order_id,order_date,shipped_at,order_status,delivered_at,negative_feedback"


@pytest.fixture(scope="module")
def joom():
    return load_policies().get("joom")


def _orders(tmp_path, negative_every: int, with_feedback: bool = True):
    lines = [HEADER if with_feedback else HEADER.rsplit(",", 1)[0]]
    for i in range(40):
        day = date(2026, 8, 10) + timedelta(days=i % 15)
        row = [f"{i:024x}", str(day), str(day + timedelta(days=2)), "Shipped",
               str(day + timedelta(days=9))]
        if with_feedback:
            row.append("yes" if negative_every and i % negative_every == 0 else "no")
        lines.append(",".join(row))
    path = tmp_path / "orders.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _nfr(joom, path):
    imported, _health = read_inputs([path], mappings_for(joom), joom)
    ev = Evaluation(imported.orders, joom, known=imported.known)
    return analyse(ev, joom.metric("negative_feedback_rate"), AS_OF)


def test_joom_negative_feedback_rate_is_shown_never_judged(joom, tmp_path):
    metric = joom.metric("negative_feedback_rate")
    assert metric.limit is None and not metric.enforced
    assert "other merchants" in metric.compared_with and metric.source.startswith("V:")
    a = _nfr(joom, _orders(tmp_path, negative_every=10))
    r = a.metric
    assert (r.numerator, r.denominator, r.value) == (4, 40, 0.1)
    assert r.status == "no_limit" and r.limit is None
    assert "other merchants" in a.compared_with
    # no problem found is still no all-clear: Joom compares with a number it keeps
    assert _nfr(joom, _orders(tmp_path, negative_every=0)).metric.status == "no_limit"


def test_without_a_feedback_column_it_is_no_data(joom, tmp_path):
    r = _nfr(joom, _orders(tmp_path, negative_every=10, with_feedback=False)).metric
    assert r.status == "no_data" and r.value is None
    assert ("negative_feedback",) in r.lacks


def test_cli_says_what_the_rate_is_compared_with(tmp_path, capsys):
    path = _orders(tmp_path, negative_every=10)
    argv = ["--data-dir", str(tmp_path / "d"), "metrics", "--policy", "joom", "--report",
            str(path), "--as-of", AS_OF.isoformat()]
    main(argv)
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("negative_feedback_rate "))
    assert "not stated" in line and "no_limit" in line and " ok" not in line
    assert "negative_feedback_rate: no limit stated: compared with other merchants'" in out
    main([*argv, "--json"])
    data = json.loads(capsys.readouterr().out)
    (m,) = [m for m in data["metrics"] if m["id"] == "negative_feedback_rate"]
    assert (m["status"], m["limit"], m["value"]) == ("no_limit", None, 0.1)


def _joom_text(old: str, new: str) -> str:
    _origin, text = shipped_policy_texts()["joom"]
    assert old in text
    return text.replace(old, new)


@pytest.mark.parametrize("old,new,problem", [
    ('compared_with = "other', 'compared_without = "other', "compared_with"),
    ('comparator = "<="\nenforced = false\nsource = "V: merchant-help.joom.com 4418405440402',
     'comparator = "<="\nenforced = true\nsource = "V: merchant-help.joom.com 4418405440402',
     "enforced"),
])
def test_a_metric_without_a_limit_must_say_what_it_is_compared_with(old, new, problem):
    with pytest.raises(PolicyError, match=problem):
        parse_policy_text(_joom_text(old, new), "test", check_holidays=False)
