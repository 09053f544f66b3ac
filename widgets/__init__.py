"""Reusable widgets; the four panes of the main screen.

The names are re-exported lazily (PEP 562): the case's panes pull in most of
the core (metrics, evidence, letters), and the app paints its first screen
before it needs them.
"""

from __future__ import annotations

from appealdesk.lazy_names import lazy_names

_MODULES = {
    "EditorPane": "appealdesk.widgets.editor_pane",
    "EvidencePane": "appealdesk.widgets.evidence_pane",
    "InboxPane": "appealdesk.widgets.inbox_pane",
    "MetricsPane": "appealdesk.widgets.metrics_pane",
    "Pane": "appealdesk.widgets.pane",
    "Table": "appealdesk.widgets.table",
}

__all__ = sorted(_MODULES)


__getattr__ = lazy_names(__name__, _MODULES)
