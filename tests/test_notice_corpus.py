"""A public set of notices in the style of real ones (tests/notices/*.txt, written for
these tests): English, Chinese, mixed-script, forwarded from Gmail, Outlook, Apple Mail
and Chinese clients, rejection replies and listing-level notices, each with the fields
intake must read from it. Fields left out of a row are not checked."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from appealdesk.cases.model import Case, Notification, Status, Submission
from appealdesk.deadlines.display import deadline_source_label
from appealdesk.deadlines.windows import appeal_limits, response_deadline
from appealdesk.intake import rejection
from appealdesk.intake.create import create_case, create_case_from_text
from appealdesk.intake.detect import detect
from appealdesk.operations.replies import join_reply
from appealdesk.policy.loading import load_policies

POLICIES = list(load_policies())
BY_ID = {p.id: p for p in POLICIES}
NOTICES = Path(__file__).parent / "notices"
LA, LONDON, BERLIN = (ZoneInfo(z) for z in ("America/Los_Angeles", "Europe/London",
                                             "Europe/Berlin"))
UTC = ZoneInfo("UTC")
TOKYO, SHANGHAI, MOSCOW, DUBAI = (ZoneInfo(z) for z in ("Asia/Tokyo", "Asia/Shanghai",
                                                        "Europe/Moscow", "Asia/Dubai"))

# file -> expected fields. figures / thresholds: {metric: value}; received: an aware time.
TABLE: dict[str, dict] = {
    "amazon_uk_deactivation.txt": dict(
        marketplace="amazon", type="deactivation", site="amazon.co.uk",
        store="Northfield Goods", listings=["B08N5WRWNW", "B07XJ8C8F5"],
        figures={"order_defect_rate": 0.018}, thresholds={"order_defect_rate": 0.01},
        received=datetime(2026, 11, 12, 14, 2, 11, tzinfo=UTC), received_from="header",
        stated_days=17, unknowns=[]),
    # the sender is amazon.com and the link sellercentral-europe: the prose names the site
    "amazon_uk_late_dispatch.txt": dict(
        marketplace="amazon", type="late_shipment", site="amazon.co.uk", store="Kestrel Books",
        figures={"late_shipment_rate_10d": 0.056}, thresholds={"late_shipment_rate_10d": 0.04},
        received=datetime(2026, 11, 12, 14, 2, 11, tzinfo=UTC), stated_days=17),
    "amazon_zh_deactivation.txt": dict(
        marketplace="amazon", type="deactivation", site="amazon.com", store="晨光家居",
        listings=["B09QK4HQZ2"], figures={"order_defect_rate": 0.023},
        thresholds={"order_defect_rate": 0.01}, received=None, unknowns=["received"]),
    "amazon_zh_late_shipment_mixed.txt": dict(
        marketplace="amazon", type="late_shipment", site="amazon.com",
        orders=["112-5550198-3321450", "112-5550198-7785012"],
        figures={"late_shipment_rate_10d": 0.062}, thresholds={"late_shipment_rate_10d": 0.04},
        received=datetime(2026, 11, 16, 9, 40, tzinfo=LA), stated_days=17),
    "amazon_gmail_forward.txt": dict(
        marketplace="amazon", type="late_shipment", store="BrightPath Outdoor",
        figures={"late_shipment_rate_10d": 0.071}, thresholds={"late_shipment_rate_10d": 0.04},
        received=datetime(2014, 6, 1, 8, 29, tzinfo=LA), received_from="forwarded",
        stated_days=17),
    "amazon_gmail_quote.txt": dict(
        marketplace="amazon", type="valid_tracking", store="Cedar & Pine",
        figures={"valid_tracking_rate": 0.895}, thresholds={"valid_tracking_rate": 0.95},
        received=datetime(2014, 6, 1, 8, 29, tzinfo=LA), received_from="forwarded",
        stated_hours=72),
    "amazon_outlook_forward.txt": dict(
        marketplace="amazon", type="order_defect", site="amazon.co.uk", store="Rossi Trading",
        figures={}, thresholds={"order_defect_rate": 0.01},
        received=datetime(2014, 6, 2, 10, 15, tzinfo=LONDON), received_from="forwarded",
        stated_days=17),
    "amazon_apple_forward.txt": dict(
        marketplace="amazon", type="authenticity", site="amazon.de", store="Harz Handel",
        listings=["B00K7B9X5S"], received=datetime(2014, 6, 1, 8, 29, tzinfo=BERLIN),
        received_from="forwarded", stated_days=90, for_action=True),
    "amazon_zh_client_forward.txt": dict(
        marketplace="amazon", type="cancellation",
        figures={"pre_fulfillment_cancel_rate": 0.034},
        thresholds={"pre_fulfillment_cancel_rate": 0.025},
        received=datetime(2014, 6, 1, 8, 29, tzinfo=LA), received_from="forwarded",
        stated_days=17),
    "amazon_rejection_en.txt": dict(
        marketplace="amazon", kind="rejection", type="late_shipment", listings=["B08N5WRWNW"],
        anchor="original"),
    "amazon_rejection_bare.txt": dict(  # a reply pasted without headers never says "Amazon"
        marketplace="amazon", kind="rejection", type="order_defect", received=None),
    "amazon_rejection_zh.txt": dict(
        marketplace="amazon", kind="rejection", type="late_shipment", listings=["B09QK4HQZ2"],
        received=datetime(2026, 11, 21, 10, 5, tzinfo=LA), anchor="original"),
    "amazon_unknown_type.txt": dict(
        marketplace="amazon", type="unknown", store="Willow Lane", stated_days=17),
    "amazon_masked.txt": dict(
        marketplace="amazon", type="cancellation", store="",
        figures={"pre_fulfillment_cancel_rate": 0.031},
        thresholds={"pre_fulfillment_cancel_rate": 0.025}),
    "jd_notice.txt": dict(
        marketplace="jd", type="late_shipment", external_id="JD-TZ-20261118-0047",
        store="深圳优品旗舰店", figures={"late_shipment_rate_month": 0.115},
        thresholds={"late_shipment_rate_month": 0.09}, candidates=[]),
    # IP complaints as sellers post them: a Complaint ID, an ASIN line, "within 90 days"
    # (sellercentral.amazon.in/seller-forums/discussions/t/95d663a2-...; 88bfru.com reposts)
    "amazon_ip_copyright_forward.txt": dict(
        marketplace="amazon", type="intellectual_property", external_id="1482277361",
        listings=["B0C7KQ2M4X"], orders=[], received=datetime(2026, 11, 3, 9, 14, tzinfo=LA),
        received_from="forwarded", stated_days=90, for_action=True),
    # a LISTING deactivated after a rights owner's report is no account deactivation
    # ("We have deactivated the product listing(s)", 88bfru.com/thread-189920 repost)
    "amazon_ip_listing_deactivated.txt": dict(
        marketplace="amazon", type="intellectual_property", external_id="1733920015",
        listings=["B0CQ7TT2LM"]),
    # the same kind of notice as Chinese sellers repost it translated (88bfru.com threads)
    "amazon_zh_ip_trademark.txt": dict(
        marketplace="amazon", type="intellectual_property", external_id="1590374412",
        store="星河数码", listings=["B0DM4RX7QL"], orders=[], candidates=[]),
    # a seller's forum post: their own words (with their own figures) above the forwarded
    # notice; only the notice's figures are the notice's (88bfru.com-style 求助 threads)
    "amazon_zh_forum_repost.txt": dict(
        marketplace="amazon", type="order_defect", store="Yunfan Outdoor",
        figures={"order_defect_rate": 0.013}, thresholds={"order_defect_rate": 0.01},
        received=datetime(2026, 11, 3, 9, 14, tzinfo=LA), received_from="forwarded",
        stated_days=17),
    # an e-mail's raw source: RFC 2047 subject and sender, quoted-printable body
    "amazon_raw_quoted_printable.txt": dict(
        marketplace="amazon", type="late_shipment", store="Pinecrest Home",
        subject="Your Amazon.com Late Shipment Rate – action required",
        orders=["113-4456781-2290155", "113-4456781-9981204"],
        figures={"late_shipment_rate_10d": 0.063}, thresholds={"late_shipment_rate_10d": 0.04},
        received=datetime(2026, 11, 2, 16, 1, 44, tzinfo=UTC), received_from="header",
        stated_at=datetime(2026, 12, 5, 23, 59, tzinfo=LA)),
    # a Chinese notice (kjds.mvy.cn repost of a dropshipping review) with "请在…之前"
    "amazon_zh_dropship_review.txt": dict(
        marketplace="amazon", store="青禾优选", received=datetime(2026, 11, 16, 9, 40, tzinfo=LA),
        stated_at=datetime(2026, 11, 25, 23, 59, tzinfo=LA)),
    # traditional script, as Taiwan/Hong Kong sites and converted reposts write it (seed 004
    # is one): read through simplified, the store given back as written
    "jd_traditional_repost.txt": dict(
        marketplace="jd", type="late_shipment", external_id="JDV-2026-118845",
        store="深圳優品旗艦店", figures={"late_shipment_rate_month": 0.115},
        thresholds={"late_shipment_rate_month": 0.09},
        stated_at=datetime(2026, 11, 25, 23, 59, tzinfo=ZoneInfo("Asia/Shanghai"))),
    "amazon_zh_traditional_deactivation.txt": dict(
        marketplace="amazon", type="deactivation", store="晨光家居",
        subject="您的Amazon.com賣家帳戶已被停用", figures={"order_defect_rate": 0.023},
        thresholds={"order_defect_rate": 0.01}),
    "noon_rejection.txt": dict(
        marketplace="noon", kind="rejection", external_id="PERF-123456",
        store="Desert Bloom Trading", code="ERR-007", stated_hours=72),
    # -- notices sellers pasted on forums, reworded and trimmed (issue: real-material audit) --
    # Listings deactivated for sales-rank manipulation: the funds line every such notice
    # carries ("after any amounts paid for A-to-z claims or chargebacks have been deducted")
    # once made it an Order Defect Rate case (wearesellers.com/question/10216)
    "amazon_listings_manipulation.txt": dict(
        marketplace="amazon", type="policy_violation", store="", stated_days=17),
    # "your account has been temporarily deactivated" is a deactivation, not an ODR warning
    # because the policy it quotes names the A-to-z guarantee (sellercentral-europe.amazon.com
    # /forums/t/suspended-account-your-account-has-been-deactivated/219841); no time stated
    "amazon_temporarily_deactivated.txt": dict(
        marketplace="amazon", type="policy_violation", site="amazon.co.uk", store="Thornbury Crafts",
        stated_at=None, orders=[]),
    # "after 90 days following this notification you may ... request a disbursement" is the
    # funds, not the appeal: no deadline stated (haixiangkuajing.com ... id=182 repost)
    "amazon_funds_after_90_days.txt": dict(
        marketplace="amazon", type="policy_violation", store="", stated_at=None),
    # identity verification: "a utility bill dated within the last 90 days" is the document's
    # age, not a deadline (sellercentral-europe.amazon.com/forums/t/.../549479)
    "amazon_verification_utility_bill.txt": dict(
        marketplace="amazon", type="verification", site="amazon.co.uk", stated_at=None),
    # "We suspended your seller account because your late shipment rate ..." is the account
    # down, not a late-shipment warning (quoted at bindwise.threecolts.com/alerts)
    "amazon_lsr_suspended.txt": dict(
        marketplace="amazon", type="deactivation", store="Maple Row Books", stated_at=None,
        thresholds={"late_shipment_rate_10d": 0.04}),
    # "you currently may not sell on Amazon.com" (ama-english2.com repost of the LSR notice)
    "amazon_lsr_may_not_sell.txt": dict(
        marketplace="amazon", type="deactivation", stated_days=17,
        thresholds={"late_shipment_rate_10d": 0.04}),
    # the answer to an appeal that did not reinstate, as new sellers post it
    # (sellercentral.amazon.com.br/seller-forums/discussions/t/df1715d7-...)
    "amazon_rejection_not_enough_information.txt": dict(
        marketplace="amazon", kind="rejection", received=None),
    # (sellercentral-europe.amazon.com/seller-forums/discussions/t/9059a3aa-...)
    "amazon_rejection_authenticity_documents.txt": dict(
        marketplace="amazon", kind="rejection", listings=["B08RZ4KD2M"]),
    # "your plan is not complete" answers a Plan of Action (sellercentral.amazon.com/forums/t/
    # my-seller-account-is-suspended-please-help/353811)
    "amazon_rejection_plan_not_complete.txt": dict(marketplace="amazon", kind="rejection"),
    # related accounts: no metric, no carrier record; the funds line names A-to-z claims
    # (th4.ilovetranslation.com repost of the English notice; 88bfru.com/thread-135539, its
    # Chinese translation as a seller posted it)
    "amazon_related_account.txt": dict(
        marketplace="amazon", type="related_account", stated_at=None),
    "amazon_zh_related_account.txt": dict(
        marketplace="amazon", type="related_account", site="amazon.co.uk", stated_at=None),
    # an account deactivated over authenticity complaints needs supplier invoices for every
    # ASIN, not the carrier records of a metric deactivation (seller-union.com/topic/your-amazon
    # -seller-account-has-been-deactivated-and/; a scribd repost: "items that might be fake")
    "amazon_inauthentic_deactivation.txt": dict(
        marketplace="amazon", type="authenticity_deactivation", store="Ridgeway Outlet",
        listings=["B07QX4L2MN", "B08HZ3KD7R"], stated_at=None),
    "amazon_fake_items_deactivation.txt": dict(
        marketplace="amazon", type="authenticity_deactivation", listings=["B09TQ7LM3C"]),
    # "Your Amazon Seller account has been temporarily deactivated" for an unapproved brand
    # (sellercentral-europe.amazon.com/seller-forums/discussions/t/8551d3ec...)
    "amazon_brand_not_approved.txt": dict(
        marketplace="amazon", type="policy_violation", listings=["B0C4K2ZQ7P"], stated_at=None),
    # An Account Health Rating notice lists IP and authenticity complaints among the issues to
    # resolve; it is no IP notice (90 days): the account may go in 7 (seller-union.com repost of
    # the AHR notice; Amazon staff on the .ca forum, t/b8618f1e, on "At Risk")
    "amazon_ahr_unhealthy.txt": dict(
        marketplace="amazon", type="account_health_rating", store="Sunny Home Goods",
        received=datetime(2026, 11, 30, 9, 12, tzinfo=LA), stated_days=7),
    "amazon_zh_ahr_at_risk.txt": dict(
        marketplace="amazon", type="account_health_rating", store="晨曦百货", stated_at=None),
    # -- second audit: date and deadline shapes the corpus lacked (shapes from seller-forum and
    # Reddit reposts, noon/Joom help pages and Chinese seller sites; wording and ids invented) --
    # copied out of Seller Central's page: its menu around, an order table, US date header and
    # "by Dec 5, 2026 5:00 PM PST" (the stated hour, not the day's end)
    "amazon_sc_page_copy.txt": dict(
        marketplace="amazon", type="late_shipment", site="amazon.com", store="Harbor Lane Supply",
        orders=["114-2208871-5530127", "114-2208871-6614203", "114-9917305-1148836"],
        listings=["B0CX4R7KQ2", "B0D2LM8TZ5"], figures={"late_shipment_rate_10d": 0.054},
        thresholds={"late_shipment_rate_10d": 0.04},
        received=datetime(2026, 11, 18, 15, 41, tzinfo=LA), received_from="header",
        stated_at=datetime(2026, 12, 5, 17, 0, tzinfo=LA), for_action=True, unknowns=[]),
    # pasted from a phone: no headers, a line break inside "within 72 / hours" and the greeting;
    # no received time, so the 72 hours count from intake (see the test below)
    "amazon_phone_paste.txt": dict(
        marketplace="amazon", type="order_defect", store="",
        orders=["111-4470923-8812640", "111-4470923-0036118"],
        figures={"order_defect_rate": 0.023}, thresholds={"order_defect_rate": 0.01},
        received=None, stated_at=None, unknowns=["store", "received"]),
    # "by 3 December 2026 10:00 GMT": ten in the morning, not 23:59 London
    "amazon_uk_gmt_deadline.txt": dict(
        marketplace="amazon", type="unknown", site="amazon.co.uk", store="Millbrook Prints",
        listings=["B0B7QW3NZX", "B0B7QW4KPR"], orders=[],
        received=datetime(2026, 11, 17, 9, 20, 5, tzinfo=UTC), received_from="header",
        stated_at=datetime(2026, 12, 3, 10, 0, tzinfo=UTC), for_action=True),
    # "by 03/12/2026" from amazon.de: 12 March is already past, 3 December is the deadline
    "amazon_de_eu_numeric_date.txt": dict(
        marketplace="amazon", type="order_defect", site="amazon.de", store="Rheinlicht Versand",
        orders=["302-4471185-2290831", "302-4471185-7740126"],
        figures={"order_defect_rate": 0.016}, thresholds={"order_defect_rate": 0.01},
        received=datetime(2026, 11, 20, 11, 5, tzinfo=BERLIN),
        stated_at=datetime(2026, 12, 3, 23, 59, tzinfo=BERLIN)),
    # "no later than 2026/12/03" (year first, Japanese style) was no deadline at all
    "amazon_jp_slash_date.txt": dict(
        marketplace="amazon", type="valid_tracking", site="amazon.co.jp", store="Sakuradou Zakka",
        figures={"valid_tracking_rate": 0.912}, thresholds={"valid_tracking_rate": 0.95},
        received=datetime(2026, 11, 18, 10, 30, tzinfo=TOKYO),
        stated_at=datetime(2026, 12, 3, 23, 59, tzinfo=TOKYO)),
    # a seller's own translation on a Chinese forum: "请于北京时间2026年12月3日 18:00前" was no
    # deadline at all; Beijing time, not the marketplace's; "您好，青木家纺：" names the store
    "amazon_zh_beijing_time.txt": dict(
        marketplace="amazon", type="cancellation", store="青木家纺",
        orders=["113-6620417-3391052", "113-6620417-5508213"],
        figures={"pre_fulfillment_cancel_rate": 0.038},
        thresholds={"pre_fulfillment_cancel_rate": 0.025},
        received=datetime(2026, 11, 19, 10, 15, tzinfo=SHANGHAI), received_from="header",
        stated_at=datetime(2026, 12, 3, 18, 0, tzinfo=SHANGHAI), unknowns=[]),
    # ASINs and order ids in a Markdown table, each ASIN once; "within 72 hours"
    "amazon_multi_asin_table.txt": dict(
        marketplace="amazon", type="authenticity", store="Tidewater Brands",
        listings=["B0C9TR2MWX", "B0D1HK8QPL"],
        orders=["112-7730415-2286110", "112-7730415-6650981", "112-0098231-4417702"],
        received=datetime(2026, 11, 23, 7, 48, 12, tzinfo=LA), stated_hours=72,
        for_action=True),
    # dates that are no deadline (a period, an update, a shipping rule): "not stated"; the
    # figure after "for orders placed between … and … is" is still the seller's
    "amazon_no_deadline_dates.txt": dict(
        marketplace="amazon", type="cancellation", store="Quarry Road Outfitters",
        figures={"pre_fulfillment_cancel_rate": 0.031},
        thresholds={"pre_fulfillment_cancel_rate": 0.025}, orders=[], stated_at=None),
    # a German colleague's Outlook forward of an amazon.de notice: "before 10 December 2026,
    # 10:00 CET"
    "amazon_de_outlook_cet.txt": dict(
        marketplace="amazon", type="late_shipment", site="amazon.de", store="Elbtal Handel",
        figures={"late_shipment_rate_10d": 0.068}, thresholds={"late_shipment_rate_10d": 0.04},
        received=datetime(2026, 11, 26, 15, 2, tzinfo=BERLIN), received_from="forwarded",
        stated_at=datetime(2026, 12, 10, 10, 0, tzinfo=BERLIN)),
    # a Reddit post quoting the notice ("> " lines), no date: "by Dec 4 at 11:59 PM PT" has no
    # year, so it needs the received time (asked; see the test below)
    "amazon_reddit_quote.txt": dict(
        marketplace="amazon", type="order_defect", store="", site="",
        orders=["111-2083346-7719024", "111-2083346-0051387"],
        figures={"order_defect_rate": 0.014}, thresholds={"order_defect_rate": 0.01},
        received=None, stated_at=None),
    # "6 PM CST": China or US Central; the earlier reading is kept
    "amazon_cst_ambiguous.txt": dict(
        marketplace="amazon", type="valid_tracking", store="Lakeshore Candle Co",
        figures={"valid_tracking_rate": 0.885}, thresholds={"valid_tracking_rate": 0.95},
        received=datetime(2026, 11, 30, 6, 10, tzinfo=LA),
        stated_at=datetime(2026, 12, 4, 18, 0, tzinfo=SHANGHAI)),
    # an amazon.com notice forwarded from Outlook in Europe, no marker line: "Sent: … 9:12 AM
    # CET" is 9:12 in Paris, not in Los Angeles (a received time 9 hours late, and the 17
    # days with it); "Hi Mark," is the forwarder's greeting, not the store
    "amazon_us_forward_cet.txt": dict(
        marketplace="amazon", type="late_shipment", site="amazon.com", store="Northwind Imports",
        orders=["114-5512093-6620781", "114-5512093-1049236"],
        figures={"late_shipment_rate_10d": 0.049}, thresholds={"late_shipment_rate_10d": 0.04},
        received=datetime(2026, 11, 24, 8, 12, tzinfo=UTC), received_from="forwarded",
        stated_days=17, for_action=True),
    # an amazon.co.jp notice in Japanese (terms of the amazon.co.jp help pages): 差出人 / 送信日時
    # / 件名 headers, "ひかり雑貨 様", "4%未満" the threshold, "2026年12月4日までに" the deadline
    "amazon_jp_japanese.txt": dict(
        marketplace="amazon", type="late_shipment", site="amazon.co.jp", store="ひかり雑貨",
        subject="出荷遅延率に関する重要なお知らせ",
        orders=["250-3318207-4471922", "250-3318207-9902135"],
        figures={"late_shipment_rate_10d": 0.061}, thresholds={"late_shipment_rate_10d": 0.04},
        received=datetime(2026, 11, 20, 10, 5, tzinfo=TOKYO), received_from="header",
        stated_at=datetime(2026, 12, 4, 23, 59, tzinfo=TOKYO), for_action=True, unknowns=[]),
    # Joom: "before 02.12.2026 23:59 (UTC+3)" (day first, offset in brackets) was no deadline
    "joom_store_blocked.txt": dict(
        marketplace="joom", type="cancellation", external_id="JM-2026-554301",
        store="Aurora Gadgets",
        orders=["64f1a2b3c4d5e6f708192a3b", "64f1a2b3c4d5e6f708192a4c"],
        figures={"cancellation_rate": 0.062}, thresholds={"cancellation_rate": 0.03},
        received=datetime(2026, 11, 25, 8, 0, tzinfo=MOSCOW), received_from="header",
        stated_at=datetime(2026, 12, 2, 23, 59, tzinfo=MOSCOW), for_action=True),
    # noon (help.noon.partners: LSR over 3% in 7 days, a PoA to seller@noon.com): 48 hours
    "noon_store_suspension.txt": dict(
        marketplace="noon", type="late_shipment", external_id="PERF-7730152",
        store="Falcon Home Trading", orders=["NAE70011234567", "NAE70011238910"],
        figures={"late_shipment_rate": 0.046}, thresholds={"late_shipment_rate": 0.03},
        received=datetime(2026, 11, 22, 9, 15, tzinfo=DUBAI), stated_hours=48),
    # JD 整改通知: "通知时间：" is its received time, "平台标准为 9%" its threshold, the 违规编号
    # (14 digits after "WG") no order
    "jd_rectification_deadline.txt": dict(
        marketplace="jd", type="late_shipment", external_id="WG20261120008831",
        store="杭州晴川家居专营店", orders=["3088157731024", "3088157739965"],
        figures={"late_shipment_rate_month": 0.124},
        thresholds={"late_shipment_rate_month": 0.09},
        received=datetime(2026, 11, 20, 14, 30, tzinfo=SHANGHAI), received_from="header",
        stated_at=datetime(2026, 11, 27, 18, 0, tzinfo=SHANGHAI), unknowns=[]),
}


def read(name: str) -> str:
    return (NOTICES / name).read_text("utf-8")


def test_every_notice_file_has_a_row():
    assert sorted(p.name for p in NOTICES.glob("*.txt")) == sorted(TABLE)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_notice_fields(name):
    want = TABLE[name]
    d = detect(read(name), POLICIES)
    simple = {"marketplace": d.marketplace, "type": d.type, "site": d.site, "store": d.store,
              "kind": d.kind, "external_id": d.external_id, "listings": d.cited_listings,
              "orders": d.cited_orders, "received": d.received,
              "received_from": d.received_from, "code": d.rejection_code,
              "unknowns": d.unknowns, "candidates": d.candidates, "subject": d.subject,
              "stated_at": d.stated_deadline}
    for key, value in simple.items():
        if key in want:
            assert value == want[key], key
    if "figures" in want:
        assert {q.metric: q.value for q in d.quoted_metrics} == want["figures"]
    if "thresholds" in want:
        assert {q.metric: q.value for q in d.thresholds} == want["thresholds"]
    if "stated_days" in want or "stated_hours" in want:
        span = timedelta(days=want.get("stated_days", 0), hours=want.get("stated_hours", 0))
        assert d.stated_deadline - d.received == span
    if "for_action" in want:
        assert d.stated_window.action is want["for_action"]
    if "anchor" in want:
        assert d.stated_window.anchor == want["anchor"]


# -- deadlines as the text states them -------------------------------------------------


def _case(name: str, workspace) -> Case:
    return create_case_from_text(workspace, read(name))


# Saved e-mail files (.eml, written for these tests with Python's email package): MIME parts
# in base64, an HTML alternative, and a notice attached to a colleague's forward.
EML: dict[str, dict] = {
    "amazon_saved_base64.eml": dict(
        type="late_shipment", store="Pinecrest Home", orders=["113-4456781-2290155"],
        figures={"late_shipment_rate_10d": 0.063}, subject="Your Amazon.com Late Shipment "
        "Rate – 亚马逊", received=datetime(2026, 11, 2, 16, 1, 44, tzinfo=UTC), days=17),
    "amazon_saved_forward_attachment.eml": dict(
        type="late_shipment", store="Kestrel Books", site="amazon.co.uk",
        orders=["202-3318840-5521907", "202-3318840-7730145"],
        figures={"late_shipment_rate_10d": 0.056}, subject="Fw: 绩效通知，请处理",
        received=datetime(2026, 11, 12, 14, 2, 11, tzinfo=UTC), days=17),
}


@pytest.mark.parametrize("name", sorted(EML))
def test_a_saved_email_file_is_read_through_its_mime_parts(name):
    want = EML[name]
    d = detect((NOTICES / name).read_text("utf-8"), POLICIES)
    assert (d.marketplace, d.type, d.store) == ("amazon", want["type"], want["store"])
    assert d.cited_orders == want["orders"]
    assert {q.metric: q.value for q in d.quoted_metrics} == want["figures"]
    assert d.subject == want["subject"].replace("，", ",")  # the detectors read NFKC text
    assert d.received == want["received"]
    assert d.stated_deadline - d.received == timedelta(days=want["days"])
    assert d.site == want.get("site", "amazon.com")


def test_an_ip_complaint_in_taiwan_wording_is_an_ip_complaint():
    text = ("主旨：智慧財產權投訴\n\n我們收到權利人的通知，您的商品可能侵害其商標權。\n"
            "ASIN：B0DM4RX7QL 投訴編號：1590374412\n")
    d = detect(text, POLICIES)
    assert (d.marketplace, d.type, d.external_id) == ("amazon", "intellectual_property",
                                                      "1590374412")


def test_an_ip_complaint_pasted_without_headers_is_amazon_and_its_id_no_order():
    body = read("amazon_ip_copyright_forward.txt").split("\n\n", 1)[1]
    d = detect(body, POLICIES)
    assert (d.marketplace, d.type) == ("amazon", "intellectual_property")
    assert d.cited_orders == [] and d.external_id == "1482277361"


def test_a_stated_window_wins_when_the_type_is_unknown(empty_workspace):
    case = _case("amazon_unknown_type.txt", empty_workspace)
    deadline = response_deadline(case, BY_ID["amazon"])
    assert deadline.source == "notification"
    assert deadline.due - case.notification.received == timedelta(days=17)
    assert deadline_source_label(deadline, case).startswith("stated in the notice")


def test_a_longer_window_stated_for_the_appeal_is_used(empty_workspace):
    case = _case("amazon_apple_forward.txt", empty_workspace)
    assert case.notification.stated_for_action
    deadline = response_deadline(case, BY_ID["amazon"])
    assert deadline.due - case.notification.received == timedelta(days=90)
    assert deadline.policy_due - case.notification.received == timedelta(days=17)


def test_a_later_window_not_stated_for_the_response_does_not_win(empty_workspace):
    text = ("Subject: Late shipment\nDate: Tue, 17 Nov 2026 08:15:00 -0800\n\n"
            "Hello Acme,\nYour Late Shipment Rate is 6%. Reports cover the next 30 days.\n"
            "Buyers receive refunds within 40 days.\n")
    case = create_case_from_text(empty_workspace, text, platform="amazon")
    deadline = response_deadline(case, BY_ID["amazon"])
    assert deadline.source == "policy"
    assert deadline_source_label(deadline, case) == "policy default"


def test_no_received_time_is_said_and_asked_never_silently_now(empty_workspace):
    case = _case("amazon_zh_deactivation.txt", empty_workspace)
    assert case.notification.received_source == "intake"
    assert not case.notification.received_known
    assert "no received time" in case.history[0].note
    deadline = response_deadline(case, BY_ID["amazon"])
    assert "counted from intake" in deadline_source_label(deadline, case)


def test_a_window_counted_from_an_order_is_not_a_deadline():
    d = detect("Amazon notice\nDate: 2026-11-17T08:00:00+00:00\n\nOrders must ship within "
               "2 days of the order date. Please respond within 17 days.\n", POLICIES)
    assert [s.anchor for s in d.stated] == ["other", ""]
    assert d.stated_deadline - d.received == timedelta(days=17)


# -- rejection replies join their case ---------------------------------------------------


def _submitted(workspace, name: str, **fields) -> Case:
    case = _case(name, workspace)
    with workspace.store.editing(case.id, workspace.operator) as editable:
        for key, value in fields.items():
            setattr(editable.notification, key, value)
        editable.change_status(Status.READY, operator="t", at=workspace.now())
        editable.change_status(Status.SUBMITTED, operator="t", at=workspace.now())
        editable.submissions.append(Submission(at=workspace.now(), operator="t", pdf="a.pdf"))
    return workspace.store.load(case.id)


def test_a_rejection_reply_joins_the_case_it_answers(empty_workspace):
    ws = empty_workspace
    original = _submitted(ws, "amazon_uk_deactivation.txt", type="late_shipment")
    other = _submitted(ws, "amazon_masked.txt")  # another open case, nothing in common
    reply = detect(read("amazon_rejection_en.txt"), POLICIES)
    match, tied = rejection.best_match(ws.store.load_all().cases, reply)
    assert tied == [] and match.case.id == original.id and match.why == "listing"
    join_reply(ws, original.id, reply)
    case = ws.store.load(original.id)
    last = case.submissions[-1]
    assert case.status is Status.REJECTED and last.outcome == "rejected"
    assert "unable to reinstate" in last.reason
    # "within 14 days of the original notification": from the notice, not from the reply
    assert last.deadline == case.notification.received + timedelta(days=14)
    assert appeal_limits(case, BY_ID["amazon"]).final_due == last.deadline
    assert ws.store.load(other.id).status is Status.SUBMITTED


def test_a_rejection_with_nothing_to_answer_makes_a_new_case(empty_workspace):
    reply = detect(read("noon_rejection.txt"), POLICIES)
    assert rejection.best_match(empty_workspace.store.load_all().cases, reply) == (None, [])
    case = create_case(empty_workspace, reply)
    assert case.marketplace == "noon"


def test_two_equally_good_cases_are_left_to_the_operator(empty_workspace):
    ws = empty_workspace
    a = _submitted(ws, "amazon_uk_deactivation.txt", type="late_shipment")
    b = _submitted(ws, "amazon_gmail_forward.txt", cited_listings=["B08N5WRWNW"])
    reply = detect(read("amazon_rejection_en.txt"), POLICIES)
    reply.store = ""
    match, tied = rejection.best_match(ws.store.load_all().cases, reply)
    assert match is None and {m.case.id for m in tied} == {a.id, b.id}


def test_notification_fields_survive_the_store(empty_workspace):
    case = _case("amazon_uk_deactivation.txt", empty_workspace)
    stored = empty_workspace.store.load(case.id)
    assert stored.notification.cited_listings == ["B08N5WRWNW", "B07XJ8C8F5"]
    assert [(q.metric, q.value) for q in stored.notification.stated_thresholds] == [
        ("order_defect_rate", 0.01)]
    assert stored.notification.received_source == "header"
    assert stored.notification.stated_text == "within 17 days"
    assert Notification.from_dict(Notification().to_dict()) == Notification()


# -- listings and drafts without a notification id ------------------------------------------


def test_an_amazon_draft_leaves_no_notification_id_placeholder(empty_workspace):
    from appealdesk.checks.letter import LintInput, lint_letter
    from appealdesk.letter.draft import draft_for_case

    case = _case("amazon_uk_deactivation.txt", empty_workspace)
    assert case.notification.external_id is None
    policy = BY_ID["amazon"]
    text = draft_for_case(case, policy, now=empty_workspace.now(), workspace=empty_workspace)
    assert "{notification_id}" not in text
    findings = lint_letter(LintInput(text, case, policy, empty_workspace.now()))
    assert not [f for f in findings if f.code == "placeholder_left"
                and "notification_id" in f.message]


def test_cited_listings_need_a_file_each_for_a_per_listing_requirement(empty_workspace):
    from appealdesk.cases.model import EvidenceItem
    from appealdesk.checks.base import CheckContext
    from appealdesk.checks.listings import listings_not_covered
    from appealdesk.evidence.listings import listing_coverage

    text = read("amazon_apple_forward.txt").replace(
        "ASIN: B00K7B9X5S", "ASIN: B00K7B9X5S\nASIN: B07ZPKBL9V")
    case = create_case_from_text(empty_workspace, text)
    policy = BY_ID["amazon"]
    assert case.notification.type == "authenticity"
    ctx = CheckContext(case=case, policy=policy, now=empty_workspace.now())
    assert listings_not_covered(ctx) == []  # no invoice at all is evidence_missing's finding
    case.evidence.append(EvidenceItem(name="invoice-B00K7B9X5S.pdf",
                                      requirement="supplier_invoice"))
    coverage = listing_coverage(case, policy)
    assert coverage.files_for("B00K7B9X5S", "supplier_invoice") == ["invoice-B00K7B9X5S.pdf"]
    assert coverage.gaps() == [("B07ZPKBL9V", "supplier_invoice")]
    (finding,) = listings_not_covered(CheckContext(case=case, policy=policy,
                                                   now=empty_workspace.now()))
    assert finding.code == "listings_not_covered" and finding.fix == "evidence.add"
    assert finding.values["uncovered"] == ["B07ZPKBL9V"]
    case.evidence.append(EvidenceItem(name="inv-2.pdf", requirement="supplier_invoice",
                                      original_name="Invoice b07zpkbl9v.pdf"))
    assert listings_not_covered(CheckContext(case=case, policy=policy,
                                             now=empty_workspace.now())) == []


def test_the_same_rejection_pasted_twice_is_a_duplicate(empty_workspace):
    from appealdesk.intake.create import Duplicate

    ws = empty_workspace
    original = _submitted(ws, "amazon_uk_deactivation.txt", type="late_shipment")
    join_reply(ws, original.id, detect(read("amazon_rejection_en.txt"), POLICIES))
    again = detect(read("amazon_rejection_en.txt"), POLICIES)
    assert rejection.best_match(ws.store.load_all().cases, again) == (None, [])
    with pytest.raises(Duplicate) as info:
        create_case(ws, again)
    assert info.value.case_id == original.id


def test_a_tie_is_broken_by_the_sender_else_the_operator_is_asked():
    text = "Performance notice\nNotification ID: 58392017\nPlease respond within 3 days.\n"
    d = detect(text, POLICIES)
    assert d.marketplace == "unknown" and d.candidates == ["amazon", "joom"]
    assert "marketplace" in d.unknowns
    d = detect("From: Merchant Support <support@joom.com>\n" + text, POLICIES)
    assert d.marketplace == "joom" and d.candidates == []


def test_boilerplate_is_blanked_in_place_and_only_there():
    from appealdesk.intake.vocabulary import Keyword

    text = "funds after amounts paid for a-to-z claims or chargebacks. a-to-z claim rate is 2%"
    out = Keyword("amounts paid…a-to-z…chargebacks").blank(text)
    assert len(out) == len(text) and "chargebacks" not in out
    assert out.endswith("a-to-z claim rate is 2%") and out.startswith("funds after ")
    assert Keyword("a-to-z").blank("an a-to-z claim") == "an        claim"


def test_an_authenticity_deactivation_asks_for_invoices_and_keeps_17_days(empty_workspace):
    case = _case("amazon_inauthentic_deactivation.txt", empty_workspace)
    ntype = BY_ID["amazon"].notification_type(case.notification.type)
    assert "supplier_invoice" in ntype.evidence and "carrier_tracking" not in ntype.evidence
    deadline = response_deadline(case, BY_ID["amazon"])
    assert deadline.due - case.notification.received == timedelta(days=17)


def test_a_rate_held_under_a_limit_is_the_limit_not_the_sellers_figure():
    # Amazon's own wording (help G200285170): "Our policy is that sellers maintain an ODR
    # under 1% in order to sell on Amazon"; notices and forwarded help text say it in full
    text = ("Amazon.com notice\n\nOur policy is that sellers maintain an order defect rate "
            "under 1% in order to sell on Amazon. Your order defect rate is 1.8%.\n")
    d = detect(text, POLICIES)
    assert [(q.metric, q.value) for q in d.quoted_metrics] == [("order_defect_rate", 0.018)]
    assert [(q.metric, q.value) for q in d.thresholds] == [("order_defect_rate", 0.01)]


@pytest.mark.parametrize("name", ["amazon_lsr_may_not_sell.txt", "amazon_uk_deactivation.txt",
                                  "amazon_listings_manipulation.txt"])
def test_a_stated_window_equal_to_the_policys_is_still_the_notices(name, empty_workspace):
    # "within 17 days" is what Amazon's notices say and what the policy holds: the operator
    # is told the notice said it, not that a default was used
    case = _case(name, empty_workspace)
    deadline = response_deadline(case, BY_ID["amazon"])
    assert deadline.due - case.notification.received == timedelta(days=17)
    assert deadline.source == "notification"
    assert deadline_source_label(deadline, case).startswith("stated in the notice")



@pytest.mark.parametrize(("name", "wanted", "unwanted"), [
    ("amazon_verification_utility_bill.txt", {"utility_bill", "identity_document"},
     {"carrier_tracking"}),
    ("amazon_related_account.txt", set(), {"carrier_tracking"}),
    ("amazon_brand_not_approved.txt", {"process_change"}, {"carrier_tracking"}),
])
def test_a_deactivation_for_no_metric_asks_for_no_carrier_records(name, wanted, unwanted,
                                                                   empty_workspace):
    # a verification, related-account or policy deactivation has no late orders to prove:
    # carrier tracking blocked every such appeal as missing evidence, and intake told the
    # operator to import order reports for metrics the notice never named
    case = _case(name, empty_workspace)
    ntype = BY_ID["amazon"].notification_type(case.notification.type)
    assert wanted <= set(ntype.evidence) and not unwanted & set(ntype.evidence)
    assert ntype.metrics == () or list(ntype.metrics) == []
    assert response_deadline(case, BY_ID["amazon"]).due - case.notification.received \
        == timedelta(days=17)


# -- second audit: deadlines written as a moment, a line break or no year ------------------


def test_a_window_broken_across_lines_is_still_stated(empty_workspace):
    # a phone paste breaks "within 72 / hours": once read as no deadline at all
    d = detect(read("amazon_phone_paste.txt"), POLICIES)
    assert [(s.amount, s.unit, s.action, s.text) for s in d.stated] == [
        (72, "hours", True, "within 72 hours")]
    case = _case("amazon_phone_paste.txt", empty_workspace)
    deadline = response_deadline(case, BY_ID["amazon"])
    assert deadline.source == "notification"
    assert deadline.due - case.notification.received == timedelta(hours=72)
    assert "counted from intake" in deadline_source_label(deadline, case)


def test_a_date_without_a_year_is_read_from_the_received_time():
    received = datetime(2026, 11, 30, 9, 0, tzinfo=LA)
    d = detect(read("amazon_reddit_quote.txt"), POLICIES, received=received)
    assert d.stated_deadline == datetime(2026, 12, 4, 23, 59, tzinfo=LA)


@pytest.mark.parametrize(("line", "due"), [
    ("Please respond by Dec 5, 2026 5:00 PM PST.", datetime(2026, 12, 6, 1, 0, tzinfo=UTC)),
    ("Please respond by Dec 5, 2026 at 9 a.m.", datetime(2026, 12, 5, 9, 0, tzinfo=LA)),
    ("Please respond by 5 December 2026, 10:00 CET.", datetime(2026, 12, 5, 9, 0, tzinfo=UTC)),
    ("Please respond by 2026-12-05 18:00 (GMT+8).", datetime(2026, 12, 5, 10, 0, tzinfo=UTC)),
    ("Please respond by 05.12.2026.", datetime(2026, 12, 5, 23, 59, tzinfo=LA)),
    ("Please respond by 2026/12/05.", datetime(2026, 12, 5, 23, 59, tzinfo=LA)),
    # the earlier of US Central and China's 6 PM
    ("Please respond by Dec 5, 2026 6 PM CST.", datetime(2026, 12, 5, 10, 0, tzinfo=UTC)),
    ("请于2026年12月5日18:00(北京时间)前提交申诉。", datetime(2026, 12, 5, 18, 0, tzinfo=SHANGHAI)),
    ("请在太平洋时间12月5日 17:00之前回复。", datetime(2026, 12, 5, 17, 0, tzinfo=LA)),
    # no zone named: the marketplace's
    ("Please respond by December 5 at 5:00 PM.", datetime(2026, 12, 5, 17, 0, tzinfo=LA)),
    # the time before the date, as Amazon's own notices often put it
    ("Please respond by 11:59 PM PST on December 5, 2026.",
     datetime(2026, 12, 5, 23, 59, tzinfo=LA)),
    ("Please respond before 5 PM (Pacific Time) on Dec 5.", datetime(2026, 12, 5, 17, 0,
                                                                     tzinfo=LA)),
    ("Please respond by the 5th December 2026.", datetime(2026, 12, 5, 23, 59, tzinfo=LA)),
    ("Please respond by 2026.12.05.", datetime(2026, 12, 5, 23, 59, tzinfo=LA)),
    # a seller's translation spaces the characters out
    ("请在 2026 年 12 月 5 日前提交申诉。", datetime(2026, 12, 5, 23, 59, tzinfo=LA)),
    ("请于 12 月 5 日 18:00 前回复。", datetime(2026, 12, 5, 18, 0, tzinfo=LA)),
    ("Please respond by 24-Dec-2026 18:00 GST.", datetime(2026, 12, 24, 14, 0, tzinfo=UTC)),
    ("Please respond by close of business on December 5, 2026.",
     datetime(2026, 12, 5, 23, 59, tzinfo=LA)),
    # "midnight on December 5": the day's start, the earlier reading
    ("Please respond by midnight PST on December 5, 2026.", datetime(2026, 12, 5, 0, 0,
                                                                    tzinfo=LA)),
    ("The deadline to appeal is December 5, 2026.", datetime(2026, 12, 5, 23, 59, tzinfo=LA)),
    # Japanese
    ("72時間以内に回答してください。", datetime(2026, 12, 3, 6, 10, tzinfo=LA)),
    ("12月5日 17:00までに改善計画を提出してください。", datetime(2026, 12, 5, 17, 0, tzinfo=LA)),
])
def test_a_deadline_stated_as_a_moment_is_that_moment(line, due):
    text = ("From: seller-performance@amazon.com\nDate: Mon, 30 Nov 2026 06:10:00 -0800\n\n"
            "Your Late Shipment Rate is 6%. " + line + "\n")
    d = detect(text, POLICIES)
    assert d.stated_deadline == due


@pytest.mark.parametrize("line", [
    "Orders placed between 10/25/2026 and 11/24/2026 are counted.",
    "This figure was updated on Dec 1, 2026 at 5:00 PM PST.",
    "Orders must ship within 2 days of the order date.",
    "Sent from my iPhone at 5:00 PM",
])
def test_dates_that_set_no_deadline_leave_it_not_stated(line):
    text = ("From: seller-performance@amazon.com\nDate: Mon, 30 Nov 2026 06:10:00 -0800\n\n"
            "Your Late Shipment Rate is 6%. " + line + "\n")
    assert detect(text, POLICIES).stated_deadline is None


@pytest.mark.parametrize(("line", "received"), [
    ("Sent: Thursday, November 26, 2026 3:02 PM CET", datetime(2026, 11, 26, 14, 2, tzinfo=UTC)),
    ("Sent: 26 November 2026 15:02 (Pacific Standard Time)",
     datetime(2026, 11, 26, 23, 2, tzinfo=UTC)),
    ("发送时间：2026年11月26日 15:02 (北京时间)", datetime(2026, 11, 26, 7, 2, tzinfo=UTC)),
    # China or US Central: the earlier moment (the earlier deadline)
    ("Date: Thu, 26 Nov 2026 15:02 CST", datetime(2026, 11, 26, 7, 2, tzinfo=UTC)),
    # no zone named: the marketplace's
    ("Sent: Thursday, November 26, 2026 3:02 PM", datetime(2026, 11, 26, 15, 2, tzinfo=LA)),
    ("Date: 26-Nov-2026 15:02 GMT", datetime(2026, 11, 26, 15, 2, tzinfo=UTC)),
])
def test_a_date_line_is_read_in_the_zone_it_names(line, received):
    text = ("-----Original Message-----\nFrom: Seller Performance <seller-performance@amazon.com>"
            f"\n{line}\nSubject: x\n\nYour Late Shipment Rate is 6%. Respond within 17 days.\n")
    assert detect(text, POLICIES).received == received


def test_outlook_headers_that_open_the_text_are_the_messages_own():
    text = ("From: Seller Performance <seller-performance@amazon.com>\n"
            "Sent: Tuesday, November 24, 2026 9:12 AM\nSubject: x\n\nHello Acme,\n"
            "Your Late Shipment Rate is 6%.\n")
    d = detect(text, POLICIES)
    assert (d.received_from, d.store) == ("header", "Acme")


_JD_HEAD = "【京东商家违规通知】\n通知时间：2026-11-30 10:00\n店铺名称：某店\n您的店铺延迟发货率为 12%。"


@pytest.mark.parametrize(("line", "due"), [
    ("整改期限：2026年12月3日", datetime(2026, 12, 3, 23, 59, tzinfo=SHANGHAI)),
    ("申诉期限：2026-12-03 18:00", datetime(2026, 12, 3, 18, 0, tzinfo=SHANGHAI)),
    ("请最晚于2026年12月3日提交申诉。", datetime(2026, 12, 3, 23, 59, tzinfo=SHANGHAI)),
    ("请在2026年12月3日（含）前提交。", datetime(2026, 12, 3, 23, 59, tzinfo=SHANGHAI)),
    ("申诉时效：7天", datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)),
    ("截止到2026年12月3日", datetime(2026, 12, 3, 23, 59, tzinfo=SHANGHAI)),
    ("请于2026年12月3日 下午6点前提交申诉。", datetime(2026, 12, 3, 18, 0, tzinfo=SHANGHAI)),
    ("请于2026年12月3日 6点30分前提交申诉。", datetime(2026, 12, 3, 6, 30, tzinfo=SHANGHAI)),
])
def test_a_chinese_deadline_as_jd_and_translations_write_it(line, due):
    # each of these was read as no deadline at all
    assert detect(_JD_HEAD + line + "\n", POLICIES).stated_deadline == due


@pytest.mark.parametrize("line", [
    "平台发货时效：48小时。", "退货期限：7天。", "营业执照有效期限：2026年12月3日。",
])
def test_a_shipping_or_return_rule_is_no_deadline(line):
    assert detect(_JD_HEAD + line + "\n", POLICIES).stated_deadline is None
