"""Buyer conversations: read a messages export (helpdesk or marketplace CSV) into one table.

One row per buyer message (or conversation): when it arrived, when a human
first answered, whether it needed an answer, whether the answer was automatic,
whether it was spam or harassment, the channel, the order and the agent.
The fields are ``policy.types.MESSAGE_FIELDS``; a file's headers are matched to
them through the policy's ``[message_columns]`` (``field = [header, ...]``,
tried in order, any case) or the field names themselves.

Reading rules:

* encoding: UTF-8 (with or without BOM), else the policy's ``[report_encodings]``
  (``reports.encodings``; default GB18030); delimiter: whichever of
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

Speed: a large clean UTF-8 file (``fast_messages.MIN_BYTES`` and up) is split
on its bytes by ``fast_messages.read_fast`` (no Python string per cell: its text
columns are ``text_columns`` sequences); a smaller plain file (no quotes, every
time stamp of a column written alike) is read a whole column at a time by
``plain_messages.read_plain``; any other file, or one with a value that does
not read, row by row here, with the same result.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from appealdesk.i18n import _
from appealdesk.policy.types import MESSAGE_FIELDS, Policy
from appealdesk.reports import fast_messages
from appealdesk.reports.encodings import DEFAULT_ENCODINGS, decode, encodings_for
from appealdesk.reports.plain_messages import FALSE, NOT_NEEDED, TRUE, read_plain
from appealdesk.reports.quotes import csv_rows
from appealdesk.reports.text_columns import join

_LOOSE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


class MessagesError(Exception):
    """A file that is not a usable messages export (one line, no traceback)."""


@dataclass
class MessageTable:
    """Column-wise messages (numpy arrays); times are POSIX seconds, NaN = no reply."""

    ids: Sequence[str]  # a list, or (a large file) a text_columns sequence: no string per row
    received: Any  # float64 array
    replied: Any  # float64 array, NaN where there is no human reply
    needed: Any  # bool arrays
    automatic: Any
    spam: Any
    channel: Sequence[str]
    order_id: Sequence[str]
    agent: Sequence[str]
    present: frozenset[str] = frozenset()  # the fields the file(s) have a column for
    bad_rows: list[tuple[int, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class _Columns:
    """What one file gave, before the files are joined."""

    ids: list[str] = field(default_factory=list)
    received: list[float] = field(default_factory=list)
    replied: list[float] = field(default_factory=list)
    needed: list[bool] = field(default_factory=list)
    automatic: list[bool] = field(default_factory=list)
    spam: list[bool] = field(default_factory=list)
    channel: list[str] = field(default_factory=list)
    order_id: list[str] = field(default_factory=list)
    agent: list[str] = field(default_factory=list)
    bad_rows: list[tuple[int, str]] = field(default_factory=list)


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
    if needed and value in NOT_NEEDED:
        return False
    if value in TRUE:
        return True
    if value in FALSE:
        return needed and value == ""  # an empty "response needed" counts as needed
    raise ValueError(text)


def open_text(path: Path, encodings: Sequence[str] = DEFAULT_ENCODINGS) -> str:
    return decode_text(read_bytes(path), path.name, encodings)


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise MessagesError(_("{file}: cannot read ({reason})").format(
            file=path.name, reason=exc.strerror or exc)) from None


def decode_text(raw: bytes, name: str, encodings: Sequence[str] = DEFAULT_ENCODINGS) -> str:
    """The text of a file in one of ``encodings`` (``reports.encodings``; a UTF-8 BOM dropped)."""
    found = decode(raw, encodings)
    if found is not None:
        return found[0]
    raise MessagesError(_("{file}: not a text file").format(file=name))


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
    import numpy as np

    parts: list[_Columns] = []
    present: set[str] | None = None
    for path in paths:
        columns, fields = _read_one(path, policy)
        parts.append(columns)
        present = set(fields) if present is None else present & set(fields)

    def joined(name: str) -> Any:
        return join([getattr(part, name) for part in parts]) if parts else []

    def array(name: str, dtype: Any) -> Any:
        return np.concatenate([np.asarray(getattr(p, name), dtype=dtype) for p in parts]) \
            if parts else np.zeros(0, dtype=dtype)

    return MessageTable(
        ids=joined("ids"), received=array("received", np.float64),
        replied=array("replied", np.float64), needed=array("needed", bool),
        automatic=array("automatic", bool), spam=array("spam", bool),
        channel=joined("channel"), order_id=joined("order_id"), agent=joined("agent"),
        present=frozenset(present or ()), bad_rows=joined("bad_rows"),
        files=[p.name for p in paths],
    )


def _read_one(path: Path, policy: Policy) -> tuple[_Columns, dict[str, int]]:
    raw = read_bytes(path)
    if len(raw) >= fast_messages.MIN_BYTES:
        found = _read_fast(raw, path, policy)
        if found is not None:
            return found
    text = decode_text(raw, path.name, encodings_for(policy))
    del raw
    delimiter, header, columns = _header(text.split("\n", 1)[0], path, policy)
    fast = read_plain(text, delimiter, len(header), columns, policy.calendar.zone, path.name)
    if fast is not None:
        return _Columns(**fast), columns
    return _read_rows(text, delimiter, columns, policy.calendar.zone, path.name,
                      len(header)), columns


def _header(first: str, path: Path, policy: Policy) -> tuple[str, list[str], dict[str, int]]:
    """(delimiter, headers, ``{field: column}``) of a file's first line."""
    delimiter = max((",", "\t", ";"), key=first.count)
    header = next(csv.reader([first.rstrip("\r")], delimiter=delimiter), [])
    columns = header_map(header, policy)
    if "received_at" not in columns:
        raise MessagesError(_(
            "{file}: not a messages export: no column for received_at (headers tried: {tried})"
        ).format(file=path.name, tried=", ".join((*policy.message_columns.get(
            "received_at", ()), "received_at"))))
    return delimiter, header, columns


def _read_fast(raw: bytes, path: Path, policy: Policy) -> tuple[_Columns, dict[str, int]] | None:
    """A large file through ``fast_messages``; None when it is not one read there
    (or its header does not read: the other readers then say why)."""
    end = raw.find(b"\n")
    try:
        delimiter, header, columns = _header(raw[:max(end, 0)].decode("utf-8-sig"), path, policy)
    except (UnicodeDecodeError, MessagesError):
        return None
    found = fast_messages.read_fast(raw, delimiter, len(header), columns, policy.calendar.zone,
                                    path.name)
    return None if found is None else (_Columns(**found), columns)


def _read_rows(
    text: str, delimiter: str, columns: dict[str, int], zone: ZoneInfo, name: str,
    ncols: int,
) -> _Columns:
    """Row by row with csv.reader: any file, every bad row explained (a row a
    stray quote ran together too, its lines read again: ``quotes``)."""
    out = _Columns()
    lines = io.StringIO(text, newline="")
    next(lines, None)
    width = max(columns.values()) + 1
    get = {name: columns.get(name) for name in MESSAGE_FIELDS}
    received_at = columns["received_at"]  # _read_one checked the file has it
    for line, row, run in csv_rows(lines, delimiter, ncols, start=1):
        if run:
            out.bad_rows.append((line, run))
            continue
        if not row or not any(row):
            continue
        if len(row) < width:
            row = row + [""] * (width - len(row))
        try:
            received = parse_moment(row[received_at].strip(), zone)
            reply_text = row[get["replied_at"]].strip() if get["replied_at"] is not None else ""
            replied = parse_moment(reply_text, zone) if reply_text else math.nan
        except ValueError:
            out.bad_rows.append((line, _("not a date-time")))
            continue
        if replied < received:
            out.bad_rows.append((line, _("reply before the message")))
            continue
        try:
            needed = (parse_flag(row[get["response_needed"]], needed=True)
                      if get["response_needed"] is not None else True)
            automatic = parse_flag(row[get["automatic"]]) if get["automatic"] is not None else False
            spam = parse_flag(row[get["spam"]]) if get["spam"] is not None else False
        except ValueError as exc:
            out.bad_rows.append((line, _("not yes/no: {value}").format(value=exc)))
            continue
        mid = row[get["message_id"]].strip() if get["message_id"] is not None else ""
        out.ids.append(mid or f"{name}:{line}")
        out.received.append(received)
        out.replied.append(replied)
        out.needed.append(needed)
        out.automatic.append(automatic)
        out.spam.append(spam)
        for field_name, column in (("channel", out.channel), ("order_id", out.order_id),
                                   ("agent", out.agent)):
            index = get[field_name]
            column.append(row[index].strip() if index is not None else "")
    return out
