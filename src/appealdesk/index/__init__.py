"""The derived index of a data folder's cases (``<data>/index.sqlite``).

Summaries for the inbox, ``list``, ``followups`` and the cross-case checks, and
full-text search over notices, letters and history. Rebuilt from the case
files whenever their stamps differ; deleting it loses nothing.

The names are re-exported lazily (PEP 562): the app's live view imports
``index.stamps`` before its first paint, and ``list`` never needs search.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from appealdesk.lazy_names import lazy_names

if TYPE_CHECKING:
    from appealdesk.index.case_index import CaseIndex
    from appealdesk.index.search import Hit
    from appealdesk.index.summary import DueItem, Summary

__all__ = ["CaseIndex", "DueItem", "Hit", "Summary", "attach"]

_MODULES = {
    "CaseIndex": "appealdesk.index.case_index",
    "Hit": "appealdesk.index.search",
    "DueItem": "appealdesk.index.summary",
    "Summary": "appealdesk.index.summary",
}


__getattr__ = lazy_names(__name__, _MODULES)


def attach(workspace) -> CaseIndex:
    """Give ``workspace`` an index: ``workspace.cases_like`` then reads only the cases a
    check compares with, not every case. Returns the index (opened when first asked)."""
    from appealdesk.index.case_index import CaseIndex

    index = CaseIndex.for_workspace(workspace)
    workspace.find_cases_like = index.load_rejected_like
    workspace.case_index = index
    return index
