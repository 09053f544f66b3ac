"""Several lines of one order, several files of one store: merged by order id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields

from appealdesk.reports.order_ids import distinct_hashes, id_hashes
from appealdesk.reports.table import VALUE_FIELDS, VALUE_SEP, ImportResult, Order, OrderTable


def _merge_into(target: Order, other: Order) -> None:
    """Fill what ``target`` lacks from ``other``; flags are true if any line says so;
    a value field keeps every distinct value its lines have ("Shipped | Cancelled":
    one item of a shipped order cancelled), so a value rule sees each of them."""
    for f in fields(Order):
        mine, theirs = getattr(target, f.name), getattr(other, f.name)
        if isinstance(mine, bool):
            setattr(target, f.name, mine or theirs)
        elif mine in (None, "") and theirs not in (None, ""):
            setattr(target, f.name, theirs)
        elif f.name in VALUE_FIELDS and theirs and theirs not in mine.split(VALUE_SEP):
            setattr(target, f.name, mine + VALUE_SEP + theirs)


def _all_distinct(values: Sequence[str]) -> bool:
    """Whether no value repeats. Distinct hashes prove it, and sorting a million
    hashes is twice as fast as filling a million-entry set; a repeated hash
    (a repeated value, or rarely a collision) is settled with the set."""
    import numpy as np

    if distinct_hashes(np, id_hashes(np, values)):
        return True
    return len(set(values)) == len(values)


def _dedupe(table: OrderTable) -> int:
    """Merge rows sharing an order id (an order with several items); returns rows merged."""
    if _all_distinct(table.order_id):
        return 0
    merged: dict[str, Order] = {}
    for order in table:
        seen = merged.get(order.order_id)
        if seen is None:
            merged[order.order_id] = order
        else:
            _merge_into(seen, order)
    rebuilt = OrderTable.from_orders(merged.values())
    count = len(table) - len(rebuilt)
    table.__dict__.update(rebuilt.__dict__)
    return count


def merge_results(results: Sequence[ImportResult]) -> ImportResult:
    """Several reports of one store as one: orders merged by order id, in file order."""
    if len(results) == 1:
        return results[0]
    merged: dict[str, Order] = {}
    bad: list[tuple[int, str]] = []
    for result in results:
        for order in result.orders:
            seen = merged.get(order.order_id)
            if seen is None:
                merged[order.order_id] = order
            else:
                _merge_into(seen, order)
        name = result.files[0] if result.files else ""
        bad.extend((line, f"{name}: {reason}") for line, reason in result.bad_rows)
    formats = sorted({r.format for r in results})
    columns: dict[str, list[str]] = {}
    for result in results:
        name = result.files[0] if result.files else ""
        for fld, header in result.columns.items():
            columns.setdefault(fld, []).append(f"{name}: {header}" if name else header)
    return ImportResult(
        OrderTable.from_orders(merged.values()), bad, "+".join(formats),
        sum(r.rows for r in results), [f for r in results for f in r.files],
        sum(r.merged for r in results),
        columns={f: "; ".join(v) for f, v in columns.items()},
        guessed=[g for r in results for g in r.guessed],
        skipped_lines=sum(r.skipped_lines for r in results),
        format_names=[n for r in results for n in r.format_names],
        encoding="+".join(dict.fromkeys(r.encoding for r in results if r.encoding)),
        # a field one file gave as a typed date may be that in any merged order
        entered=frozenset().union(*(r.entered for r in results)),
    )

