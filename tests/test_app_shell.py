"""Behaviour of the app shell: panes, keys, help, palette, theme, language, clipboard."""

from __future__ import annotations

import tomllib

from textual.containers import VerticalScroll

from appealdesk.app import AppealDeskApp
from appealdesk.cases.config import operator_config_path, remember
from appealdesk.cases.workspace import Workspace
from appealdesk.i18n import current_language
from appealdesk.screens import HelpScreen, MainScreen
from appealdesk.screens.dialogs.help import binding_label, key_rows, operator_keys
from tests.conftest import settle


async def test_number_keys_take_turns_at_80_columns(demo_app):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.has_class("narrow", "show-inbox")
        await pilot.press("3")
        await settle(pilot)
        assert screen.has_class("show-detail")
        assert screen.query_one("#detail-tabs").active == "tab-evidence"
        await pilot.press("1")
        await settle(pilot)
        assert screen.has_class("show-inbox")


async def test_wide_terminal_shows_inbox_and_case_together(demo_app):
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert not app.screen.has_class("narrow")
        assert app.screen.query_one("#inbox-pane").display
        assert app.screen.query_one("#detail").display


async def test_every_footer_key_is_in_help_and_palette(demo_app):
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        footer = [b.binding for b in screen.active_bindings.values()
                  if b.binding.show and b.binding.description]
        assert {"Quit", "Help", "Inbox", "Metrics"} <= {b.description for b in footer}
        palette = [c.title for c in app.get_system_commands(screen)]
        help_lines = {description for _, description in key_rows(screen)}
        for b in footer:
            label = binding_label(b)
            assert label in help_lines
            assert any(title.startswith(label + " (") for title in palette), label
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_help_and_palette_show_the_operators_keys_only(demo_app):
    """No widget internals, no palette entry for the palette itself, one line each,
    and labels that say what the key does."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        screen = app.screen
        palette = [c.title for c in app.get_system_commands(screen)]
        helps = [c.help for c in app.get_system_commands(screen)]
        internals = ("Focus Next", "Copy selected text", "Commands", "Cursor left",
                     "Page Left", "super+c", "Archive")
        for text in palette + [f"{k} {d}" for k, d in key_rows(screen)]:
            assert not any(word in text for word in internals), text
        assert all(not h for h in helps)  # one line per entry
        assert "Show closed cases (a)" in palette
        groups = [r.group for r in operator_keys(screen)]
        assert groups == sorted(groups, key=["pane", "navigation", "app"].index)
        assert {"pane", "navigation", "app"} <= set(groups)


async def test_help_scrolls_with_j_and_k(demo_app):
    app = demo_app()
    async with app.run_test(size=(80, 12)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        scroll = app.screen.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 0
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert scroll.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert scroll.scroll_y == 2


async def test_theme_cycles_and_is_remembered(demo_workspace):
    app = AppealDeskApp(demo_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        themes = []
        for _ in range(3):
            app.action_cycle_theme()
            themes.append(app.theme)
        assert themes == ["textual-light", "appealdesk-high-contrast", "textual-dark"]
        # The toast names the theme in the operator's words, not by its id.
        await pilot.pause()
        toasts = [n.message for n in app._notifications if n.title == "Theme"]
        assert toasts == ["Light", "High contrast", "Dark"]
    config = tomllib.loads(operator_config_path().read_text("utf-8"))
    assert config["theme"] == "textual-dark"
    assert not demo_workspace.store.config_path.exists()  # not the team's data folder
    remember(theme="appealdesk-high-contrast")
    app2 = AppealDeskApp(Workspace.open(demo_workspace.store.root))
    assert app2.theme == "appealdesk-high-contrast"


async def test_a_broken_config_is_shown_and_t_does_not_crash(demo_workspace):
    """Bad TOML in the operator's file, a wrong type in the team's: both named in a
    notification; T still cycles the theme and leaves the broken file as it was."""
    mine = operator_config_path()
    mine.parent.mkdir(parents=True, exist_ok=True)
    mine.write_text('language = "zh"\ntheme = [\n', "utf-8")
    demo_workspace.store.config_path.write_text('stores = "Shop A"\n', "utf-8")
    app = AppealDeskApp(Workspace.open(demo_workspace.store.root))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = [str(n.message) for n in app._notifications]
        assert any(f"{mine}:2:" in m for m in shown), shown
        assert any(str(demo_workspace.store.config_path) in m and "stores" in m
                   for m in shown), shown
        await pilot.press("T")
        await settle(pilot)
        assert app.is_running and app.theme == "textual-light"
        shown = [str(n.message) for n in app._notifications]
        assert any("not saved" in str(n.title) and str(mine) in str(n.message)
                   for n in app._notifications), shown
    assert mine.read_text("utf-8") == 'language = "zh"\ntheme = [\n'


async def test_language_switch_without_restart(demo_workspace):
    app = AppealDeskApp(demo_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        selected = app.case.id
        await app.action_switch_language()
        await settle(pilot)
        assert current_language() == "zh"
        assert isinstance(app.screen, MainScreen)
        assert app.case and app.case.id == selected
        palette = {c.title for c in app.get_system_commands(app.screen)}
        assert "退出（q）" in palette and not any("Quit" in t for t in palette)
        await app.action_switch_language()
        await settle(pilot)
        assert current_language() == "en"
        palette = {c.title for c in app.get_system_commands(app.screen)}
        assert "Quit (q)" in palette
    config = tomllib.loads(operator_config_path().read_text("utf-8"))
    assert config["language"] == "en"
    assert not demo_workspace.store.config_path.exists()  # not the team's data folder


async def test_the_title_follows_a_language_switch(demo_workspace):
    app = AppealDeskApp(demo_workspace, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.sub_title == "demo data"
        await app.action_switch_language()
        await settle(pilot)
        assert app.sub_title == "演示数据"
        await app.action_switch_language()
        await settle(pilot)
        assert app.sub_title == "demo data"


async def test_copy_case_id_uses_the_terminal_clipboard(demo_app):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == app.case.id


async def test_broken_case_file_does_not_stop_the_inbox(demo_workspace):
    demo_workspace.store.case_file("noon-perf-483920").write_text("id = [", encoding="utf-8")
    app = AppealDeskApp(demo_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert len(app.load_errors) == 1
        assert "noon-perf-483920" in str(app.load_errors[0])
        assert {s.id for s in app.summaries} >= {"amazon-5839201744", "jd-jdv-2026-118845"}


async def test_broken_user_policy_is_reported_and_the_app_still_opens(demo_workspace):
    demo_workspace.store.policies_dir.mkdir(parents=True, exist_ok=True)
    (demo_workspace.store.policies_dir / "broken.toml").write_text("id = [", encoding="utf-8")
    demo_workspace.policies = None  # loaded again, lazily, with the broken file
    app = AppealDeskApp(demo_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("broken.toml" in m for m in messages)
        assert {s.id for s in app.summaries} >= {"amazon-5839201744"}
