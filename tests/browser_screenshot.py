"""A screenshot of the app in headless Chromium, taken once the app has drawn its cases
(``chromium --headless --screenshot`` shoots at page load and catches only the splash screen).

    .venv/bin/python tests/browser_screenshot.py shot.png [--keys "enter 4"] [--size 1400x900]
        [--data-dir DIR]   (default: the demo cases)

Keys are pressed in order, separated by spaces (enter, escape, tab, down, up, backspace or a
single character). Prints the screen's text too. Nothing beyond loopback.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser_cdp import (  # noqa: E402  (after the path above)
    Browser,
    find_chromium,
    free_port,
    start_server,
    stop,
)


async def shoot(out: Path, keys: list[str], size: tuple[int, int], data: list[str],
                ready: str) -> str:
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("no chromium on PATH (Debian: apt-get install chromium)")
    port = free_port()
    server = start_server(data, port)
    try:
        async with Browser(chromium, out.parent, *size) as browser:
            await browser.goto(f"http://127.0.0.1:{port}/")
            await browser.wait_for_text(ready, 30)
            for key in keys:
                await browser.press(key)
                await asyncio.sleep(0.3)
            await asyncio.sleep(1.0)  # let the last key's screen arrive and paint
            await browser.screenshot(out)
            return await browser.screen()
    finally:
        stop(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="PNG file to write")
    parser.add_argument("--keys", default="", help='keys to press first, e.g. "enter 4"')
    parser.add_argument("--size", default="1400x900", help="window size WxH in pixels")
    parser.add_argument("--data-dir", help="a data folder (default: the demo cases)")
    parser.add_argument("--ready", default=r"\d+[dhm] ",
                        help="regex on the screen meaning the app is ready (a case's time left)")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.lower().split("x"))
    data = ["--data-dir", args.data_dir] if args.data_dir else ["--demo"]
    out = args.out.resolve()
    text = asyncio.run(shoot(out, args.keys.split(), (width, height), data, args.ready))
    print(text)
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
