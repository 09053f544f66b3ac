"""Bundled demo cases: one or more per marketplace, anchored to "now".

``install_demo(store, now)`` writes the cases into a (throwaway) data folder.
Every time in them is relative to ``now``, so a deadline that is "due in 12
hours" in the demo is due in 12 hours whenever the demo is opened, and the
snapshot tests (which pass a frozen clock) always see the same screen.
Order reports are generated with a fixed seed in the generic CSV format.
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
import struct
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import resources

from appealdesk.cases.model import (
    Case,
    EvidenceItem,
    HistoryEntry,
    Letter,
    LetterVersion,
    Notification,
    QuotedMetric,
    ReportFile,
    Status,
    Submission,
)
from appealdesk.cases.store import Store
from appealdesk.letter.counted import counted

GENERIC_HEADER = (
    "order_id,order_date,ship_by,shipped_at,promised_delivery,delivered_at,cancelled_at,"
    "cancelled_by,tracking_number,tracking_valid,carrier,sku,negative_feedback,claim,"
    "chargeback,returned_at,return_reason"
).split(",")


@dataclass
class OrderProfile:
    """How a demo store's orders look: volume and where its problems cluster."""

    id_format: str  # "amazon", "noon", "joom", "jd"
    days: int = 45
    per_day: int = 10
    carriers: tuple[str, ...] = ("UPS", "USPS", "FedEx")
    skus: tuple[str, ...] = ("SKU-LAMP-01", "SKU-MUG-02", "SKU-RUG-03", "SKU-VASE-04")
    late_carrier: str = ""
    late_days: tuple[int, int] = (0, 0)  # days before received: problem period (from, to)
    late_share: float = 0.0  # share of that carrier's orders shipped late in the period
    cancel_share: float = 0.0
    defect_share: float = 0.0
    seed: int = 7


@dataclass
class DemoCase:
    key: str
    marketplace: str
    store: str
    site: str
    type: str
    external_id: str
    received_ago: timedelta
    status: Status
    text_file: str
    profile: OrderProfile
    quoted: list[tuple[str, float, str]] = field(default_factory=list)
    letter_file: str = ""
    evidence_orders: int = 0  # how many cited orders get a tracking file
    submitted_ago: timedelta | None = None
    outcome: str | None = None


DEMO_CASES = (
    DemoCase(
        key="amazon_late", marketplace="amazon", store="Sunrise Home Goods", site="amazon.com",
        type="late_shipment", external_id="5839201744", received_ago=timedelta(days=2, hours=3),
        status=Status.IN_PROGRESS, text_file="amazon_late.txt",
        profile=OrderProfile("amazon", per_day=14, late_carrier="UPS", late_days=(9, 4),
                             late_share=0.6, seed=11),
        quoted=[("late_shipment_rate_10d", 0.068, "Late Shipment Rate is 6.8%")],
        letter_file="amazon_late_letter.md", evidence_orders=2,
    ),
    DemoCase(
        key="noon_late", marketplace="noon", store="Desert Bloom Trading", site="noon.sa",
        type="late_shipment", external_id="PERF-483920", received_ago=timedelta(hours=60),
        status=Status.NEW, text_file="noon_late.txt",
        profile=OrderProfile("noon", per_day=6, carriers=("Aramex", "SMSA", "noon Express"),
                             skus=("SKU-ABAYA-1", "SKU-OUD-2", "SKU-DATES-3"),
                             late_carrier="SMSA", late_days=(11, 6), late_share=0.5, seed=23),
        quoted=[("late_shipment_rate", 0.051, "Late Shipment Rate for the last 7 days is 5.1%")],
    ),
    DemoCase(
        key="joom_cancel", marketplace="joom", store="Maple Craft Store", site="",
        type="cancellation", external_id="JN-7731-0452", received_ago=timedelta(hours=30),
        status=Status.IN_PROGRESS, text_file="joom_cancel.txt",
        profile=OrderProfile("joom", days=110, per_day=12, carriers=("Joom Logistics", "Cainiao"),
                             skus=("SKU-YARN-7", "SKU-NEEDLE-8", "SKU-KIT-9"),
                             cancel_share=0.085, seed=31),
        quoted=[("cancellation_rate", 0.083, "cancellation rate ... is 8.3%")],
    ),
    DemoCase(
        key="jd_late", marketplace="jd", store="深圳优品旗舰店", site="",
        type="late_shipment", external_id="JDV-2026-118845",
        received_ago=timedelta(days=1, hours=5),
        status=Status.NEW, text_file="jd_late.txt",
        profile=OrderProfile("jd", days=70, per_day=15,
                             carriers=("京东物流", "顺丰速运", "中通快递"),
                             skus=("SKU-手机壳-01", "SKU-数据线-02", "SKU-耳机-03"),
                             late_carrier="中通快递", late_days=(50, 24), late_share=0.45, seed=41),
        quoted=[("late_shipment_rate_month", 0.112, "延迟发货率为 11.2%")],
    ),
    DemoCase(
        key="joom_submitted", marketplace="joom", store="Maple Craft Store", site="",
        type="fulfilment", external_id="JN-7729-8810", received_ago=timedelta(days=3),
        status=Status.SUBMITTED, text_file="joom_submitted.txt",
        profile=OrderProfile("joom", per_day=8, carriers=("Joom Logistics",),
                             skus=("SKU-YARN-7",), seed=53),
        letter_file="joom_fulfilment_letter.md",
        submitted_ago=timedelta(hours=20),
    ),
    DemoCase(
        key="amazon_late_2025", marketplace="amazon", store="Sunrise Home Goods",
        site="amazon.com", type="late_shipment", external_id="5790114420",
        received_ago=timedelta(days=130), status=Status.CLOSED, text_file="amazon_late.txt",
        profile=OrderProfile("amazon", per_day=8, late_carrier="USPS", late_days=(20, 12),
                             late_share=0.5, seed=61),
        letter_file="amazon_late_letter.md",
        submitted_ago=timedelta(days=127), outcome="approved",
    ),
)


def _order_id(fmt: str, rng: random.Random) -> str:
    if fmt == "amazon":
        head, middle, last = rng.randint(111, 114), rng.randint(0, 9999999), rng.randint(0, 9999999)
        return f"{head}-{middle:07d}-{last:07d}"
    if fmt == "noon":
        return f"NSA{rng.randint(10**9, 10**10 - 1)}"
    if fmt == "joom":
        return f"{rng.getrandbits(96):024x}"
    return str(rng.randint(2 * 10**11, 3 * 10**11 - 1))


def generate_orders(profile: OrderProfile, received: datetime) -> list[dict[str, str]]:
    """Orders for ``profile.days`` days before ``received``, in the generic CSV shape."""
    rng = random.Random(profile.seed)
    first_day = received.date() - timedelta(days=profile.days)
    rows = []
    for day_index in range(profile.days):
        day = first_day + timedelta(days=day_index)
        days_before = (received.date() - day).days
        for _ in range(profile.per_day):
            placed = datetime.combine(day, datetime.min.time()) + timedelta(
                minutes=rng.randint(6 * 60, 22 * 60))
            ship_by = (placed + timedelta(days=2)).date()
            carrier = rng.choice(profile.carriers)
            row = dict.fromkeys(GENERIC_HEADER, "")
            row.update(order_id=_order_id(profile.id_format, rng),
                       order_date=placed.isoformat(timespec="minutes"),
                       ship_by=ship_by.isoformat(), carrier=carrier, sku=rng.choice(profile.skus))
            if rng.random() < profile.cancel_share:
                row.update(cancelled_at=(placed + timedelta(hours=rng.randint(2, 30))).isoformat(
                    timespec="minutes"), cancelled_by="seller")
                rows.append(row)
                continue
            in_problem = profile.late_days[1] <= days_before + 2 <= profile.late_days[0]
            late = (carrier == profile.late_carrier and in_problem
                    and rng.random() < profile.late_share) or rng.random() < 0.005
            ship_day = ship_by + timedelta(days=rng.randint(1, 3)) if late else ship_by - timedelta(
                days=rng.randint(0, 1))
            shipped = datetime.combine(ship_day, datetime.min.time()) + timedelta(
                hours=rng.randint(9, 18))
            if shipped > received.replace(tzinfo=None):
                rows.append(row)  # not shipped yet
                continue
            promised = ship_by + timedelta(days=5)
            delivered = shipped.date() + timedelta(days=rng.randint(2, 6))
            row.update(shipped_at=shipped.isoformat(timespec="minutes"),
                       promised_delivery=promised.isoformat(),
                       tracking_number=f"TRK{rng.randint(10**9, 10**10 - 1)}",
                       tracking_valid="no" if rng.random() < 0.02 else "yes")
            if delivered <= received.date():
                row["delivered_at"] = delivered.isoformat()
            if rng.random() < profile.defect_share:
                row["negative_feedback"] = "yes"
            rows.append(row)
    return rows


def orders_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=GENERIC_HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def late_order_ids(rows: list[dict[str, str]], received: datetime,
                   profile: OrderProfile) -> list[str]:
    """Orders shipped late during the profile's problem period (what a notice cites)."""
    first = (received - timedelta(days=profile.late_days[0])).date().isoformat()
    last = (received - timedelta(days=profile.late_days[1])).date().isoformat()
    return [r["order_id"] for r in rows
            if r["shipped_at"] and r["shipped_at"][:10] > r["ship_by"]
            and first <= r["order_date"][:10] <= last]


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A plain one-colour PNG: enough to stand for a screenshot in the demo."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _tracking_pdf(order_id: str, carrier: str, shipped: str) -> bytes:
    from reportlab.lib.pagesizes import A4  # heavy; only when the demo is installed
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setFont("Helvetica", 12)
    pdf.drawString(72, 760, f"{carrier} shipment tracking")
    pdf.drawString(72, 740, f"Order {order_id}")
    pdf.drawString(72, 720, f"First carrier scan: {shipped}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _read(name: str) -> str:
    return resources.files("appealdesk.demo").joinpath(name).read_text("utf-8")


def install_demo(store: Store, now: datetime, operator: str = "demo") -> list[str]:
    """Write the demo cases into ``store``; returns their ids."""
    store.ensure()
    ids = []
    for spec in DEMO_CASES:
        received = (now - spec.received_ago).replace(second=0, microsecond=0)
        rows = generate_orders(spec.profile, received)
        late = late_order_ids(rows, received, spec.profile)
        template = _read(spec.text_file)
        slots = template.count("{cited_")
        cited = (late[-slots:] if late else [r["order_id"] for r in rows[:slots]]) if slots else []
        if spec.profile.cancel_share:  # cite cancellations inside Joom's day -24..-10 period
            period = (received - timedelta(days=22)).isoformat()[:10], (
                received - timedelta(days=12)).isoformat()[:10]
            cited = [r["order_id"] for r in rows if r["cancelled_by"]
                     and period[0] <= r["order_date"][:10] <= period[1]][-slots:]
        fill = {f"cited_{i + 1}": cited[i] if i < len(cited) else "" for i in range(5)}
        text = template.format(
            received_rfc=received.strftime("%a, %d %b %Y %H:%M:%S +0000"),
            received_zh=received.strftime("%Y年%m月%d日 %H:%M"),
            **fill,
        )
        case_id = f"{spec.marketplace}-{spec.external_id.lower()}"
        case = Case(
            id=case_id, marketplace=spec.marketplace, store=spec.store, site=spec.site,
            status=spec.status, created=received + timedelta(minutes=20),
            notification=Notification(
                type=spec.type, external_id=spec.external_id, received=received, text=text,
                cited_orders=[c for c in cited if c],
                quoted_metrics=[QuotedMetric(m, v, t) for m, v, t in spec.quoted],
            ),
            history=[HistoryEntry(at=received + timedelta(minutes=20), operator=operator,
                                  event="created", note="demo")],
        )
        store.create(case, operator)
        report = orders_csv(rows)
        store.write_file(case_id, "reports", "orders.csv", report)
        case.reports.append(ReportFile("orders.csv", "generic", len(rows), 0,
                                       received + timedelta(minutes=25)))
        for order_id in cited[: spec.evidence_orders]:
            data = _tracking_pdf(order_id, spec.profile.late_carrier or "Carrier", received.date()
                                 .isoformat())
            name = f"{case_id}_carrier_tracking_{order_id}.pdf"
            store.write_file(case_id, "evidence", name, data)
            case.evidence.append(EvidenceItem(
                name=name, original_name=f"tracking-{order_id}.pdf",
                requirement="carrier_tracking", orders=[order_id],
                sha256=hashlib.sha256(data).hexdigest(), size=len(data), kind="pdf", pages=1,
                added=received + timedelta(hours=2)))
        if spec.evidence_orders:
            png = _png(64, 40, (220, 220, 230))
            name = f"{case_id}_carrier_delay_1.png"
            store.write_file(case_id, "evidence", name, png)
            case.evidence.append(EvidenceItem(
                name=name, original_name="ups-delay-notice.png", requirement="carrier_delay",
                sha256=hashlib.sha256(png).hexdigest(), size=len(png), kind="png",
                width=64, height=40, added=received + timedelta(hours=3)))
        if spec.letter_file:
            late_days = sorted({r["ship_by"] for r in rows if r["order_id"] in late})
            draft = demo_letter(spec.letter_file, late_days, len(late),
                                store=spec.store, notification_id=spec.external_id)
            saved = received + timedelta(hours=5)
            case.letter = Letter(draft=draft, version=1, edited=True,
                                 versions=[LetterVersion(1, draft, saved, operator, "edited")])
        if spec.submitted_ago is not None:
            at = (now - spec.submitted_ago).replace(second=0, microsecond=0)
            sub = Submission(at=at, operator=operator, pdf=f"Appeal_{case_id}.pdf",
                             sha256="0" * 64, ticket=None,
                             letter_version=case.letter.version or None)
            if spec.outcome:
                sub.outcome, sub.outcome_at = spec.outcome, at + timedelta(hours=20)
            case.submissions.append(sub)
        store.save(case, operator)
        ids.append(case_id)
    return ids


def demo_letter(letter_file: str, late_days: list[str], late_count: int, *,
                store: str, notification_id: str) -> str:
    """A demo case's edited letter; ``{late_orders}`` is "1 order" / "12 orders"."""
    return _read(letter_file).format(
        cluster_start=_nice(late_days[0]) if late_days else "",
        cluster_end=_nice(late_days[-1]) if late_days else "",
        late_count=late_count, late_orders=counted(late_count, "orders"),
        store=store, notification_id=notification_id)


def _nice(iso_day: str) -> str:
    return date.fromisoformat(iso_day).strftime("%d %b")
