"""Which data family a report file belongs to, told from its first line.

A case's ``reports/`` folder holds files of four families: order reports, the
account health report (JSON), buyer message exports and returns exports. The
header says which: a column the policy's ``[message_columns]`` maps to
``received_at`` makes a messages export, one its ``[return_columns]`` maps to
``requested_at`` a returns export (both are looked for first, since message and
return exports carry an order id column too); a JSON file is an account health
report; anything else is read as orders (the order importer explains a file
that is none of them).
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Sequence
from pathlib import Path

from appealdesk.policy.types import Policy
from appealdesk.reports.account_health import looks_like_health_report
from appealdesk.reports.encodings import DEFAULT_ENCODINGS, decode, encodings_for

ORDERS, MESSAGES, RETURNS, HEALTH = "orders", "messages", "returns", "account_health"
FAMILIES = (ORDERS, MESSAGES, RETURNS, HEALTH)
_HEAD_BYTES = 65536


def first_line(path: Path, encodings: Sequence[str] = DEFAULT_ENCODINGS) -> list[str]:
    """The header cells of a text file (``reports.encodings``); [] if none."""
    try:
        with open(path, "rb") as f:
            raw = f.read(_HEAD_BYTES)
    except OSError:
        return []
    line = raw.split(b"\n", 1)[0].rstrip(b"\r")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return []  # as before: a UTF-16 file is left to the order importer
    found = decode(line, encodings)
    if found is None:
        return []
    text = found[0]
    delimiter = max((",", "\t", ";"), key=text.count)
    return next(csv.reader([text], delimiter=delimiter), [])


def _has(header: set[str], names: tuple[str, ...]) -> bool:
    return any(n.strip().lower() in header for n in names)


def family_of(path: Path, policy: Policy | None) -> str:
    """ORDERS, MESSAGES, RETURNS or HEALTH for ``path`` (ORDERS when in doubt)."""
    if looks_like_health_report(path):
        return HEALTH
    header = {h.strip().lower() for h in first_line(path, encodings_for(policy))}
    if not header:
        return ORDERS
    message_columns = policy.message_columns if policy is not None else {}
    return_columns = policy.return_columns if policy is not None else {}
    if _has(header, (*message_columns.get("received_at", ()), "received_at")):
        return MESSAGES
    if _has(header, (*return_columns.get("requested_at", ()), "requested_at")):
        return RETURNS
    return ORDERS


def split_by_family(paths: list[Path], policy: Policy | None) -> dict[str, list[Path]]:
    """``paths`` grouped by family (every family present as a key, in the given order)."""
    out: dict[str, list[Path]] = {f: [] for f in FAMILIES}
    for path in paths:
        out[family_of(path, policy)].append(path)
    return out
