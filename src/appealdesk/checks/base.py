"""Findings: everything that can get an appeal rejected, as stable codes.

Each area (evidence, letter, deadlines, ...) registers check functions with
``@check``. A check takes a ``CheckContext`` and returns findings. ``run_checks``
runs them all; ``appealdesk check`` and the app show the same list.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from appealdesk.cases.model import Case
from appealdesk.policy.types import Policy

BLOCKING = "blocking"
WARNING = "warning"

# Modules whose import registers checks; add yours here.
CHECK_MODULES: list[str] = [
    "appealdesk.checks.evidence",
    "appealdesk.checks.letter",
    "appealdesk.checks.listings",
]


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str  # blocking | warning
    message: str  # says what is wrong and how to fix it
    where: str = ""  # "evidence:<name>", "requirement:<id>", "letter:<line>", "order:<id>", ...
    # The figures the finding is about (counts, ids, limits), for front ends and --json.
    values: Mapping[str, Any] = field(default_factory=dict)
    # What fixes it, as an action id ("evidence.add", "letter.edit", "report.import", ...):
    # the CLI words it as a command, the app as a key. Never command text here.
    fix: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["values"] = dict(self.values)
        return data


@dataclass
class CheckContext:
    case: Case
    policy: Policy | None
    now: datetime
    workspace: Any = None  # appealdesk.cases.workspace.Workspace, for files and other cases
    cache: dict[str, Any] = field(default_factory=dict)  # shared by checks in one run


CheckFn = Callable[[CheckContext], list[Finding]]
_CHECKS: list[CheckFn] = []


def check(fn: CheckFn) -> CheckFn:
    _CHECKS.append(fn)
    return fn


def run_checks(ctx: CheckContext) -> list[Finding]:
    for module in CHECK_MODULES:
        importlib.import_module(module)
    findings: list[Finding] = []
    for fn in _CHECKS:
        findings.extend(fn(ctx))
    order = {BLOCKING: 0, WARNING: 1}
    return sorted(findings, key=lambda f: (order.get(f.severity, 2), f.code, _natural(f.where)))


def _natural(text: str) -> tuple:
    """Sort "letter:7" before "letter:11"."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def is_ready(findings: list[Finding]) -> bool:
    return not any(f.severity == BLOCKING for f in findings)
