"""Claims a letter makes that the case must back: changes, attachments and figures.

- ``unsupported_claim``: the letter says we changed carrier, trained staff,
  bought an ERP, ... and no evidence of that kind is attached; or it says a
  document is attached ("photos of the new packaging are attached", "the
  contract is enclosed", a file name) and no matching evidence file is.
- ``figure_mismatch``: a rate or an order count in the letter differs from the
  case's figures (the notice's quoted figures and the ones computed from the
  imported reports). Only figures the case knows are compared: when the case
  has no computed counts, counts are not judged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from appealdesk.cases.model import Case
from appealdesk.checks.base import WARNING, Finding
from appealdesk.checks.letter_phrases import lines_of
from appealdesk.checks.letter_sections import split_sections
from appealdesk.i18n import N_, _
from appealdesk.policy.types import Policy

# Claimed actions and the evidence kinds (EvidenceRequirement.kind) that back them.
CLAIMS: list[tuple[str, re.Pattern[str], frozenset[str]]] = [
    ("carrier", re.compile(
        r"\b(?:switched|changed|moved|added|hired|contracted|partnered with|signed (?:a |an )?"
        # the carrier in the same clause: "added a rule to the connector: the carrier ..." is not
        r"(?:new |second |backup )?(?:contract|agreement) with)\b[^.:;\n]{0,60}"
        r"\b(?:carrier|courier|logistics"
        # "a second carrier pick-up" is a new pick-up time, not a new carrier
        r"|shipping (?:provider|partner|company)|forwarder)s?\b(?![ -]?(?:pick|collection))"
        r"|\bnew (?:carrier|courier"
        r"|logistics (?:provider|partner)|shipping (?:provider|partner))\b"
        r"|\bsigned (?:a |an )?(?:new |second |backup )?(?:carrier|courier|logistics) "
        r"(?:contract|agreement)\b|新(?:的)?(?:物流|快递|承运商)",
        # A carrier's delay notice proves the delay, not a new carrier: only a contract backs it.
        re.I), frozenset({"contract"})),
    ("warehouse", re.compile(
        r"\b(?:new|second|additional|overseas|local) (?:warehouse|fulfil?ment cent(?:er|re))\b"
        r"|\b(?:moved|relocated|opened|rented)\b[^.\n]{0,40}\bwarehouse\b|新(?:的)?仓库|海外仓",
        re.I), frozenset({"warehouse", "contract"})),
    ("training", re.compile(
        r"\b(?:trained|retrained|training (?:session|course|programme|program)s?|staff training"
        r"|trained our)\b|培训", re.I), frozenset({"training", "process"})),
    ("erp", re.compile(
        r"\b(?:ERP|inventory (?:management )?system|order management system|new software"
        r"|automated (?:inventory|stock|order) (?:sync|synchroni[sz]ation|system))\b"
        r"|ERP系统|库存系统",
        re.I), frozenset({"erp", "process"})),
    ("process", re.compile(
        r"\b(?:new|updated|revised) (?:SOP|standard operating procedure|procedure|checklist"
        r"|workflow)s?\b|新(?:的)?(?:流程|制度)", re.I), frozenset({"process", "training", "erp"})),
]

# What each claim says was done, in the finding's words.
CLAIM_WORDS = {
    "carrier": N_("a change of carrier"), "warehouse": N_("a new warehouse"),
    "training": N_("staff training"), "erp": N_("a new ERP or inventory system"),
    "process": N_("a new procedure"),
}

# The evidence kinds a claim needs, in the finding's words ("no contract/warehouse evidence").
KIND_WORDS = {
    "contract": N_("contract"), "warehouse": N_("warehouse"), "training": N_("training"),
    "process": N_("process"), "erp": N_("ERP"),
}


def _kinds(backing: frozenset[str]) -> str:
    return "/".join(_(KIND_WORDS[k]) if k in KIND_WORDS else k for k in sorted(backing))


_ATTACHED = re.compile(
    r"\b(?:attached|enclosed|attach(?:ing)?|please (?:find|see)|see the)\b"
    r"|附上|附件|随附|见附", re.I)
# "Please find below our plan of action", "Please see below": the letter pointing at itself
# (how published Plans of Action open, e.g. apph5.cn/news/archives/14097), no attachment
_SELF_REFERENCE = re.compile(
    r"\bplease (?:find|see)\b(?![^.;]*\battach)[^.;]{0,60}?\b(?:below|the following)\b", re.I)


def _says_attached(text: str) -> bool:
    return bool(_ATTACHED.search(_SELF_REFERENCE.sub(" ", text)))


# What an attachment claim names -> words that identify matching evidence
# (requirement kind, requirement id or name, file name, detected file type).
_DOCUMENTS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (re.compile(r"\b(?:photos?|pictures?|images?|photographs?)\b|照片|图片", re.I),
     ("photo", "picture", "image", "img", "png", "jpeg", "jpg", "gif", "packaging")),
    (re.compile(r"\b(?:invoices?|receipts?)\b|发票|收据", re.I),
     ("invoice", "receipt")),
    (re.compile(r"\b(?:contracts?|agreements?)\b|合同|协议", re.I),
     ("contract", "agreement")),
    # ("a second label printer (invoice attached)": the printer is no shipping label)
    (re.compile(r"\b(?:tracking|labels?(?![ -]?printers?)|pick-?up logs?"
                r"|proof of (?:shipment|delivery)|waybills?)\b"
                r"|物流|运单|面单", re.I),
     ("tracking", "carrier", "label", "pickup", "pick-up", "dispatch", "shipment", "waybill")),
    (re.compile(r"\b(?:SOP|procedures?|checklists?|training records?|process documents?)\b"
                r"|流程|制度|培训记录", re.I),
     ("process", "sop", "procedure", "checklist", "training")),
    (re.compile(r"\bscreenshots?\b|截图", re.I), ("screenshot", "screen")),
    # what authenticity, IP and restricted-product appeals say they attach (third audit)
    (re.compile(r"\b(?:letters? of authori[sz]ation|authori[sz]ation letters?|LOA)\b|授权书",
                re.I), ("authori", "loa", "授权")),
    (re.compile(r"\b(?:safety data sheets?|M?SDS)\b", re.I), ("sds", "safety")),
    (re.compile(r"\b(?:test(?:ing)? (?:reports?|summar(?:y|ies)|results?)|lab reports?"
                r"|certificates?(?: of (?:analysis|conformity|compliance))?|CoA|CPC|UN ?38\.3)\b"
                r"|检测报告|证书", re.I),
     ("test", "report", "certificate", "cert", "coa", "cpc", "un38", "检测", "证书")),
]
_FILE_NAME = re.compile(r"\b[\w()-][\w.()-]*\.(?:pdf|png|jpe?g|gif|zip|xlsx?|csv|docx?)\b", re.I)
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*[%％]")
_COUNT = re.compile(
    r"\b(\d[\d,]*)\s+(?:late|cancell?ed|defective|delayed|affected|flagged)\s+"
    r"(?:orders?|shipments?|packages?)\b"
    r"|\b(\d[\d,]*)\s+(?:orders?|shipments?|packages?)\s+(?:were|was)\s+"
    r"(?:late|cancell?ed|shipped late|delayed)\b"
    r"|(\d+)\s*(?:笔|个|单)?(?:迟发|延迟发货|取消)?订单", re.I)


def evidence_kinds(case: Case, policy: Policy) -> set[str]:
    kinds = set()
    for item in case.evidence:
        req = policy.requirement(item.requirement) if item.requirement else None
        if req is not None:
            kinds.add(req.kind)
        for key in ("evidence_kind", "requirement_kind"):
            if item.extra.get(key):
                kinds.add(str(item.extra[key]))
    waived = {policy.requirement(w.requirement) for w in case.waivers}
    kinds |= {r.kind for r in waived if r is not None}
    return kinds


def _evidence_words(case: Case, policy: Policy) -> list[str]:
    """One lower-case description per evidence item: names, requirement, kind, type."""
    out = []
    for item in case.evidence:
        req = policy.requirement(item.requirement) if item.requirement else None
        parts = [item.name, item.original_name, item.requirement or "", item.kind,
                 req.kind if req else "", req.name if req else "",
                 str(item.extra.get("evidence_kind", ""))]
        out.append(" ".join(parts).lower())
    return out


def _names(case: Case) -> set[str]:
    return {n.lower() for item in case.evidence for n in (item.name, item.original_name) if n}


def _cause_lines(text: str, policy: Policy) -> set[int]:
    """The lines of the cause part: it tells what was (the order management system the orders
    went through, the carrier that missed pick-ups), not what we changed."""
    roles = {s.id: s.role or s.id for s in policy.letter.sections}
    out: set[int] = set()
    for part in split_sections(text, policy):
        if part.section_id and roles.get(part.section_id) == "cause":
            out.update(range(part.line, part.line + len(part.body) + 1))
    return out


def claim_findings(text: str, case: Case, policy: Policy) -> list[Finding]:
    out: list[Finding] = []
    kinds = evidence_kinds(case, policy)
    described = _evidence_words(case, policy)
    names = _names(case)
    told = _cause_lines(text, policy)
    for n, line in lines_of(text):
        if line.lstrip().startswith(("<!--", ">")):
            # an option the operator has not chosen (choice_left speaks for it), or the
            # notice quoted below a reply ("> Please find attached ..."): not our claim
            continue
        for claim, pattern, backing in CLAIMS:
            if n in told:
                break
            if pattern.search(line) and not (kinds & backing):
                out.append(Finding("unsupported_claim", WARNING, _(
                    "line {n} claims {claim} but no {kinds} evidence is attached; attach it or "
                    "remove the claim"
                ).format(n=n, claim=_(CLAIM_WORDS[claim]), kinds=_kinds(backing)),
                    f"letter:{n}",
                    {"claim": claim, "needs": sorted(backing)}, "evidence.add"))
        missing_files = [f for f in _FILE_NAME.findall(line) if f.lower() not in names]
        for fname in missing_files:
            out.append(Finding("unsupported_claim", WARNING, _(
                "line {n} names the file {file}, which is not among the case's evidence; "
                "attach it or correct the name"
            ).format(n=n, file=fname), f"letter:{n}", {"claim": "file", "file": fname},
                "evidence.add"))
        if not _says_attached(line) or _FILE_NAME.search(line):
            continue
        # the documents named in the clause that says "attached", not elsewhere on the line
        clauses = [c for c in re.split(r"[;,.；，。]", line) if _says_attached(c)]
        claim = " ".join(clauses) or line
        wanted = [words for pattern, words in _DOCUMENTS if pattern.search(claim)]
        if wanted:
            backed = all(any(any(w in d for w in words) for d in described) for words in wanted)
        else:
            backed = bool(case.evidence)
        if not backed:
            out.append(Finding("unsupported_claim", WARNING, _(
                "line {n} says something is attached, but the case has no matching evidence "
                "file; attach it or remove the sentence"
            ).format(n=n), f"letter:{n}", {"claim": "attachment"}, "evidence.add"))
    return out


def _known_rates(case: Case, policy: Policy, figures: Iterable[Any]) -> list[float]:
    """Every rate (in percent) the case knows: quoted, computed and the limits."""
    rates: list[float] = []
    for q in case.notification.quoted_metrics:
        rates.append(q.value if q.value > 1 else q.value * 100)
    for f in figures:
        if getattr(f, "value", None) is not None:
            rates.append(f.value * 100)
    if not rates:
        return []  # the case knows no figure of its own: nothing to compare with
    for m in policy.metrics:
        if m.limit is not None:
            rates.append(m.limit * 100 if m.limit <= 1 else m.limit)
    return rates


def _metric_words(policy: Policy) -> list[str]:
    words = ["rate", "率"]
    for m in policy.metrics:
        for name in (m.name, m.name_zh):
            base = re.sub(r"\s*[(（].*?[)）]\s*", "", name).strip().lower()
            if base:
                words.append(base)
    return words


def _close(stated: str, known: float) -> bool:
    decimals = len(stated.split(".")[1]) if "." in stated else 0
    return abs(float(stated) - known) <= 0.5 * 10 ** -decimals + 1e-9


def figure_findings(text: str, case: Case, policy: Policy,
                    figures: Iterable[Any] = ()) -> list[Finding]:
    figures = list(figures)
    rates = _known_rates(case, policy, figures)
    counts = {int(x) for f in figures for x in (getattr(f, "numerator", None),
                                                getattr(f, "denominator", None)) if x}
    words = _metric_words(policy)
    out: list[Finding] = []
    for n, line in lines_of(text):
        if line.lstrip().startswith(("<!--", ">")):  # an option; the quoted notice
            continue
        low = line.lower()
        if rates and any(w in low for w in words):
            for m in _PERCENT.finditer(line):
                stated = m.group(1).replace(",", ".")
                if not any(_close(stated, r) for r in rates):
                    out.append(Finding("figure_mismatch", WARNING, _(
                        "line {n} states {stated}%, which is none of the case's figures ({known}); "
                        "quote the notice's or the recomputed figure"
                    ).format(n=n, stated=stated, known=", ".join(
                        f"{r:.2f}%" for r in sorted(set(rates)))), f"letter:{n}",
                        {"stated": float(stated), "known": sorted(set(rates))}, "letter.edit"))
        if counts:
            for m in _COUNT.finditer(line):
                raw = next(g for g in m.groups() if g)
                stated_n = int(raw.replace(",", ""))
                if stated_n not in counts:
                    out.append(Finding("figure_mismatch", WARNING, _(
                        "line {n} states {stated} orders, but the case's counts are {known}; "
                        "use the count from the case's figures"
                    ).format(n=n, stated=stated_n, known=", ".join(map(str, sorted(counts)))),
                        f"letter:{n}", {"stated": stated_n, "known": sorted(counts)},
                        "letter.edit"))
    return out
