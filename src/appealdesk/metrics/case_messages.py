"""The buyer-message and return metrics of a case's imported exports.

``case_metrics.evaluate_case`` calls ``evaluate_messages`` with the case's
message and return files (told apart by ``reports.families``) and keeps the
result beside the order metrics, so the CLI, the metrics pane and the letter
draft all see the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from appealdesk.metrics.conversations import MessageEvaluation, MessageMetricResult
from appealdesk.metrics.message_results import BREACH, NO_DATA
from appealdesk.metrics.returns import ReturnMetricResult, compute_return_metrics
from appealdesk.policy.types import Policy
from appealdesk.reports.conversations import MessageTable, read_messages
from appealdesk.reports.returns import ReturnTable, read_returns

AnyResult = MessageMetricResult | ReturnMetricResult


@dataclass
class CaseMessages:
    """Message and return metrics of one case (tables kept for the drill-down)."""

    messages: MessageTable | None = None
    message_results: list[MessageMetricResult] = field(default_factory=list)
    returns: ReturnTable | None = None
    return_results: list[ReturnMetricResult] = field(default_factory=list)

    @property
    def clears(self) -> dict[str, date | None]:
        """Breached metrics of a rolling window: the day each clears if nothing new goes
        wrong (None: not within the window's length)."""
        return {r.id: r.clears.day for r in self.results if r.clears is not None}

    @property
    def results(self) -> list[AnyResult]:
        return [*self.message_results, *self.return_results]

    @property
    def files(self) -> list[str]:
        return [*(self.messages.files if self.messages else []),
                *(self.returns.files if self.returns else [])]

    @property
    def bad_rows(self) -> int:
        return (len(self.messages.bad_rows) if self.messages else 0) + \
            (len(self.returns.bad_rows) if self.returns else 0)

    def has_export(self, result: AnyResult) -> bool:
        """Whether an export of the result's family was imported at all."""
        return (self.messages if kind_of(result) == "messages" else self.returns) is not None

    def breached(self) -> list[AnyResult]:
        return [r for r in self.results if r.status == BREACH]

    def lacking(self) -> list[AnyResult]:
        return [r for r in self.results if r.status == NO_DATA]


def evaluate_messages(message_paths: list[Path], return_paths: list[Path], policy: Policy,
                      as_of: date) -> CaseMessages:
    """Read the exports and compute the policy's message and return metrics as of ``as_of``.

    Raises ``reports.conversations.MessagesError`` for a file that is not an export.
    """
    out = CaseMessages()
    if policy.message_metrics:
        # Without an export every message metric is no_data (never an all-clear).
        out.messages = read_messages(message_paths, policy) if message_paths else None
        ev = MessageEvaluation(out.messages or _no_messages(), policy)
        out.message_results = [ev.evaluate(metric, as_of) for metric in policy.message_metrics]
    if policy.return_metrics:
        out.returns = read_returns(return_paths, policy) if return_paths else None
        out.return_results = compute_return_metrics(out.returns or ReturnTable(), policy,
                                                    as_of)
    return out


def _no_messages() -> MessageTable:
    import numpy as np

    nothing = np.zeros(0, dtype=np.float64)
    flags = np.zeros(0, dtype=bool)
    return MessageTable(ids=[], received=nothing, replied=nothing, needed=flags,
                        automatic=flags, spam=flags, channel=[], order_id=[], agent=[])


def kind_of(result: AnyResult) -> str:
    """``messages`` or ``returns``: what the counts of a result are counts of."""
    return result.ROWS


def ids_of(result: AnyResult) -> list[str]:
    """The messages or returns counting against a result."""
    return list(result.ids)
