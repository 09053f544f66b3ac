"""A case's status and lifecycle, and the case id rule: what the inbox, ``appealdesk
list`` and the index need of the case model, importable without it (``cases.model``
loads msgspec for its schema; it re-exports everything here)."""

from __future__ import annotations

import re
from enum import StrEnum


class Status(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    READY = "ready"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    CLOSED = "closed"
    ARCHIVED = "archived"


# The lifecycle every marketplace shares. ARCHIVED is reachable from anywhere
# (see allowed_transitions) and can be brought back to IN_PROGRESS.
TRANSITIONS: dict[Status, tuple[Status, ...]] = {
    Status.NEW: (Status.IN_PROGRESS, Status.READY, Status.CLOSED),
    Status.IN_PROGRESS: (Status.READY, Status.CLOSED),
    Status.READY: (Status.IN_PROGRESS, Status.SUBMITTED, Status.CLOSED),
    Status.SUBMITTED: (Status.APPROVED, Status.REJECTED),
    Status.REJECTED: (Status.IN_PROGRESS, Status.READY, Status.SUBMITTED, Status.CLOSED),
    Status.APPROVED: (Status.CLOSED,),
    Status.CLOSED: (Status.IN_PROGRESS,),
    Status.ARCHIVED: (Status.IN_PROGRESS,),
}

# Cases the inbox hides unless asked.
INACTIVE = frozenset({Status.CLOSED, Status.ARCHIVED})


def allowed_transitions(current: Status) -> tuple[Status, ...]:
    extra = () if current is Status.ARCHIVED else (Status.ARCHIVED,)
    return TRANSITIONS[current] + extra


class TransitionError(ValueError):
    """A status change the lifecycle does not allow."""


_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def is_safe_case_id(case_id: str) -> bool:
    """True when the id can be used as a single folder name and nothing more."""
    # fullmatch: with match, "$" would also accept a trailing newline ("abc\n").
    return bool(_SAFE_ID.fullmatch(case_id)) and "--" not in case_id
