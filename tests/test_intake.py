"""Intake: realistic notification texts per marketplace, messy input, duplicates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from appealdesk.cases.model import Status
from appealdesk.intake.create import Duplicate, create_case_from_text
from appealdesk.intake.detect import detect
from appealdesk.intake.text import MAX_SCAN_BYTES, UNKNOWN, IntakeError, decode_input, normalise
from appealdesk.policy.loading import load_policies

POLICIES = list(load_policies())
BY_ID = {p.id: p for p in POLICIES}
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

AMAZON_EN = """\
From: seller-performance@amazon.com
To: ops@sunrisehome.example
Subject: Your Amazon.com selling privileges are at risk: Late Shipment Rate
Date: Tue, 17 Nov 2026 08:15:00 -0800

Hello Sunrise Home Goods,

Notification ID: 5839201744

We are contacting you because your Late Shipment Rate is 6.8%, which is above
our target of 4%. The following orders were confirmed as shipped after their
expected ship date:

  114-3941689-8772232
  113-2209418-5531907
  111-7764120-0093518
  114-3941689-8772232

How do I reactivate my account?
Please submit a Plan of Action within 17 days that explains the root cause.

Seller Performance Team
Amazon.com
"""

AMAZON_ZH = """\
主题：亚马逊账户状况通知（迟发率）
店铺：Sunrise Home Goods
您好，

您的迟发率为 6.8%（30天），超过了 4% 的目标。以下订单在预计发货日期之后才确认发货：
114-3941689-8772232，113-2209418-5531907

请在17天内通过 Seller Central 的账户状况页面提交行动计划。
"""

NOON_EN = """\
Subject: [noon Partners] Performance alert - Late Shipment Rate (Case ID PERF-123456)
Date: 2026-11-19T08:30:00+03:00

Dear Desert Bloom Trading,

Case ID: PERF-123456
Store: Desert Bloom Trading (noon.sa)

Your Late Shipment Rate for the last 7 days is 5.1%, above the allowed 3%.
Orders handed over after their estimated ship date:
NSA1029384756, NSA5647382910, NSA1029384756

Please respond within 72 hours with the reason for the delay (maximum 200 words,
English only). Public holidays do not extend this deadline.
"""

NOON_ZH = """\
noon 沙特站 绩效通知
Case ID：PERF-654321
店铺：沙漠之花贸易
您店铺的取消率为 3.2%，超过 2.5% 的标准。过去30天内共有 2 个订单被取消：NSA1111222233、NSA4444555566
请在72小时内提交申诉，节假日不顺延。
"""

JOOM_EN = """\
Joom Seller Center - Performance notification
Notification ID: JN-7731-0452
Date: Thu, 19 Nov 2026 10:00:00 +0000
Store: Maple Craft Store

Your store's cancellation rate for the period (day -24 to day -10) is 3.4%.
Cancelled orders in the period include:
5f1a2b3c4d5e6f7a8b9c0d1e
60aa11bb22cc33dd44ee55ff

Please respond within 72 hours with a root cause analysis, an action plan and
evidence for every order listed above.
"""

JOOM_ZH = """\
Joom 绩效通知
通知编号：JN-8801-2290
店铺：枫叶手工店
您店铺的取消率为 5.6%，已达到 Poor 状态。涉及订单：61bb22cc33dd44ee55ff6677
请在48小时内回复。
"""

JD_ZH = """\
【京东POP商家违规通知】
店铺：深圳优品旗舰店
违规编号：JDV-2026-118845

您好，经系统核查，贵店铺上月延迟发货率为 11.2%，超过平台规定的 9%。
涉及订单：
285734910233
285734910566
285734910789

如有异议，请在72小时内通过商家后台“违规申诉”提交申诉材料。
"""

NO_ID = """\
Subject: Amazon Seller Central - order defect rate
Dear Seller,
Your Order Defect Rate is 1.6% which is above the 1% target. Orders with an A-to-z claim:
112-1234567-7654321, 112-7654321-1234567
"""

UNKNOWN_TEXT = """\
Dear partner,
your shop on our platform has been flagged for slow replies.
Ticket ID: SP-99812-A
Please reply by 2026-11-25.
"""

MESSY_HTML = (
    "Content-Type: text/html; charset=utf-8\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "Subject: =?utf-8?q?noon?= Performance alert\r\n"
    "\r\n"
    "<html><body><p>Dear <b>Desert Bloom Trading</b>,</p>=\r\n"
    "<p>Case&nbsp;ID\uff1a PERF-777001</p>"
    "<p>Your Late Shipment Rate is \uff15.\uff14\uff05 on noon=\r\n"
    ".sa.</p><table><tr><td>NSA9988776655</td><td>NSA1122334455</td></tr></table>"
    "<p>Please respond within \uff17\uff12 hours.</p></body></html>\r\n"
)


def run(text: str, **kw):
    return detect(text, POLICIES, now=NOW, **kw)


def quoted(detection) -> list[tuple[str, float]]:
    return [(q.metric, q.value) for q in detection.quoted_metrics]


# The shipped policies are data another helper maintains: expectations name the policy's
# keyword or metric name, and the ids are looked up, so renaming an id does not break us.
def type_id(policy_id: str, keyword: str) -> str:
    policy = BY_ID[policy_id]
    return next(t.id for t in policy.notification_types
                if keyword.lower() in (k.lower() for k in t.keywords))


def metric_id(policy_id: str, name: str, days: int | None = None) -> str:
    policy = BY_ID[policy_id]
    return next(m.id for m in policy.metrics
                if name.lower() in f"{m.name} {m.name_zh}".lower()
                and (days is None or m.window.days == days))


# -- per marketplace -----------------------------------------------------------


def test_amazon_english_late_shipment():
    d = run(AMAZON_EN)
    assert d.marketplace == "amazon"
    assert d.type == type_id("amazon", "late shipment")
    assert d.external_id == "5839201744"
    assert d.cited_orders == ["114-3941689-8772232", "113-2209418-5531907", "111-7764120-0093518"]
    assert quoted(d) == [(metric_id("amazon", "late shipment", 10), 0.068)]
    assert d.store == "Sunrise Home Goods"
    assert d.site == "amazon.com"
    la = ZoneInfo("America/Los_Angeles")
    assert d.received == datetime(2026, 11, 17, 8, 15, tzinfo=la) and d.received_from == "header"
    assert d.stated_deadline == d.received + timedelta(days=17)
    assert d.subject.startswith("Your Amazon.com selling privileges")
    assert d.unknowns == []


def test_amazon_chinese_with_full_width_punctuation():
    d = run(AMAZON_ZH, received=NOW)
    assert d.marketplace == "amazon"
    assert d.type == type_id("amazon", "迟发")
    assert d.store == "Sunrise Home Goods"
    assert d.cited_orders == ["114-3941689-8772232", "113-2209418-5531907"]
    assert quoted(d) == [(metric_id("amazon", "late shipment", 30), 0.068)]
    assert d.stated_deadline == NOW + timedelta(days=17)
    assert d.subject == "亚马逊账户状况通知(迟发率)"  # NFKC turned the full-width brackets
    # Amazon prints no notification id: nothing to ask for; the operator gave the time
    assert d.unknowns == [] and d.received_from == "operator"


def test_noon_english_perf_id_and_72_hours():
    d = run(NOON_EN)
    assert d.marketplace == "noon"
    assert d.type == type_id("noon", "late shipment")
    assert d.external_id == "PERF-123456"
    assert d.cited_orders == ["NSA1029384756", "NSA5647382910"]
    assert d.site == "noon.sa"
    assert d.store == "Desert Bloom Trading"  # "(noon.sa)" went to the site
    assert d.received == datetime(2026, 11, 19, 8, 30, tzinfo=ZoneInfo("Asia/Riyadh"))
    assert d.stated_deadline == d.received + timedelta(hours=72)
    assert d.quoted_metrics[0].metric == metric_id("noon", "late shipment")


def test_noon_chinese_past_30_days_is_not_a_deadline():
    d = run(NOON_ZH, received=NOW)
    assert d.marketplace == "noon"
    assert d.type == type_id("noon", "取消率")
    assert d.external_id == "PERF-654321"
    assert d.store == "沙漠之花贸易"
    assert d.cited_orders == ["NSA1111222233", "NSA4444555566"]
    assert quoted(d) == [(metric_id("noon", "取消率"), 0.032)]
    assert [s.text for s in d.stated] == ["请在72小时内"]
    assert d.stated_deadline == NOW + timedelta(hours=72)


def test_joom_english():
    d = run(JOOM_EN)
    assert d.marketplace == "joom"
    assert d.type == type_id("joom", "cancellation rate")
    assert d.external_id == "JN-7731-0452"
    assert d.cited_orders == ["5f1a2b3c4d5e6f7a8b9c0d1e", "60aa11bb22cc33dd44ee55ff"]
    assert d.store == "Maple Craft Store"
    assert d.received == datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
    assert quoted(d) == [(metric_id("joom", "cancellation rate"), 0.034)]


def test_joom_chinese_48_hours():
    d = run(JOOM_ZH, received=NOW)
    assert d.marketplace == "joom"
    assert d.external_id == "JN-8801-2290"
    assert d.store == "枫叶手工店"
    assert d.cited_orders == ["61bb22cc33dd44ee55ff6677"]
    assert d.stated_deadline == NOW + timedelta(hours=48)


def test_jd_chinese_notice():
    d = run(JD_ZH, received=NOW)
    assert d.marketplace == "jd"
    assert d.type == type_id("jd", "延迟发货")
    assert d.external_id == "JDV-2026-118845"
    assert d.store == "深圳优品旗舰店"
    assert d.cited_orders == ["285734910233", "285734910566", "285734910789"]
    quoted = [(q.metric, q.value) for q in d.quoted_metrics]
    assert quoted == [(metric_id("jd", "延迟发货率"), 0.112)]
    assert d.stated_deadline == NOW + timedelta(hours=72)


def test_notification_without_an_id():
    d = run(NO_ID)
    assert d.marketplace == "amazon"
    assert d.type == type_id("amazon", "order defect")
    assert d.external_id is None
    assert d.store == ""  # "Dear Seller" is not a store name
    assert d.cited_orders == ["112-1234567-7654321", "112-7654321-1234567"]
    assert d.quoted_metrics[0].metric == metric_id("amazon", "order defect")
    assert set(d.unknowns) == {"store", "received"}  # Amazon prints no notification id


def test_unknown_marketplace_still_detects_what_it_can():
    d = run(UNKNOWN_TEXT)
    assert d.marketplace == UNKNOWN and d.type == UNKNOWN
    assert d.external_id == "SP-99812-A"
    assert d.cited_orders == []
    assert d.stated_deadline == datetime(2026, 11, 25, 23, 59, tzinfo=UTC)
    assert {"marketplace", "type"} <= set(d.unknowns)


def test_forced_platform_and_store():
    d = run(UNKNOWN_TEXT, platform="joom", store="Maple")
    assert d.marketplace == "joom" and d.store == "Maple"
    with pytest.raises(IntakeError, match="unknown marketplace"):
        run(UNKNOWN_TEXT, platform="ebay")


def test_naive_received_is_marketplace_time():
    d = run(NOON_EN, received=datetime(2026, 11, 19, 8, 30))
    assert d.received == datetime(2026, 11, 19, 8, 30, tzinfo=ZoneInfo("Asia/Riyadh"))
    assert d.received_from == "operator"


def test_messy_html_quoted_printable_email():
    d = run(MESSY_HTML, received=NOW)
    assert d.marketplace == "noon"
    assert d.external_id == "PERF-777001"
    assert d.cited_orders == ["NSA9988776655", "NSA1122334455"]
    assert d.site == "noon.sa"  # the soft line break inside "noon.sa" was joined
    assert d.store == "Desert Bloom Trading"
    assert quoted(d) == [(metric_id("noon", "late shipment"), 0.054)]
    assert d.stated_deadline == NOW + timedelta(hours=72)


def test_normalise_strips_tags_entities_and_width():
    assert normalise("<p>A&amp;B\uff1a\uff11\uff12</p>\r\n<br>C") == "A&B:12\n\nC"


def test_stated_absolute_dates_and_earliest_wins():
    text = "Amazon notice. Respond by 2026-11-25 or within 3 days."
    d = run(text, received=NOW)
    assert d.stated_deadline == NOW + timedelta(days=3)
    d = run("京东违规通知 截止日期：2026年11月22日 18:00")
    assert d.stated_deadline == datetime(2026, 11, 22, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize(("words", "span"), [
    # the Account Health Rating notice's wordings (tests/notices/amazon_ahr_unhealthy.txt)
    ("Amazon notice. Beginning 7 days from today, your account may be deactivated.",
     timedelta(days=7)),
    ("Amazon notice. Resolve the issues before the 7-day period ends.", timedelta(days=7)),
    ("Amazon notice. Your account may be deactivated 48 hours from now.", timedelta(hours=48)),
    ("Amazon notice. Respond within 17 days from the date of this notice.", timedelta(days=17)),
    # 以内 / 之内 as often as 内 in Chinese notices
    ("亚马逊通知：请在72小时以内提交申诉。", timedelta(hours=72)),
    ("亚马逊通知：请于7天之内回复。", timedelta(days=7)),
])
def test_a_window_counted_from_today_or_a_period_that_ends(words, span):
    assert run(words, received=NOW).stated_deadline == NOW + span


def test_a_span_from_something_other_than_the_notice_is_no_deadline():
    d = run("Amazon notice. Orders ship 2 days from the order date.", received=NOW)
    assert d.stated_deadline is None


LA = ZoneInfo("America/Los_Angeles")


@pytest.mark.parametrize(("words", "due"), [
    ("Send a Plan of Action by Dec 5 to avoid deactivation.", datetime(2026, 12, 5, 23, 59)),
    ("Please respond by 5 December 2026.", datetime(2026, 12, 5, 23, 59)),
    ("Please respond by Friday, 4th December.", datetime(2026, 12, 4, 23, 59)),
    ("Please respond by November 25th, 2026.", datetime(2026, 11, 25, 23, 59)),
    # no year, and the day has passed this year: next year's (the notice is of 20 Nov)
    ("Please respond by Jan 8.", datetime(2027, 1, 8, 23, 59)),
    ("亚马逊通知：请在2026年11月25日之前提交行动计划。", datetime(2026, 11, 25, 23, 59)),
    ("亚马逊通知：请在11月25日前提交申诉。", datetime(2026, 11, 25, 23, 59)),
    ("亚马逊通知：请在11月25日18:00前提交申诉。", datetime(2026, 11, 25, 18, 0)),
    ("亚马逊通知：请于2026.11.25前提交申诉。", datetime(2026, 11, 25, 23, 59)),
    ("Submit your appeal by end of day on November 25.", datetime(2026, 11, 25, 23, 59)),
    ("Please respond by 11/25/2026.", datetime(2026, 11, 25, 23, 59)),
    ("You have until December 5, 2026 to submit an appeal.", datetime(2026, 12, 5, 23, 59)),
    ("You must respond before 25/11/2026.", datetime(2026, 11, 25, 23, 59)),
    # 12/03 or 03/12: the earlier reading, never a deadline later than the notice meant
    ("Please respond by 12/03/2026.", datetime(2026, 12, 3, 23, 59)),
    ("Please respond by 03/12/2026.", datetime(2026, 12, 3, 23, 59)),
])
def test_dates_as_notices_write_them(words, due):
    d = run("Amazon notice.\n" + words, received=NOW)
    assert d.stated_deadline == due.replace(tzinfo=LA), d.stated


@pytest.mark.parametrize(("words", "span"), [
    ("Please submit a Plan of Action within seventeen (17) days.", timedelta(days=17)),
    ("Please submit a Plan of Action within seventeen days.", timedelta(days=17)),
    ("Contact us within seventy-two (72) hours to respond.", timedelta(hours=72)),
    ("You have ninety days to provide a valid appeal.", timedelta(days=90)),
])
def test_windows_written_out_in_words(words, span):
    d = run("Amazon notice.\n" + words, received=NOW)
    assert d.stated_deadline == NOW + span, d.stated


def test_a_date_without_a_year_waits_for_the_received_time():
    d = run("Amazon notice. Send a Plan of Action by Dec 5.")
    assert d.received is None and d.stated_deadline is None
    d.received = NOW
    d.resolve_deadline()
    assert d.stated_deadline == datetime(2026, 12, 5, 23, 59, tzinfo=LA)


def test_a_29_february_without_a_year_is_the_next_one_not_dropped():
    """In a notice of December 2027, "by February 29" is 29 February 2028 (a leap year);
    dropping it would leave the policy's default deadline shown as the notice's."""
    received = datetime(2027, 12, 20, 9, 0, tzinfo=UTC)
    d = run("Amazon notice.\nPlease respond by February 29.", received=received)
    assert d.stated_deadline == datetime(2028, 2, 29, 23, 59, tzinfo=LA), d.stated


def test_a_quoted_old_date_is_not_a_deadline():
    d = run("Amazon: your account was opened, by 2019-01-01 standards it was fine.", received=NOW)
    assert d.stated_deadline is None


# -- robustness ------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \n\t  ", "\ufeff".encode()])
def test_empty_input_is_one_clear_error(data):
    with pytest.raises(IntakeError, match="empty"):
        decode_input(data)


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"%PDF-1.7\n\x00\x01\x02", bytes(range(1, 32)) * 50],
)
def test_binary_input_is_refused(data):
    with pytest.raises(IntakeError, match="binary|not text"):
        decode_input(data)


def test_gb18030_text_is_read():
    text, truncated = decode_input(JD_ZH.encode("gb18030"))
    assert "深圳优品旗舰店" in text and not truncated


def test_huge_input_is_capped_at_the_scan_limit():
    big = (AMAZON_EN + "x" * 1000 + "\n") * (50_000_000 // 2000)
    data = big.encode()
    assert len(data) > 40_000_000
    text, truncated = decode_input(data)
    assert truncated and len(text.encode()) <= MAX_SCAN_BYTES
    d = run(text, truncated=truncated)
    assert d.truncated and d.marketplace == "amazon"
    # a str that was never capped is capped by detect itself
    d = run(big)
    assert d.truncated and len(d.text) == MAX_SCAN_BYTES and d.size == len(big)


def test_a_cut_multibyte_character_at_the_limit_is_dropped_not_an_error():
    data = ("京" * (MAX_SCAN_BYTES // 3 + 10)).encode()
    text, truncated = decode_input(data)
    assert truncated and set(text) == {"京"}


@pytest.mark.parametrize(
    "text",
    [
        "within " * 30_000,
        "<" * 200_000 + "html",
        "<p>" + "<" * 200_000,
        "=\n" * 100_000 + "amazon",
        "Dear " + "a" * 200_000,
        "Notification ID:" + " " * 200_000 + "1",
        "1" * 200_000 + "%",
        "late shipment rate " * 10_000,
    ],
    ids=["within", "angles", "open-tag", "qp-soft-breaks", "dear", "id-spaces", "digits",
         "metric-names"],
)
def test_adversarial_text_is_scanned_in_bounded_size(text):
    # 200 kB of the worst shapes: a quadratic or exponential pattern would never finish
    # here, a linear one finishes like any text (no wall clock asserted).
    assert len(text) <= MAX_SCAN_BYTES
    run(text)


# -- creating cases ---------------------------------------------------------------


def test_create_case_and_refuse_a_duplicate(empty_workspace):
    case = create_case_from_text(empty_workspace, AMAZON_EN)
    assert case.id == "amazon-5839201744"
    assert case.status is Status.NEW
    assert case.history[0].event == "created" and case.history[0].operator == "tester"
    stored = empty_workspace.store.load(case.id)
    assert stored.notification.cited_orders == case.notification.cited_orders
    assert stored.notification.text == AMAZON_EN
    assert stored.notification.quoted_metrics[0].value == 0.068
    with pytest.raises(Duplicate) as info:
        create_case_from_text(empty_workspace, AMAZON_EN.replace("Hello", "Hi"))
    assert info.value.case_id == "amazon-5839201744"
    assert "amazon-5839201744" in str(info.value)


def test_same_text_without_id_is_a_duplicate_but_different_text_gets_a_suffix(empty_workspace):
    first = create_case_from_text(empty_workspace, UNKNOWN_TEXT)
    assert first.id == "unknown-sp-99812-a"
    other = UNKNOWN_TEXT.replace("SP-99812-A", "SP-99812 A")  # slugs to the same id
    second = create_case_from_text(empty_workspace, other)
    assert second.id == "unknown-sp-99812"  # a different id, a different case
    no_id = "Dear partner,\nyour shop was flagged.\n"
    a = create_case_from_text(empty_workspace, no_id)
    assert a.id == "unknown-20261120-0900"
    with pytest.raises(Duplicate):
        create_case_from_text(empty_workspace, no_id)
    b = create_case_from_text(empty_workspace, "Dear partner,\nanother notice entirely.\n")
    assert b.id == "unknown-20261120-0900-2"


def test_same_id_on_another_marketplace_is_not_a_duplicate(empty_workspace):
    create_case_from_text(empty_workspace, JOOM_EN)
    case = create_case_from_text(empty_workspace, JOOM_EN, platform="noon")
    assert case.marketplace == "noon"


def test_truncation_is_recorded_in_history(empty_workspace):
    big = (NOON_EN + "y" * 2000 + "\n") * 1000
    case = create_case_from_text(empty_workspace, big.encode())
    assert "cut to the first" in case.history[0].note
    assert len(case.notification.text) <= MAX_SCAN_BYTES


def test_hostile_ids_never_escape_the_case_folder(empty_workspace):
    text = "Joom notice\nNotification ID: ../../etc-passwd\n"
    case = create_case_from_text(empty_workspace, text)
    path = empty_workspace.store.case_dir(case.id)
    assert path.parent == empty_workspace.store.cases_dir


@pytest.mark.parametrize(("sentence", "store"), [
    ("您的店铺 深圳优品旗舰店 在过去30天的迟发率为 12.5%。", "深圳优品旗舰店"),
    ("您的店铺【深圳优品旗舰店】因延迟发货被处罚。", "深圳优品旗舰店"),
    ("店铺“Maple Craft Store”存在延迟发货。", "Maple Craft Store"),
    ("贵店铺 Sunrise Home Goods 近期延迟发货率过高。", "Sunrise Home Goods"),
    ("您的店铺在过去30天的迟发率为 12.5%。", ""),  # no name given: none invented
    ("请检查店铺的违规情况并在 72小时内 提交申诉。", ""),
])
def test_a_store_named_inside_a_chinese_sentence_is_found(sentence, store):
    text = f"京东商家后台 违规管理\n{sentence}\n订单号：JD-8801234567\n"
    detection = detect(text, POLICIES, now=NOW)
    assert detection.store == store


@pytest.mark.parametrize(("text", "store"), [
    ("尊敬的 Acme Home:\n请前往店铺【违规管理】页面提交申诉。", "Acme Home"),  # a menu, not a store
    ("尊敬的商家：\n请登录店铺【商家后台】-【违规管理】查看详情。", ""),
    ('请在店铺"设置"中更新联系方式。', ""),
    ("Dear Acme Home,\n您的店铺 2026年11月 的迟发率为5.2%。", "Acme Home"),
    ("您的店铺 2026年11月 的迟发率为5.2%。", ""),  # a period, not a store
    ("您的店铺 最近30天 的 迟发率 过高。", ""),
    ("您的店铺 ID 12345 已被限制。", ""),  # an id, not a store
    ("您的店铺 深圳优品旗舰店 的迟发率为 12.5%。", "深圳优品旗舰店"),
])
def test_menus_periods_and_ids_in_chinese_sentences_are_not_stores(text, store):
    assert detect(text, POLICIES, now=NOW).store == store


def test_a_chinese_jd_notice_in_shorthand_gets_its_type_and_figure():
    text = ("您好，\n您的店铺 深圳优品旗舰店 在上月的迟发率为 12.5%，已超过 9% 的标准。\n"
            "请在 72小时内 提交申诉。京东商家后台\n")
    detection = detect(text, POLICIES, now=NOW)
    assert (detection.marketplace, detection.type) == ("jd", "late_shipment")
    assert [(q.metric, q.value) for q in detection.quoted_metrics] == [
        ("late_shipment_rate_month", 0.125)]


@pytest.mark.parametrize(("sent", "received"), [
    ("25/11/2026 09:14", datetime(2026, 11, 25, 9, 14, tzinfo=ZoneInfo("Europe/London"))),
    ("11/25/2026 9:14 AM", datetime(2026, 11, 25, 9, 14, tzinfo=ZoneInfo("Europe/London"))),
    # 3 November or 11 March: not guessed, the operator is asked
    ("03/11/2026 09:14", None),
])
def test_numeric_sent_dates_of_an_outlook_forward(sent, received):
    text = ("________________________________\nFrom: Seller Performance "
            f"<seller-performance@amazon.co.uk>\nSent: {sent}\nSubject: Your Amazon.co.uk late "
            "dispatch rate\n\nHello Thames Goods,\n\nYour late dispatch rate is 5.1%.\n")
    d = detect(text, POLICIES)
    assert d.received == received
    assert ("received" in d.unknowns) is (received is None)


@pytest.mark.parametrize("charset", ['charset="iso-8859-1"', "charset=windows-1252", ""])
def test_a_raw_latin_1_notice_keeps_its_accents(charset):
    text = ("From: Seller Performance <seller-performance@amazon.de>\n"
            "Date: Tue, 17 Nov 2026 08:15:00 +0100\n"
            f"Content-Type: text/plain; {charset}\n"
            "Content-Transfer-Encoding: quoted-printable\n\n"
            "Hello M=FCller Handel,\n\nYour Order Defect Rate is 1.8%, which does not meet our "
            "target of less than 1%. Please submit a Plan of Action within 17 days.=20\n")
    d = detect(text, POLICIES)
    assert d.store == "Müller Handel"


# A notice pasted as a block of "label: value" lines (the Account Health page,
# a colleague's summary): the window and the target are on the lines after the
# metric's own line, before the next blank line.
AMAZON_BLOCK = """Hello,

We have deactivated your Amazon selling account because your late shipment rate
does not meet our performance target.

Your late shipment rate: 6.8%
Target: Under 4%
Time period: 30 days

Orders affected include: 112-3344556-7788990, 113-2233445-5667788

Merchant Name: Sunrise Home Goods
"""


def test_a_block_of_label_lines_gives_the_window_and_the_target():
    d = run(AMAZON_BLOCK, received=NOW)
    lsr30 = metric_id("amazon", "late shipment", 30)
    assert quoted(d) == [(lsr30, 0.068)]
    assert [(q.metric, q.value) for q in d.thresholds] == [(lsr30, 0.04)]
    assert d.store == "Sunrise Home Goods"


def test_the_next_metric_in_a_block_is_not_taken_for_a_target():
    text = ("Your late shipment rate: 6.8%\nPre-fulfillment cancel rate: 3.1%\n"
            "Time period: 30 days\n")
    d = run(text, platform="amazon", received=NOW)
    assert [v for _m, v in quoted(d)] == [0.068, 0.031]
    assert quoted(d)[1][0] == metric_id("amazon", "cancel")
    assert d.thresholds == []
