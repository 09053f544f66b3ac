import os
import pytest
from tests.conftest import settle, still

KEYS = os.environ.get("LOOK_KEYS", "enter").split()
W, H = map(int, os.environ.get("LOOK_SIZE", "80x24").split("x"))

async def test_look(demo_app):
    app = demo_app()
    app.CURSOR_BLINK = False
    async with app.run_test(size=(W, H)) as pilot:
        await settle(pilot)
        if os.environ.get("LOOK_LANG") == "zh":
            await app.action_switch_language()
            await settle(pilot)
        for k in KEYS:
            await pilot.press(k)
            await settle(pilot)
        if os.environ.get("LOOK_NOTE"): app.notify(os.environ["LOOK_NOTE"], title="Imported")
        await still(pilot)
        await pilot.pause(0.5)
        open("/tmp/look.svg", "w").write(app.export_screenshot())
        print("FOCUS", app.focused)
