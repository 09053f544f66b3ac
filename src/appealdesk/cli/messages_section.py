"""The buyer-message and returns part of ``appealdesk metrics``: ``--messages``/``--returns``.

``metrics_cmd`` calls ``add_message_arguments`` when it builds its parser and
``message_section`` after the order metrics; the section prints (or returns for
``--json``) the policy's ``[[message_metrics]]`` computed from the files given.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from appealdesk.cli.common import EXIT_ERROR, CommandError
from appealdesk.i18n import _
from appealdesk.metrics.conversations import (
    BREACH,
    NO_DATA,
    MessageMetricResult,
    compute_message_metrics,
)
from appealdesk.metrics.returns import ReturnMetricResult, compute_return_metrics
from appealdesk.policy.types import Policy
from appealdesk.reports.conversations import MessagesError, MessageTable, read_messages
from appealdesk.reports.families import MESSAGES, RETURNS, split_by_family
from appealdesk.reports.returns import ReturnTable, read_returns

MAX_BAD_ROWS_SHOWN = 20


def add_message_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--messages", metavar="FILE", action="append", default=[],
        help=_("a buyer messages export (CSV); its reply-time metrics are shown too; repeatable"))
    parser.add_argument(
        "--returns", metavar="FILE", action="append", default=[],
        help=_("a returns export (CSV or Amazon returns report); its return metrics are shown "
               "too; repeatable"))


@dataclass
class MessageSection:
    table: MessageTable | None
    results: list[MessageMetricResult]
    returns: ReturnTable | None = None
    return_results: list[ReturnMetricResult] = field(default_factory=list)

    @property
    def breached(self) -> bool:
        results: list[MessageMetricResult | ReturnMetricResult] = [
            *self.results, *self.return_results]
        return any(r.status == BREACH and r.enforced for r in results)

    @property
    def no_data(self) -> bool:
        """An enforced metric the exports cannot tell (no all-clear)."""
        return any(r.status == NO_DATA and r.enforced
                   for r in (*self.results, *self.return_results))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.table is not None:
            out.update({
                "message_files": list(self.table.files),
                "messages": len(self.table),
                "message_bad_rows": [{"line": line, "reason": reason}
                                     for line, reason in self.table.bad_rows],
                "message_metrics": [r.to_dict() for r in self.results],
            })
        if self.returns is not None:
            out.update({
                "return_files": list(self.returns.files),
                "returns": len(self.returns),
                "return_bad_rows": [{"line": line, "reason": reason}
                                    for line, reason in self.returns.bad_rows],
                "return_metrics": [r.to_dict() for r in self.return_results],
            })
        return out

    def print_text(self) -> None:
        if self.table is not None:
            self._print_messages()
        if self.returns is not None:
            self._print_returns()

    def _print_returns(self) -> None:
        assert self.returns is not None
        print()
        print(_("{n} returns from {files}").format(
            n=len(self.returns), files=", ".join(self.returns.files)))
        print(format_message_table(self.return_results))
        for r in self.return_results:
            if r.missing:
                print(_("  {metric}: no data: the file has no {fields} column").format(
                    metric=r.id, fields=", ".join(r.missing)))
            elif r.returns:
                parts = ", ".join(f"{k} {v}" for k, v in r.components.items())
                print(_("  {metric}: {n} dissatisfied ({parts}): {ids}").format(
                    metric=r.id, n=len(r.returns), parts=parts, ids=", ".join(r.returns[:10])
                    + (" …" if len(r.returns) > 10 else "")))
                for sentence in r.sentences:
                    print(f"    - {sentence}")
                if clears := r.clears_text():
                    print(f"    {clears}")
        _print_bad(self.returns.bad_rows, _("{n} return row(s) could not be read and are not "
                                            "counted:"))

    def _print_messages(self) -> None:
        assert self.table is not None
        print()
        print(_("{n} buyer messages from {files}").format(
            n=len(self.table), files=", ".join(self.table.files)))
        print(format_message_table(self.results))
        for r in self.results:
            if r.missing:
                print(_("  {metric}: no data: the file has no {fields} column").format(
                    metric=r.id, fields=", ".join(r.missing)))
            elif r.messages:
                print(_("  {metric}: {n} late: {ids}").format(
                    metric=r.id, n=len(r.messages), ids=", ".join(r.messages[:10])
                    + (" …" if len(r.messages) > 10 else "")))
                for sentence in r.sentences:
                    print(f"    - {sentence}")
                if clears := r.clears_text():
                    print(f"    {clears}")
        _print_bad(self.table.bad_rows,
                   _("{n} message row(s) could not be read and are not counted:"))


def _print_bad(bad_rows: list[tuple[int, str]], title: str) -> None:
    if not bad_rows:
        return
    print(title.format(n=len(bad_rows)), file=sys.stderr)
    for line, reason in bad_rows[:MAX_BAD_ROWS_SHOWN]:
        print(_("  line {line}: {reason}").format(line=line, reason=reason), file=sys.stderr)


def message_section(args: argparse.Namespace, policy: Policy, as_of: date,
                    case_paths: list[Path] | None = None) -> MessageSection | None:
    """The message and return metrics for ``--messages``/``--returns`` and the exports
    among the other report files (a case's imported ones, ``--report``: told from
    their header); None without any."""
    paths = [Path(p).expanduser() for p in getattr(args, "messages", [])]
    return_paths = [Path(p).expanduser() for p in getattr(args, "returns", [])]
    if paths and not policy.message_metrics:
        raise CommandError(_("policy {id} defines no message metrics").format(id=policy.id),
                           EXIT_ERROR)
    if return_paths and not policy.return_metrics:
        raise CommandError(_("policy {id} defines no return metrics").format(id=policy.id),
                           EXIT_ERROR)
    if case_paths:  # exports among the reports count when the policy has metrics for them
        families = split_by_family(case_paths, policy)
        for family, defined, found in ((MESSAGES, policy.message_metrics, paths),
                                       (RETURNS, policy.return_metrics, return_paths)):
            if defined:
                found[:0] = families[family]
            elif families[family]:
                print(_("{files}: policy {id} defines no metric for this data; not counted"
                        ).format(files=", ".join(p.name for p in families[family]),
                                 id=policy.id), file=sys.stderr)
    if not paths and not return_paths:
        return None
    section = MessageSection(None, [])
    try:
        if paths:
            section.table = read_messages(paths, policy)
            section.results = compute_message_metrics(section.table, policy, as_of)
        if return_paths:
            section.returns = read_returns(return_paths, policy)
            section.return_results = compute_return_metrics(section.returns, policy, as_of)
    except MessagesError as exc:
        raise CommandError(str(exc), EXIT_ERROR) from None
    return section


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def format_message_table(results: list[Any]) -> str:
    head = [_("metric"), _("value"), _("limit"), _("status"), _("num/den"), _("window"), ""]
    rows = [head]
    for r in results:
        rows.append([
            r.id, _percent(r.value),
            _("not stated") if r.limit is None else f"{r.comparator} {r.limit * 100:g}%",
            r.status, f"{r.numerator}/{r.denominator}",
            f"{r.window_start.isoformat()}…{r.window_end.isoformat()}",
            "" if r.enforced else _("advisory"),
        ])
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = []
    for row in rows:
        cells = [c.rjust(w) if i in (1, 4) else c.ljust(w)
                 for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
