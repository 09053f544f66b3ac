"""Benchmark: saving a case with a 1 MB notice or letter, whatever characters it holds.

Run: ``.venv/bin/python tests/bench_save.py``. For every kind of text it prints the
median time of a save (and of the first write, ``create``) beside the same case
holding plain ASCII text of the same size, measured in the same run, and the ratio.
Target (issue 16): every ratio at most 1.5. It also prints how many bytes the case
folder takes, so a text stored twice would show.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from appealdesk.cases.model import Case, LetterVersion, Notification
from appealdesk.cases.store import Store

SIZE = 1_000_000  # bytes of UTF-8
ROUNDS = 9
T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def _fill(unit: str) -> str:
    """``unit`` repeated to SIZE bytes of UTF-8 (not characters: the same size on disk)."""
    per_char = len(unit.encode("utf-8")) / len(unit)
    return (unit * (int(SIZE / per_char) // len(unit) + 1))[:int(SIZE / per_char)]


TEXTS = {
    "ascii (baseline)": _fill("Your late shipment rate is 6.8 percent. "),
    "one-line HTML": _fill('<td class="x" style="a:b">Order 114-1234567-7654321</td>'),
    "backslashes": _fill("C:\\Users\\seller\\orders\\"),
    "quotes": _fill('"quoted" \'single\' """triple""" '),
    "control chars": _fill("a\x01b\x02c\x1bd\te\x7f"),
    "Chinese + emoji": _fill("您的店铺迟发率为6.8%，请在72小时内申诉。📦 "),
    "newlines only": _fill("line\n"),
}


def _case(text: str, where: str) -> Case:
    case = Case(id="amazon-123456789", marketplace="amazon", created=T0,
                notification=Notification(type="late_shipment", received=T0))
    if where == "notice":
        case.notification.text = text
    else:
        case.letter.draft = text
        case.letter.version = 1
        case.letter.edited = True
        case.letter.versions.append(LetterVersion(1, text, T0, "alice", "edited"))
    return case


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def measure(text: str, where: str) -> tuple[float, float, int]:
    """(median create, median save, bytes of the case folder)."""
    creates, saves, size = [], [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(ROUNDS):
            store = Store(Path(tmp) / str(n))
            case = _case(text, where)
            start = time.perf_counter()
            store.create(case, "alice")
            creates.append(time.perf_counter() - start)
            loaded = store.load(case.id)
            loaded.store = f"Store {n}"  # a small change, as autosave makes
            start = time.perf_counter()
            store.save(loaded, "alice")
            saves.append(time.perf_counter() - start)
            size = _folder_bytes(store.case_dir(case.id))
            assert store.load(case.id) == loaded
    return statistics.median(creates), statistics.median(saves), size


def main() -> int:
    measure("warm-up " * 1000, "notice")  # imports and first-call costs out of the figures
    worst = 0.0
    for where in ("notice", "letter"):
        print(f"\n1 MB {where} text (median of {ROUNDS} creates and {ROUNDS} saves)")
        print(f"{'text':<18} {'create s':>9} {'save s':>8} {'x ascii':>8} {'folder KB':>10}")
        base = None
        for name, text in TEXTS.items():
            create, save, size = measure(text, where)
            if base is None:
                base = max(create, save)
            ratio = max(create, save) / base
            worst = max(worst, ratio)
            print(f"{name:<18} {create:9.3f} {save:8.3f} {ratio:8.2f} {size / 1024:10.0f}")
    print(f"\nworst ratio to the ASCII baseline: {worst:.2f} (target: at most 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
