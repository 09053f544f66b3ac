"""widgets.table.Table: rows drawn before the columns were measured are drawn again."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from appealdesk.widgets.table import Table


class TableApp(App):
    def __init__(self, table: DataTable) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table


async def lines_after_early_frame(table: DataTable) -> tuple[str, str]:
    """One column narrows as the other widens by as much: the table's total width (and
    so its size) stays the same, so no resize moves the row cache on."""
    app = TableApp(table)
    async with app.run_test(size=(60, 8)) as pilot:
        table.add_column("A", key="a")
        table.add_column("B", key="b")
        table.add_row("aaaaaaaaaa", "b", key="r")
        await pilot.pause()
        table.update_cell("r", "a", "a", update_width=True)
        table.update_cell("r", "b", "bbbbbbbbbb", update_width=True)
        table.render_line(0)  # a frame drawn before the table was idle: old widths
        await pilot.pause()
        await pilot.pause()
        return table.render_line(0).text, table.render_line(1).text


async def test_the_header_lines_up_with_columns_measured_after_a_frame():
    header, row = await lines_after_early_frame(Table())
    assert row.startswith(" a  bbbbbbbbbb ")
    assert header.startswith(" A  B ")


async def test_plain_datatable_keeps_the_stale_header():
    """Why Table exists: if this starts failing, Textual fixed it and Table can go."""
    header, row = await lines_after_early_frame(DataTable())
    assert row.startswith(" a  bbbbbbbbbb ")
    assert not header.startswith(" A  B ")


def test_a_metric_name_cut_keeps_its_window():
    """At 80 columns "Late shipment rate (10 days)" and "(30 days)" were both drawn as
    "Late shipment rate (10 …": the part that tells them apart was the part cut."""
    from rich.console import Console

    from appealdesk.widgets.table import cut_cell

    console = Console(width=80)

    def drawn(name: str, width: int) -> str:
        lines = console.render_lines(cut_cell(name, keep_tail=True),
                                     console.options.update_width(width))
        return "".join(seg.text for seg in lines[0]).rstrip()

    assert drawn("Late shipment rate (10 days)", 20) == "Late ship… (10 days)"
    assert drawn("买家消息24小时回复率（30天）", 20).endswith("…（30天）")
    assert drawn("Order defect rate", 12) == "Order defec…"  # no bracket: cut at the end
    # a bracket without a number is no window: cut at the end as any text
    assert drawn("Shipped within 5 days (advisory)", 20) == "Shipped within 5 da…"
    assert drawn("Late shipment rate (10 days)", 40) == "Late shipment rate (10 days)"
