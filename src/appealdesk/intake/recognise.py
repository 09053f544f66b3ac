"""Which marketplace, which notice type, which site, which ids: scoring a notice
against every policy's vocabulary (see vocabulary.py), never code per marketplace.

* marketplace: each policy scores 2 per distinct keyword (or rejection wording)
  found, 3 when one of
  its order-id patterns matches, 5 when its notification-id pattern matches.
  A tie on score is broken by evidence: the notification-id pattern, a sender
  address of the policy's ``senders`` domains, a site named in the text. When
  it still cannot be broken, the marketplace is ``unknown`` and the candidates
  are kept so the operator is asked.
* notification type: types whose own keywords are found rank by their
  ``priority`` first (a deactivation outranks the metric warning it mentions),
  then by score (distinct keywords, plus quoted figures of the metrics the
  type watches). Only figures and no keyword: the type that watches them.
  The policy's ``boilerplate`` sentences (the funds line every notice carries)
  are set aside first: their words are no evidence of the type.
* site: named in the prose first (the mention counted most often; URLs and
  e-mail addresses are not prose), then the sender's address, then URLs.
* ids: notification id (group 1), order ids and listing ids (ASINs), in order.
* kind: a ``rejection`` reply when the policy's rejection wording is found.
"""

from __future__ import annotations

import re
from typing import Any

from appealdesk.cases.model import QuotedMetric
from appealdesk.intake.text import UNKNOWN
from appealdesk.intake.vocabulary import Keyword, flat, group, vocabulary
from appealdesk.policy import user_regex
from appealdesk.policy.types import Policy

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]{1,500}", re.IGNORECASE)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,255}")
_GENERIC_ID = re.compile(
    r"(?:notification|case|reference|ticket|notice)[ ]?(?:id|no\.?|number|#)[ ]?[:#]?[ ]?"
    r"([A-Za-z0-9][A-Za-z0-9-]{3,40})",
    re.IGNORECASE,
)
_GENERIC_ID_ZH = re.compile(
    r"(?:通知编号|案件编号|违规编号|违规单号|工单号|编号)[ ]?:?[ ]?([A-Za-z0-9-]{4,40})"
)
_GENERIC_CODE = re.compile(
    r"(?:reason|rejection|denial|error)[ ]?code[ ]?[:#]?[ ]?([A-Za-z0-9][A-Za-z0-9_-]{1,30})"
    r"|(?:原因代码|驳回代码|拒绝代码)[ ]?:?[ ]?([A-Za-z0-9_-]{2,30})",
    re.IGNORECASE,
)


def prose(text: str) -> str:
    """The text without URLs and e-mail addresses (lower-cased)."""
    return flat(_EMAIL.sub(" ", _URL.sub(" ", text)))


def _evidence(policy: Policy, text: str, lower_prose: str, senders: list[str]) -> int:
    v = vocabulary(policy)
    ids = any(user_regex.search(p, text) for p in v.notification_ids)
    sender = any(d == s or d.endswith("." + s) for d in senders for s in v.senders)
    site = any(k.search(lower_prose) for _sid, keys in v.sites for k in keys)
    return int(ids) + int(sender) + int(site)


def score(policy: Policy, text: str, lower: str) -> tuple[int, int]:
    """(score, distinct signals) of ``policy`` for ``text``."""
    v = vocabulary(policy)
    # a rejection reply may never name the marketplace: its wording is vocabulary too
    keywords = sum(1 for k in v.keywords + v.rejection if k.search(lower))
    orders = any(user_regex.search(p, text) for p in v.order_ids)
    ids = any(user_regex.search(p, text) for p in v.notification_ids)
    total = 2 * keywords + (3 if orders else 0) + (5 if ids else 0)
    return total, keywords + int(orders) + int(ids)


def detect_marketplace(
    text: str, policies: list[Policy], senders: list[str] | None = None
) -> tuple[str, dict[str, int], list[str]]:
    """(marketplace or unknown, scores, candidates when a tie could not be broken)."""
    scores: dict[str, int] = {}
    lower = flat(text)
    ranked: list[tuple[int, int, str]] = []
    for policy in policies:
        value, _signals = score(policy, text, lower)
        if value:
            scores[policy.id] = value
            ranked.append((value, 0, policy.id))
    if not ranked:
        return UNKNOWN, scores, []
    top = max(r[0] for r in ranked)
    tied = [r[2] for r in ranked if r[0] == top]
    if len(tied) == 1:
        return tied[0], scores, []
    by_id = {p.id: p for p in policies}
    lower_prose = prose(text)
    evidence = {pid: _evidence(by_id[pid], text, lower_prose, senders or []) for pid in tied}
    best = max(evidence.values())
    winners = sorted(pid for pid in tied if evidence[pid] == best)
    if len(winners) == 1:
        return winners[0], scores, []
    return UNKNOWN, scores, winners


def detect_type(text: str, policy: Policy, quoted: list[QuotedMetric] | None = None) -> str:
    """The notice type (see the module docstring); ``unknown`` when nothing points to one."""
    v = vocabulary(policy)
    lower = flat(text)
    for sentence in v.boilerplate:  # "amounts paid for A-to-z claims ..." names no type
        lower = sentence.blank(lower)
    quoted_ids = {q.metric for q in quoted or ()}
    best_key: tuple[int, int, int] | None = None
    best = UNKNOWN
    for order, t in enumerate(v.types):
        words = sum(1 for k in t.keywords if k.search(lower))
        figures = len(quoted_ids & set(t.metrics)) * (2 if len(t.metrics) == 1 else 1)
        if not words and not figures:
            continue
        # a type named by its own words ranks by priority; figures alone rank below
        key = (t.priority if words else -1_000, words + figures, -order)
        if best_key is None or key > best_key:
            best_key, best = key, t.id
    return best


def detect_site(policy: Policy | None, text: str, senders: list[str]) -> str:
    """The site: most often named in the prose, then the sender's domain, then a URL."""
    if policy is None:
        return ""
    sites = vocabulary(policy).sites
    if not sites:
        return ""
    lower_prose = prose(text)
    counts = {sid: sum(k.count(lower_prose) for k in keys) for sid, keys in sites}
    top = max(counts.values())
    if top:
        named = [sid for sid, _keys in sites if counts[sid] == top]
        if len(named) == 1:
            return named[0]
    for domain in senders:
        for sid, keys in sites:
            if any(domain == k.word or domain.endswith("." + k.word) for k in keys):
                return sid
    for url in _URL.finditer(text):
        host = url.group(0).lower().split("//")[-1].split("/")[0]
        for sid, keys in sites:
            if any(host == k.word or host.endswith("." + k.word) for k in keys):
                return sid
    if top:
        return next(sid for sid, _keys in sites if counts[sid] == top)
    return ""


def detect_external_id(text: str, policy: Policy | None) -> str | None:
    patterns = vocabulary(policy).notification_ids if policy else []
    for pattern in patterns:
        match = user_regex.search(pattern, text)
        if match:
            return group(match)[:80]
    if policy is None:  # no policy to trust: a labelled id is still worth keeping
        for pattern in (_GENERIC_ID, _GENERIC_ID_ZH):
            match = pattern.search(text)
            if match and any(ch.isdigit() for ch in match.group(1)):
                return match.group(1)[:80]
    return None


def _all_ids(text: str, patterns: list[Any], exclude: str | None) -> list[str]:
    seen: dict[str, int] = {}
    for pattern in patterns:
        for match in user_regex.finditer(pattern, text):
            value = group(match)
            # an order-id pattern can match inside the notification id (JD 违约单号 WY2026...)
            if value and value not in seen and not (exclude and value in exclude):
                seen[value] = match.start()
    return sorted(seen, key=seen.__getitem__)


def detect_orders(text: str, policy: Policy | None, exclude: str | None = None) -> list[str]:
    return _all_ids(text, vocabulary(policy).order_ids, exclude) if policy else []


def detect_listings(text: str, policy: Policy | None, exclude: str | None = None) -> list[str]:
    """Listing ids the notice names (ASINs for Amazon), upper-cased, in order."""
    if policy is None:
        return []
    found = _all_ids(text, vocabulary(policy).listing_ids, exclude)
    return list(dict.fromkeys(f.upper() for f in found))


def is_rejection(text: str, policy: Policy | None) -> bool:
    """The text is the marketplace's answer rejecting an appeal."""
    if policy is None:
        return False
    lower = flat(text)
    return any(k.search(lower) for k in vocabulary(policy).rejection)


def rejection_code(text: str, policy: Policy | None) -> str | None:
    patterns = (vocabulary(policy).rejection_codes if policy else []) + [_GENERIC_CODE]
    for pattern in patterns:
        match = user_regex.search(pattern, text)
        if match:
            return group(match)[:40]
    return None


__all__ = ["Keyword", "detect_external_id", "detect_listings", "detect_marketplace",
           "detect_orders", "detect_site", "detect_type", "is_rejection", "prose",
           "rejection_code", "score"]
