"""``appealdesk letter …``, ``render``, ``submit`` and ``outcome``.

Exit codes: 0 ok; 1 the answer is no (the draft was edited and --new-version is
needed, the rendered PDF has blocking findings); 2 error; 3 duplicate
submission (a submission without outcome exists).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import NoReturn

from appealdesk.cases.names import status_name
from appealdesk.checks.reasons import title as finding_title
from appealdesk.cli.common import (
    EXIT_DUPLICATE,
    EXIT_ERROR,
    EXIT_FAIL,
    EXIT_OK,
    CommandError,
    add_json_flag,
    load_case,
    print_json,
    workspace,
)
from appealdesk.cli.fixes import finding_text, fix_hint, with_hint
from appealdesk.i18n import _, ngettext
from appealdesk.letter.versions import origin_name
from appealdesk.letter.words import count_words, words_label

MAX_LETTER_BYTES = 1_000_000  # a letter file larger than this is not a letter


def register(sub: argparse._SubParsersAction) -> None:
    letter = sub.add_parser(
        "letter", help=_("draft, replace, show and list versions of the letter"))
    lsub = letter.add_subparsers(dest="letter_command", metavar="ACTION", required=True)

    p = lsub.add_parser("draft", help=_("write a draft from the policy's template and the case"))
    p.add_argument("case", metavar="CASE")
    p.add_argument("--new-version", action="store_true", help=_(
        "draft beside an edited letter as a new version (the edited one is kept)"))
    add_json_flag(p)
    p.set_defaults(handler=cmd_draft)

    p = lsub.add_parser("set", help=_("replace the letter with a Markdown file ('-' for stdin)"))
    p.add_argument("case", metavar="CASE")
    p.add_argument("file", metavar="FILE")
    add_json_flag(p)
    p.set_defaults(handler=cmd_set)

    p = lsub.add_parser("show", help=_("print the letter (or one version of it)"))
    p.add_argument("case", metavar="CASE")
    p.add_argument("--version", type=int, metavar="N", help=_("print version N"))
    add_json_flag(p)
    p.set_defaults(handler=cmd_show)

    p = lsub.add_parser("versions", help=_("list the letter's versions"))
    p.add_argument("case", metavar="CASE")
    add_json_flag(p)
    p.set_defaults(handler=cmd_versions)

    p = lsub.add_parser("phrases", help=_("list phrasebook sentences (Chinese meaning → English)"))
    p.add_argument("--topic", help=_("notification type, e.g. late_shipment"))
    p.add_argument("--category", help=_("root_cause, action, prevention, metrics, ..."))
    add_json_flag(p)
    p.set_defaults(handler=cmd_phrases)

    p = sub.add_parser("render", help=_("render the letter as the PDF the marketplace asks for"))
    p.add_argument("case", metavar="CASE")
    p.add_argument("-o", "--output", metavar="DIR", help=_("also copy the PDF into DIR"))
    p.add_argument("--force", action="store_true", help=_(
        "render despite blocking findings; the PDF is marked DRAFT and cannot be submitted"))
    add_json_flag(p)
    p.set_defaults(handler=cmd_render)

    p = sub.add_parser("submit", help=_("record that the rendered letter was submitted"))
    p.add_argument("case", metavar="CASE")
    p.add_argument("--ticket", metavar="ID", help=_("the marketplace's case or ticket id"))
    p.add_argument("--note", metavar="TEXT")
    p.add_argument("--pdf", metavar="NAME", help=_(
        "the file of the case's out/ folder that was submitted (default: the newest "
        "rendered letter)"))
    add_json_flag(p)
    p.set_defaults(handler=cmd_submit)

    p = sub.add_parser("outcome", help=_("record the marketplace's answer to the last submission"))
    p.add_argument("case", metavar="CASE")
    p.add_argument("result", choices=("approved", "rejected"))
    p.add_argument("--reason", metavar="TEXT")
    p.add_argument("--code", metavar="CODE", help=_("the rejection code, e.g. ERR-007"))
    add_json_flag(p)
    p.set_defaults(handler=cmd_outcome)


def pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal cells (Chinese characters take two)."""
    from appealdesk.cli.cases import cell_len

    return text + " " * max(1, width - cell_len(text))


def _version_dict(v) -> dict:
    return {"version": v.version, "origin": v.origin, "saved": v.saved, "operator": v.operator,
            "words": count_words(v.text)}


def cmd_draft(args: argparse.Namespace) -> int:
    from appealdesk.letter.versions import DraftWouldOverwrite
    from appealdesk.operations import letters

    ws = workspace(args)
    load_case(ws, args.case)
    try:
        version = letters.draft(ws, args.case, new_version=args.new_version)
    except DraftWouldOverwrite as exc:
        raise CommandError(str(exc), EXIT_FAIL) from None
    except letters.NoPolicy as exc:
        raise CommandError(str(exc), EXIT_ERROR) from None
    if args.json:
        print_json({"case": args.case, **_version_dict(version), "text": version.text})
    else:
        print(_("Drafted version {n} ({origin}) of {case_id}.").format(
            n=version.version, origin=origin_name(version.origin), case_id=args.case))
    return EXIT_OK


def cmd_set(args: argparse.Namespace) -> int:
    from appealdesk.operations import letters

    ws = workspace(args)
    load_case(ws, args.case)
    try:
        if args.file == "-":
            text = sys.stdin.read()
        else:
            path = Path(args.file).expanduser()
            if path.stat().st_size > MAX_LETTER_BYTES:
                raise CommandError(_("{file} is too large for a letter").format(file=args.file))
            text = path.read_text("utf-8")
    except FileNotFoundError:
        raise CommandError(_("no such file: {file}").format(file=args.file)) from None
    except UnicodeDecodeError:
        raise CommandError(_("{file} is not UTF-8 text").format(file=args.file)) from None
    except IsADirectoryError:
        raise CommandError(_("{file} is a folder, not a file").format(file=args.file)) from None
    saved = letters.save_letter(ws, args.case, text, origin="imported")
    version = saved.version
    n = version.version if version else saved.case.letter.version
    if args.json:
        print_json({"case": args.case, "version": n, "changed": version is not None})
    elif version is None:
        print(_("The letter of {case_id} is already this text (version {n}).").format(
            case_id=args.case, n=n))
    else:
        print(_("Saved the letter of {case_id} as version {n}.").format(case_id=args.case, n=n))
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from appealdesk.letter.versions import get_version

    ws = workspace(args)
    case = load_case(ws, args.case)
    if args.version is not None:
        v = get_version(case.letter, args.version)
        if v is None:
            raise CommandError(_("{case_id} has no letter version {n}").format(
                case_id=case.id, n=args.version))
        text, number = v.text, v.version
    else:
        text, number = case.letter.draft, case.letter.version
    if args.json:
        print_json({"case": case.id, "version": number, "edited": case.letter.edited,
                    "text": text})
    elif not text.strip():
        print(_("The letter of {case_id} is empty.").format(case_id=case.id) + " "
              + fix_hint("letter.draft", case.id), file=sys.stderr)
        return EXIT_FAIL
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def cmd_versions(args: argparse.Namespace) -> int:
    ws = workspace(args)
    case = load_case(ws, args.case)
    rows = [_version_dict(v) for v in case.letter.versions]
    if args.json:
        print_json({"case": case.id, "current": case.letter.version, "versions": rows})
        return EXIT_OK
    if not rows:
        print(_("No versions yet."))
    for r in rows:
        mark = "*" if r["version"] == case.letter.version else " "
        print(f"{mark}{r['version']:>3}  {r['saved'].astimezone():%Y-%m-%d %H:%M}  "
              f"{pad(origin_name(r['origin']), 16)}{pad(r['operator'], 12)}"
              f"{words_label(r['words'])}")
    return EXIT_OK


def cmd_phrases(args: argparse.Namespace) -> int:
    from appealdesk.letter.phrasebook import PhrasebookError, load_phrasebook, phrases_for

    ws = workspace(args)
    try:
        phrases = load_phrasebook(ws.store.policies_dir)
    except PhrasebookError as exc:
        raise CommandError(str(exc)) from None
    chosen = phrases_for(phrases, topic=args.topic, category=args.category)
    if args.json:
        print_json({"phrases": [p.__dict__ for p in chosen]})
        return EXIT_OK
    for p in chosen:
        print(f"{p.id}  [{p.category}] {p.label_zh}\n    {p.text}")
    return EXIT_OK


def refuse_blocking(args: argparse.Namespace, case_id: str, findings: list, done: str,
                    refusal: str) -> NoReturn:
    """Stop a render or a bundle on blocking findings: the findings worded for the command
    line on stdout, as ``check`` prints them (with --json the answer ``{case, <done>:
    false, findings}``), and ``refusal`` as the one line on stderr."""
    from appealdesk.cli.check_cmd import explain

    if args.json:
        print_json({"case": case_id, done: False, "findings": [f.to_dict() for f in findings]})
    else:
        for f in findings:
            print(explain(f, case_id))
    raise CommandError(refusal, EXIT_FAIL)


def cmd_render(args: argparse.Namespace) -> int:
    from appealdesk.operations import letters
    from appealdesk.render.fonts import FontMissing
    from appealdesk.render.gate import blocking_findings

    ws = workspace(args)
    case = load_case(ws, args.case)
    target = Path(args.output).expanduser() if args.output else None
    if target is not None and target.exists() and not target.is_dir():
        raise CommandError(_("{dir} is not a folder").format(dir=args.output))
    blocking = blocking_findings(ws, case)
    if blocking and not args.force:
        refuse_blocking(args, case.id, blocking, "rendered", ngettext(
            "not rendered: {n} blocking finding would get the appeal rejected; fix it, or "
            "render a DRAFT to look at with --force (submit refuses a DRAFT)",
            "not rendered: {n} blocking findings would get the appeal rejected; fix them, or "
            "render a DRAFT to look at with --force (submit refuses a DRAFT)", len(blocking)
        ).format(n=len(blocking)))
    try:
        result = letters.render(ws, case.id, blocking=blocking or None)
    except (letters.RenderError, FontMissing) as exc:
        raise CommandError(str(exc), EXIT_FAIL) from None
    copied = None
    if target is not None and result.path is not None:
        try:  # a folder named for the copy is made, as ``cp -r`` would
            target.mkdir(parents=True, exist_ok=True)
            copied = shutil.copyfile(result.path, target / result.name)
        except OSError as exc:
            raise CommandError(_("rendered {path}, but could not copy it to {dir}: {error}").format(
                path=result.path, dir=args.output, error=exc.strerror or exc)) from None
    if args.json:
        print_json({"case": case.id, "name": result.name, "path": result.path, "copy": copied,
                    "bytes": result.size, "pages": result.pages, "sha256": result.sha256,
                    "ok": result.ok and not result.draft, "draft": result.draft,
                    "findings": [f.to_dict() for f in result.findings]})
    else:
        for f in result.findings:
            print(f"{finding_title(f.code)} ({f.code}) [{f.where}]: {finding_text(f, case.id)}",
                  file=sys.stderr)
        if result.draft:
            print(_("Rendered a DRAFT, {name} ({pages} pages, {size} bytes): {n} blocking "
                    "findings remain, so it is watermarked and `appealdesk submit` refuses it."
                    ).format(name=result.path, pages=result.pages, size=result.size,
                             n=len(blocking)))
        else:
            print(ngettext("Rendered {name} ({pages} page, {size} bytes).",
                           "Rendered {name} ({pages} pages, {size} bytes).", result.pages).format(
                name=result.path, pages=result.pages, size=result.size))
        if copied:
            print(_("Copied to {path}.").format(path=copied))
    if result.draft:
        return EXIT_OK  # the DRAFT the operator asked for with --force
    return EXIT_OK if result.ok else EXIT_FAIL


def cmd_submit(args: argparse.Namespace) -> int:
    from appealdesk.operations import submissions

    ws = workspace(args)
    load_case(ws, args.case)
    try:
        s = submissions.submit(ws, args.case, ticket=args.ticket, note=args.note,
                               pdf=args.pdf)
    except submissions.SubmissionError as exc:
        raise CommandError(with_hint(str(exc), exc.fix, args.case),
                           EXIT_DUPLICATE if exc.duplicate else EXIT_FAIL) from None
    if args.json:
        print_json({"case": args.case, "submission": s.to_dict()})
    else:
        print(_("Recorded the submission of {pdf} (sha256 {sha}) for {case_id}.").format(
            pdf=s.pdf, sha=s.sha256[:12], case_id=args.case))
    return EXIT_OK


def cmd_outcome(args: argparse.Namespace) -> int:
    from appealdesk.operations import submissions

    ws = workspace(args)
    load_case(ws, args.case)
    try:
        s = submissions.outcome(ws, args.case, args.result, reason=args.reason, code=args.code)
    except submissions.SubmissionError as exc:
        raise CommandError(str(exc), EXIT_FAIL) from None
    if args.json:
        print_json({"case": args.case, "submission": s.to_dict()})
    else:
        print(_("Recorded: {result}.").format(result=status_name(args.result)))
        if args.result == "rejected":
            print(_("Next: `appealdesk letter draft {case_id}` starts a new version with the "
                    "rejection reason at the top.").format(case_id=args.case))
    return EXIT_OK
