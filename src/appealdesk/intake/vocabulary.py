"""A policy's recognition vocabulary, compiled once per policy object.

Keywords are found with ``str.find`` on lower-cased text (a case-insensitive
regex with ``\\b`` cannot use the engine's fast literal scan; ``find`` keeps a
1 MB paste at milliseconds per keyword). ASCII words must stand alone ("noon"
is not in "afternoon") but a boundary between Latin and CJK text counts as a
word boundary ("您的Amazon.com卖家账户" has "amazon"). A space in a keyword may be
absent. ``…`` in a keyword is a short gap: "暂停…卖家账户" matches
"暂停了您的卖家账户" (the parts in order, at most 24 characters apart).

Besides the policy schema's keys, the vocabulary reads (from the policy file):
``[recognise] listing_id_patterns``, ``senders`` (mail domains),
``rejection_keywords``, ``rejection_code_patterns``, ``notification_id_given``,
``boilerplate`` (sentences every notice carries whatever its cause, such as the funds
line naming A-to-z claims and chargebacks: their words never decide the notice type);
``[[notification_types]] priority``; ``[[sites]] aliases``; ``[[metrics]] aliases``
(other names notices give a metric). See policies/SCHEMA.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from appealdesk.policy import user_regex
from appealdesk.policy.types import Policy

GAP = "…"
_MAX_GAP = 24


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF
            or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF)


def word_char(ch: str) -> bool:
    """A letter or digit that continues a Latin word (CJK text does not)."""
    return (ch.isalnum() or ch == "_") and not _is_cjk(ch)


def flat(text: str) -> str:
    """Lower-cased with line breaks as spaces (same length): a keyword may wrap."""
    return text.lower().replace("\n", " ")


def _key(word: str) -> str:
    return unicodedata.normalize("NFKC", word).strip().lower()


class Keyword:
    """One keyword, found in lower-cased normalised text."""

    def __init__(self, word: str):
        word = _key(word).replace("...", GAP)
        self.word = word
        self.parts = [p.strip() for p in word.split(GAP) if p.strip()] if GAP in word else []
        self.forms = {word, word.replace(" ", "")} if " " in word else {word}
        self.bounded = word.isascii() and word[:1].isalnum() and word[-1:].isalnum()

    def search(self, lower: str) -> bool:
        if self.parts:
            return self._find_gapped(lower)
        return any(self.find(lower, form) >= 0 for form in self.forms)

    def count(self, lower: str) -> int:
        """How often the keyword occurs (bounded), for site mentions."""
        total, form = 0, self.word
        start = self.find(lower, form)
        while start >= 0:
            total += 1
            start = self.find(lower, form, start + len(form))
        return total

    def find(self, lower: str, form: str, start: int = 0) -> int:
        start = lower.find(form, start)
        while start >= 0:
            end = start + len(form)
            if lower[end:end + 1] == "s" and self.bounded:
                end += 1  # "late shipments" has "late shipment"
            if not self.bounded or (
                (start == 0 or not word_char(lower[start - 1]))
                and (end == len(lower) or not word_char(lower[end]))
            ):
                return start
            start = lower.find(form, start + 1)
        return -1

    def _find_gapped(self, lower: str) -> bool:
        return self._gapped_span(lower, lower.find(self.parts[0])) is not None

    def _gapped_span(self, lower: str, start: int) -> tuple[int, int] | None:
        """(start, end) of the first gapped match beginning at or after ``start``."""
        first, rest = self.parts[0], self.parts[1:]
        while start >= 0:
            position, ok = start + len(first), True
            for part in rest:
                found = lower.find(part, position, position + _MAX_GAP + len(part))
                if found < 0:
                    ok = False
                    break
                position = found + len(part)
            if ok:
                return start, position
            start = lower.find(first, start + 1)
        return None

    def blank(self, lower: str) -> str:
        """``lower`` with every occurrence of the keyword made spaces (same length)."""
        spans = []
        if self.parts:
            span = self._gapped_span(lower, lower.find(self.parts[0]))
            while span is not None:
                spans.append(span)
                span = self._gapped_span(lower, lower.find(self.parts[0], span[1]))
        else:
            for form in self.forms:
                start = self.find(lower, form)
                while start >= 0:
                    spans.append((start, start + len(form)))
                    start = self.find(lower, form, start + len(form))
        for start, end in spans:
            lower = lower[:start] + " " * (end - start) + lower[end:]
        return lower


@dataclass
class TypeVocabulary:
    id: str
    keywords: list[Keyword]
    priority: int
    metrics: tuple[str, ...]


@dataclass
class Vocabulary:
    keywords: list[Keyword]
    notification_ids: list[Any]
    order_ids: list[Any]
    listing_ids: list[Any]
    senders: list[str]
    rejection: list[Keyword]
    rejection_codes: list[Any]
    boilerplate: list[Keyword]  # sentences every notice carries: no evidence of its type
    notification_id_given: bool
    types: list[TypeVocabulary]
    metric_names: list[tuple[str, re.Pattern, list[str]]]  # (first word, name pattern, ids)
    sites: list[tuple[str, list[Keyword]]]  # site id, its names and aliases


_compiled: dict[int, tuple[Policy, Vocabulary]] = {}
_PAREN_TAIL = re.compile(r"[ ]?\([^()]*\)$")


def base_name(name: str) -> str:
    name = unicodedata.normalize("NFKC", name).strip()
    return _PAREN_TAIL.sub("", name).strip()


def _strings(value: object) -> list[str]:
    return [str(v) for v in value if str(v).strip()] if isinstance(value, list) else []


def user_pattern(pattern: str) -> Any:
    """A policy's pattern with a time limit on every search (probed when the policy loaded)."""
    return user_regex.compile_user(pattern, probe=False)


def _patterns(value: object) -> list[Any]:
    out = []
    for text in _strings(value):
        try:
            out.append(user_pattern(text))
        except user_regex.PatternError:
            continue  # `appealdesk policies check` reports it; intake goes on without it
    return out


def vocabulary(policy: Policy) -> Vocabulary:
    cached = _compiled.get(id(policy))
    if cached and cached[0] is policy:
        return cached[1]
    raw = policy.raw or {}
    rec = raw.get("recognise", {}) if isinstance(raw.get("recognise"), dict) else {}
    names: dict[str, list[str]] = {}
    raw_metrics = {str(m.get("id")): m for m in raw.get("metrics", []) if isinstance(m, dict)}
    for metric in policy.metrics:
        aliases = _strings(raw_metrics.get(metric.id, {}).get("aliases", []))
        for name in (metric.name, metric.name_zh, *aliases):
            if name:
                names.setdefault(base_name(name).lower(), []).append(metric.id)
    for ntype in policy.notification_types:
        if len(ntype.metrics) == 1:
            for word in ntype.keywords:
                key = _key(word)
                if key and GAP not in key and key not in names:
                    names[key] = list(ntype.metrics)
    metric_names = []
    # longest first so "late shipment rate" claims a figure before "late shipment"
    for key in sorted(names, key=len, reverse=True):
        body = re.escape(key).replace(r"\ ", r"[ ]?")
        metric_names.append((key.split(" ")[0], re.compile(body, re.IGNORECASE), names[key]))
    raw_types = {str(t.get("id")): t for t in raw.get("notification_types", [])
                 if isinstance(t, dict)}
    types = []
    for t in policy.notification_types:
        priority = raw_types.get(t.id, {}).get("priority", 0)
        types.append(TypeVocabulary(
            t.id, [Keyword(k) for k in t.keywords if k.strip()],
            priority if isinstance(priority, int) and not isinstance(priority, bool) else 0,
            t.metrics))
    raw_sites = {str(s.get("id")): s for s in raw.get("sites", []) if isinstance(s, dict)}
    sites = []
    for site in policy.sites:
        words = [site.id] + _strings(raw_sites.get(site.id, {}).get("aliases", []))
        if site.name and site.name.lower() != site.id.lower():
            words.append(base_name(site.name))
        sites.append((site.id, [Keyword(w) for w in dict.fromkeys(_key(w) for w in words)]))
    given = rec.get("notification_id_given", True)
    compiled = Vocabulary(
        keywords=[Keyword(k) for k in policy.recognise.keywords if k.strip()],
        notification_ids=[user_pattern(p) for p in policy.recognise.notification_id_patterns],
        order_ids=[user_pattern(p) for p in policy.recognise.order_id_patterns],
        listing_ids=_patterns(rec.get("listing_id_patterns", [])),
        senders=[s.lower().lstrip("@") for s in _strings(rec.get("senders", []))],
        rejection=[Keyword(k) for k in _strings(rec.get("rejection_keywords", []))],
        rejection_codes=_patterns(rec.get("rejection_code_patterns", [])),
        boilerplate=[Keyword(k) for k in _strings(rec.get("boilerplate", []))],
        notification_id_given=given if isinstance(given, bool) else True,
        types=types,
        metric_names=metric_names,
        sites=sites,
    )
    _compiled[id(policy)] = (policy, compiled)
    return compiled


def group(match: re.Match) -> str:
    """Group 1 (the first non-empty group) of a pattern, else the whole match."""
    if match.re.groups:
        for value in match.groups():
            if value:
                return value.strip()
    return match.group(0).strip()
