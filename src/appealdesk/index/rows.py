"""The ``cases`` table's summary columns, and a case summary to and from one row.

Times are stored as ISO 8601 text, lists (cited orders, quoted metrics) one item
per line; reading turns them back into the ``Summary`` the inbox and ``list`` use.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from appealdesk.index.summary import Indexed, Summary

# What the index writes for one readable case, as plain tuples (cheap to send from a
# worker process): (SUMMARY_COLUMNS values + the list_json text, due_items rows,
# SEARCH_COLUMNS texts).
CaseRows = tuple[tuple, list[tuple], tuple[str, ...]]

SUMMARY_COLUMNS = (
    "id, marketplace, store, site, status, type, type_name_en, type_name_zh, notification_id, "
    "received, created, cited_orders, quoted_metrics, evidence, rejected, due, due_kind")


# How many cited orders (kept one per line).
CITED = ("(CASE WHEN cited_orders = '' THEN 0 ELSE length(cited_orders) - "
         "length(replace(cited_orders, char(10), '')) + 1 END)")


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def split_lines(text: str) -> tuple[str, ...]:
    return tuple(text.split("\n")) if text else ()


def summary_from_row(row: tuple) -> Summary:
    return summaries_from_rows([row])[0]


def summaries_from_rows(rows: Iterable[tuple]) -> list[Summary]:
    """Summaries from ``SUMMARY_COLUMNS`` rows. 10,000 of them fill the inbox at start:
    a status, a time or a list of metrics met before is looked up, not parsed again."""
    from appealdesk.cases.status import Status
    from appealdesk.index.summary import Summary

    statuses: dict[str, Status] = {s.value: s for s in Status}
    times: dict[str | None, datetime | None] = {None: None, "": None}
    lists: dict[str, tuple[str, ...]] = {"": ()}

    def when(text: str | None) -> datetime | None:
        if text not in times:
            times[text] = datetime.fromisoformat(text)  # type: ignore[arg-type]
        return times[text]

    def split(text: str) -> tuple[str, ...]:
        if text not in lists:
            lists[text] = tuple(text.split("\n"))
        return lists[text]

    return [Summary(
        id=row[0], marketplace=row[1], store=row[2], site=row[3],
        status=statuses.get(row[4]) or Status(row[4]), type=row[5], type_name_en=row[6],
        type_name_zh=row[7], notification_id=row[8], received=when(row[9]),
        created=when(row[10]), cited_orders=split_lines(row[11]), quoted_metrics=split(row[12]),
        evidence=row[13], rejected=row[14], due=when(row[15]), due_kind=row[16],
    ) for row in rows]


def summary_values(s: Summary) -> tuple:
    """The values of ``SUMMARY_COLUMNS`` for one summary, in that order."""
    return (s.id, s.marketplace, s.store, s.site, s.status.value, s.type,
            s.type_name_en, s.type_name_zh, s.notification_id, iso(s.received),
            iso(s.created), "\n".join(s.cited_orders), "\n".join(s.quoted_metrics),
            s.evidence, s.rejected, iso(s.due), s.due_kind)


def list_json(values: tuple) -> str:
    """``appealdesk list --json``'s object for one case, from its ``summary_values``,
    without its closing brace: the keys that depend on the time of asking (time_left,
    urgency, due_within) are added when listing. Written once with the row, so that
    listing 10,000 cases reads one text a case and builds no JSON."""
    import json

    cited = values[11]
    return json.dumps({
        "id": values[0], "marketplace": values[1], "store": values[2], "site": values[3],
        "type": values[5], "notification_id": values[8], "received": values[9],
        "status": values[4], "cited_orders": cited.count("\n") + 1 if cited else 0,
        "evidence": values[13], "due": values[15], "due_kind": values[16],
    }, ensure_ascii=False, separators=(",", ":"))[:-1]


def case_rows(ix: Indexed) -> CaseRows:
    """The rows ``ix`` becomes: the cases row's summary values and list_json text, the
    due_items rows, the texts waiting for the search table."""
    from appealdesk.index.summary import SEARCH_COLUMNS

    values = summary_values(ix.summary)
    return ((*values, list_json(values)),
            [(i.case_id, i.kind, i.item, i.due.isoformat(), iso(i.target), i.source,
              i.action_en, i.action_zh, i.title) for i in ix.items],
            tuple(ix.text.get(c, "") for c in SEARCH_COLUMNS))
