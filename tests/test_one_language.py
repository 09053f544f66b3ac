"""One language at a time: after ``L`` (and back) no pane shows a word of the other
language. The screen's text is read from the app's own screenshot (the same SVG a
snapshot stores), on every pane, at 80x24 and at 160x48, in both directions."""

from __future__ import annotations

import html
import re

import pytest

from appealdesk.i18n import current_language
from tests.conftest import SIZES, settle

LETTER_CASE = "amazon-5839201744"  # a drafted letter, findings, metrics, evidence
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
# Text that is the same in both languages: names, ids, the language key's own label.
PROPER = re.compile(
    r"AppealDesk|Amazon|Joom|noon|JD|Seller Central|Lotus Garden Home|中文 / English|"
    r"[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)+|\b[A-Z0-9]{2,}\b|\b[a-z]\b|ctrl\+\w|esc|tab|enter")
# Words an English screen is made of (interface words, not data): any of them on a
# Chinese screen is a leftover.
ENGLISH = re.compile(
    r"\b(?:the|and|of|words?|version|drafted|edited|approved|rejected|submitted|"
    r"warnings?|blocking|pages?|Quit|Help|Inbox|Metrics|Evidence|Letter|Filter|Status|"
    r"Theme|key|Search|commands?|for|demo data|saved|unsaved|edit|days?|hours?|left|due|limit|orders?|"
    r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")


def screen_text(app) -> str:
    svg = app.export_screenshot()
    rows: dict[float, list[tuple[float, str]]] = {}
    for m in re.finditer(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>',
                         svg, re.S):
        text = html.unescape(re.sub("<[^>]+>", "", m.group(3)))
        rows.setdefault(float(m.group(2)), []).append((float(m.group(1)), text))
    return "\n".join("".join(t for _, t in sorted(v)).replace("\xa0", " ").rstrip()
                     for _, v in sorted(rows.items()))


def data_of(app) -> str:
    """What the cases hold (store names, the letter, the notice): shown as written."""
    parts = [s.store for s in app.summaries]
    if app.case is not None:
        parts += [app.case.letter.draft, app.case.notification.text, app.case.store]
    return "\n".join(parts)


def _without_data(line: str, data: str) -> str:
    """``line`` with every stretch of it that is the cases' own text taken out."""
    kept = []
    for segment in re.split(r"│|\s{2,}", line):
        cut = segment.strip().endswith("…")  # a narrow column shows a store's first letters
        bare = re.sub(r"^\s*\d+\s+", "", segment).strip().rstrip("…").strip()
        if bare and (len(bare) >= 3 or cut) and bare in data:
            continue
        kept.append(segment)
    return "  ".join(kept)


def leftovers(text: str, lang: str, data: str = "") -> list[str]:
    out = []
    for line in text.splitlines():
        if "appealdesk " in line:
            continue  # a command to type is the same in both languages
        line = _without_data(line, data)
        if lang == "en":
            if CJK.search(PROPER.sub("", line)):
                out.append(line)
        elif ENGLISH.search(PROPER.sub("", line)):
            out.append(line)
    return out


async def _panes(pilot) -> dict[str, str]:
    """Each pane's screen text (the narrow layout shows one pane at a time), and ``?``
    and the command palette over the letter pane."""
    shown = {}
    for key in ("1", "2", "3", "4"):
        await pilot.press(key)
        await settle(pilot)
        shown[key] = screen_text(pilot.app)
    for name, key in (("help", "question_mark"), ("palette", "ctrl+p")):
        await pilot.press(key)
        await settle(pilot)
        shown[name] = screen_text(pilot.app)
        await pilot.press("escape")
        await settle(pilot)
    return shown


@pytest.mark.parametrize("size", [SIZES["narrow"], SIZES["wide"]], ids=["80x24", "160x48"])
async def test_switching_language_leaves_nothing_of_the_other(demo_workspace, size):
    from appealdesk.app import AppealDeskApp

    app = AppealDeskApp(demo_workspace, demo=True)  # the title says "demo data"
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.select_case(LETTER_CASE)
        await settle(pilot)
        problems = {}
        for expected in ("zh", "en", "zh", "en"):  # there and back, twice
            await app.action_switch_language()
            await settle(pilot)
            assert current_language() == expected
            app.select_case(LETTER_CASE)
            await settle(pilot)
            for key, text in (await _panes(pilot)).items():
                bad = leftovers(text, expected, data_of(app))
                if bad:
                    problems[(expected, key)] = bad
        assert not problems, "\n".join(
            f"{lang} pane {key}:\n  " + "\n  ".join(lines)
            for (lang, key), lines in problems.items())


def _cli(ws, capsys, *argv: str) -> str:
    from appealdesk.cli import main

    main(["--data-dir", str(ws.store.root), *argv])
    out, err = capsys.readouterr()
    return out + err


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_cli_speaks_one_language(demo_workspace, capsys, lang):
    """``list``, ``show``, ``letter versions``, ``check`` and ``--help`` in one language:
    status and type names, version origins, finding titles and dates translated (codes
    only in parentheses after a finding's title)."""
    ws = demo_workspace
    data = "\n".join([ws.store.load(LETTER_CASE).letter.draft,
                      *(s.store for s in ws.store.load_all().cases)])
    texts = {
        "list": _cli(ws, capsys, "--lang", lang, "list", "--all"),
        "show": _cli(ws, capsys, "--lang", lang, "show", LETTER_CASE),
        "versions": _cli(ws, capsys, "--lang", lang, "letter", "versions", LETTER_CASE),
        "check": re.sub(r"\([a-z_]+\)", "", _cli(ws, capsys, "--lang", lang, "check",
                                                  LETTER_CASE)),
    }
    problems = {name: leftovers(text, lang, data) for name, text in texts.items()}
    problems = {name: lines for name, lines in problems.items() if lines}
    assert not problems, problems
