"""The buyer-message part of ``appealdesk metrics``: ``--messages FILE`` and its output.

``metrics_cmd`` calls ``add_message_arguments`` when it builds its parser and
``message_section`` after the order metrics; the section prints (or returns for
``--json``) the policy's ``[[message_metrics]]`` computed from the files given.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from appealdesk.cli.common import EXIT_ERROR, CommandError
from appealdesk.i18n import _
from appealdesk.metrics.conversations import BREACH, MessageMetricResult, compute_message_metrics
from appealdesk.policy.types import Policy
from appealdesk.reports.conversations import MessagesError, MessageTable, read_messages

MAX_BAD_ROWS_SHOWN = 20


def add_message_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--messages", metavar="FILE", action="append", default=[],
        help=_("a buyer messages export (CSV); its reply-time metrics are shown too; repeatable"))


@dataclass
class MessageSection:
    table: MessageTable
    results: list[MessageMetricResult]

    @property
    def breached(self) -> bool:
        return any(r.status == BREACH and r.enforced for r in self.results)

    def to_json(self) -> dict[str, Any]:
        return {
            "message_files": list(self.table.files),
            "messages": len(self.table),
            "message_bad_rows": [{"line": line, "reason": reason}
                                 for line, reason in self.table.bad_rows],
            "message_metrics": [r.to_dict() for r in self.results],
        }

    def print_text(self) -> None:
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
        if self.table.bad_rows:
            print(_("{n} message row(s) could not be read and are not counted:").format(
                n=len(self.table.bad_rows)), file=sys.stderr)
            for line, reason in self.table.bad_rows[:MAX_BAD_ROWS_SHOWN]:
                print(_("  line {line}: {reason}").format(line=line, reason=reason),
                      file=sys.stderr)


def message_section(args: argparse.Namespace, policy: Policy, as_of: date) -> MessageSection | None:
    """The message metrics for ``--messages`` files; None when none were given."""
    paths = [Path(p).expanduser() for p in getattr(args, "messages", [])]
    if not paths:
        return None
    if not policy.message_metrics:
        raise CommandError(_("policy {id} defines no message metrics").format(id=policy.id),
                           EXIT_ERROR)
    try:
        table = read_messages(paths, policy)
    except MessagesError as exc:
        raise CommandError(str(exc), EXIT_ERROR) from None
    return MessageSection(table, compute_message_metrics(table, policy, as_of))


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def format_message_table(results: list[MessageMetricResult]) -> str:
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
