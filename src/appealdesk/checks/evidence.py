"""Evidence findings: what would get the appeal rejected for its attachments.

Codes (stable, documented in the README): evidence_missing, orders_not_covered,
file_too_large, file_format, file_name, encrypted_pdf, document_too_old.

Contributing orders (from the metrics stage) are read through
``contributing_orders(ctx)``: whoever runs the checks may put them into
``ctx.cache["contributing_orders"]``; otherwise they are computed from the
case's reports (case_metrics), and without reports only cited orders count.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from appealdesk.cases.model import EvidenceItem
from appealdesk.checks.base import BLOCKING, WARNING, CheckContext, Finding, check
from appealdesk.deadlines.days import day_or_none
from appealdesk.evidence.checklist import MISSING, PARTIAL, Checklist, checklist, requirements_for
from appealdesk.evidence.files import EXTENSIONS, normalise_kind
from appealdesk.evidence.names import template_pattern
from appealdesk.i18n import _, pick

MAX_LISTED_ORDERS = 10


def contributing_orders(ctx: CheckContext) -> tuple[str, ...]:
    """Orders that made the metric fail: given by the caller, else computed from the reports."""
    if "contributing_orders" not in ctx.cache and ctx.workspace is not None:
        from appealdesk.metrics.case_metrics import contributing_orders as from_reports

        ctx.cache["contributing_orders"] = from_reports(ctx.workspace, ctx.case)
    return tuple(ctx.cache.get("contributing_orders", ()))


EVIDENCE_CODES = ("evidence_missing", "orders_not_covered", "file_too_large", "file_format",
                  "file_name", "encrypted_pdf", "document_too_old")


def evidence_findings(ctx: CheckContext) -> list[Finding]:
    """Only this module's findings (the app's evidence pane shows these next to items)."""
    out: list[Finding] = []
    for fn in (evidence_missing, orders_not_covered, file_too_large, file_format, file_name,
               encrypted_pdf, document_too_old):
        out.extend(fn(ctx))
    return out


def _checklist(ctx: CheckContext) -> Checklist:
    if "evidence_checklist" not in ctx.cache:
        ctx.cache["evidence_checklist"] = checklist(ctx.case, ctx.policy, contributing_orders(ctx))
    return ctx.cache["evidence_checklist"]


def _where(item: EvidenceItem) -> str:
    return f"evidence:{item.name}"


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


@check
def evidence_missing(ctx: CheckContext) -> list[Finding]:
    if ctx.policy is None:
        return []
    findings = []
    for item in _checklist(ctx).items:
        if item.state != MISSING:
            continue
        req = item.requirement
        findings.append(Finding(
            "evidence_missing", BLOCKING,
            _("No file for \u201c{name}\u201d yet: attach one, or waive it with a reason.")
            .format(name=pick(req.name, req.name_zh)),
            f"requirement:{req.id}", values={"requirement": req.id}, fix="evidence.add",
        ))
    if ctx.workspace is not None:
        present = {p.name for p in ctx.workspace.store.list_files(ctx.case.id, "evidence")}
        for ev in ctx.case.evidence:
            if ev.name not in present:
                findings.append(Finding(
                    "evidence_missing", BLOCKING,
                    _("{name} is listed but its file is gone from the evidence folder: add it "
                      "again or remove it from the case.").format(name=ev.name),
                    _where(ev), values={"file": ev.name}, fix="evidence.remove",
                ))
    return findings


@check
def orders_not_covered(ctx: CheckContext) -> list[Finding]:
    if ctx.policy is None:
        return []
    findings = []
    for item in _checklist(ctx).items:
        if item.state != PARTIAL:
            continue
        shown = ", ".join(item.uncovered[:MAX_LISTED_ORDERS])
        more = len(item.uncovered) - MAX_LISTED_ORDERS
        if more > 0:
            shown += _(" and {n} more").format(n=more)
        findings.append(Finding(
            "orders_not_covered", BLOCKING,
            _("\u201c{name}\u201d covers {n} of {m} orders; missing: {orders}. Attach files for "
              "them or correct the orders of an attached file.").format(
                name=pick(item.requirement.name, item.requirement.name_zh),
                n=item.covered, m=item.total, orders=shown),
            f"requirement:{item.requirement.id}",
            values={"requirement": item.requirement.id, "covered": item.covered,
                    "total": item.total, "uncovered": list(item.uncovered)},
            fix="evidence.cover",
        ))
    return findings


@check
def file_too_large(ctx: CheckContext) -> list[Finding]:
    if ctx.policy is None:
        return []
    limit = ctx.policy.files.max_bytes
    return [
        Finding(
            "file_too_large", BLOCKING,
            _("{name} is {size}; {marketplace} accepts at most {limit} per file. Compress it or "
              "split it into parts.").format(
                name=ev.name, size=_mb(ev.size), marketplace=ctx.policy.name, limit=_mb(limit)),
            _where(ev), values={"file": ev.name, "bytes": ev.size, "limit": limit},
            fix="evidence.replace",
        )
        for ev in ctx.case.evidence
        if ev.size > limit
    ]


@check
def file_format(ctx: CheckContext) -> list[Finding]:
    policy = ctx.policy
    if policy is None:
        return []
    allowed_all = {normalise_kind(k) for k in policy.files.formats}
    findings = []
    for ev in ctx.case.evidence:
        req = policy.requirement(ev.requirement) if ev.requirement else None
        allowed = {normalise_kind(k) for k in req.formats} if req and req.formats else allowed_all
        if not allowed or normalise_kind(ev.kind) in allowed:
            continue
        # the advice names a format that is accepted: Amazon's IP notices take images only
        advice = (_("{name} is {kind}; {what} accepts {allowed}. Convert it (for example print "
                    "it to PDF).") if "pdf" in allowed else
                  _("{name} is {kind}; {what} accepts {allowed}. Convert it (for example save "
                    "it as PNG or take a screenshot of it)."))
        findings.append(Finding(
            "file_format", BLOCKING,
            advice.format(
                name=ev.name, kind=ev.kind or _("an unknown type"),
                what=pick(req.name, req.name_zh) if req else policy.name,
                allowed=", ".join(sorted(allowed))),
            _where(ev), values={"file": ev.name, "kind": ev.kind, "allowed": sorted(allowed)},
            fix="evidence.replace",
        ))
    return findings


@check
def file_name(ctx: CheckContext) -> list[Finding]:
    policy = ctx.policy
    if policy is None:
        return []
    pattern = template_pattern(policy.files.evidence_name)
    findings = []
    for ev in ctx.case.evidence:
        ext = EXTENSIONS.get(ev.kind, "")
        suffix = "." + ev.name.rpartition(".")[2].lower() if "." in ev.name else ""
        wrong_ext = bool(ext) and suffix not in ({ext, ".jpeg"} if ev.kind == "jpeg" else {ext})
        if wrong_ext:
            findings.append(Finding(
                "file_name", WARNING,
                _("{name} is a {kind} file but its name ends in {suffix!r}: remove it and add "
                  "it again so it gets the right name.").format(
                    name=ev.name, kind=ev.kind, suffix=suffix or _("nothing")),
                _where(ev), values={"file": ev.name, "kind": ev.kind}, fix="evidence.replace",
            ))
        elif pattern is not None and not pattern.match(ev.name):
            findings.append(Finding(
                "file_name", WARNING,
                _("{name} does not follow {marketplace}'s naming {template}: remove it and add it "
                  "again to rename it.").format(
                    name=ev.name, marketplace=policy.name, template=policy.files.evidence_name),
                _where(ev), values={"file": ev.name, "template": policy.files.evidence_name},
                fix="evidence.replace",
            ))
    return findings


@check
def encrypted_pdf(ctx: CheckContext) -> list[Finding]:
    if ctx.policy is None:
        return []
    return [
        Finding(
            "encrypted_pdf", BLOCKING,
            _("{name} is password-protected or encrypted; reviewers cannot open it. Save an "
              "unprotected copy (print to PDF) and add that instead.").format(name=ev.name),
            _where(ev), values={"file": ev.name}, fix="evidence.replace",
        )
        for ev in ctx.case.evidence
        if ev.kind == "pdf" and ev.encrypted
    ]


def _reference_date(ctx: CheckContext) -> date:
    received = ctx.case.notification.received
    return (received if isinstance(received, datetime) else ctx.now).date()


@check
def document_too_old(ctx: CheckContext) -> list[Finding]:
    policy = ctx.policy
    if policy is None:
        return []
    dated = {r.id: r for r in requirements_for(ctx.case, policy) if r.max_age_days}
    for r in policy.evidence:  # files filed under a requirement of another type count too
        if r.max_age_days:
            dated.setdefault(r.id, r)
    reference = _reference_date(ctx)
    findings = []
    for ev in ctx.case.evidence:
        req = dated.get(ev.requirement or "")
        if req is None:
            continue
        if not ev.document_date:
            findings.append(Finding(
                "document_too_old", WARNING,
                _("{name} has no document date; \u201c{req}\u201d must be at most {days} days old. "
                  "Record the date the document carries.").format(
                    name=ev.name, req=pick(req.name, req.name_zh), days=req.max_age_days),
                _where(ev), values={"file": ev.name, "max_age_days": req.max_age_days},
                fix="evidence.set_date",
            ))
            continue
        doc_date = day_or_none(ev.document_date)
        if doc_date is None:
            continue
        oldest = reference - timedelta(days=req.max_age_days or 0)
        if doc_date < oldest:
            findings.append(Finding(
                "document_too_old", BLOCKING,
                _("{name} is dated {date}, more than {days} days before the notice "
                  "({reference}); use a document dated {oldest} or later.").format(
                    name=ev.name, date=doc_date.isoformat(), days=req.max_age_days,
                    reference=reference.isoformat(), oldest=oldest.isoformat()),
                _where(ev), values={"file": ev.name, "date": doc_date.isoformat(),
                                    "oldest": oldest.isoformat(), "max_age_days": req.max_age_days},
                fix="evidence.replace",
            ))
    return findings
