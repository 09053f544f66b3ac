"""``appealdesk policies list|show|check`` — the marketplace policy files.

Shipped policies come with the package; a user adds or overrides one by putting
``<id>.toml`` into ``<data>/policies``. ``list`` says which is which and names
user files that failed to load; ``check`` validates one file before it is
dropped in.
"""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path
from typing import Any

from appealdesk.cli.common import (
    EXIT_ERROR,
    EXIT_FAIL,
    EXIT_OK,
    CommandError,
    add_json_flag,
    print_json,
    workspace,
)
from appealdesk.i18n import _, pick

SHIPPED_PREFIX = "appealdesk/policies/"


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "policies",
        help=_("list, show and check marketplace policy files"),
        description=_(
            "Marketplace rules live in policy files: the shipped ones, plus any <id>.toml in "
            "<data>/policies, which adds a marketplace or overrides a shipped one."
        ),
    )
    actions = parser.add_subparsers(dest="policies_command", metavar="ACTION")
    parser.set_defaults(handler=lambda args: _usage(parser))

    p_list = actions.add_parser("list", help=_("list the policies in use and broken user files"))
    add_json_flag(p_list)
    p_list.set_defaults(handler=cmd_list)

    p_show = actions.add_parser("show", help=_("show one policy"))
    p_show.add_argument("policy_id", metavar="ID", help=_("policy id, e.g. amazon"))
    add_json_flag(p_show)
    p_show.set_defaults(handler=cmd_show)

    p_check = actions.add_parser(
        "check",
        help=_("validate a policy file (exit 0 valid, 1 invalid, 2 unreadable)"),
    )
    p_check.add_argument("file", metavar="FILE", help=_("the TOML file to check"))
    add_json_flag(p_check)
    p_check.set_defaults(handler=cmd_check)


def _usage(parser: argparse.ArgumentParser) -> int:
    # like every usage error: one line on stderr, exit 2
    hint = _("see {command} --help").format(command=parser.prog)
    raise CommandError(f"{_('the following arguments are required: %s') % 'ACTION'} ({hint})",
                       EXIT_ERROR)


# ---------------------------------------------------------------------------
# Where each policy came from
# ---------------------------------------------------------------------------


def shipped_ids() -> set[str]:
    """Ids declared by the shipped files (read without validation)."""
    from appealdesk.policy.loading import shipped_policy_texts

    ids = set()
    for _origin, text in shipped_policy_texts().values():
        try:
            pid = tomllib.loads(text).get("id")
        except tomllib.TOMLDecodeError:
            continue
        if isinstance(pid, str):
            ids.add(pid)
    return ids


def origin_kind(origin: str) -> str:
    return "shipped" if origin.startswith(SHIPPED_PREFIX) else "user"


def policy_summary(policy: Any, shipped: set[str]) -> dict[str, Any]:
    kind = origin_kind(policy.origin)
    return {
        "id": policy.id,
        "name": policy.name,
        "name_zh": policy.name_zh,
        "origin": policy.origin,
        "kind": kind,
        "overrides_shipped": kind == "user" and policy.id in shipped,
        "sites": [s.id for s in policy.sites],
        "notification_types": [t.id for t in policy.notification_types],
        "metrics": [m.id for m in policy.metrics],
    }


# ---------------------------------------------------------------------------
# list
# ---------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    ws = workspace(args)
    shipped = shipped_ids()
    rows = [policy_summary(p, shipped) for p in ws.policies]
    errors = [{"file": e.path, "problems": list(e.problems)} for e in ws.policies.errors]
    if args.json:
        print_json({"policies_dir": str(ws.store.policies_dir), "policies": rows,
                    "errors": errors})
        return EXIT_OK
    width = max([len(r["id"]) for r in rows] + [2])
    for row in rows:
        if row["overrides_shipped"]:
            mark = _("user, overrides shipped")
        elif row["kind"] == "user":
            mark = _("user")
        else:
            mark = _("shipped")
        name = pick(row["name"], row["name_zh"])
        print(f"{row['id']:<{width}}  {name}  [{mark}]  {row['origin']}")
    if not rows:
        print(_("no policies"))
    for err in errors:
        more = len(err["problems"]) - 1
        first = err["problems"][0] if err["problems"] else _("invalid")
        extra = _(" (+{n} more; see `appealdesk policies check`)").format(n=more) if more else ""
        print(_("BROKEN  {file}: {problem}{extra}").format(
            file=err["file"], problem=first, extra=extra))
    return EXIT_OK


# ---------------------------------------------------------------------------
# show
# ---------------------------------------------------------------------------


def _percent(value: float | None) -> str:
    return _("not stated") if value is None else f"{value * 100:g}%"


def _duration(d: Any) -> str:
    unit = {"hours": _("hours"), "calendar_days": _("calendar days"),
            "business_days": _("business days")}.get(d.unit, d.unit)
    return f"{d.amount:g} {unit}"


def _window(w: Any) -> str:
    if w.kind == "calendar_month":
        return _("calendar month")
    if w.lag:
        return _("{days} days ending {lag} days back").format(days=w.days, lag=w.lag)
    return _("{days} days").format(days=w.days)


def cmd_show(args: argparse.Namespace) -> int:
    ws = workspace(args)
    policy = ws.policies.get(args.policy_id)
    if policy is None:
        known = ", ".join(p.id for p in ws.policies) or "-"
        raise CommandError(_("no policy {id!r}; known: {known}").format(
            id=args.policy_id, known=known))
    if args.json:
        data = dict(policy.raw)
        data["origin"] = policy.origin
        print_json(data)
        return EXIT_OK
    for line in show_lines(policy, shipped_ids()):
        print(line)
    return EXIT_OK


def show_lines(policy: Any, shipped: set[str]) -> list[str]:
    """The human-readable description of one policy."""
    summary = policy_summary(policy, shipped)
    kind = _("user, overrides shipped") if summary["overrides_shipped"] else (
        _("user") if summary["kind"] == "user" else _("shipped"))
    cal = policy.calendar
    lines = [
        f"{policy.id}: {pick(policy.name, policy.name_zh)}",
        _("origin: {origin} [{kind}]").format(origin=policy.origin, kind=kind),
        _("calendar: {tz}, weekend {weekend}, holidays {holidays}").format(
            tz=cal.timezone, weekend="+".join(cal.weekend) or "-",
            holidays=cal.holiday_country or "-"),
    ]
    for site in policy.sites:
        c = site.calendar
        lines.append(_("  site {id}: {tz}, weekend {weekend}, holidays {holidays}").format(
            id=site.id, tz=c.timezone, weekend="+".join(c.weekend) or "-",
            holidays=c.holiday_country or "-"))
    lines.append(_("notification types:"))
    for t in policy.notification_types:
        resp = _duration(t.response.window)
        if t.response.target:
            resp += _(" (aim: {target})").format(target=_duration(t.response.target))
        if not t.response.holidays_extend:
            resp += _(", holidays do not extend it")
        lines.append(f"  {t.id}: {pick(t.name, t.name_zh)} — {_('respond within')} {resp}")
    if policy.metrics:
        lines.append(_("metrics:"))
    for m in policy.metrics:
        state = "" if m.enforced else _(" (advisory)")
        lines.append(
            f"  {m.id}: {m.numerator}/{m.denominator} {m.comparator} {_percent(m.limit)}, "
            f"{_window(m.window)}, {_('by')} {m.basis}{state}"
        )
    if policy.followups:
        lines.append(_("follow-ups:"))
    for f in policy.followups:
        lines.append(_("  after {event} + {wait}: {action}").format(
            event=f.after, wait=_duration(f.wait), action=pick(f.action, f.action_zh)))
    if policy.evidence:
        lines.append(_("evidence:"))
    for e in policy.evidence:
        per = _(" (per order)") if e.per_order else ""
        lines.append(f"  {e.id}: {pick(e.name, e.name_zh)}{per}")
    files = policy.files
    lines.append(_("files: {formats}, at most {mb:g} MB; bundle {bundle} {name}").format(
        formats=", ".join(files.formats), mb=files.max_bytes / 1024 / 1024,
        bundle=files.bundle, name=files.bundle_name or "-"))
    sections = ", ".join(
        pick(s.title, s.title_zh) + (f" (≤{s.word_limit})" if s.word_limit else "")
        for s in policy.letter.sections)
    lines.append(_("letter: {language}; {sections}").format(
        language=policy.letter.language, sections=sections or "-"))
    return lines


# ---------------------------------------------------------------------------
# check
# ---------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    from appealdesk.policy.loading import parse_policy_text
    from appealdesk.policy.types import PolicyError

    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CommandError(_("{file}: not UTF-8 text (byte {pos})").format(
            file=args.file, pos=exc.start)) from None
    except OSError as exc:
        raise CommandError(_("{file}: cannot read ({reason})").format(
            file=args.file, reason=exc.strerror or exc)) from None
    try:
        policy = parse_policy_text(text, str(path))
        from appealdesk.metrics.needs import check_report_sections

        if more := check_report_sections(policy.raw):
            raise PolicyError(str(path), more)
    except PolicyError as exc:
        if args.json:
            print_json({"file": args.file, "valid": False, "id": None,
                        "problems": list(exc.problems)})
        else:
            for problem in exc.problems:
                print(f"{args.file}: {problem}")
        return EXIT_FAIL
    overrides = policy.id in shipped_ids()
    if args.json:
        print_json({"file": args.file, "valid": True, "id": policy.id, "problems": [],
                    "overrides_shipped": overrides})
        return EXIT_OK
    print(_("{file}: valid ({id})").format(file=args.file, id=policy.id))
    if overrides:
        print(_("note: in <data>/policies it would override the shipped {id} policy").format(
            id=policy.id))
    return EXIT_OK
