"""Every pane of every demo case shows without an error, narrow and wide: a row built for
one layout (a column the narrow table drops) once failed only at 80 columns."""

from __future__ import annotations

import pytest

from tests.conftest import settle


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
async def test_every_pane_of_every_demo_case_shows_without_an_error(demo_app, size):
    app = demo_app()
    errors: list[str] = []
    notify = app.notify

    def recorded(message, *args, **kwargs):  # a toast leaves after its timeout: record it
        if kwargs.get("severity") == "error":
            errors.append(f"{kwargs.get('title', '')}: {message}")
        return notify(message, *args, **kwargs)

    app.notify = recorded  # type: ignore[method-assign]
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        case_ids = [s.id for s in app.summaries]
        assert len(case_ids) >= 4
        for case_id in case_ids:
            app.select_case(case_id)
            await settle(pilot)
            for key in ("2", "3", "4", "1"):
                await pilot.press(key)
                await settle(pilot)
        assert errors == []
