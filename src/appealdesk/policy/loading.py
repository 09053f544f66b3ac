"""Finding and loading policies: the shipped files, the user's overrides, companion files.

The shipped policies live in the ``appealdesk.policies`` package; a user adds or
overrides one by dropping ``<id>.toml`` into ``<data>/policies``. A broken user
file is reported in ``PolicySet.errors`` and never hides the others.
"""

from __future__ import annotations

import threading
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from appealdesk.policy.types import Policy, PolicyError
from appealdesk.policy.validation import validate
from appealdesk.toml_fast import fast_toml


def parse_policy_text(text: str, origin: str, *, check_holidays: bool = True,
                      shipped: bool = False) -> Policy:
    """Parse and validate one policy; raise PolicyError listing every problem.
    ``shipped``: a file of the package, which the tests validate in full (see
    ``validate``)."""
    # (toml_rs in a process with one thread only: see cases.errors.parse_toml)
    raw = fast_toml(text) if threading.active_count() == 1 else None
    try:
        if raw is None:
            raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(origin, [f"not valid TOML: {exc}"]) from None
    except RecursionError:
        raise PolicyError(origin, ["not valid TOML: values nested too deeply"]) from None
    policy, problems = validate(raw, origin=origin, check_holidays=check_holidays,
                                shipped=shipped)
    if policy is None:
        raise PolicyError(origin, problems)
    return policy


def load_policy_file(path: Path) -> Policy:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(str(path), [f"cannot read: {exc}"]) from None
    return parse_policy_text(text, str(path))


# TOML files in a policies folder that are not marketplace policies.
COMPANION_FILES = frozenset({"phrasebook.toml", "template_phrases.toml"})


def is_policy_file_name(name: str) -> bool:
    hidden = name.startswith(("_", "."))
    return name.endswith(".toml") and not hidden and name not in COMPANION_FILES


def shipped_policy_texts() -> dict[str, tuple[str, str]]:
    """``{file stem: (origin, text)}`` for every policy bundled with the package."""
    out = {}
    for entry in resources.files("appealdesk.policies").iterdir():
        if is_policy_file_name(entry.name):
            out[entry.name[:-5]] = (f"appealdesk/policies/{entry.name}", entry.read_text("utf-8"))
    return out


@dataclass
class PolicySet:
    """All usable policies, plus the files that failed to load."""

    policies: dict[str, Policy]
    errors: list[PolicyError]

    def get(self, policy_id: str) -> Policy | None:
        return self.policies.get(policy_id)

    def __iter__(self):
        return iter(sorted(self.policies.values(), key=lambda p: p.id))


def load_policies(user_dir: Path | None = None) -> PolicySet:
    """Shipped policies, overridden or extended by ``user_dir/*.toml``.

    A broken user file is reported in ``errors`` and never hides the others.
    """
    policies: dict[str, Policy] = {}
    errors: list[PolicyError] = []
    for origin, text in shipped_policy_texts().values():
        try:
            policy = parse_policy_text(text, origin, shipped=True)
        except PolicyError as exc:
            errors.append(exc)
            continue
        policies[policy.id] = policy
    if user_dir and user_dir.is_dir():
        for path in sorted(p for p in user_dir.glob("*.toml") if is_policy_file_name(p.name)):
            try:
                policy = load_policy_file(path)
            except PolicyError as exc:
                errors.append(exc)
                continue
            policies[policy.id] = policy
    return PolicySet(policies, errors)


def policy_resource_text(name: str, user_dir: Path | None = None) -> str | None:
    """A companion file (letter template, phrasebook) from the user's or shipped policies."""
    if user_dir and (user_dir / name).is_file():
        return (user_dir / name).read_text("utf-8")
    entry = resources.files("appealdesk.policies").joinpath(name)
    return entry.read_text("utf-8") if entry.is_file() else None
