"""Validation: a parsed policy file -> a typed ``Policy``, or every problem with its key path."""

from __future__ import annotations

import re
from typing import Any

from appealdesk.policy.checker import Checker, calendar_table, columns, duration, items, window
from appealdesk.policy.message_rules import read_message_rules, read_return_rules
from appealdesk.policy.types import (
    BUNDLE_KINDS,
    COMPARATORS,
    DATE_BASES,
    EVIDENCE_KINDS,
    FOLLOWUP_EVENTS,
    ORDER_FACTS,
    POLICY_SCHEMA_VERSION,
    Appeals,
    Duration,
    EvidenceRequirement,
    FileRules,
    FollowUp,
    LetterRules,
    LetterSection,
    MetricDef,
    NotificationType,
    Policy,
    Recognition,
    ResponseRule,
    Site,
)


def typed_check(c: Checker, raw: dict[str, Any]) -> None:
    """The last word: the file must also convert into the typed ``schema.PolicyFile``."""
    import msgspec

    from appealdesk.policy.schema import read_policy_file

    try:
        read_policy_file(raw)
    except msgspec.ValidationError as exc:
        found = re.match(r"(.*?)(?: - at `\$\.?([^`]*)`)?$", str(exc), re.S)
        message, path = (found.group(1), found.group(2) or "") if found else (str(exc), "")
        c.add(path, message)


def validate(
    raw: dict[str, Any], *, origin: str = "", check_holidays: bool = True, shipped: bool = False
) -> tuple[Policy | None, list[str]]:
    """Check a parsed policy; return the policy (or None) and every problem found.

    ``check_holidays=False`` skips asking the holidays library whether a country
    exists (slow to import); used for the shipped files, which the tests check.
    ``shipped`` (a file of the package) skips that, the pattern probes and the typed
    schema check (together ~40 ms of every command's start for the four shipped
    files; the tests validate those files in full, tests/test_policy.py).
    """
    check_holidays = check_holidays and not shipped
    c = Checker(probe_patterns=not shipped)
    if raw.get("schema", POLICY_SCHEMA_VERSION) != POLICY_SCHEMA_VERSION:
        c.add("schema", f"must be {POLICY_SCHEMA_VERSION}")
    pid = c.get(raw, "", "id", str)
    if pid is not None and not re.fullmatch(r"[a-z][a-z0-9_]{0,31}", pid):
        c.add("id", "must be lower-case letters, digits and _, starting with a letter")
    name = c.get(raw, "", "name", str)
    name_zh = c.get(raw, "", "name_zh", str, name or "")
    calendar = calendar_table(c, raw.get("calendar", {}), "calendar", holidays=check_holidays)

    sites = []
    for path, item in items(c, raw, "sites"):
        site_cal = calendar_table(c, item.get("calendar", {}), f"{path}.calendar", inherit=calendar,
                             holidays=check_holidays)
        sites.append(Site(item.get("id", ""), c.get(item, path, "name", str, ""), site_cal))

    rec_raw = raw.get("recognise", {})
    if not isinstance(rec_raw, dict):
        c.add("recognise", "must be a table")
        rec_raw = {}
    recognise = Recognition(
        c.str_list(rec_raw, "recognise", "keywords", []),
        c.regexes(rec_raw, "recognise", "notification_id_patterns"),
        c.regexes(rec_raw, "recognise", "order_id_patterns"),
    )

    metrics = []
    for path, m in items(c, raw, "metrics"):
        c.sourced(m, path)
        metric_window = window(c, m.get("window"), f"{path}.window")
        limit = c.get(m, path, "limit", (int, float), None)
        if limit is not None and not 0 <= limit <= 1:
            c.add(f"{path}.limit", "must be a fraction between 0 and 1 (0.04 for 4%)")
        compared_with = c.get(m, path, "compared_with", str, "") or ""
        if limit is None and not compared_with.strip():
            c.add(f"{path}.limit", "is required; a metric judged against something other "
                                   "than a number says so in compared_with (and is advisory)")
        if limit is None and m.get("enforced", True) is not False:
            c.add(f"{path}.enforced", "must be false for a metric without a limit")
        min_orders = c.get(m, path, "min_orders", int, 0)
        if min_orders is not None and min_orders < 0:
            c.add(f"{path}.min_orders", "must not be negative")
        within = duration(c, m["within"], f"{path}.within") if "within" in m else None
        if within is None and "shipped_within" in (m.get("numerator"), m.get("denominator")):
            c.add(f"{path}.within", "is required for shipped_within: { calendar_days = 3, "
                                    "source = \"...\" }")
        metrics.append(
            MetricDef(
                id=m.get("id", ""),
                name=c.get(m, path, "name", str) or "",
                name_zh=c.get(m, path, "name_zh", str, "") or "",
                numerator=c.choice(m, path, "numerator", ORDER_FACTS) or "",
                denominator=c.choice(m, path, "denominator", ORDER_FACTS) or "",
                basis=c.choice(m, path, "basis", DATE_BASES) or "",
                window=metric_window,
                limit=None if limit is None else float(limit),
                comparator=c.choice(m, path, "comparator", COMPARATORS) or "<",
                min_orders=min_orders or 0,
                enforced=c.get(m, path, "enforced", bool, True),
                source=str(m.get("source", "")),
                within=within,
                compared_with=compared_with,
                compared_with_zh=c.get(m, path, "compared_with_zh", str, "") or "",
            )
        )
    message_metrics, message_columns = read_message_rules(c, raw)
    return_metrics, return_columns = read_return_rules(c, raw)
    # A notification type may name order, message and return metrics alike.
    metric_ids = {m.id for m in metrics} | {m.id for m in message_metrics} | {
        m.id for m in return_metrics}

    evidence = []
    for path, e in items(c, raw, "evidence"):
        c.sourced(e, path)
        max_age = c.get(e, path, "max_age_days", int, None)
        if max_age is not None and max_age < 1:
            c.add(f"{path}.max_age_days", "must be at least 1")
        evidence.append(
            EvidenceRequirement(
                id=e.get("id", ""),
                name=c.get(e, path, "name", str) or "",
                name_zh=c.get(e, path, "name_zh", str, "") or "",
                description=c.get(e, path, "description", str, "") or "",
                description_zh=c.get(e, path, "description_zh", str, "") or "",
                kind=c.choice(e, path, "kind", EVIDENCE_KINDS, "other") or "other",
                per_order=c.get(e, path, "per_order", bool, False),
                formats=c.str_list(e, path, "formats", []),
                max_age_days=max_age,
                example=c.get(e, path, "example", str, "") or "",
            )
        )
    evidence_ids = {e.id for e in evidence}

    types = []
    for path, t in items(c, raw, "notification_types"):
        for key, known, what in (("metrics", metric_ids, "metric"),
                                 ("evidence", evidence_ids, "evidence requirement")):
            for ref in c.str_list(t, path, key, []):
                if ref not in known:
                    c.add(f"{path}.{key}",
                          f"names {what} {ref!r}, which this policy does not define")
        resp_raw = t.get("response")
        response_window = (duration(c, resp_raw, f"{path}.response")
                           if resp_raw is not None else None)
        if resp_raw is None:
            c.add(f"{path}.response", "is required: { hours = 72, source = \"...\" }")
        target = None
        if isinstance(resp_raw, dict):
            if "holidays_extend" in resp_raw and not isinstance(resp_raw["holidays_extend"], bool):
                c.add(f"{path}.response.holidays_extend", "must be true or false")
            if "target" in resp_raw:
                target = duration(c, resp_raw["target"], f"{path}.response.target")
        types.append(
            NotificationType(
                id=t.get("id", ""),
                name=c.get(t, path, "name", str) or "",
                name_zh=c.get(t, path, "name_zh", str, "") or "",
                keywords=c.str_list(t, path, "keywords", []),
                metrics=c.str_list(t, path, "metrics", []),
                evidence=c.str_list(t, path, "evidence", []),
                response=ResponseRule(
                    response_window or Duration(72, "hours"),
                    bool(resp_raw.get("holidays_extend", True)) if isinstance(resp_raw, dict)
                    else True,
                    target,
                ),
            )
        )
    if not types:
        c.add("notification_types", "at least one [[notification_types]] is required")

    followups = []
    for path, f in items(c, raw, "followups"):
        wait = duration(c, f.get("wait"), f"{path}.wait")
        followups.append(
            FollowUp(
                id=f.get("id", ""),
                after=c.choice(f, path, "after", FOLLOWUP_EVENTS) or "submitted",
                wait=wait or Duration(1, "hours"),
                until_outcome=c.get(f, path, "until_outcome", bool, False),
                action=c.get(f, path, "action", str) or "",
                action_zh=c.get(f, path, "action_zh", str, "") or "",
                title=c.get(f, path, "title", str, "") or "",
            )
        )

    ap_raw = raw.get("appeals", {})
    if not isinstance(ap_raw, dict):
        c.add("appeals", "must be a table")
        ap_raw = {}
    c.sourced(ap_raw, "appeals")
    final = ap_raw.get("final_deadline")
    appeals = Appeals(
        max_unsuccessful=c.get(ap_raw, "appeals", "max_unsuccessful", int, None),
        final_deadline=duration(c, final, "appeals.final_deadline") if final else None,
        one_metric_per_case=c.get(ap_raw, "appeals", "one_metric_per_case", bool, False),
    )

    f_raw = raw.get("files")
    if not isinstance(f_raw, dict):
        c.add("files", "is required: [files] with formats, max_bytes and names")
        f_raw = {}
    c.sourced(f_raw, "files")
    max_bytes = c.get(f_raw, "files", "max_bytes", int)
    if max_bytes is not None and max_bytes < 1024:
        c.add("files.max_bytes", "must be at least 1024")
    files = FileRules(
        formats=c.str_list(f_raw, "files", "formats"),
        max_bytes=max_bytes or 10 * 1024 * 1024,
        evidence_name=c.get(f_raw, "files", "evidence_name", str, "") or "",
        bundle=c.choice(f_raw, "files", "bundle", BUNDLE_KINDS, "pdf") or "pdf",
        bundle_name=c.get(f_raw, "files", "bundle_name", str, "") or "",
        letter_name=c.get(f_raw, "files", "letter_name", str, "") or "",
    )

    l_raw = raw.get("letter")
    if not isinstance(l_raw, dict):
        c.add("letter", "is required: [letter] with language and sections")
        l_raw = {}
    c.sourced(l_raw, "letter")
    sections = []
    for path, s in items(c, l_raw, "sections", "letter."):
        c.sourced(s, path)
        sections.append(
            LetterSection(
                id=s.get("id", ""),
                title=c.get(s, path, "title", str) or "",
                title_zh=c.get(s, path, "title_zh", str, "") or "",
                word_limit=c.get(s, path, "word_limit", int, None),
                names=c.str_list(s, path, "names", ()),
                keywords=c.str_list(s, path, "keywords", ()),
                for_types=c.str_list(s, path, "for_types", ()),
                optional=c.get(s, path, "optional", bool, False),
                word_limit_blocking=c.get(s, path, "word_limit_blocking", bool, False),
                role=c.get(s, path, "role", str, "") or "",
            )
        )
    language = c.get(l_raw, "letter", "language", str) or "en"
    if language not in ("en", "zh"):
        c.add("letter.language", "must be en or zh")
    letter = LetterRules(
        language=language,
        sections=tuple(sections),
        word_limit=c.get(l_raw, "letter", "word_limit", int, None),
        template=c.get(l_raw, "letter", "template", str, "") or "",
        word_limit_blocking=c.get(l_raw, "letter", "word_limit_blocking", bool, False),
    )

    report_columns = columns(c, raw, "report_columns")  # fields: reports.formats checks them
    encodings_raw = raw.get("report_encodings")
    report_encodings: tuple[str, ...] = ()
    if isinstance(encodings_raw, dict):
        c.sourced(encodings_raw, "report_encodings")
        report_encodings = c.str_list(encodings_raw, "report_encodings", "candidates", ())
        if report_encodings and report_encodings[0] != "utf-8":
            # UTF-8 is never a chance reading of another encoding's bytes; the others often are.
            c.add("report_encodings.candidates", "must start with utf-8")

    if not c.problems and not shipped:
        typed_check(c, raw)
    if c.problems:
        # A key read twice (e.g. a type-checked list) must not be reported twice.
        return None, list(dict.fromkeys(c.problems))
    policy = Policy(
        id=pid or "",
        name=name or "",
        name_zh=name_zh or "",
        calendar=calendar,
        sites=tuple(sites),
        recognise=recognise,
        notification_types=tuple(types),
        followups=tuple(followups),
        appeals=appeals,
        metrics=tuple(metrics),
        evidence=tuple(evidence),
        files=files,
        letter=letter,
        report_columns=report_columns,
        message_metrics=message_metrics,
        message_columns=message_columns,
        return_metrics=return_metrics,
        return_columns=return_columns,
        report_encodings=report_encodings,
        origin=origin,
        raw=raw,
    )
    return policy, []
