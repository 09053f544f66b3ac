"""Translations: the zh catalog covers the code, the .mo matches the .po,
placeholders survive, the language switches and is chosen in the right order,
the CLI speaks Chinese, and key descriptions stay English msgids."""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from appealdesk import i18n
from appealdesk.i18n import _, choose_language, current_language, set_language

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "appealdesk" / "locale"
PO = LOCALE / "zh" / "LC_MESSAGES" / "appealdesk.po"
MO = LOCALE / "zh" / "LC_MESSAGES" / "appealdesk.mo"
SOURCE_DIRS = ("src", "screens", "widgets")  # the same folders as babel.cfg's command
KEYWORDS = {"_": None, "ngettext": (1, 2), "N_": None}
UI_FILES = [ROOT / "src" / "appealdesk" / "app.py", *sorted((ROOT / "screens").glob("*.py")),
            *sorted((ROOT / "widgets").glob("*.py"))]


def _catalog():
    with PO.open("rb") as f:
        return read_po(f)


def _used_msgids() -> set[str]:
    found: set[str] = set()
    for dirname in SOURCE_DIRS:
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / dirname, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.update(message if isinstance(message, tuple) else (message,))
    return {m for m in found if m}


def _translations() -> dict[str, str]:
    out = {}
    for m in _catalog():
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        # Chinese has one plural form: msgstr[0] serves the singular and the plural id.
        for i, msgid in enumerate(ids):
            out[msgid] = strings[min(i, len(strings) - 1)]
    return out


def test_every_msgid_in_the_code_has_a_chinese_translation():
    used = _used_msgids()
    assert len(used) > 400  # the extraction really ran over the code
    translations = _translations()
    missing = sorted(m for m in used if not translations.get(m, "").strip())
    assert not missing, (
        f"{len(missing)} strings have no zh translation in {PO.name} (run the commands in "
        f"locale/babel.cfg, then translate): {missing}"
    )


def test_msgids_inside_f_strings_have_a_chinese_translation_too():
    """Babel's extractor does not look inside f-strings: ``f"{_('Reports')}: {n}"``."""
    translations = _translations()
    inside = re.compile(r"""\{_\((['"])(.*?)\1\)""")
    missing = sorted({m.group(2) for d in SOURCE_DIRS for path in (ROOT / d).rglob("*.py")
                      for m in inside.finditer(path.read_text("utf-8"))
                      if not translations.get(m.group(2))})
    assert not missing, missing


def test_no_translation_is_marked_fuzzy():
    fuzzy = sorted(m.id for m in _catalog() if m.id and m.fuzzy)
    assert not fuzzy, f"fuzzy entries are not used by gettext: {fuzzy}"


def test_committed_mo_matches_the_po():
    with MO.open("rb") as f:
        committed = read_mo(f)
    buffer = io.BytesIO()
    write_mo(buffer, _catalog())
    buffer.seek(0)
    fresh = read_mo(buffer)
    def flat(value):  # a plural entry's ids and strings come as lists
        return tuple(value) if isinstance(value, (list, tuple)) else value

    as_dict = lambda cat: {flat(m.id): flat(m.string) for m in cat if m.id}  # noqa: E731
    assert as_dict(committed) == as_dict(fresh), (
        "appealdesk.mo is stale: run `pybabel compile -d src/appealdesk/locale -D appealdesk`")


BRACES = re.compile(r"\{[^{}]*\}")
PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]?\d*(?:\.\d+)?[diouxXeEfFgGcrs]")


@pytest.mark.parametrize("pattern", [BRACES, PERCENT], ids=["brace", "percent"])
def test_placeholders_in_each_translation_equal_the_msgid(pattern):
    wrong = []
    for msgid, msgstr in _translations().items():
        if msgstr and sorted(pattern.findall(msgid)) != sorted(pattern.findall(msgstr)):
            wrong.append((msgid, msgstr))
    assert not wrong, wrong


def test_code_spans_and_options_stay_untranslated():
    wrong = []
    for msgid, msgstr in _translations().items():
        for token in re.findall(r"`[^`]+`|--[a-z][a-z-]*", msgid):
            if msgstr and token not in msgstr:
                wrong.append((msgid, token))
    assert not wrong, wrong


def test_translation_switches_with_set_language():
    assert _("Quit") == "Quit"
    set_language("zh")
    assert _("Quit") == "退出"
    assert _("no such case: {case_id}").format(case_id="x") == "没有这个案件：x"
    assert i18n.pick("late", "迟发") == "迟发"
    set_language("en")
    assert _("Quit") == "Quit"
    assert i18n.pick("late", "迟发") == "late"
    with pytest.raises(ValueError):
        set_language("fr")


def test_n_marker_does_not_translate():
    set_language("zh")
    assert i18n.N_("Quit") == "Quit"


# -- choosing the language ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("flag", "config", "env", "expected"),
    [
        ("en", {"language": "zh"}, "zh_CN.UTF-8", "en"),  # --lang beats everything
        ("zh", {"language": "en"}, "en_US.UTF-8", "zh"),
        (None, {"language": "zh"}, "en_US.UTF-8", "zh"),  # config beats LANG
        (None, {"language": "en"}, "zh_CN.UTF-8", "en"),
        (None, {}, "zh_CN.UTF-8", "zh"),  # then LANG
        (None, {"language": "fr"}, "zh_TW.UTF-8", "zh"),  # an unknown value falls through
        (None, None, "C.UTF-8", "en"),
        (None, {}, None, "en"),
    ],
)
def test_language_order(monkeypatch, flag, config, env, expected):
    if env is None:
        monkeypatch.delenv("LANG", raising=False)
    else:
        monkeypatch.setenv("LANG", env)
    assert choose_language(flag, config) == expected


def test_lc_all_beats_lang(monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    assert choose_language(None, {}) == "zh"


def _data_dir(tmp_path, language: str | None) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    if language:
        (data / "config.toml").write_text(f'language = "{language}"\n', "utf-8")
    return data


def test_cli_decides_from_argv_then_config_then_environment(tmp_path, monkeypatch):
    from appealdesk.cli import language_for

    zh_data = _data_dir(tmp_path, "zh")
    assert language_for(["--data-dir", str(zh_data), "list"]) == "zh"
    assert language_for(["--lang", "en", "--data-dir", str(zh_data), "list"]) == "en"
    assert language_for(["--lang=en", "--data-dir", str(zh_data)]) == "en"
    monkeypatch.setenv("APPEALDESK_DATA_DIR", str(zh_data))
    assert language_for(["list"]) == "zh"  # the data folder from the environment
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert language_for(["--demo"]) == "zh"  # the demo copy has no config: LANG decides
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert language_for(["--demo"]) == "en"


def test_broken_config_does_not_stop_the_cli(tmp_path, monkeypatch, capsys):
    from appealdesk.cli import main

    data = tmp_path / "data"
    data.mkdir()
    (data / "config.toml").write_text("language = [", "utf-8")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["--data-dir", str(data), "--help"])
    assert exit_info.value.code == 0
    assert "界面语言" in capsys.readouterr().out


def test_cli_help_in_chinese(capsys):
    from appealdesk.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--lang", "zh", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "用法：" in out and "界面语言" in out and "显示此帮助信息并退出" in out
    assert "interface language" not in out


def test_cli_help_follows_the_config(tmp_path, capsys):
    from appealdesk.cli import main

    data = _data_dir(tmp_path, "zh")
    with pytest.raises(SystemExit):
        main(["--data-dir", str(data), "list", "--help"])
    assert "包括已结案和已归档的案件" in capsys.readouterr().out


def test_cli_help_in_english_by_default(capsys):
    from appealdesk.cli import main

    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "interface language" in out and "界面语言" not in out


def test_cli_error_in_chinese(tmp_path, capsys):
    from appealdesk.cli import main

    data = _data_dir(tmp_path, None)
    assert main(["--lang", "zh", "--data-dir", str(data), "show", "no-such-case"]) != 0
    assert "没有这个案件：no-such-case" in capsys.readouterr().err


def test_argparse_error_in_chinese(capsys):
    from appealdesk.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--lang", "zh", "no-such-command"])
    assert exit_info.value.code == 2
    assert "错误：" in capsys.readouterr().err


# -- key descriptions are English msgids whatever the language at import --------------------
def test_class_level_key_descriptions_are_marked_not_translated():
    """`_()` in a class body runs at import time: in zh it would freeze a Chinese
    description that a switch to English could not undo. Such texts use N_."""
    offenders = []
    for path in UI_FILES:
        tree = ast.parse(path.read_text("utf-8"))
        for call in ast.walk(tree):
            if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "Binding":
                for arg in [*call.args, *(k.value for k in call.keywords)]:
                    if isinstance(arg, ast.Call) and getattr(arg.func, "id", None) == "_":
                        offenders.append(f"{path.name}:{call.lineno}")
    assert not offenders, offenders


def _ui_classes():
    import importlib
    import pkgutil

    from textual.dom import DOMNode

    import appealdesk.app
    import appealdesk.screens
    import appealdesk.widgets

    modules = [appealdesk.app]
    for package in (appealdesk.screens, appealdesk.widgets):
        for info in pkgutil.iter_modules(package.__path__):
            modules.append(importlib.import_module(f"{package.__name__}.{info.name}"))
    return [obj for module in modules for obj in vars(module).values()
            if isinstance(obj, type) and issubclass(obj, DOMNode)
            and obj.__module__ == module.__name__]


def test_every_key_description_is_a_translated_msgid():
    translations = _translations()
    problems = []
    for cls in _ui_classes():
        for binding in cls.__dict__.get("BINDINGS", []):
            if binding.description and not translations.get(binding.description):
                problems.append((cls.__name__, binding.description))
    assert not problems, problems


def test_textual_key_list_matches_the_installed_textual():
    """screens/textual_keys.py lists the key descriptions of Textual's widgets."""
    import inspect
    import sys

    import textual.command  # noqa: F401
    import textual.widgets as textual_widgets
    from textual.binding import Binding
    from textual.dom import DOMNode

    from appealdesk.screens.textual_keys import TEXTUAL_KEY_DESCRIPTIONS

    for name in textual_widgets.__all__:
        getattr(textual_widgets, name)  # textual.widgets imports its widgets lazily
    descriptions = set()
    for module_name, module in list(sys.modules.items()):
        if module_name.startswith("textual"):
            for obj in list(vars(module).values()):
                if inspect.isclass(obj) and issubclass(obj, DOMNode):
                    descriptions.update(b.description for b in obj.__dict__.get("BINDINGS", [])
                                        if isinstance(b, Binding) and b.description)
    missing = sorted(descriptions - set(TEXTUAL_KEY_DESCRIPTIONS))
    assert not missing, f"add to screens/textual_keys.py and translate: {missing}"


async def test_app_started_in_chinese_switches_its_footer_to_english(demo_workspace):
    from textual.widgets._footer import FooterKey

    from appealdesk.app import AppealDeskApp
    from tests.conftest import settle

    set_language("zh")
    app = AppealDeskApp(demo_workspace)
    # Wide: every key stands on its own (narrower, 1–4 become one key: test_layout.py).
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        footer = {key.description for key in app.screen.query(FooterKey)}
        assert {"退出", "帮助", "收件箱"} <= footer, footer
        await pilot.press("L")
        await settle(pilot)
        assert current_language() == "en"
        footer = {key.description for key in app.screen.query(FooterKey)}
        assert {"Quit", "Help", "Inbox"} <= footer, footer
        assert not any(re.search("[\u4e00-\u9fff]", d) for d in footer), footer
        await pilot.press("L")
        await settle(pilot)
        footer = {key.description for key in app.screen.query(FooterKey)}
        assert {"退出", "帮助", "收件箱"} <= footer, footer
