"""The evidence stage's refusals: one line for the operator saying why."""

from __future__ import annotations


class EvidenceError(Exception):
    """Something the operator asked that cannot be done; one line saying why."""


class BundleTooLarge(EvidenceError):
    def __init__(self, message: str, size: int, limit: int, culprits: list[tuple[str, int]]):
        super().__init__(message)
        self.size = size
        self.limit = limit
        self.culprits = culprits
