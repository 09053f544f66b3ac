"""The derived index of a data folder's cases (``<data>/index.sqlite``).

Summaries for the inbox, ``list``, ``followups`` and the cross-case checks, and
full-text search over notices, letters and history. Rebuilt from the case
files whenever their stamps differ; deleting it loses nothing.
"""

from appealdesk.index.case_index import CaseIndex
from appealdesk.index.search import Hit
from appealdesk.index.summary import DueItem, Summary

__all__ = ["CaseIndex", "DueItem", "Hit", "Summary", "attach"]


def attach(workspace) -> CaseIndex:
    """Give ``workspace`` an index: ``workspace.cases_like`` then reads only the cases a
    check compares with, not every case. Returns the index (opened when first asked)."""
    index = CaseIndex.for_workspace(workspace)
    workspace.find_cases_like = index.load_rejected_like
    workspace.case_index = index
    return index
