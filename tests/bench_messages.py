"""Benchmark: read a 1,000,000-message export and compute Amazon's reply-time metrics.

Target (issue 18): within 1.5x a bare ``csv.reader`` pass over the same file,
measured in the same run.

    .venv/bin/python tests/bench_messages.py [ROWS] [REPEATS]

The baseline, the reader as it was before the byte path ("before": the text
path, ``fast_messages.MIN_BYTES`` out of reach) and ours alternate REPEATS times
(default 3) in this process on the same file; the best run of each is compared
(other work on a shared machine only adds time). Every run is printed, with its
CPU time (``time.process_time``: all threads of this process).

Measured 2026-12-01 (h/msgspeed, 2 cores, load 6-9: seven other helpers), 1,000,000
messages, 117 MB, best of 5:

    csv.reader            2.12 s  cpu 1.12 s
    before (text path)    5.50 s  cpu 3.23 s   2.59x  (cpu 2.89x)
    appealdesk            2.06 s  cpu 1.16 s   0.97x  (cpu 1.03x)

Over four such runs of this branch (3-5 repeats each) ours was 0.97x-1.62x
csv.reader in wall time (1.62x: the one run where csv.reader alone caught a
quiet moment, 1.18 s) and 0.96x-1.41x in CPU time; the text path 1.83x-3.53x
(CPU 2.89x-3.41x).

Ours: ~0.6 s CPU reading (``fast_messages``: numpy on the file's bytes, no
Python string per cell) and ~0.3 s computing the three Amazon metrics. DuckDB
was measured and not used: its query alone (two time stamps, two flags, three
hashes; one or two threads) took 0.73-0.79 s CPU and its import 0.15 s, about the whole
budget before any metric. (Earlier, h/speed, load ~11: text path 3.20x-3.57x.)
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HEADER = ("message-id,amazon-order-id,received-date,first-response-date,response-needed,"
          "auto-reply,channel,agent\n")
AGENTS = ["lily", "wang", "chen", "night-shift"]


def generate(path: Path, rows: int, seed: int = 18) -> None:
    rng = random.Random(seed)
    start = datetime(2026, 7, 1, tzinfo=UTC)
    span = 100 * 86400
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        lines = []
        for i in range(rows):
            received = start + timedelta(seconds=rng.randrange(span))
            if rng.random() < 0.03:
                replied = ""
            else:
                wait = min(rng.expovariate(1 / (8 * 3600)), 10 * 86400)  # mean 8 h: ~5% late
                replied = (received + timedelta(seconds=int(wait))).isoformat()
            needed = "no response needed" if rng.random() < 0.05 else "yes"
            lines.append(f"M{i},114-{i:07d}-{rng.randrange(10**7):07d},{received.isoformat()},"
                         f"{replied},{needed},{'yes' if rng.random() < 0.1 else 'no'},"
                         f"buyer-seller messaging,{rng.choice(AGENTS)}\n")
            if len(lines) >= 50_000:
                out.writelines(lines)
                lines.clear()
        out.writelines(lines)


def baseline(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as f:
        return sum(1 for _row in csv.reader(f))


def ours(path: Path, fast: bool = True) -> tuple[int, str]:
    """Read and compute; ``fast`` False: without the byte path (the reader before it)."""
    from appealdesk.metrics.conversations import compute_message_metrics
    from appealdesk.policy.loading import load_policies
    from appealdesk.reports import fast_messages
    from appealdesk.reports.conversations import read_messages

    saved = fast_messages.MIN_BYTES
    fast_messages.MIN_BYTES = saved if fast else 1 << 62
    try:
        policy = load_policies().get("amazon")
        table = read_messages([path], policy)
        results = compute_message_metrics(table, policy, date(2026, 10, 8))
    finally:
        fast_messages.MIN_BYTES = saved
    r = results[-1]
    return len(table), f"{r.id} {r.numerator}/{r.denominator} {r.status}"


def _timed(run: Callable[[], object]) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = run()
    return time.perf_counter() - wall, time.process_time() - cpu, out


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "messages.csv"
        generate(path, rows)
        print(f"{rows:,} messages, {path.stat().st_size / 1e6:.0f} MB")
        contenders: dict[str, Callable[[], object]] = {
            "csv.reader": lambda: baseline(path),
            "before (text path)": lambda: ours(path, fast=False),
            "appealdesk": lambda: ours(path),
        }
        walls: dict[str, list[float]] = {name: [] for name in contenders}
        cpus: dict[str, list[float]] = {name: [] for name in contenders}
        for run in range(repeats):
            line = []
            for name, contender in contenders.items():
                wall, cpu, out = _timed(contender)
                walls[name].append(wall)
                cpus[name].append(cpu)
                line.append(f"{name} {wall:.2f} s (cpu {cpu:.2f})")
            print(f"run {run + 1}: " + "   ".join(line) + f"   [{out}]")
        base_wall, base_cpu = min(walls["csv.reader"]), min(cpus["csv.reader"])
        for name in contenders:
            wall, cpu = min(walls[name]), min(cpus[name])
            print(f"best {name:20s} {wall:5.2f} s  cpu {cpu:5.2f} s   "
                  f"ratio {wall / base_wall:.2f}x  (cpu {cpu / base_cpu:.2f}x)")
        print("target: appealdesk within 1.5x csv.reader")


if __name__ == "__main__":
    main()
