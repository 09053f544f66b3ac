"""Returns: read a returns export (Amazon's returns report flat file, a helpdesk's CSV) into rows.

One row per return request: when it was requested, when the seller responded,
its outcome and reason, the SKU, whether the buyer left negative feedback on
it and whether the marketplace judged a rejection invalid. The fields are
``policy.types.RETURN_FIELDS``, matched through the policy's ``[return_columns]``
or the field names themselves. Date-times, flags, encodings and delimiters are
read as for buyer messages (``reports.conversations``); a row that cannot be
read goes to ``bad_rows``. ``present`` keeps the fields the files have, so a
metric whose component needs a missing one says ``no_data`` — Amazon's own
returns report, for one, has no response time and no return feedback.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from appealdesk.i18n import _
from appealdesk.policy.types import RETURN_FIELDS, Policy
from appealdesk.reports.conversations import MessagesError, open_text, parse_flag, parse_moment
from appealdesk.reports.encodings import encodings_for


@dataclass
class ReturnRow:
    id: str
    requested: float  # POSIX seconds
    responded: float | None
    negative_feedback: bool
    invalid_rejection: bool
    outcome: str = ""
    reason: str = ""
    sku: str = ""
    order_id: str = ""


@dataclass
class ReturnTable:
    rows: list[ReturnRow] = field(default_factory=list)
    present: frozenset[str] = frozenset()
    bad_rows: list[tuple[int, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)


def read_returns(paths: list[Path], policy: Policy) -> ReturnTable:
    """Every return of every file; raises MessagesError for a file that is not a returns export."""
    table = ReturnTable()
    present: set[str] | None = None
    for path in paths:
        fields = _read_one(path, policy, table)
        present = set(fields) if present is None else present & set(fields)
        table.files.append(path.name)
    table.present = frozenset(present or ())
    return table


def _read_one(path: Path, policy: Policy, table: ReturnTable) -> dict[str, int]:
    text = open_text(path, encodings_for(policy))
    first = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first.count)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in next(rows, [])]
    columns: dict[str, int] = {}
    for name in RETURN_FIELDS:
        for candidate in (*policy.return_columns.get(name, ()), name):
            if candidate.strip().lower() in header:
                columns[name] = header.index(candidate.strip().lower())
                break
    if "requested_at" not in columns:
        raise MessagesError(_(
            "{file}: not a returns export: no column for requested_at (headers tried: {tried})"
        ).format(file=path.name, tried=", ".join((*policy.return_columns.get(
            "requested_at", ()), "requested_at"))))
    zone = policy.calendar.zone

    def cell(row: list[str], name: str) -> str:
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    for row in rows:
        line = rows.line_num
        if not any(row):
            continue
        try:
            requested = parse_moment(cell(row, "requested_at"), zone)
            responded_text = cell(row, "responded_at")
            responded = parse_moment(responded_text, zone) if responded_text else None
        except ValueError:
            table.bad_rows.append((line, _("not a date-time")))
            continue
        try:
            negative = parse_flag(cell(row, "negative_feedback"))
            invalid = parse_flag(cell(row, "invalid_rejection"))
        except ValueError as exc:
            table.bad_rows.append((line, _("not yes/no: {value}").format(value=exc)))
            continue
        table.rows.append(ReturnRow(
            id=cell(row, "return_id") or cell(row, "order_id") or f"{path.name}:{line}",
            requested=requested, responded=responded, negative_feedback=negative,
            invalid_rejection=invalid, outcome=cell(row, "outcome"), reason=cell(row, "reason"),
            sku=cell(row, "sku"), order_id=cell(row, "order_id")))
    return columns
