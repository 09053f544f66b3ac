"""E-mail headers of a pasted notice: subject, senders and when it was received.

The received time is the notice's own date, read from (in the text):

* the e-mail's header lines: ``Date:``, Outlook's ``Sent:``, Chinese clients'
  ``发件时间：`` / ``发送时间：`` / ``日期：``;
* the date line of a forwarded or quoted block: Gmail's
  ``---------- Forwarded message ---------`` with its ``Date:`` line and its
  ``On Sun, Jun 1, 2014 at 8:29 AM ... wrote:``, Apple Mail's ``Begin forwarded
  message:`` with ``Date:``, Outlook's ``-----Original Message-----`` with
  ``Sent:``, Chinese clients' ``在 2014年6月1日 上午8:29，… 写道：``.

Every date found is a moment the notice already existed, so the earliest is
the notice's own: a forward never moves the received time later than the
forward's date (a later time would promise more time than there is). A zone the
date names is read: an offset (``+0800``, ``GMT+8``) or a name (``CET``, ``PST``,
``(北京时间)``: zone_names; ``CST``, China or US Central: the earlier moment). A date
without one (Gmail's quote line) is read in the marketplace's zone.
Nothing found: ``None`` — the caller says so and asks, never "now".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

from appealdesk.i18n import _
from appealdesk.intake.text import IntakeError
from appealdesk.intake.zone_names import zones_named

_SCAN = 40_000  # headers and forwarded blocks sit at the top; a 1 MB body is not read for them

_HEADER_DATE = re.compile(
    r"^[>| ]*(?:date|sent|日期|发送时间|发件时间|發送時間|寄件日期|发送日期|通知时间|通知日期|"
    r"送信日时|日时)"
    r"[ ]?:[ ]?([^\n]{4,80})$",
    re.IGNORECASE | re.MULTILINE)
_HEADER_SUBJECT = re.compile(r"^(?:subject|主题|主題|主旨|标题|標題|件名)[ ]?:[ ]?([^\n]{1,300})$",
                             re.IGNORECASE | re.MULTILINE)
_HEADER_FROM = re.compile(r"^[>| ]*(?:from|发件人|寄件者|寄件人|差出人)[ ]?:[ ]?([^\n]{1,300})$",
                          re.IGNORECASE | re.MULTILINE)
_QUOTE_EN = re.compile(r"^[>| ]*on ([^\n]{6,200}?) wrote:$", re.IGNORECASE | re.MULTILINE)
_QUOTE_ZH = re.compile(r"^[>| ]*在 ?([^\n，,]{6,60})[，,][^\n]{0,200}?写道[:：]?$", re.MULTILINE)
# Outlook's forward and reply may carry no marker line, only its header block ("From: …"
# then "Sent: …"): the block's start is the mark, unless it opens the text (the message's
# own headers, copied from Outlook)
_FORWARD_MARK = re.compile(
    r"forwarded message|begin forwarded message|original message|转发的邮件|原始邮件|"
    r"转发邮件|^[>| ]*on [^\n]{6,200}? wrote:$|写道[:：]?$"
    r"|(?<=\n)(?=[>| ]*(?:from|发件人): ?[^\n]{1,300}\n[>| ]*(?:sent|发送时间): )",
    re.IGNORECASE | re.MULTILINE)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,6})")

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6}\.?,? )?"
_TIME = r"(?:,? (?:at )?(\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([ap]\.?m\.?))?)?"
_TAIL = r"(?: ?(?:[A-Z]{2,5}|[+-]\d{2}:?\d{2}|GMT[+-]\d{1,2}|\([^()]{1,40}\)))?$"
# "Sun, Jun 1, 2014 at 8:29 AM", "Monday, June 2, 2014 10:15 AM"
_EN_MDY = re.compile(_WEEKDAY + r"([a-z]{3,9})\.? (\d{1,2}),? (\d{4})" + _TIME + _TAIL,
                     re.IGNORECASE)
# "1 June 2014 at 08:29:00 BST", "Sun, 1 Jun 2014 08:29", "22-Nov-2026 09:15"
_EN_DMY = re.compile(_WEEKDAY + r"(\d{1,2})[ -]([a-z]{3,9})\.?[ -](\d{4})" + _TIME + _TAIL,
                     re.IGNORECASE)
# "2014年6月1日 上午8:29", "2014年6月1日(星期日) 20:29", "2014/6/1 8:29"
_ZH = re.compile(r"(\d{4})[年/.-](\d{1,2})[月/.-](\d{1,2})日?"
                 r"(?: ?[(（]?(?:星期|周)[一二三四五六日天][)）]?)?"
                 r"(?: ?(上午|下午|晚上|中午|凌晨)? ?(\d{1,2})[:：](\d{2})(?:[:：]\d{2})?)?"
                 r"(?: ?(?:[+-]\d{2}:?\d{2}|GMT[+-]\d{1,2}|\([^()]{1,40}\)|[A-Z]{2,5}))?$")
# "11/25/2026 9:14 AM", "25/11/26 09:14": read only when a part over 12 shows the order
_NUMERIC = re.compile(_WEEKDAY + r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})" + _TIME + _TAIL,
                      re.IGNORECASE)
_OFFSET_TAIL = re.compile(
    r"(?:(?:GMT|UTC) ?([+-])(\d{1,2})(?::?(\d{2}))?| ([+-])(\d{2}):?(\d{2}))$")


@dataclass(frozen=True)
class DateLine:
    """A date found in the text: when, the line it came from, and where."""

    at: datetime
    text: str
    where: str  # "header" (the e-mail's own) | "forwarded" (a forwarded or quoted block)


def subject(text: str) -> str | None:
    match = _HEADER_SUBJECT.search(text[:_SCAN])
    return match.group(1).strip()[:300] if match else None


def sender_domains(text: str) -> list[str]:
    """Domains of the ``From:`` addresses, in order (``amazon.co.uk``)."""
    found: list[str] = []
    for line in _HEADER_FROM.finditer(text[:_SCAN]):
        for email in _EMAIL.finditer(line.group(1)):
            domain = email.group(1).lower()
            if domain not in found:
                found.append(domain)
    return found


_FORWARDED_HEAD = 1200  # a forwarded block's header lines follow its marker closely


def notice_start(text: str, domains: list[str]) -> int:
    """Where the marketplace's own message starts: the forward marker whose block is
    ``From:`` one of ``domains``; 0 when no such block follows a marker. What is above it
    is the forwarder's note ("求助！我的订单缺陷率才0.8%…"), not the notice."""
    if not domains:
        return 0
    head = text[:_SCAN]
    for marker in _FORWARD_MARK.finditer(head):
        block = head[marker.end():marker.end() + _FORWARDED_HEAD]
        sender = _HEADER_FROM.search(block)
        if sender is None:
            continue
        for email in _EMAIL.finditer(sender.group(1)):
            domain = email.group(1).lower()
            if any(domain == d or domain.endswith("." + d) for d in domains):
                return marker.start()
    return 0


def date_lines(text: str, zone: ZoneInfo) -> list[DateLine]:
    """Every date line of the headers and forwarded blocks, in text order."""
    head = text[:_SCAN]
    marker = _FORWARD_MARK.search(head)
    block_start = marker.start() if marker else len(head)
    found: list[tuple[int, DateLine]] = []
    for pattern in (_HEADER_DATE, _QUOTE_EN, _QUOTE_ZH):
        for match in pattern.finditer(head):
            at = parse_mail_date(match.group(1), zone)
            if at is None and pattern is _QUOTE_EN:
                at = _date_in_quote(match.group(1), zone)
            if at is None:
                continue
            own = pattern is _HEADER_DATE and match.start() < block_start
            where = "header" if own else "forwarded"
            found.append((match.start(), DateLine(at, match.group(0).strip(), where)))
    found.sort(key=lambda item: item[0])
    return [line for _pos, line in found]


def received_from_text(text: str, zone: ZoneInfo) -> DateLine | None:
    """The notice's own date: the earliest date line (see the module docstring)."""
    lines = date_lines(text, zone)
    return min(lines, key=lambda line: line.at) if lines else None


def _date_in_quote(value: str, zone: ZoneInfo) -> datetime | None:
    """ "Sun, Jun 1, 2014 at 8:29 AM Amazon <a@b>" -> the date at its start."""
    words = value.split(" ")
    for end in range(min(len(words), 9), 2, -1):
        at = parse_mail_date(" ".join(words[:end]), zone)
        if at is not None:
            return at
    return None


def parse_mail_date(value: str, zone: ZoneInfo) -> datetime | None:
    """An e-mail client's date (RFC 2822, ISO 8601, English long form, Chinese); naive
    ones are read in ``zone``. None when ``value`` is not a date and only a date."""
    value = value.strip().rstrip(".")
    # the strict forms first: the RFC 2822 parser reads "12:00 AM" as noon
    parsed = _parse_iso(value) or _parse_long(value) or _parse_naive(value)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed


def _parse_long(value: str) -> datetime | None:
    for pattern, order in ((_EN_MDY, "mdy"), (_EN_DMY, "dmy")):
        match = pattern.fullmatch(value)
        if not match:
            continue
        if order == "mdy":
            month_word, day, year = match.group(1), match.group(2), match.group(3)
        else:
            day, month_word, year = match.group(1), match.group(2), match.group(3)
        if month_word[:3].lower() not in _MONTHS:
            return None
        month = _MONTHS.index(month_word[:3].lower()) + 1
        hour, minute = _clock(match.group(4), match.group(5), match.group(7))
        return _build(int(year), month, int(day), hour, minute, _zone_of(value),
                      int(match.group(6) or 0))
    match = _NUMERIC.fullmatch(value)
    if match:
        a, b, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if (a > 12) == (b > 12):  # 03/11/2026: 3 November or March 11 — not ours to guess
            return None
        month, day = (b, a) if a > 12 else (a, b)
        hour, minute = _clock(match.group(4), match.group(5), match.group(7))
        return _build(year + 2000 if year < 100 else year, month, day, hour, minute,
                      _zone_of(value), int(match.group(6) or 0))
    match = _ZH.fullmatch(value)
    if match:
        year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
        hour = int(match.group(5)) if match.group(5) else 0
        minute = int(match.group(6)) if match.group(6) else 0
        if match.group(4) in ("下午", "晚上") and hour < 12:
            hour += 12
        if match.group(4) == "中午" and hour < 11:
            hour += 12
        return _build(year, month, day, hour, minute, _zone_of(value))
    return None


def _clock(hour: str | None, minute: str | None, half: str | None) -> tuple[int, int]:
    if not hour:
        return 0, 0
    h, m = int(hour), int(minute or 0)
    if half:
        pm = half.lower().startswith("p")
        h = (h % 12) + (12 if pm else 0)
    return h, m


def _zone_of(value: str) -> tzinfo | None:
    """The zone at the end of the value: a numeric offset (``+0800``, ``GMT+8``) or a name
    (``CET``, ``PST``, ``(北京时间)``; intake.zone_names). A name meaning two zones (``CST``)
    is read as the one whose moment comes first: the earlier received time, the earlier
    deadline. None: the value names no zone."""
    match = _OFFSET_TAIL.search(value.strip("() "))
    if not match:
        words = value.split()
        zones: tuple[tzinfo, ...] = ()
        for count in (3, 2, 1):  # "(Pacific Standard Time)", "CET", "(北京时间)"
            zones = zones or zones_named(" ".join(words[-count:]).strip("()"))
        moment = datetime(2000, 1, 1)
        return max(zones, key=lambda z: z.utcoffset(moment) or timedelta(0), default=None)
    sign_text, hours_text, minutes_text = (
        match.groups()[:3] if match.group(1) else match.groups()[3:])
    sign = -1 if sign_text == "-" else 1
    hours, minutes = int(hours_text), int(minutes_text or 0)
    if hours > 14:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _build(year: int, month: int, day: int, hour: int, minute: int,
           tz: tzinfo | None, second: int = 0) -> datetime | None:
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError:
        return None


def _parse_iso(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip().replace("/", "-"))
    except ValueError:
        return None


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


def parse_when(value: str, zone: ZoneInfo) -> datetime | None:
    """An ISO 8601, RFC 2822 or e-mail client time; naive times are read in ``zone``."""
    return parse_mail_date(value, zone)


def received_from_option(value: str) -> datetime:
    """``--received`` parsed; a naive time stays naive and is read in the marketplace's zone."""
    parsed = _parse_iso(value) or _parse_long(value.strip()) or _parse_naive(value)
    if parsed is None:
        raise IntakeError(
            _("not a time: {value!r} (use ISO 8601, e.g. 2026-11-20T09:30+03:00)").format(
                value=value
            )
        )
    return parsed
