"""Policy files: the shipped ones are valid and say what the sources say; every kind of
mistake in a user's file is reported with its key path, all at once."""

from __future__ import annotations

import copy
import re
import tomllib

import pytest

from appealdesk.policy.loading import load_policies, parse_policy_text, shipped_policy_texts
from appealdesk.policy.types import PolicyError
from appealdesk.policy.validation import validate

SHIPPED = ("amazon", "noon", "joom", "jd")


@pytest.fixture(scope="module")
def shipped():
    policies = load_policies(None)
    assert policies.errors == []
    return policies


def raw_of(policy_id: str) -> dict:
    _origin, text = shipped_policy_texts()[policy_id]
    return tomllib.loads(text)


# ---------------------------------------------------------------------------
# Shipped policies
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("policy_id", SHIPPED)
def test_shipped_policy_loads_and_validates(shipped, policy_id):
    policy = shipped.get(policy_id)
    assert policy is not None
    assert policy.origin == f"appealdesk/policies/{policy_id}.toml"
    again, problems = validate(raw_of(policy_id))
    assert problems == [] and again is not None


def test_shipped_file_names_match_ids():
    for stem, (_origin, text) in shipped_policy_texts().items():
        assert tomllib.loads(text)["id"] == stem


def _sources(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else key
            if key == "source":
                yield where, value
            else:
                yield from _sources(value, where)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _sources(value, f"{path}[{i}]")


@pytest.mark.parametrize("policy_id", SHIPPED)
def test_every_source_note_says_verified_or_hearsay(policy_id):
    notes = list(_sources(raw_of(policy_id)))
    assert notes
    for where, note in notes:
        assert re.match(r"^[VH]\b", note), f"{policy_id} {where}: {note!r}"


@pytest.mark.parametrize("policy_id", SHIPPED)
def test_patterns_compile_and_id_patterns_capture_at_most_one_group(shipped, policy_id):
    rec = shipped.get(policy_id).recognise
    for pattern in rec.notification_id_patterns + rec.order_id_patterns:
        assert re.compile(pattern).groups <= 1


def _first_id(patterns, text):
    for pattern in patterns:
        found = re.search(pattern, text)
        if found:
            return found.group(1) if found.groups() else found.group(0)
    return None


def test_noon_rules(shipped):
    noon = shipped.get("noon")
    assert {s.id: (s.calendar.timezone, s.calendar.weekend, s.calendar.holiday_country)
            for s in noon.sites} == {
        "noon.sa": ("Asia/Riyadh", ("fri", "sat"), "SA"),
        "noon.ae": ("Asia/Dubai", ("sat", "sun"), "AE"),
    }
    assert noon.calendar_for("noon.ae").timezone == "Asia/Dubai"
    rec = noon.recognise
    assert _first_id(rec.notification_id_patterns, "通知编号PERF-123456，请在72小时内回复") == \
        "PERF-123456"
    assert _first_id(rec.notification_id_patterns, "Case ID: PERF-A1B2C3.") == "PERF-A1B2C3"
    orders = [m.group(0) for p in rec.order_id_patterns
              for m in re.finditer(p, "Orders NSA12345678, N12345678A. NOTIFICATIONS")]
    assert orders == ["NSA12345678", "N12345678A"]
    for t in noon.notification_types:
        assert t.response.window.amount == 72 and t.response.window.unit == "hours"
        assert t.response.holidays_extend is False
    assert noon.appeals.one_metric_per_case is True
    ticket = noon.followups[0]
    assert (ticket.after, ticket.wait.amount, ticket.wait.unit, ticket.until_outcome) == \
        ("submitted", 5, "business_days", True)
    assert "Account & Performance" in ticket.action
    cancel, late, defect = (noon.metric(m) for m in
                            ("cancellation_rate", "late_shipment_rate", "item_defect_rate"))
    assert (cancel.basis, cancel.window.days, cancel.limit, cancel.comparator) == \
        ("ship_by", 7, 0.025, "<=")
    assert (late.numerator, late.basis, late.window.days, late.limit) == \
        ("shipped_late", "ship_by", 7, 0.03)
    assert defect.window.days == 60 and defect.enforced is False
    assert noon.files.formats == ("pdf", "zip") and noon.files.max_bytes == 10 * 1024 * 1024
    assert noon.files.evidence_name == "{notification_id}_{reason}_{evidence_type}"
    reason = noon.letter.sections[0]
    assert noon.letter.language == "en" and reason.id == "reason" and reason.word_limit == 200
    assert len(noon.letter.sections) >= 2


def test_joom_rules(shipped):
    joom = shipped.get("joom")
    for t in joom.notification_types:
        assert (t.response.window.amount, t.response.window.unit) == (72, "hours")
        assert (t.response.target.amount, t.response.target.unit) == (48, "hours")
    rules = {f.id: f for f in joom.followups}
    urgent = rules["urgent_ticket"]
    assert (urgent.after, urgent.wait.amount, urgent.wait.unit) == ("submitted", 24, "hours")
    assert urgent.title == "URGENT: Appeal Submitted for {notification_id}"
    chase = rules["chase_ticket"]
    assert (chase.after, chase.wait.amount, chase.until_outcome) == ("submitted", 72, True)
    again = rules["resubmit_after_rejection"]
    assert (again.after, again.wait.amount) == ("rejected", 72)
    cancel, refund = joom.metric("cancellation_rate"), joom.metric("quality_refund_rate")
    assert (cancel.window.days, cancel.window.lag, cancel.min_orders) == (15, 10, 100)
    assert (refund.window.days, refund.window.lag, refund.min_orders) == (15, 90, 100)
    assert refund.limit == 0.07 and refund.comparator == "<="
    assert joom.files.formats == ("pdf",) and joom.files.bundle_name == "Appeal_{store}_{date}.pdf"
    assert [s.title for s in joom.letter.sections] == ["Root Cause Analysis", "Action Plan",
                                                       "Evidence"]
    assert "Riga" in joom.calendar.timezone


def test_jd_rules(shipped):
    jd = shipped.get("jd")
    cal = jd.calendar
    assert (cal.timezone, cal.weekend, cal.holiday_country) == \
        ("Asia/Shanghai", ("sat", "sun"), "CN")
    late = jd.metric("late_shipment_rate_month")
    assert (late.window.kind, late.numerator, late.limit, late.comparator) == \
        ("calendar_month", "shipped_late", 0.09, "<=")
    fake = jd.notification_type("false_transaction")
    kinds = {jd.requirement(r).kind for r in fake.evidence}
    assert {"invoice", "contract", "carrier_proof"} <= kinds
    assert all(jd.requirement(r).per_order for r in fake.evidence
               if jd.requirement(r).kind in ("invoice", "carrier_proof"))
    assert jd.letter.language == "zh"
    assert all(re.search(r"[\u4e00-\u9fff]", s.title_zh) for s in jd.letter.sections)
    assert "京东" in jd.recognise.keywords
    assert "延迟发货" in jd.notification_type("late_shipment").keywords
    assert "虚假交易" in fake.keywords
    orders = [m.group(0) for p in jd.recognise.order_id_patterns
              for m in re.finditer(p, "订单号250123456789，联系电话13812345678，日期20260312")]
    assert orders == ["250123456789"]
    assert "订单号" in jd.report_columns["order_id"]
    assert "物流单号" in jd.report_columns["tracking_number"]


@pytest.mark.parametrize("policy_id", ["noon", "joom", "jd"])
def test_notification_types_have_chinese_keywords(shipped, policy_id):
    for t in shipped.get(policy_id).notification_types:
        assert any(re.search(r"[\u4e00-\u9fff]", k) for k in t.keywords), t.id
        assert t.evidence, t.id


# ---------------------------------------------------------------------------
# Mistakes, each reported with its key path
# ---------------------------------------------------------------------------


def base() -> dict:
    return copy.deepcopy(raw_of("noon"))


def problems_after(change) -> list[str]:
    raw = base()
    change(raw)
    policy, problems = validate(raw)
    assert policy is None
    return problems


def _has(problems: list[str], path: str, words: str = "") -> bool:
    return any(p.startswith(path + ":") and words in p for p in problems)


MISTAKES = {
    "missing top-level key": (lambda r: r.pop("name"), "name", "is required"),
    "missing metric key": (lambda r: r["metrics"][0].pop("numerator"),
                           "metrics[0].numerator", "is required"),
    "missing files table": (lambda r: r.pop("files"), "files", "is required"),
    "missing calendar timezone": (lambda r: r["calendar"].pop("timezone"),
                                  "calendar.timezone", "is required"),
    "wrong type": (lambda r: r["files"].__setitem__("max_bytes", "10MB"),
                   "files.max_bytes", "whole number"),
    "bool for number": (lambda r: r["metrics"][0].__setitem__("limit", True),
                        "metrics[0].limit", "true/false"),
    "wrong type in list": (lambda r: r["recognise"].__setitem__("keywords", ["noon", 3]),
                           "recognise.keywords[1]", "must be a string"),
    "bad enum": (lambda r: r["metrics"][0].__setitem__("basis", "paid_at"),
                 "metrics[0].basis", "'paid_at'"),
    "bad bundle kind": (lambda r: r["files"].__setitem__("bundle", "rar"), "files.bundle", "rar"),
    "bad window kind": (lambda r: r["metrics"][1]["window"].__setitem__("kind", "weekly"),
                        "metrics[1].window.kind", "weekly"),
    "bad weekday": (lambda r: r["calendar"].__setitem__("weekend", ["friday"]),
                    "calendar.weekend", "friday"),
    "unknown metric": (lambda r: r["notification_types"][0].__setitem__("metrics", ["nope"]),
                       "notification_types[0].metrics", "'nope'"),
    "unknown evidence": (lambda r: r["notification_types"][1].__setitem__("evidence", ["nope"]),
                         "notification_types[1].evidence", "'nope'"),
    "number without source": (lambda r: r["metrics"][2].pop("source"),
                              "metrics[2]", "no 'source' note"),
    "window without source": (lambda r: r["metrics"][0]["window"].pop("source"),
                              "metrics[0].window", "no 'source' note"),
    "response without source": (lambda r: r["notification_types"][0]["response"].pop("source"),
                                "notification_types[0].response", "no 'source' note"),
    "section limit without source": (lambda r: r["letter"]["sections"][0].pop("source"),
                                     "letter.sections[0]", "no 'source' note"),
    "bad regex": (lambda r: r["recognise"].__setitem__("order_id_patterns", ["ok", "(unclosed"]),
                  "recognise.order_id_patterns[1]", "regular expression"),
    "bad timezone": (lambda r: r["calendar"].__setitem__("timezone", "Mars/Olympus"),
                     "calendar.timezone", "Mars/Olympus"),
    "bad site timezone": (lambda r: r["sites"][1]["calendar"].__setitem__("timezone", "Nowhere"),
                          "sites[1].calendar.timezone", "Nowhere"),
    "unknown holiday country": (lambda r: r["calendar"].__setitem__("holidays", "XX"),
                                "calendar.holidays", "'XX'"),
    "duplicate metric id": (lambda r: r["metrics"][1].__setitem__("id", r["metrics"][0]["id"]),
                            "metrics[1].id", "used twice"),
    "duplicate section id": (lambda r: r["letter"]["sections"][1].__setitem__("id", "reason"),
                             "letter.sections[1].id", "used twice"),
    "bad item id": (lambda r: r["evidence"][0].__setitem__("id", "Has Space"),
                    "evidence[0].id", "lower-case"),
    "limit as percent": (lambda r: r["metrics"][0].__setitem__("limit", 2.5),
                         "metrics[0].limit", "fraction"),
    "negative lag": (lambda r: r["metrics"][0]["window"].__setitem__("lag", -1),
                     "metrics[0].window.lag", "negative"),
    "duration with two units": (
        lambda r: r["followups"][0]["wait"].__setitem__("hours", 5),
        "followups[0].wait", "exactly one"),
    "bad follow-up event": (lambda r: r["followups"][0].__setitem__("after", "sent"),
                            "followups[0].after", "'sent'"),
    "bad letter language": (lambda r: r["letter"].__setitem__("language", "ar"),
                            "letter.language", "en or zh"),
    "bad id": (lambda r: r.__setitem__("id", "Noon!"), "id", "lower-case"),
    "wrong schema": (lambda r: r.__setitem__("schema", 2), "schema", "must be 1"),
    "no notification types": (lambda r: r.__setitem__("notification_types", []),
                              "notification_types", "at least one"),
}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_each_mistake_is_reported_with_its_key_path(name):
    change, path, words = MISTAKES[name]
    problems = problems_after(change)
    assert _has(problems, path, words), problems


def test_all_problems_are_reported_at_once():
    chosen = ["missing top-level key", "bad enum", "unknown metric", "number without source",
              "bad regex", "bad timezone", "unknown holiday country", "duplicate metric id",
              "wrong type"]

    def change_all(raw):
        for name in chosen:
            MISTAKES[name][0](raw)

    problems = problems_after(change_all)
    for name in chosen:
        _change, path, words = MISTAKES[name]
        assert _has(problems, path, words), (name, problems)
    assert len(problems) >= len(chosen)


def test_a_problem_is_not_reported_twice():
    problems = problems_after(
        lambda r: r["notification_types"][0].__setitem__("metrics", "late_shipment_rate"))
    assert problems.count("notification_types[0].metrics: must be a list, got str") == 1


def test_invalid_toml_names_the_line():
    with pytest.raises(PolicyError) as info:
        parse_policy_text('schema = 1\nid = "x"\nname = \n', "my.toml")
    assert info.value.path == "my.toml"
    assert len(info.value.problems) == 1
    assert "not valid TOML" in info.value.problems[0] and "line 3" in info.value.problems[0]


def test_policy_error_message_counts_the_rest():
    raw = base()
    raw.pop("name")
    raw["calendar"]["holidays"] = "XX"
    text_problems = validate(raw)[1]
    error = PolicyError("f.toml", text_problems)
    assert str(error).startswith("f.toml: ") and "(+1 more)" in str(error)


# ---------------------------------------------------------------------------
# User policies
# ---------------------------------------------------------------------------


def test_user_policy_overrides_shipped_and_adds_new(tmp_path):
    _origin, text = shipped_policy_texts()["noon"]
    (tmp_path / "noon.toml").write_text(text.replace('name = "noon"', 'name = "noon (ours)"', 1),
                                        "utf-8")
    (tmp_path / "souq.toml").write_text(
        text.replace('id = "noon"', 'id = "souq"', 1), "utf-8")
    policies = load_policies(tmp_path)
    assert policies.errors == []
    assert policies.get("noon").name == "noon (ours)"
    assert policies.get("noon").origin == str(tmp_path / "noon.toml")
    assert policies.get("souq").origin == str(tmp_path / "souq.toml")
    assert policies.get("amazon").origin.startswith("appealdesk/policies/")
    assert [p.id for p in policies] == sorted(p.id for p in policies)


def test_broken_user_file_does_not_hide_the_others(tmp_path):
    _origin, text = shipped_policy_texts()["joom"]
    (tmp_path / "a_broken.toml").write_text("id = \n", "utf-8")
    (tmp_path / "b_invalid.toml").write_text('schema = 1\nid = "b"\n', "utf-8")
    (tmp_path / "joom.toml").write_text(text.replace('name = "Joom"', 'name = "Joom!"', 1),
                                        "utf-8")
    (tmp_path / "not-utf8.toml").write_bytes(b"id = \"\xff\"\n")
    policies = load_policies(tmp_path)
    assert {e.path for e in policies.errors} == {
        str(tmp_path / "a_broken.toml"), str(tmp_path / "b_invalid.toml"),
        str(tmp_path / "not-utf8.toml")}
    assert policies.get("joom").name == "Joom!"
    assert {"amazon", "noon", "jd", "joom"} <= set(policies.policies)
    invalid = next(e for e in policies.errors if e.path.endswith("b_invalid.toml"))
    assert any(p.startswith("name:") for p in invalid.problems)
    assert any(p.startswith("files:") for p in invalid.problems)


def test_broken_user_override_leaves_the_shipped_policy(tmp_path):
    (tmp_path / "noon.toml").write_text('id = "noon"\n', "utf-8")
    policies = load_policies(tmp_path)
    assert policies.get("noon").origin == "appealdesk/policies/noon.toml"
    assert len(policies.errors) == 1


def test_companion_files_are_not_policies(tmp_path):
    (tmp_path / "template_phrases.toml").write_text('[boilerplate]\nphrases = ["x"]\n', "utf-8")
    (tmp_path / "_notes.toml").write_text("x = 1\n", "utf-8")
    policies = load_policies(tmp_path)
    assert policies.errors == []


# ---------------------------------------------------------------------------
# SCHEMA.md stays in step with the files
# ---------------------------------------------------------------------------


def _schema_text() -> str:
    from importlib import resources

    return resources.files("appealdesk.policies").joinpath("SCHEMA.md").read_text("utf-8")


def _keys(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from _keys(value)


@pytest.mark.parametrize("policy_id", SHIPPED)
def test_schema_documents_every_key_the_shipped_policies_use(policy_id):
    text = _schema_text()
    missing = {k for k in _keys(raw_of(policy_id)) if f"`{k}`" not in text
               and f"[{k}]" not in text and f".{k}]]" not in text}
    assert missing == set()


def test_schema_minimal_example_is_valid():
    blocks = re.findall(r"```toml\n(.*?)```", _schema_text(), re.S)
    policy = parse_policy_text(blocks[-1], "SCHEMA.md")
    assert policy.id == "mymarket"
