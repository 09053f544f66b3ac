"""Which columns of a report feed which order fields, and which format a file is.

A **format** maps order fields to the headers one kind of report uses. Where
they come from, in the order they are tried:

* the **generic** CSV (headers that are the field names themselves);
* a policy's ``[[report_formats]]``: a published report (Amazon's All Orders
  report, ...) recognised by headers that must all be present; a file whose
  header row has them is that format for certain;
* the user's ``config.toml`` ``[report_columns.<name>]`` (format
  ``mapped:<name>``): the user said what the columns are;
* a policy's ``[report_columns]`` (format = the policy id) and the other
  policies' formats and columns: chosen by how many fields they map, which is a
  **guess**, and said to be one.

A file may begin with lines that are not its header (Amazon's flat-file
templates start with ``TemplateType=... Version=...``): the first of the
first ``PREAMBLE_LINES`` lines that reads as a header of some format is the
header; the lines before it are skipped and counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from appealdesk.i18n import _
from appealdesk.reports.files import _norm_header
from appealdesk.reports.table import ALL_FIELDS, GENERIC_COLUMNS, ReportError

Mapping = dict[str, tuple[str, ...]]
PREAMBLE_LINES = 10


@dataclass(frozen=True)
class ReportFormat:
    id: str  # generic | <policy>:<format> | <policy> | mapped:<name>
    columns: Mapping
    name: str = ""
    recognise: tuple[str, ...] = ()  # headers that all present mean: this format, for certain
    source: str = ""
    declared: bool = False  # a user's own mapping: not a guess
    suggest: bool = True  # intake may ask for it (policy.metrics.report_advice)
    # Date fields whose column is the date the seller typed, not when the marketplace
    # recorded the event it times (a confirmation): see metrics.needs (ENTERED).
    entered: tuple[str, ...] = ()
    # Date fields the report always writes with a UTC offset: a value without one was
    # rewritten by a spreadsheet, its time zone lost (``orders``: the file is refused).
    zoned: tuple[str, ...] = ()


@dataclass
class Choice:
    """The format of one file: which column feeds each field."""

    format: ReportFormat
    columns: dict[str, int]  # field -> column index
    headers: dict[str, str]  # field -> header as written
    guessed: bool


GENERIC = ReportFormat("generic", {f: (f,) for f in ALL_FIELDS}, name="generic orders CSV",
                       declared=True)


def _position(headers: Sequence[str]) -> dict[str, int]:
    position: dict[str, int] = {}
    for i, h in enumerate(headers):
        position.setdefault(_norm_header(h), i)
    return position


def _map(fmt: ReportFormat, position: dict[str, int]) -> dict[str, int]:
    chosen = {}
    for fld, aliases in fmt.columns.items():
        if fld not in ALL_FIELDS:
            continue
        for alias in aliases:
            idx = position.get(_norm_header(alias))
            if idx is not None:
                chosen[fld] = idx
                break
    return chosen


def choose_format(headers: list[str], formats: Sequence[ReportFormat]) -> Choice | None:
    """The format a header row belongs to, or None when it has no order id column."""
    position = _position(headers)
    if "order_id" in position and sum(f in position for f in GENERIC_COLUMNS) >= 2:
        cols = {f: position[f] for f in ALL_FIELDS if f in position}
        return Choice(GENERIC, cols, {f: headers[i].strip() for f, i in cols.items()}, False)
    certain: list[tuple[int, int, ReportFormat, dict[str, int]]] = []
    guesses: list[tuple[int, int, ReportFormat, dict[str, int]]] = []
    for rank, fmt in enumerate(formats):
        chosen = _map(fmt, position)
        if "order_id" not in chosen or len(chosen) < 2:
            continue
        if fmt.recognise and all(_norm_header(h) in position for h in fmt.recognise):
            certain.append((len(fmt.recognise), len(chosen), fmt, chosen))
        elif not fmt.recognise:
            guesses.append((0, len(chosen) * 1000 - rank, fmt, chosen))
    pool = certain or guesses
    if not pool:
        return None
    _n, _m, fmt, chosen = max(pool, key=lambda c: (c[0], c[1]))
    guessed = not certain and not fmt.declared
    return Choice(fmt, chosen, {f: headers[i].strip() for f, i in chosen.items()}, guessed)


def no_order_id(headers: list[str]) -> ReportError:
    shown = ", ".join(h for h in headers[:6] if h.strip()) or _("none")
    return ReportError(_(
        "not an order report: no order id column among its headers ({headers}); "
        "use the generic CSV headers or add a [report_columns] mapping").format(headers=shown))


def _columns(table: Any) -> Mapping:
    out: Mapping = {}
    if isinstance(table, dict):
        for key, value in table.items():
            if isinstance(value, list):
                out[key] = tuple(str(v) for v in value)
            elif isinstance(value, str):
                out[key] = (value,)
    return out


def policy_formats(policy: Any) -> list[ReportFormat]:
    """A policy's published report formats (``[[report_formats]]``), then its
    ``[report_columns]`` as a format recognised by nothing (a guess)."""
    out = []
    raw = getattr(policy, "raw", {}) or {}
    for entry in raw.get("report_formats", []) or []:
        if not isinstance(entry, dict) or not entry.get("id"):
            continue
        out.append(ReportFormat(
            id=f"{policy.id}:{entry['id']}", columns=_columns(entry.get("columns", {})),
            name=str(entry.get("name", entry["id"])),
            recognise=tuple(str(h) for h in entry.get("recognise", []) or []),
            source=str(entry.get("source", "")), suggest=entry.get("suggest", True) is not False,
            entered=tuple(str(f) for f in entry.get("entered", []) or []),
            zoned=tuple(str(f) for f in entry.get("zoned", []) or [])))
    if policy.report_columns:
        out.append(ReportFormat(policy.id, dict(policy.report_columns), name=policy.id))
    return out


def check_report_formats(raw: dict[str, Any]) -> list[str]:
    """Problems in a policy's ``[[report_formats]]`` (for ``policies check``)."""
    problems = []
    entries = raw.get("report_formats", [])
    if not isinstance(entries, list):
        return ["report_formats: must be an array of tables [[report_formats]]"]
    for i, entry in enumerate(entries):
        where = f"report_formats[{i}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be a table")
            continue
        for key in ("id", "name", "source"):
            if not isinstance(entry.get(key), str) or not entry.get(key):
                problems.append(f"{where}.{key}: is required (a string)")
        columns = entry.get("columns")
        if not isinstance(columns, dict) or "order_id" not in columns:
            problems.append(f"{where}.columns: must map order_id and other fields to headers")
        else:
            for key in columns:
                if key not in ALL_FIELDS:
                    problems.append(f"{where}.columns.{key}: unknown field")
        if not isinstance(entry.get("recognise", []), list) or not entry.get("recognise"):
            problems.append(f"{where}.recognise: list the headers that identify the report")
        for key in ("entered", "zoned"):
            fields = entry.get(key, [])
            if not isinstance(fields, list) or not all(
                    isinstance(f, str) and isinstance(columns, dict) and f in columns
                    for f in fields):
                problems.append(f"{where}.{key}: a list of fields its columns map")
    return problems


def mappings_for(policy: Any = None, config: dict[str, Any] | None = None,
                 others: Iterable[Any] = ()) -> list[ReportFormat]:
    """The formats to try: the policy's, the user's named ones, then other policies'."""
    out: list[ReportFormat] = []
    if policy is not None:
        out.extend(policy_formats(policy))
    user = (config or {}).get("report_columns", {})
    if isinstance(user, dict):
        for name, table in user.items():
            if isinstance(table, dict):
                out.append(ReportFormat(f"mapped:{name}", _columns(table), name=name,
                                        declared=True))
    for other in others:
        if other is not policy:
            out.extend(policy_formats(other))
    return out


def as_formats(mappings: Sequence[ReportFormat | tuple[str, Mapping]]) -> list[ReportFormat]:
    """Formats from formats or (name, mapping) pairs (a program's own mapping: declared)."""
    return [m if isinstance(m, ReportFormat) else ReportFormat(m[0], dict(m[1]), name=m[0],
                                                                declared=True)
            for m in mappings]


__all__ = ["Choice", "ReportFormat", "choose_format", "check_report_formats", "mappings_for",
           "policy_formats", "PREAMBLE_LINES"]

