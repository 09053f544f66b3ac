"""Filling ``{name}`` placeholders in the templates a policy carries.

One filler for every template a policy or the phrasebook holds: file names
(``files.letter_name``, ``evidence_name``, ``bundle_name``), follow-up titles,
letter templates and phrasebook sentences. A policy is user-written data, so
filling never fails: a placeholder without a value stays as written (or as
``missing(name)`` says), a malformed brace is left as plain text, and a format
spec (``{n:02d}``) that does not fit the value is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

# {name} or {name:spec}; names are identifiers. Anything else in braces is text.
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::([^{}\n]*))?\}")


def keep(name: str) -> str:
    """The default for a placeholder without a value: leave it visible, as written."""
    return "{" + name + "}"


def fill(template: str, values: Mapping[str, Any],
         missing: Callable[[str], str] = keep) -> str:
    """``template`` with every placeholder that has a non-empty value replaced.

    A placeholder whose value is missing, None or "" becomes ``missing(name)``.
    """
    def one(match: re.Match[str]) -> str:
        name, spec = match.group(1), match.group(2)
        value = values.get(name)
        if value is None or value == "":
            return missing(name)
        if spec:
            try:
                return format(value, spec)
            except (ValueError, TypeError):
                return str(value)
        return str(value)

    return PLACEHOLDER.sub(one, template)


def placeholders(template: str) -> list[str]:
    """The placeholder names of ``template``, in order, each once."""
    return list(dict.fromkeys(m.group(1) for m in PLACEHOLDER.finditer(template)))
