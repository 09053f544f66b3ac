"""Reusable widgets; the four panes of the main screen."""

from appealdesk.widgets.editor_pane import EditorPane
from appealdesk.widgets.evidence_pane import EvidencePane
from appealdesk.widgets.inbox_pane import InboxPane
from appealdesk.widgets.metrics_pane import MetricsPane
from appealdesk.widgets.pane import Pane

__all__ = ["EditorPane", "EvidencePane", "InboxPane", "MetricsPane", "Pane"]
