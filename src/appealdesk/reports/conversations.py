"""Buyer conversations: read a messages export (helpdesk or marketplace CSV) into one table.

One row per buyer message (or conversation): when it arrived, when a human
first answered, whether it needed an answer, whether the answer was automatic,
whether it was spam or harassment, the channel, the order and the agent.
The fields are ``policy.types.MESSAGE_FIELDS``; a file's headers are matched to
them through the policy's ``[message_columns]`` (``field = [header, ...]``,
tried in order, any case) or the field names themselves.

Reading rules:

* encoding: UTF-8 (with or without BOM), else GB18030; delimiter: whichever of
  ``,`` tab ``;`` the header line has most of;
* date-times: ISO 8601 (``2026-10-01 09:30``, ``2026-10-01T09:30:00+08:00``,
  ``...Z``), also with ``/`` (``2026/10/1 9:30``). One without an offset is
  local time in the policy's time zone. The result is always aware;
* ``replied_at`` empty: no human reply (yet);
* ``response_needed``: yes/no, y/n, true/false, 1/0, 是/否, and "no response
  needed" / "无需回复" (= no); empty = needed (the marketplace counts it);
* ``automatic`` and ``spam``: the same booleans; empty = no.

A row that cannot be read goes to ``bad_rows`` (line number, reason) and is not
counted. A file without a header AppealDesk can use raises ``MessagesError``.
Which fields the file has is kept in ``present``: a metric that needs a field
the file lacks reports ``no_data`` naming it, never a rate computed without it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from appealdesk.i18n import _
from appealdesk.policy.types import MESSAGE_FIELDS, Policy

_TRUE = frozenset({"yes", "y", "true", "1", "是", "x"})
_FALSE = frozenset({"no", "n", "false", "0", "否", ""})
_NOT_NEEDED = frozenset({"no response needed", "no reply needed", "not needed", "无需回复",
                         "不需要回复"})
_LOOSE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


class MessagesError(Exception):
    """A file that is not a usable messages export (one line, no traceback)."""


@dataclass
class MessageTable:
    """Column-wise messages; ``received``/``replied`` are POSIX seconds (None: no reply)."""

    ids: list[str] = field(default_factory=list)
    received: list[float] = field(default_factory=list)
    replied: list[float | None] = field(default_factory=list)
    needed: list[bool] = field(default_factory=list)
    automatic: list[bool] = field(default_factory=list)
    spam: list[bool] = field(default_factory=list)
    channel: list[str] = field(default_factory=list)
    order_id: list[str] = field(default_factory=list)
    agent: list[str] = field(default_factory=list)
    present: frozenset[str] = frozenset()  # the fields the file(s) have a column for
    bad_rows: list[tuple[int, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.received)


def parse_moment(text: str, zone: ZoneInfo) -> float:
    """POSIX seconds of a date-time (naive: local time in ``zone``); ValueError if unreadable."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        found = _LOOSE.match(text)
        if not found:
            raise
        y, mo, d, h, mi, s = (int(g) if g else 0 for g in found.groups())
        moment = datetime(y, mo, d, h, mi, s)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.timestamp()


def parse_flag(text: str, *, needed: bool = False) -> bool:
    value = text.strip().lower()
    if needed and value in _NOT_NEEDED:
        return False
    if value in _TRUE:
        return True
    if value in _FALSE:
        return needed and value == ""  # an empty "response needed" counts as needed
    raise ValueError(text)


def _open_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MessagesError(_("{file}: cannot read ({reason})").format(
            file=path.name, reason=exc.strerror or exc)) from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise MessagesError(_("{file}: not a text file").format(file=path.name))


def header_map(header: list[str], policy: Policy) -> dict[str, int]:
    """``{field: column index}`` for the fields this header has."""
    index = {h.strip().lower(): i for i, h in reversed(list(enumerate(header)))}
    out = {}
    for name in MESSAGE_FIELDS:
        for candidate in (*policy.message_columns.get(name, ()), name):
            if candidate.strip().lower() in index:
                out[name] = index[candidate.strip().lower()]
                break
    return out


def read_messages(paths: list[Path], policy: Policy) -> MessageTable:
    """Every row of every file, in the policy's time zone; raises MessagesError for a bad file."""
    table = MessageTable()
    present: set[str] | None = None
    for path in paths:
        fields = _read_one(path, policy, table)
        present = set(fields) if present is None else present & set(fields)
        table.files.append(path.name)
    table.present = frozenset(present or ())
    return table


def _read_one(path: Path, policy: Policy, table: MessageTable) -> dict[str, int]:
    text = _open_text(path)
    first = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first.count)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(rows, None)
    columns = header_map(header or [], policy)
    if "received_at" not in columns:
        raise MessagesError(_(
            "{file}: not a messages export: no column for received_at (headers tried: {tried})"
        ).format(file=path.name, tried=", ".join((*policy.message_columns.get(
            "received_at", ()), "received_at"))))
    zone = policy.calendar.zone
    width = max(columns.values()) + 1
    get = {name: columns.get(name) for name in MESSAGE_FIELDS}
    line = 1
    for row in rows:
        line += 1
        if not row or not any(row):
            continue
        if len(row) < width:
            row = row + [""] * (width - len(row))
        try:
            received = parse_moment(row[get["received_at"]].strip(), zone)
            reply_text = row[get["replied_at"]].strip() if get["replied_at"] is not None else ""
            replied = parse_moment(reply_text, zone) if reply_text else None
        except ValueError:
            table.bad_rows.append((line, _("not a date-time")))
            continue
        if replied is not None and replied < received:
            table.bad_rows.append((line, _("reply before the message")))
            continue
        try:
            needed = (parse_flag(row[get["response_needed"]], needed=True)
                      if get["response_needed"] is not None else True)
            automatic = parse_flag(row[get["automatic"]]) if get["automatic"] is not None else False
            spam = parse_flag(row[get["spam"]]) if get["spam"] is not None else False
        except ValueError as exc:
            table.bad_rows.append((line, _("not yes/no: {value}").format(value=exc)))
            continue
        mid = row[get["message_id"]].strip() if get["message_id"] is not None else ""
        table.ids.append(mid or f"{path.name}:{line}")
        table.received.append(received)
        table.replied.append(replied)
        table.needed.append(needed)
        table.automatic.append(automatic)
        table.spam.append(spam)
        for name, column in (("channel", table.channel), ("order_id", table.order_id),
                             ("agent", table.agent)):
            column.append(row[get[name]].strip() if get[name] is not None else "")
    return columns
