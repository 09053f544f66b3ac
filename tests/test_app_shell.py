"""Behaviour of the app shell: panes, keys, help, palette, theme, language, clipboard."""

from __future__ import annotations

import tomllib

from appealdesk.app import AppealDeskApp
from appealdesk.i18n import current_language
from appealdesk.screens import HelpScreen, MainScreen
from appealdesk.screens.dialogs.help import key_rows
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
        shown = {b.binding.description for b in screen.active_bindings.values()
                 if b.binding.show and b.binding.description}
        assert {"Quit", "Help", "Inbox", "Metrics"} <= shown
        palette = {c.title for c in app.get_system_commands(screen)}
        help_lines = {description for _, description in key_rows(screen)}
        assert shown <= palette
        assert shown <= help_lines
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_theme_cycles_and_is_remembered(demo_workspace):
    app = AppealDeskApp(demo_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        themes = []
        for _ in range(3):
            app.action_cycle_theme()
            themes.append(app.theme)
        assert themes == ["textual-light", "appealdesk-high-contrast", "textual-dark"]
    config = tomllib.loads(demo_workspace.store.config_path.read_text("utf-8"))
    assert config["theme"] == "textual-dark"
    app2 = AppealDeskApp(demo_workspace)
    demo_workspace.store.update_config(theme="appealdesk-high-contrast")
    app2 = AppealDeskApp(demo_workspace)
    assert app2.theme == "appealdesk-high-contrast"


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
        assert "退出" in palette and "Quit" not in palette
        await app.action_switch_language()
        await settle(pilot)
        assert current_language() == "en"
        palette = {c.title for c in app.get_system_commands(app.screen)}
        assert "Quit" in palette
    config = tomllib.loads(demo_workspace.store.config_path.read_text("utf-8"))
    assert config["language"] == "en"


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
        assert {c.id for c in app.cases} >= {"amazon-5839201744", "jd-jdv-2026-118845"}


async def test_broken_user_policy_is_reported_and_the_app_still_opens(demo_workspace):
    demo_workspace.store.policies_dir.mkdir(parents=True, exist_ok=True)
    (demo_workspace.store.policies_dir / "broken.toml").write_text("id = [", encoding="utf-8")
    demo_workspace.policies = None  # loaded again, lazily, with the broken file
    app = AppealDeskApp(demo_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("broken.toml" in m for m in messages)
        assert {c.id for c in app.cases} >= {"amazon-5839201744"}
