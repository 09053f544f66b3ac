"""``appealdesk list`` and ``appealdesk show``: read cases headless."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from datetime import datetime
from typing import TYPE_CHECKING

from appealdesk.cases.names import event_name, status_name
from appealdesk.cli.common import EXIT_OK, add_json_flag, load_case, print_json, workspace
from appealdesk.i18n import _, pick

if TYPE_CHECKING:
    from appealdesk.cases.model import Case


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help=_("list cases (active ones unless --all)"))
    p.add_argument("--all", action="store_true", help=_("include closed and archived cases"))
    p.add_argument("--due-within", metavar="SPAN", help=_(
        "only cases whose next deadline is within SPAN (e.g. 90m, 24h, 3d); overdue included"))
    add_json_flag(p)
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("search", help=_(
        "find cases by any text: notification id, order id, listing id, store, letter words"),
        description=_(
            "Search the notices, letters, history and ids of every case. Words of 3 or more "
            "characters match anywhere; \"quote\" words that belong together."))
    p.add_argument("query", metavar="QUERY", nargs="+", help=_("words to find (all of them)"))
    p.add_argument("--limit", type=int, default=50, metavar="N",
                   help=_("at most N cases (default 50)"))
    add_json_flag(p)
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser("show", help=_("show one case"))
    p.add_argument("case", metavar="CASE", help=_("case id"))
    add_json_flag(p)
    p.set_defaults(handler=cmd_show)


def case_summary(case: Case) -> dict:
    n = case.notification
    return {
        "id": case.id,
        "marketplace": case.marketplace,
        "store": case.store,
        "site": case.site,
        "type": n.type,
        "notification_id": n.external_id,
        "received": n.received,
        "status": case.status.value,
        "cited_orders": len(n.cited_orders),
        "evidence": len(case.evidence),
    }


def _index(ws):
    from appealdesk.index import attach

    return ws.case_index if ws.case_index is not None else attach(ws)


def _deadline_line(case: Case, policy) -> str:
    """ "Deadline: 2026-11-29T14:02+00:00 (stated in the notice: “within 17 days”)"."""
    from appealdesk.deadlines.display import deadline_source_label, format_moment
    from appealdesk.deadlines.windows import response_deadline

    deadline = response_deadline(case, policy)
    if deadline is None:
        return f"{_('Deadline')}: -"
    return f"{_('Deadline')}: {format_moment(deadline.due)} " \
        f"({deadline_source_label(deadline, case)})"


def _type_name(type_id: str, policy) -> str:
    ntype = policy.notification_type(type_id) if policy is not None else None
    return pick(ntype.name, ntype.name_zh) if ntype is not None else type_id


def cmd_list(args: argparse.Namespace) -> int:
    from appealdesk.cases.status import INACTIVE
    from appealdesk.cli.common import CommandError
    from appealdesk.deadlines.display import between, format_time_left, parse_span, urgency

    ws = workspace(args)
    index = _index(ws)
    inactive = {s.value for s in INACTIVE}
    within = getattr(args, "due_within", None)
    try:
        span = parse_span(within) if within else None
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    now = ws.now()
    timing: dict[str | None, tuple[str, str, bool]] = {}  # many cases share a deadline

    def time_of(due_text: str | None) -> tuple[str, str, bool]:
        if due_text not in timing:
            due = datetime.fromisoformat(due_text) if due_text else None
            timing[due_text] = (format_time_left(due, now), urgency(due, now).value,
                                bool(span is not None and due and between(now, due) <= span))
        return timing[due_text]

    if args.json and _print_json_rows(index, () if args.all else inactive, time_of,
                                      span is not None):
        return EXIT_OK
    listed = [r for r in index.list_rows() if args.all or r[7] not in inactive]
    errors = _print_errors(index)
    rows = []
    type_names: dict[str, str] = {}  # the text table's names; --json keeps the type id
    for (case_id, market, store, site, ntype, external, received, status, cited, evidence,
         due_text, due_kind, name_en, name_zh) in listed:
        left, level, due_within = time_of(due_text)
        if span is not None and not due_within:
            continue
        rows.append({
            "id": case_id, "marketplace": market, "store": store, "site": site,
            "type": ntype, "notification_id": external, "received": received,
            "status": status, "cited_orders": cited, "evidence": evidence,
            "due": due_text, "due_kind": due_kind, "time_left": left,
            "urgency": level, "due_within": due_within,
        })
        type_names[case_id] = pick(name_en, name_zh) or ntype
    if args.json:
        _print_json_list("cases", rows, {"errors": errors})
        return EXIT_OK
    if not rows:
        print(_("No cases. Paste a notification with `appealdesk intake FILE`, or try --demo."))
        return EXIT_OK
    headers = [_("CASE"), _("MARKET"), _("STORE"), _("TYPE"), _("STATUS"), _("LEFT")]
    table = [[r["id"], r["marketplace"], r["store"], type_names[r["id"]], status_name(r["status"]),
              r["time_left"]] for r in rows]
    _print_table(headers, table)
    return EXIT_OK


def _print_errors(index) -> list[str]:
    errors = index.errors()
    for err in errors:
        print(f"appealdesk: {err}", file=sys.stderr)
    return errors


def _print_json_rows(index, hide, time_of, only_due_within: bool) -> bool:
    """``list --json`` with each case's JSON object as the index holds it (written with
    its row, fetched as UTF-8 bytes), completed here with what depends on the time (the
    same keys, in the same order, as ``_print_json_list`` writes) and written as bytes:
    10,000 rows are never decoded, joined, concatenated or encoded as one text. False
    where the index cannot answer so."""
    import json
    import sqlite3

    try:
        listed = index.list_json(hide)
    except sqlite3.OperationalError:
        return False
    errors = _print_errors(index)
    sep = b",\n    "
    tails: dict[str | None, bytes | None] = {}  # due -> the row's last keys (None: left out)
    parts: list[bytes] = []
    add = parts.append
    for text, due in listed:
        tail = tails.get(due, b"")
        if tail == b"":
            left, level, due_within = time_of(due)
            tail = tails[due] = None if only_due_within and not due_within else (
                ',"time_left":' + json.dumps(left, ensure_ascii=False)
                + ',"urgency":' + json.dumps(level)
                + ',"due_within":' + ("true" if due_within else "false") + "}"
            ).encode() + sep
        if tail is not None:
            add(text)
            add(tail)
    if parts:
        parts[-1] = parts[-1][:-len(sep)]
    head = b'{\n  "cases": ' + (b"[\n    " if parts else b"[]")
    end = (b"\n  ]" if parts else b"") + (',\n  "errors": ' + json.dumps(
        errors, ensure_ascii=False) + "\n}\n").encode()
    body = b"".join(parts)
    out = sys.stdout
    raw = getattr(out, "buffer", None)
    if raw is None:  # a text stream without bytes underneath (a test's StringIO)
        out.write((head + body + end).decode())
        return True
    out.flush()
    raw.write(head)
    raw.write(body)
    raw.write(end)
    raw.flush()
    return True


def _print_json_list(key: str, rows: list[dict], rest: dict) -> None:
    """``{key: [...], **rest}`` with one row per line: the same JSON as ``print_json``,
    written by the C encoder (indenting 10,000 rows in Python takes seconds)."""
    import json
    from collections.abc import Callable

    from appealdesk.cli.common import _default

    make = getattr(json.encoder, "c_make_encoder", None)  # None without the C accelerator
    dump: Callable[[object], str]
    if make is None:
        dump = json.JSONEncoder(ensure_ascii=False, default=_default).encode
    else:  # one C encoder for every row (JSONEncoder.encode makes one per call)
        encoder = make(None, _default, json.encoder.encode_basestring, None, ": ", ", ",
                       False, False, True)

        def dump(value: object) -> str:
            return "".join(encoder(value, 0))

    out = sys.stdout
    out.write("{\n  " + dump(key) + ": [")
    for i, row in enumerate(rows):
        out.write(("\n    " if i == 0 else ",\n    ") + dump(row))
    out.write("\n  ]" if rows else "]")
    for name, value in rest.items():
        out.write(",\n  " + dump(name) + ": " + dump(value))
    out.write("\n}\n")


def cmd_search(args: argparse.Namespace) -> int:
    import sqlite3

    ws = workspace(args)
    index = _index(ws)
    query = " ".join(args.query)
    hits = index.search(query, limit=max(1, args.limit))
    if not index.fts:
        print("appealdesk: " + _(
            "this SQLite ({version}) has no full-text index with the trigram tokenizer; "
            "searched every case word by word instead (slower)").format(
                version=sqlite3.sqlite_version), file=sys.stderr)
    if args.json:
        print_json({"query": query, "hits": [h.to_dict() for h in hits]})
        return EXIT_OK
    if not hits:
        print(_("Nothing found for {query}.").format(query=query))
        return EXIT_OK
    fields = {"ids": _("ids"), "notice": _("notice"), "letter": _("letter"),
              "history": _("history")}
    for h in hits:
        where = fields.get(h.field, h.field)
        print(f"{h.case_id}  {status_name(str(h.status))}  {where}: {h.snippet}")
    return EXIT_OK


def followup_items(ws, now: datetime) -> list[dict]:
    """Open response deadlines and follow-up timers of every case, soonest first."""
    from appealdesk.deadlines.display import format_time_left, urgency
    summaries = {s.id: s for s in _index(ws).summaries()}
    items = []
    for d in _index(ws).due_items(sync=False):  # summaries() just looked at the files
        s = summaries.get(d.case_id)
        if s is None:
            continue
        if d.kind == "deadline":
            action = (_("respond to the notification") if d.item == "response"
                      else _("final appeal deadline"))
        else:
            action = pick(d.action_en, d.action_zh)
        items.append({"case": s.id, "marketplace": s.marketplace, "store": s.store,
                      "status": s.status.value, "kind": d.kind, "id": d.item, "due": d.due,
                      "target": d.target, "source": d.source, "action": action,
                      "title": d.title})
    for item in items:
        item["state"] = urgency(item["due"], now).value
        item["time_left"] = format_time_left(item["due"], now)
    items.sort(key=lambda i: (i["due"], i["case"]))
    return items


def cell_len(text: str) -> int:
    """Terminal cells ``text`` takes: East Asian wide and full-width characters two,
    combining marks none (the CLI does not import rich for this)."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF"
               else 1 for ch in text)


def _print_table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(cell_len(str(x)) for x in col) for col in zip(headers, *rows, strict=False)]
    for row in [headers, *rows]:
        cells = [str(x) + " " * (w - cell_len(str(x))) for x, w in zip(row, widths, strict=False)]
        print("  ".join(cells).rstrip())


def cmd_show(args: argparse.Namespace) -> int:
    from appealdesk.i18n_dates import moment
    from appealdesk.letter.words import count_words, words_label

    ws = workspace(args)
    case = load_case(ws, args.case)
    if args.json:
        print_json(case.to_dict())
        return EXIT_OK
    n = case.notification
    policy = ws.policy_for(case)
    lines = [
        f"{_('Case')}: {case.id}",
        f"{_('Marketplace')}: {policy.name if policy else case.marketplace}",
        f"{_('Store')}: {case.store or '-'}  {_('Site')}: {case.site or '-'}",
        f"{_('Type')}: {_type_name(n.type, policy)}  "
        f"{_('Notification id')}: {n.external_id or '-'}",
        f"{_('Received')}: {moment(n.received) if n.received else '-'}",
        f"{_('Status')}: {status_name(case.status.value)}",
        f"{_('Cited orders')}: {', '.join(n.cited_orders) or '-'}",
        *([f"{_('Cited listings')}: {', '.join(n.cited_listings)}"] if n.cited_listings else []),
        _deadline_line(case, policy),
        f"{_('Evidence files')}: {len(case.evidence)}  {_('Reports')}: {len(case.reports)}",
        f"{_('Letter')}: {_('version')} {case.letter.version}, "
        f"{words_label(count_words(case.letter.draft))}",
        f"{_('Submissions')}: {len(case.submissions)}",
        "",
        _("History") + ":",
    ]
    for h in case.history:
        what = (f"{status_name(h.from_status or '')} -> {status_name(h.to_status or '')}"
                if h.event == "status" else event_name(h.event))
        lines.append(f"  {moment(h.at)}  {h.operator}  {what}  {h.note or ''}".rstrip())
    print("\n".join(lines))
    return EXIT_OK
