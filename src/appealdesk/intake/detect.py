"""Intake: pasted notification text -> a Detection -> a new Case.

Detection is driven by the policies (``[recognise]``, notification type
keywords, metric names), never by code per marketplace:

* marketplace: each policy scores 2 per distinct keyword found, 3 when one of
  its order-id patterns matches, 5 when its notification-id pattern matches;
  the highest score wins (ties go to the policy with more distinct evidence,
  then to the first by id). Nothing matched: ``"unknown"``.
* notification type: the type with most distinct keywords found (the subject
  counts twice); none found: ``"unknown"``.
* ids: the policy's notification-id patterns (group 1 if the pattern has a
  group); every order id of the policy's patterns, deduplicated, in order.
* quoted figures: a metric's name (English or Chinese, without a trailing
  "(10 days)") or a keyword of a single-metric type, followed on the same
  line within 40 characters by a percentage.
* stated deadline: "within 17 days", "within 5 business days", "you have 72
  hours", "48小时内", "3个工作日内", "by 2026-11-25", "截止日期：2026年11月25日".
  The earliest one wins. Relative ones count from the received time.
* store: "Store: X" / "Shop name: X" / "店铺：X" lines; then a store quoted as the
  subject of a Chinese sentence ("您的店铺【X】", "店铺“X”存在…", not a menu path
  like "店铺【商家后台】-【…】"); then "Dear X," (not a generic "Dear Seller"); then
  one set off by spaces ("您的店铺 X 在…", not a period or an id).
* received: ``Date:`` header (RFC 2822 or ISO 8601); subject: ``Subject:``.

Robustness: input is decoded as UTF-8 (then GB18030); text with NUL bytes or
mostly control characters is refused as binary. Only the first
``MAX_SCAN_BYTES`` (1 MB) is read: a 50 MB paste costs the same as a 1 MB one
and the case keeps those first 1 MB (the history says it was cut). Text is
normalised before scanning: CRLF, quoted-printable soft breaks and escapes,
HTML tags and entities, NFKC (full-width colons and digits become ASCII).
Every built-in regular expression is linear: no nested quantifiers.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import quopri
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from appealdesk.cases.model import Case, Notification, QuotedMetric, Status, make_case_id
from appealdesk.cases.store import CaseExists
from appealdesk.deadlines.windows import add_duration
from appealdesk.i18n import _
from appealdesk.policy.rules import Calendar, Duration, Policy

if TYPE_CHECKING:
    from appealdesk.cases.workspace import Workspace

UNKNOWN = "unknown"
MAX_SCAN_BYTES = 1_000_000
_UTC = ZoneInfo("UTC")


class IntakeError(ValueError):
    """Input that cannot become a case; the message is one line."""


class Duplicate(IntakeError):
    def __init__(self, case_id: str, marketplace: str, external_id: str | None):
        self.case_id = case_id
        if external_id:
            message = _("this notification ({marketplace} {id}) is already case {case_id}")
        else:
            message = _("this notification text is already case {case_id}")
        super().__init__(
            message.format(marketplace=marketplace, id=external_id, case_id=case_id)
        )


# --------------------------------------------------------------------------
# Decoding and normalising
# --------------------------------------------------------------------------


def decode_input(data: bytes, limit: int = MAX_SCAN_BYTES) -> tuple[str, bool]:
    """Bytes -> (text, truncated). Raises IntakeError for empty or binary input."""
    truncated = len(data) > limit
    head = data[:limit]
    if not head.strip():
        raise IntakeError(_("the input is empty: paste the notification text"))
    if b"\x00" in head[:65536]:
        raise IntakeError(_("the input looks binary (it has NUL bytes), not notification text"))
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            # final=not truncated: a character cut at the limit is dropped, not an error
            text = decoder.decode(head, final=not truncated)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise IntakeError(_("the input is not text in UTF-8 or GB18030"))
    check_text(text)
    return text, truncated


def check_text(text: str) -> None:
    """Refuse empty text and text that is mostly control characters."""
    if not text.strip():
        raise IntakeError(_("the input is empty: paste the notification text"))
    sample = text[:65536]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n\f\v")
    if "\x00" in sample or controls > max(8, len(sample) // 20):
        raise IntakeError(_("the input looks binary, not notification text"))


_QP_SOFT = re.compile(r"=\r?\n")
_QP_ESCAPE = re.compile(r"=[0-9A-F]{2}")
_HTML_HINT = re.compile(r"<(?:html|body|div|p|br|table|tr|td|span|font|a)\b", re.IGNORECASE)
_HTML_DROP = re.compile(r"<(script|style)\b[^>]*>[^<]*(?:<(?!/\1)[^<]*)*</\1\s*>", re.IGNORECASE)
_HTML_BREAK = re.compile(r"<(?:br|/p|/div|/tr|/li|/h[1-6]|/table)\b[^>]*>", re.IGNORECASE)
_HTML_CELL = re.compile(r"</t[dh]\s*>", re.IGNORECASE)
_HTML_TAG = re.compile(r"<[^<>]{0,2000}>")
_SPACES = re.compile(r"[ \t\u3000]+")
_BLANK_RUN = re.compile(r"\n{3,}")


def normalise(text: str) -> str:
    """The text as the detectors read it (the case keeps the original)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _QP_SOFT.search(text) or "quoted-printable" in text[:20000].lower():
        if _QP_SOFT.search(text) or len(_QP_ESCAPE.findall(text[:20000])) >= 3:
            raw = quopri.decodestring(text.encode("utf-8", "surrogatepass"))
            text = raw.decode("utf-8", "replace")
    if _HTML_HINT.search(text):
        text = _HTML_DROP.sub(" ", text)
        text = _HTML_BREAK.sub("\n", text)
        text = _HTML_CELL.sub(" ", text)
        text = _HTML_TAG.sub("", text)
        text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    # collapsing blank runs also keeps policy patterns with \s* cheap on padded text
    return _BLANK_RUN.sub("\n\n", "\n".join(lines))


# --------------------------------------------------------------------------
# What was found
# --------------------------------------------------------------------------


@dataclass
class StatedWindow:
    """A deadline the text states: relative (amount + unit) or absolute (at)."""

    text: str
    amount: float = 0
    unit: str = ""  # hours | calendar_days | business_days
    at: datetime | None = None

    def resolve(self, received: datetime, calendar: Calendar) -> datetime:
        if self.at is not None:
            return self.at
        return add_duration(received, Duration(self.amount, self.unit), calendar)


@dataclass
class Detection:
    marketplace: str = UNKNOWN
    scores: dict[str, int] = field(default_factory=dict)
    type: str = UNKNOWN
    external_id: str | None = None
    cited_orders: list[str] = field(default_factory=list)
    quoted_metrics: list[QuotedMetric] = field(default_factory=list)
    stated: list[StatedWindow] = field(default_factory=list)
    stated_deadline: datetime | None = None
    store: str = ""
    site: str = ""
    received: datetime | None = None
    received_from: str = ""  # "option" | "header" | "now"
    subject: str | None = None
    text: str = ""
    size: int = 0  # characters (or bytes) given, before the cap
    truncated: bool = False

    @property
    def unknowns(self) -> list[str]:
        """Fields the operator should fill in by hand."""
        missing = []
        if self.marketplace == UNKNOWN:
            missing.append("marketplace")
        if self.type == UNKNOWN:
            missing.append("type")
        if not self.external_id:
            missing.append("external_id")
        if not self.store:
            missing.append("store")
        return missing

    def to_dict(self) -> dict:
        return {
            "marketplace": self.marketplace,
            "scores": self.scores,
            "type": self.type,
            "external_id": self.external_id,
            "cited_orders": self.cited_orders,
            "quoted_metrics": [q.to_dict() for q in self.quoted_metrics],
            "stated_deadline": self.stated_deadline.isoformat() if self.stated_deadline else None,
            "stated_text": [s.text for s in self.stated],
            "store": self.store,
            "site": self.site,
            "received": self.received.isoformat() if self.received else None,
            "received_from": self.received_from,
            "subject": self.subject,
            "truncated": self.truncated,
            "unknowns": self.unknowns,
        }


# --------------------------------------------------------------------------
# Detectors
# --------------------------------------------------------------------------

_HEADER_DATE = re.compile(r"^(?:date|sent|日期|发送时间|時間|时间):[ ]?([^\n]{4,80})$",
                          re.IGNORECASE | re.MULTILINE)
_HEADER_SUBJECT = re.compile(r"^(?:subject|主题|主題|标题):[ ]?([^\n]{1,300})$",
                             re.IGNORECASE | re.MULTILINE)
_STORE_LINE = re.compile(
    r"^(?:store|store name|shop|shop name|seller|seller name|merchant|partner|店铺|店铺名称|店铺名|"
    r"商家名称|商家|卖家)[ ]?:[ ]?([^\n]{1,80})$",
    re.IGNORECASE | re.MULTILINE,
)
# A store named inside a Chinese sentence. Quoted or bracketed after 店铺, when
# the store is the subject ("您的店铺【X】", "店铺“X”存在…"), not a menu path
# ("店铺【商家后台】-【违规管理】", "店铺“设置”中"); or set off by spaces after
# 您的店铺 / 贵店铺 before the verb ("您的店铺 X 在…"), unless that is a period or id.
_OPEN, _CLOSE = "「『“\"【\\[", "」』”\"】\\]"
_VERB_ZH = "(?:在|于|因|已|被|存在|近期|过去|最近|本月|上月)"
_QUOTED = rf"[ ]?[{_OPEN}]([^{_CLOSE}\n]{{1,80}})[{_CLOSE}]"
_STORE_QUOTED_ZH = re.compile(
    rf"(?:(?:您的|贵)店铺(?:名称|名)?|店铺(?:名称|名)[ ]?[:：]?){_QUOTED}"
    rf"|店铺{_QUOTED}[ ]?{_VERB_ZH}")
_STORE_SPACED_ZH = re.compile(
    rf"(?:您的|贵)店铺[ ]+([^\n，。,；;：:]{{1,80}}?)[ ]+(?:{_VERB_ZH}|的)")
_NOT_A_STORE = re.compile(
    r"\d\s*(?:年|月|日|天|周|小时)|^(?:id|no\.?|编号|最近|过去|近期|本月|上月|本周)", re.IGNORECASE)
_DEAR = re.compile(r"^(?:dear|hello|hi|尊敬的)[ ]?([^\n,:!]{1,60})[,:!]",
                   re.IGNORECASE | re.MULTILINE)
_GENERIC_NAMES = frozenset(
    """seller sellers partner partners merchant merchants customer customers valued seller
    valued partner sir madam sir/madam team store owner user 商家 卖家 用户 客户 店主 合作伙伴
    valued merchant amazon seller noon partner joom merchant""".split()
)
_GENERIC_PHRASES = ("valued ", "seller", "partner", "merchant", "customer", "sir", "madam",
                    "商家", "卖家", "用户", "客户")
_GENERIC_ID = re.compile(
    r"(?:notification|case|reference|ticket|notice)[ ]?(?:id|no\.?|number|#)[ ]?[:#]?[ ]?"
    r"([A-Za-z0-9][A-Za-z0-9-]{3,40})",
    re.IGNORECASE,
)
_GENERIC_ID_ZH = re.compile(
    r"(?:通知编号|案件编号|违规编号|违规单号|工单号|编号)[ ]?:?[ ]?([A-Za-z0-9-]{4,40})"
)

_NUMBER = r"(\d{1,4}(?:\.\d+)?)"
_UNIT_EN = (r"(business days?|working days?|calendar days?|days?|hours?|hrs?)")
_STATED_EN = re.compile(
    r"(?:within|in the next|no later than|you have|you've got)[ ]?(?:the next )?" + _NUMBER
    + r"[ -]?" + _UNIT_EN + r"\b",
    re.IGNORECASE,
)
_STATED_ZH = re.compile(r"(?<!过去)(?<![过近\d.])(?:请于|请在|须在|需在|在)?" + _NUMBER
                        + r"[ ]?(个工作日|工作日|个小时|小时|天|日)内")
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_ABS_EN = re.compile(
    r"(?:by|before|no later than|deadline|due(?: date)?|respond by)[ ]?:?[ ]?(?:on[ ]?)?"
    r"(\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2})?"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.? \d{1,2},? \d{4})",
    re.IGNORECASE,
)
_ABS_ZH = re.compile(
    r"(?:截止|截至|之前|前)(?:日期|时间)?[ ]?:?[ ]?(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?"
    r"(?:[ ]?(\d{1,2}):(\d{2}))?"
)
_ABS_ZH_BEFORE = re.compile(r"(?:请于|须于|需于|于)[ ]?(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?"
                            r"(?:[ ]?(\d{1,2}):(\d{2}))?[ ]?(?:前|之前)")
_UNIT_MAP = {
    "business": "business_days", "working": "business_days", "calendar": "calendar_days",
    "day": "calendar_days", "days": "calendar_days", "hour": "hours", "hours": "hours",
    "hr": "hours", "hrs": "hours", "个工作日": "business_days", "工作日": "business_days",
    "个小时": "hours", "小时": "hours", "天": "calendar_days", "日": "calendar_days",
}
_WINDOW_DAYS = re.compile(r"(\d{1,3})[ -]?(?:days?|天|日)", re.IGNORECASE)


class _Keyword:
    """A keyword found with ``str.find`` on lower-cased text.

    A case-insensitive regex with ``\\b`` cannot use the engine's fast literal
    scan; ``find`` can, which keeps a 1 MB paste at milliseconds per keyword.
    ASCII words must stand alone ("noon" is not in "afternoon"); CJK text and
    fragments like "PERF-" match anywhere. A space in a keyword may be absent.
    """

    def __init__(self, word: str):
        word = unicodedata.normalize("NFKC", word).strip().lower()
        self.forms = {word, word.replace(" ", "")} if " " in word else {word}
        self.bounded = word.isascii() and word[:1].isalnum() and word[-1:].isalnum()

    def search(self, lower: str) -> bool:
        return any(self._find(lower, form) for form in self.forms)

    def _find(self, lower: str, form: str) -> bool:
        start = lower.find(form)
        while start >= 0:
            end = start + len(form)
            if not self.bounded or (
                (start == 0 or not _word_char(lower[start - 1]))
                and (end == len(lower) or not _word_char(lower[end]))
            ):
                return True
            start = lower.find(form, start + 1)
        return False


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


@dataclass
class _Compiled:
    keywords: list[_Keyword]
    notification_ids: list[re.Pattern]
    order_ids: list[re.Pattern]
    types: list[tuple[str, list[_Keyword]]]
    metric_names: list[tuple[str, re.Pattern, list[str]]]  # (first word, pattern, metric ids)
    sites: list[tuple[str, _Keyword]]


_compiled: dict[int, tuple[Policy, _Compiled]] = {}




_PAREN_TAIL = re.compile(r"[ ]?\([^()]*\)$")


def _base_name(name: str) -> str:
    name = unicodedata.normalize("NFKC", name).strip()
    return _PAREN_TAIL.sub("", name).strip()


def _compile(policy: Policy) -> _Compiled:
    cached = _compiled.get(id(policy))
    if cached and cached[0] is policy:
        return cached[1]
    names: dict[str, list[str]] = {}
    for metric in policy.metrics:
        for name in (metric.name, metric.name_zh):
            if name:
                names.setdefault(_base_name(name).lower(), []).append(metric.id)
    for ntype in policy.notification_types:
        if len(ntype.metrics) == 1:
            for word in ntype.keywords:
                key = unicodedata.normalize("NFKC", word).lower().strip()
                if key and key not in names:
                    names[key] = list(ntype.metrics)
    metric_names = []
    # longest first so "late shipment rate" claims a figure before "late shipment"
    for key in sorted(names, key=len, reverse=True):
        body = re.escape(key).replace(r"\ ", r"[ ]?")
        # the gap may hold digits ("for the last 7 days is 5.1%") but not a line break
        pattern = re.compile(body + r"[^\n%]{0,40}?(?<![\d.])" + _NUMBER + r"[ ]?%",
                             re.IGNORECASE)
        metric_names.append((key.split(" ")[0], pattern, names[key]))
    compiled = _Compiled(
        keywords=[_Keyword(k) for k in policy.recognise.keywords if k.strip()],
        notification_ids=[re.compile(p) for p in policy.recognise.notification_id_patterns],
        order_ids=[re.compile(p) for p in policy.recognise.order_id_patterns],
        types=[
            (t.id, [_Keyword(k) for k in t.keywords if k.strip()])
            for t in policy.notification_types
        ],
        metric_names=metric_names,
        sites=[(s.id, _Keyword(s.id)) for s in policy.sites],
    )
    _compiled[id(policy)] = (policy, compiled)
    return compiled


def _group(match: re.Match) -> str:
    if match.re.groups:
        for value in match.groups():
            if value:
                return value.strip()
    return match.group(0).strip()


def _score(policy: Policy, text: str, lower: str) -> tuple[int, int]:
    """(score, distinct signals) of ``policy`` for ``text``."""
    c = _compile(policy)
    keywords = sum(1 for k in c.keywords if k.search(lower))
    orders = any(p.search(text) for p in c.order_ids)
    ids = any(p.search(text) for p in c.notification_ids)
    score = 2 * keywords + (3 if orders else 0) + (5 if ids else 0)
    return score, keywords + int(orders) + int(ids)


def detect_marketplace(text: str, policies: list[Policy]) -> tuple[str, dict[str, int]]:
    scores: dict[str, int] = {}
    best: tuple[int, int, str] | None = None
    lower = text.lower()
    for policy in sorted(policies, key=lambda p: p.id):
        score, signals = _score(policy, text, lower)
        if score:
            scores[policy.id] = score
            key = (score, signals, policy.id)
            if best is None or (key[0], key[1]) > (best[0], best[1]):
                best = key
    return (best[2] if best else UNKNOWN), scores


def detect_type(text: str, policy: Policy, quoted: list[QuotedMetric] | None = None) -> str:
    """The type with most keywords found (the subject is part of the text)."""
    best, best_score = UNKNOWN, 0
    quoted_ids = {q.metric for q in quoted or ()}
    types = {t.id: t for t in policy.notification_types}
    lower = text.lower()
    for type_id, keywords in _compile(policy).types:
        score = sum(1 for k in keywords if k.search(lower))
        # a quoted figure is strong evidence; more so for a type that watches only that metric
        watched = types[type_id].metrics
        score += len(quoted_ids & set(watched)) * (2 if len(watched) == 1 else 1)
        if score > best_score:
            best, best_score = type_id, score
    return best


def detect_external_id(text: str, policy: Policy | None) -> str | None:
    patterns = _compile(policy).notification_ids if policy else []
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return _group(match)[:80]
    if policy is None:  # no policy to trust: a labelled id is still worth keeping
        for pattern in (_GENERIC_ID, _GENERIC_ID_ZH):
            match = pattern.search(text)
            if match and any(ch.isdigit() for ch in match.group(1)):
                return match.group(1)[:80]
    return None


def detect_orders(text: str, policy: Policy | None, exclude: str | None = None) -> list[str]:
    if policy is None:
        return []
    seen: dict[str, int] = {}
    for pattern in _compile(policy).order_ids:
        for match in pattern.finditer(text):
            value = _group(match)
            # an order-id pattern can match inside the notification id (JD 违约单号 WY2026...)
            if value and value not in seen and not (exclude and value in exclude):
                seen[value] = match.start()
    return sorted(seen, key=seen.__getitem__)


def detect_metrics(text: str, policy: Policy | None) -> list[QuotedMetric]:
    if policy is None:
        return []
    found: list[tuple[int, QuotedMetric]] = []
    taken: list[tuple[int, int]] = []  # spans of figures already assigned
    metric_ids: set[str] = set()
    lower = text.lower()
    for first_word, pattern, candidates in _compile(policy).metric_names:
        if first_word not in lower:
            continue  # the regex scan costs far more than this check
        for match in pattern.finditer(text):
            span = match.span(1)
            if any(a <= span[0] < b for a, b in taken):
                continue
            metric_id = _pick_metric(policy, candidates, text, match)
            if metric_id in metric_ids:
                continue
            taken.append(span)
            metric_ids.add(metric_id)
            value = round(float(match.group(1)) / 100, 6)
            found.append((match.start(), QuotedMetric(metric_id, value, match.group(0).strip())))
    found.sort(key=lambda item: item[0])
    return [q for _pos, q in found]


def _pick_metric(policy: Policy, candidates: list[str], text: str, match: re.Match) -> str:
    """Of metrics sharing a name, the one whose window the line mentions, else the first."""
    if len(candidates) == 1:
        return candidates[0]
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    line = text[line_start: line_end if line_end >= 0 else len(text)]
    days = {int(d) for d in _WINDOW_DAYS.findall(line)}
    for metric_id in candidates:
        metric = policy.metric(metric_id)
        if metric and metric.window.days in days:
            return metric_id
    return candidates[0]


_STATED_EN_HINTS = ("within", "in the next", "no later", "you have", "you've got")
_ABS_EN_HINTS = ("by", "before", "no later", "deadline", "due")
_MAX_STATED = 50  # a notice states one or two; a page of them is not a notice


def detect_stated(text: str, zone: ZoneInfo) -> list[StatedWindow]:
    found: list[StatedWindow] = []
    lower = text.lower()
    # each pattern runs only when its leading words occur: most texts skip most scans
    english = any(h in lower for h in _STATED_EN_HINTS)
    absolute = any(h in lower for h in _ABS_EN_HINTS)
    chinese = "内" in text
    chinese_date = any(h in text for h in ("截止", "截至", "前"))
    for match in _STATED_EN.finditer(text) if english else ():
        if len(found) >= _MAX_STATED:
            break
        unit_word = match.group(2).lower().split()[0]
        unit = _UNIT_MAP.get(unit_word, _UNIT_MAP.get(unit_word.rstrip("s"), "calendar_days"))
        amount = float(match.group(1))
        if amount > 0:
            found.append(StatedWindow(match.group(0), amount, unit))
    for match in _STATED_ZH.finditer(text) if chinese else ():
        if len(found) >= _MAX_STATED:
            break
        amount = float(match.group(1))
        if amount > 0:
            found.append(StatedWindow(match.group(0), amount, _UNIT_MAP[match.group(2)]))
    for match in _ABS_EN.finditer(text) if absolute else ():
        if len(found) >= _MAX_STATED:
            break
        at = _parse_en_date(match.group(1), zone)
        if at:
            found.append(StatedWindow(match.group(0), at=at))
    for pattern in (_ABS_ZH, _ABS_ZH_BEFORE) if chinese_date else ():
        for match in pattern.finditer(text):
            if len(found) >= _MAX_STATED:
                break
            at = _zh_date(match, zone)
            if at:
                found.append(StatedWindow(match.group(0), at=at))
    return found


def _end_of_day(year: int, month: int, day: int, zone: ZoneInfo) -> datetime:
    # "by 25 November": the whole of that day, in the marketplace's zone
    return datetime(year, month, day, 23, 59, tzinfo=zone)


def _parse_en_date(value: str, zone: ZoneInfo) -> datetime | None:
    value = value.strip()
    try:
        if value[:1].isdigit():
            if len(value) > 10:
                parsed = datetime.fromisoformat(value.replace(" ", "T").rjust(16, "0"))
                return parsed.replace(tzinfo=zone)
            parts = [int(p) for p in value.split("-")]
            return _end_of_day(parts[0], parts[1], parts[2], zone)
        words = value.replace(",", " ").replace(".", " ").split()
        month = _MONTHS.index(words[0][:3].lower()) + 1
        return _end_of_day(int(words[2]), month, int(words[1]), zone)
    except (ValueError, IndexError):
        return None


def _zh_date(match: re.Match, zone: ZoneInfo) -> datetime | None:
    try:
        year, month, day = (int(match.group(i)) for i in (1, 2, 3))
        if match.group(4):
            return datetime(year, month, day, int(match.group(4)), int(match.group(5)), tzinfo=zone)
        return _end_of_day(year, month, day, zone)
    except ValueError:
        return None


def detect_store(text: str) -> str:
    """The first of: a store line, a store named as the subject of a Chinese
    sentence, a non-generic greeting, a store set off by spaces in a sentence."""
    match = _STORE_LINE.search(text)
    if match:
        return match.group(1).strip()[:80]
    name = _store_in_sentence(_STORE_QUOTED_ZH, text)
    if name:
        return name
    match = _DEAR.search(text)
    if match:
        name = match.group(1).strip()
        lowered = name.lower()
        if lowered not in _GENERIC_NAMES and not any(w in lowered for w in _GENERIC_PHRASES):
            return name[:80]
    return _store_in_sentence(_STORE_SPACED_ZH, text)


def _store_in_sentence(pattern: re.Pattern, text: str) -> str:
    for match in pattern.finditer(text):
        name = next((g for g in match.groups() if g), "").strip()
        if name and not _NOT_A_STORE.search(name):
            return name[:80]
    return ""


def _parse_naive(value: str) -> datetime | None:
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("/", "-"))
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def _without_site(store: str, site: str) -> str:
    """ "Desert Bloom (noon.sa)" -> "Desert Bloom": the site is kept in its own field."""
    if site and store.lower().endswith(f"({site.lower()})"):
        return store[: -len(site) - 2].strip()
    return store


def parse_when(value: str, zone: ZoneInfo) -> datetime | None:
    """An ISO 8601 or RFC 2822 time; naive times are read in ``zone``."""
    parsed = _parse_naive(value)
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed


# --------------------------------------------------------------------------
# Putting it together
# --------------------------------------------------------------------------


def detect(
    text: str,
    policies: list[Policy],
    *,
    platform: str | None = None,
    store: str | None = None,
    received: datetime | None = None,
    now: datetime | None = None,
    truncated: bool = False,
) -> Detection:
    """Read ``text`` (already decoded) and say what it is. Raises IntakeError."""
    size = len(text)
    if len(text) > MAX_SCAN_BYTES:
        text, truncated = text[:MAX_SCAN_BYTES], True
    check_text(text)
    clean = normalise(text)
    by_id = {p.id: p for p in policies}
    scores: dict[str, int]
    if platform:
        if platform != UNKNOWN and platform not in by_id:
            known = ", ".join(sorted(by_id)) or "-"
            raise IntakeError(
                _("unknown marketplace {id}; known: {known}").format(id=platform, known=known)
            )
        marketplace, scores = platform, {}
    else:
        marketplace, scores = detect_marketplace(clean, policies)
    policy = by_id.get(marketplace)

    subject_match = _HEADER_SUBJECT.search(clean)
    subject = subject_match.group(1).strip() if subject_match else None
    site = ""
    if policy:
        lower = clean.lower()
        site = next((sid for sid, k in _compile(policy).sites if k.search(lower)), "")
    calendar = policy.calendar_for(site or None) if policy else None
    zone = calendar.zone if calendar else _UTC

    received_from = "option" if received else ""
    if received is not None and received.tzinfo is None:
        received = received.replace(tzinfo=zone)  # a bare --received is marketplace time
    if received is None:
        for date_match in _HEADER_DATE.finditer(clean[:20000]):
            received = parse_when(date_match.group(1), zone)
            if received is not None:
                received_from = "header"
                break
    if received is None:
        received = now
        received_from = "now" if now else ""

    external_id = detect_external_id(clean, policy)
    quoted = detect_metrics(clean, policy)
    detection = Detection(
        marketplace=marketplace,
        scores=scores,
        type=detect_type(clean, policy, quoted) if policy else UNKNOWN,
        external_id=external_id,
        cited_orders=detect_orders(clean, policy, external_id),
        quoted_metrics=quoted,
        stated=detect_stated(clean, zone),
        store=store or _without_site(detect_store(clean), site),
        site=site,
        received=received,
        received_from=received_from,
        subject=subject[:300] if subject else None,
        text=text,
        size=size,
        truncated=truncated,
    )
    detection.stated_deadline = resolve_stated(detection, calendar)
    return detection


def resolve_stated(detection: Detection, calendar: Calendar | None) -> datetime | None:
    """The earliest stated deadline, counted from the received time."""
    calendar = calendar or Calendar("UTC", ("sat", "sun"), None)
    moments = []
    for stated in detection.stated:
        if stated.at is None and detection.received is None:
            continue
        try:
            moments.append(stated.resolve(detection.received, calendar))  # type: ignore[arg-type]
        except (ValueError, OverflowError):
            continue
    if detection.received is not None:
        # "by 2020-01-01" in a notice received in 2026 is a quoted date, not a deadline
        floor = detection.received - timedelta(days=1)
        moments = [m for m in moments if m >= floor]
    return min(moments) if moments else None


def text_digest(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def find_duplicate(cases: list[Case], detection: Detection) -> Case | None:
    """A case that already holds this notification (same marketplace and id, or same text)."""
    digest = None
    for case in cases:
        if case.marketplace != detection.marketplace:
            continue
        if detection.external_id:
            other = case.notification.external_id
            if other and other.casefold() == detection.external_id.casefold():
                return case
            continue
        if not case.notification.external_id and case.notification.text:
            digest = digest or text_digest(detection.text)
            if text_digest(case.notification.text) == digest:
                return case
    return None


def build_case(detection: Detection, case_id: str, *, operator: str, now: datetime) -> Case:
    received = detection.received or now
    notification = Notification(
        type=detection.type,
        external_id=detection.external_id,
        received=received,
        text=detection.text,
        cited_orders=list(detection.cited_orders),
        quoted_metrics=list(detection.quoted_metrics),
        stated_deadline=detection.stated_deadline,
        subject=detection.subject,
    )
    case = Case(
        id=case_id,
        marketplace=detection.marketplace,
        store=detection.store,
        site=detection.site,
        status=Status.NEW,
        created=now,
        notification=notification,
    )
    note = _("intake: {marketplace}, {type}, {orders} cited orders").format(
        marketplace=detection.marketplace, type=detection.type,
        orders=len(detection.cited_orders),
    )
    if detection.truncated:
        note += "; " + _("text cut to the first {limit} of {size} characters").format(
            limit=MAX_SCAN_BYTES, size=detection.size
        )
    case.log("created", operator=operator, at=now, note=note)
    return case


def create_case(workspace: Workspace, detection: Detection) -> Case:
    """Store a case for ``detection``; raises Duplicate when it is already held."""
    now = workspace.now()
    if detection.received is None:
        detection.received = now
        detection.received_from = "now"
    existing = find_duplicate(workspace.store.load_all().cases, detection)
    if existing is not None:
        raise Duplicate(existing.id, detection.marketplace, detection.external_id)
    base = make_case_id(detection.marketplace, detection.external_id, detection.received)
    for n in range(1, 1000):
        case_id = base if n == 1 else f"{base}-{n}"
        if workspace.store.exists(case_id):
            continue
        case = build_case(detection, case_id, operator=workspace.operator, now=now)
        try:
            return workspace.store.create(case, workspace.operator)
        except CaseExists:
            continue  # another operator took the id a moment ago: try the next one
    raise IntakeError(_("no free case id for {base}").format(base=base))


def create_case_from_text(
    workspace: Workspace,
    text: str | bytes,
    platform: str | None = None,
    store: str | None = None,
    received: datetime | None = None,
) -> Case:
    """Detect and store in one step (the CLI's ``appealdesk intake``)."""
    truncated = False
    size = len(text)
    if isinstance(text, bytes):
        text, truncated = decode_input(text)
    detection = detect(
        text, list(workspace.policies), platform=platform, store=store,
        received=received, now=workspace.now(), truncated=truncated,
    )
    detection.size = max(detection.size, size)
    return create_case(workspace, detection)


def received_from_option(value: str) -> datetime:
    """``--received`` parsed; a naive time stays naive and is read in the marketplace's zone."""
    parsed = _parse_naive(value)
    if parsed is None:
        raise IntakeError(
            _("not a time: {value!r} (use ISO 8601, e.g. 2026-11-20T09:30+03:00)").format(
                value=value
            )
        )
    return parsed


__all__ = [
    "Detection",
    "Duplicate",
    "IntakeError",
    "MAX_SCAN_BYTES",
    "StatedWindow",
    "UNKNOWN",
    "create_case",
    "create_case_from_text",
    "decode_input",
    "detect",
    "normalise",
    "received_from_option",
]
