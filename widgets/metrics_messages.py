"""Message and return metrics in the metrics pane: their table rows and their detail.

The metrics pane lists a case's buyer-message and return metrics (from the
exports imported into the case) under its order metrics, in the same columns:
value, limit, status (``no_data`` naming the missing fields, ``no_limit`` when
the marketplace states none), the counts and the window. The detail below the
table and the drill-down (screens/message_detail.py) say where the late replies
or dissatisfied returns cluster.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text

from appealdesk.i18n import _, pick
from appealdesk.metrics.case_messages import AnyResult, CaseMessages, kind_of
from appealdesk.metrics.conversations import (
    BREACH,
    INSUFFICIENT,
    NO_DATA,
    NO_LIMIT,
    OK,
    MessageMetricResult,
)
from appealdesk.widgets.table import cut_cell

STYLE = {OK: "green", BREACH: "bold red", INSUFFICIENT: "yellow", NO_DATA: "magenta",
         NO_LIMIT: "cyan"}
ICON = {OK: "✓", BREACH: "✗", INSUFFICIENT: "…", NO_DATA: "?", NO_LIMIT: "·"}


def status_of(entry: Any) -> str:
    """The status of a pane row: an order metric's analysis or a message/return result."""
    metric = getattr(entry, "metric", None)
    return str(metric.status if metric is not None else entry.status)


def imported_words(record: Any) -> str:
    """The notice after an import, naming the family of a message or return export."""
    if record.format == "messages":
        return _("Imported {name}: buyer messages, {rows} rows, {bad} unreadable").format(
            name=record.name, rows=record.rows, bad=record.bad_rows)
    if record.format == "returns":
        return _("Imported {name}: returns, {rows} rows, {bad} unreadable").format(
            name=record.name, rows=record.rows, bad=record.bad_rows)
    return _("Imported {name}: {rows} rows, {bad} unreadable").format(
        name=record.name, rows=record.rows, bad=record.bad_rows)


def exports_line(data: CaseMessages) -> str:
    """"; 22 buyer messages from m.csv; 4 returns from r.csv" (empty without exports)."""
    out = ""
    if data.messages is not None:
        out += "; " + _("{n} buyer messages from {files}").format(
            n=len(data.messages), files=", ".join(data.messages.files))
    if data.returns is not None:
        out += "; " + _("{n} returns from {files}").format(
            n=len(data.returns), files=", ".join(data.returns.files))
    return out


def label_of(result: AnyResult) -> str:
    return pick(result.name, result.name_zh)


def status_cell(status: str) -> Text:
    words = {OK: _("ok"), BREACH: _("breach"), INSUFFICIENT: _("too few"),
             NO_DATA: _("no data"), NO_LIMIT: _("no limit")}
    return Text(f"{ICON[status]} {words[status]}", style=STYLE[status])


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def _span(start: date, end: date) -> str:
    """As the order metrics' window: "1–30 Nov" / "11月1日至30日" (Babel)."""
    from appealdesk.i18n_dates import span

    return span(start, end)


def row_cells(result: AnyResult, with_health: bool, with_kind: bool) -> list[Text | str]:
    """The pane's columns for one message/return metric (as for an order metric); the
    Kind column only where the pane shows it (a narrow pane drops it)."""
    advisory = not result.enforced
    limit = (_("not stated") if result.limit is None
             else f"{result.comparator} {result.limit * 100:g}%")
    cells: list[Text | str] = [
        cut_cell(label_of(result), style="dim" if advisory else "", keep_tail=True),
        Text(_percent(result.value), style=STYLE[result.status], justify="right"),
        limit,
        status_cell(result.status),
        Text("—" if result.status == NO_DATA else f"{result.numerator}/{result.denominator}",
             justify="right"),
        _span(result.window_start, result.window_end),
    ]
    if with_kind:
        cells.append(Text(_("advisory"), style="italic dim") if advisory else _("enforced"))
    if with_health:
        cells.insert(2, Text(_("not stated"), style="dim"))
    return cells


def counted_words(result: AnyResult) -> str:
    """"16 of 22 messages answered in time" / "2 of 9 returns dissatisfied"."""
    if kind_of(result) == "messages":
        return _("{num} of {den} messages answered in time").format(
            num=result.numerator, den=result.denominator)
    return _("{num} of {den} returns dissatisfied").format(
        num=result.numerator, den=result.denominator)


def no_export_words(result: AnyResult) -> str:
    if kind_of(result) == "messages":
        return _("needs: a buyer messages export imported into the case (key i)")
    return _("needs: a returns export imported into the case (key i)")


def missing_words(result: AnyResult) -> str:
    return _("needs: a column for {fields} in the export").format(
        fields=", ".join(result.missing))


def clears_words(result: AnyResult) -> str:
    return result.clears_text()


def detail_text(result: AnyResult, has_export: bool = True) -> Text:
    """The highlighted message/return metric explained: counts, what it lacks, clusters."""
    out = Text()
    out.append(label_of(result), style="bold")
    if result.status == NO_DATA:
        out.append("  " + _("no data: the exports cannot tell this metric"), style="magenta")
        out.append("\n• " + (missing_words(result) if has_export else no_export_words(result))
                   + "\n", style="magenta")
        return out
    out.append("  " + counted_words(result) + ", " + _span(result.window_start,
                                                           result.window_end), style="dim")
    out.append("\n")
    if isinstance(result, MessageMetricResult):
        parts = [_("{n} excluded ({why})").format(n=n, why=why.replace("_", " "))
                 for why, n in result.excluded.items()]
        if result.pending:
            parts.append(_("{n} still within their time").format(n=result.pending))
        if parts:
            out.append("• " + "; ".join(parts) + "\n", style="dim")
    elif result.components:
        out.append("• " + ", ".join(f"{k.replace('_', ' ')} {v}"
                                    for k, v in result.components.items()) + "\n")
    for sentence in result.sentences:
        out.append("• " + sentence + "\n")
    if clears := clears_words(result):
        out.append(clears + "\n", style="bold" if result.clears and result.clears.day
                   else "yellow")
    if result.status == BREACH:
        out.append(_("Enter lists them with where they cluster.") + "\n", style="dim")
    return out


__all__ = ["AnyResult", "detail_text", "imported_words", "kind_of", "row_cells", "status_cell",
           "status_of"]
