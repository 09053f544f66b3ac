"""listings_not_covered: a per-listing requirement with files that leave cited listings out.

Only requirements that already have a file are reported here (no file at all is
``evidence_missing``), as ``orders_not_covered`` does for orders.
"""

from __future__ import annotations

from appealdesk.checks.base import BLOCKING, CheckContext, Finding, check
from appealdesk.evidence.listings import listing_coverage
from appealdesk.i18n import _, pick

MAX_LISTED = 10


@check
def listings_not_covered(ctx: CheckContext) -> list[Finding]:
    if ctx.policy is None or not ctx.case.notification.cited_listings:
        return []
    coverage = listing_coverage(ctx.case, ctx.policy)
    findings = []
    for req in coverage.requirements:
        if not any(e.requirement == req.id for e in ctx.case.evidence):
            continue
        missing = coverage.uncovered(req.id)
        if not missing:
            continue
        shown = ", ".join(missing[:MAX_LISTED])
        if len(missing) > MAX_LISTED:
            shown += _(" and {n} more").format(n=len(missing) - MAX_LISTED)
        total = len(coverage.listings)
        findings.append(Finding(
            "listings_not_covered", BLOCKING,
            _("\u201c{name}\u201d covers {n} of {m} cited listings; missing: {listings}. Attach "
              "a file naming each listing.").format(
                name=pick(req.name, req.name_zh), n=total - len(missing), m=total,
                listings=shown),
            f"requirement:{req.id}",
            values={"requirement": req.id, "covered": total - len(missing), "total": total,
                    "uncovered": missing},
            fix="evidence.add",
        ))
    return findings
