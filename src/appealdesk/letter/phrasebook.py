"""Vetted sentences for appeal letters, picked by their Chinese meaning.

``policies/phrasebook.toml`` ships the entries; ``<data>/policies/phrasebook.toml``
adds the user's own (an entry with the same id replaces the shipped one).
Placeholders such as ``{store}`` or ``{orders_count}`` are filled from the case;
``{orders}``, ``{parcels}``, ``{messages}``, ``{return_requests}`` carry the same
count with its noun ("1 order", "12 orders"), so a sentence agrees with any count;
``{carrier}``/``{sku}``/``{start}``/``{end}`` from the orders behind a breach
(``facts.MetricFact.placeholders``); those the case cannot fill (``{days}``) stay
visible so the operator and the ``placeholder_left`` check see them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from appealdesk.letter.counted import COUNTED_PLACEHOLDERS, counted
from appealdesk.letter.facts import LetterFacts

PHRASEBOOK_FILE = "phrasebook.toml"
CATEGORIES = ("root_cause", "action", "prevention", "metrics", "opening", "closing")


class PhrasebookError(ValueError):
    pass


@dataclass(frozen=True)
class Phrase:
    id: str
    category: str  # one of CATEGORIES
    topics: tuple[str, ...]  # late_shipment, cancellation, order_defect, ...
    label_zh: str  # what the sentence means, in Chinese
    text: str  # English, with placeholders
    zh: str = ""  # Chinese text for letters written in Chinese
    origin: str = "shipped"  # shipped | user

    def for_language(self, language: str) -> str:
        return self.zh if language == "zh" and self.zh else self.text


def _parse(text: str, origin: str, where: str) -> list[Phrase]:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PhrasebookError(f"{where}: not valid TOML: {exc}") from None
    out = []
    for i, item in enumerate(raw.get("phrase", [])):
        path = f"{where}: phrase[{i}]"
        if not isinstance(item, dict):
            raise PhrasebookError(f"{path} must be a table")
        missing = [k for k in ("id", "category", "label_zh", "text") if not item.get(k)]
        if missing:
            raise PhrasebookError(f"{path} needs {', '.join(missing)}")
        if item["category"] not in CATEGORIES:
            raise PhrasebookError(
                f"{path}.category is {item['category']!r}; one of {', '.join(CATEGORIES)}"
            )
        out.append(
            Phrase(
                id=str(item["id"]),
                category=str(item["category"]),
                topics=tuple(str(t) for t in item.get("topics", [])),
                label_zh=str(item["label_zh"]),
                text=str(item["text"]),
                zh=str(item.get("zh", "")),
                origin=origin,
            )
        )
    return out


def load_phrasebook(user_dir: Path | None = None) -> list[Phrase]:
    """Shipped entries followed by the user's; a user entry replaces a shipped one by id."""
    shipped = resources.files("appealdesk.policies").joinpath(PHRASEBOOK_FILE).read_text("utf-8")
    origin = f"appealdesk/policies/{PHRASEBOOK_FILE}"
    phrases = {p.id: p for p in _parse(shipped, "shipped", origin)}
    if user_dir is not None and (user_dir / PHRASEBOOK_FILE).is_file():
        path = user_dir / PHRASEBOOK_FILE
        for p in _parse(path.read_text("utf-8"), "user", str(path)):
            phrases[p.id] = p
    return list(phrases.values())


def placeholder_values(facts: LetterFacts, language: str = "en") -> dict[str, str]:
    """The values every phrase and template may use (counted nouns in ``language``)."""
    values = {
        "store": facts.store,
        "marketplace": facts.marketplace,
        "notification_id": facts.notification_id,
        "notification_type": facts.notification_type,
        "orders_count": str(facts.orders_count) if facts.orders_count else "",
        "date": facts.date.strftime("%Y-%m-%d") if facts.date else "",
        "received": facts.received.strftime("%Y-%m-%d") if facts.received else "",
        "case_id": facts.case_id,
    }
    if facts.orders_count:
        for unit in COUNTED_PLACEHOLDERS:
            values[unit] = counted(facts.orders_count, unit, language)
    values.update(facts.extra)
    return {k: v for k, v in values.items() if v}


def phrases_for(
    phrases: list[Phrase], *, topic: str | None = None, category: str | None = None
) -> list[Phrase]:
    """Entries for a notification type (by topic) and part of the letter (by category)."""
    out = []
    for p in phrases:
        if category and p.category != category:
            continue
        if topic and p.topics and not any(t == topic or t in topic for t in p.topics):
            continue
        out.append(p)
    return out
