"""The metric engine, in one import: results (``results``), a table seen from a
policy (``evaluation``, whose module doc holds the definitions), clusters,
trend and recovery (``analysis``) and the cross-check (``crosscheck``)."""

from __future__ import annotations

from appealdesk.metrics.analysis import (
    Analysis,
    Cluster,
    Recovery,
    analyse,
    bad_noun,
    clusters_of,
    recovery_of,
    trend_of,
)
from appealdesk.metrics.crosscheck import (
    Discrepancy,
    as_of_for,
    cross_check,
    drill_down,
    order_fields,
)
from appealdesk.metrics.evaluation import Evaluation, compute_metrics
from appealdesk.metrics.results import (
    BREACH,
    INSUFFICIENT,
    NO_DATA,
    NO_LIMIT,
    OK,
    QUOTE_TOLERANCE,
    RECOVERY_HORIZON,
    MetricResult,
    status_of,
    window_for,
    within,
)

__all__ = [
    "BREACH", "INSUFFICIENT", "NO_DATA", "NO_LIMIT", "OK", "QUOTE_TOLERANCE", "RECOVERY_HORIZON",
    "Analysis", "Cluster", "Discrepancy", "Evaluation", "MetricResult", "Recovery", "analyse",
    "as_of_for", "bad_noun", "clusters_of", "compute_metrics", "cross_check", "drill_down",
    "order_fields",
    "recovery_of", "status_of", "trend_of", "window_for", "within",
]
