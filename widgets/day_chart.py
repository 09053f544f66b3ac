"""A metric's orders per day as a bar chart with axes and a legend.

The count scale on the left (the highest day at the top, 0 at the axis), the
window's dates along the bottom (first, middle, last), and a legend that says
what a bar counts and by which date. More days than columns: each column is the
highest day it covers (a spike is never averaged away).
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.widgets import Static

from appealdesk.i18n import _

BLOCKS = " ▁▂▃▄▅▆▇█"


def _label(day: date) -> str:
    return f"{day:%m-%d}"


def chart_text(days: list[tuple[date, int]], width: int, rows: int, legend: str) -> Text:
    """``days`` (day, count) drawn in ``width`` columns with ``rows`` rows of bars."""
    out = Text(no_wrap=True, overflow="crop")
    if not days:
        return out
    top = max(n for _d, n in days)
    scale_width = max(len(str(top)), 1) + 1
    room = max(4, width - scale_width - 1)
    step = max(1, -(-len(days) // room))  # days per column, rounded up
    columns: list[int | None] = [max(n for _d, n in days[i:i + step])
                                 for i in range(0, len(days), step)]
    per_day = max(1, min(4, room // max(1, len(columns))))  # few days: wider bars
    if per_day > 1:  # a bar of per_day - 1 columns and a gap
        columns = [c for n in columns for c in [n] * (per_day - 1) + [None]]
    for row in range(rows, 0, -1):
        label = str(top) if row == rows else ""
        out.append(f"{label:>{scale_width - 1}} ┤", style="dim")
        for n in columns:
            if n is None:
                out.append(" ")
                continue
            eighths = round(n / top * rows * 8) if top else 0
            cell = min(8, max(0, eighths - (row - 1) * 8))
            if n and row == 1 and cell == 0:
                cell = 1  # a day with any count shows
            out.append(BLOCKS[cell], style="red")
        out.append("\n")
    out.append(f"{'0':>{scale_width - 1}} └" + "─" * len(columns) + "\n", style="dim")
    first, last = _label(days[0][0]), _label(days[-1][0])
    axis = [" "] * max(len(columns), len(first) + len(last) + 1)
    axis[:len(first)] = first
    axis[len(axis) - len(last):] = last
    middle = _label(days[len(days) // 2][0])
    mid_at = (len(days) // 2 // step) * per_day  # under that day's bar
    if mid_at > len(first) + 1 and mid_at + len(middle) < len(axis) - len(last) - 1:
        axis[mid_at:mid_at + len(middle)] = middle
    out.append(" " * (scale_width + 1) + "".join(axis) + "\n", style="dim")
    out.append(" " * (scale_width + 1))
    out.append("█", style="red")
    out.append(" " + legend, style="dim")
    if step > 1:
        out.append("  " + _("(a column is {n} days: their highest)").format(n=step),
                   style="dim")
    return out


def trend_legend(metric) -> str:
    """What a bar counts: "late shipments a day, by ship-by (latest ship date)"."""
    from appealdesk.metrics.analysis import bad_noun
    from appealdesk.metrics.needs import FIELD_NOUNS

    if metric is None:
        return _("orders counting against it a day")
    basis = _(FIELD_NOUNS.get(metric.basis, metric.basis))
    return _("{noun} a day, by {basis}").format(noun=bad_noun(metric), basis=basis)


class DayChart(Static):
    """``days`` and ``legend`` set by the owner; drawn at the widget's width."""

    DEFAULT_CSS = """
    DayChart {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, *args, rows: int = 4, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.days: list[tuple[date, int]] = []
        self.legend = ""

    def show(self, days: list[tuple[date, int]], legend: str) -> None:
        self.days, self.legend = days, legend
        self.refresh(layout=True)

    def render(self) -> Text:
        width = self.size.width or 60
        return chart_text(self.days, width, self.rows, self.legend)
