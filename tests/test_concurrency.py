"""Several operators at once: real processes, started together.

- 8 ``appealdesk intake`` of the same notice make exactly one case; the other 7 are told
  it is a duplicate (exit 3), none fails otherwise.
- The same for a notice without an id (duplicates by text).
- 8 writers changing one case in turn: every save lands or is refused in one line, the file
  is never half-written.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_cli_intake import NOON

WORKERS = 8

NO_ID = """\
Subject: Performance notice
Date: 2026-11-19T08:00:00+03:00
Your Late Shipment Rate for the last 7 days is 5.1%.
Orders: NSA1029384756, NSA5647382910
Please respond within 72 hours.
"""

# Each worker says it is ready, then waits for the "go" file, so that all of them start
# at the same moment.
RUN = """
import os, sys, time
go = sys.argv[1]
open(f"{go}.ready.{os.getpid()}", "w").close()
while not os.path.exists(go):
    time.sleep(0.005)
from appealdesk.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _together(tmp_path: Path, argvs: list[list[str]]) -> list[subprocess.CompletedProcess]:
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", RUN, str(go), *argv],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for argv in argvs]
    # Every interpreter started and waits at the line (a loaded machine takes longer).
    deadline = time.monotonic() + 60
    while (len(list(tmp_path.glob("go.ready.*"))) < len(procs)
           and time.monotonic() < deadline and all(p.poll() is None for p in procs)):
        time.sleep(0.02)
    go.write_text("go")
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return results


def _cases(data: Path) -> list[str]:
    listed = subprocess.run([sys.executable, "-m", "appealdesk", "--data-dir", str(data),
                             "list", "--all", "--json"], capture_output=True, text=True,
                            timeout=60)
    assert listed.returncode == 0, listed.stderr
    return [c["id"] for c in json.loads(listed.stdout)["cases"]]


@pytest.mark.parametrize("notice", [NOON, NO_ID], ids=["by-id", "by-text"])
def test_eight_intakes_of_one_notice_make_one_case(tmp_path, notice):
    data = tmp_path / "data"
    source = tmp_path / "notice.txt"
    source.write_text(notice, encoding="utf-8")
    argv = ["--data-dir", str(data), "intake", str(source), "--platform", "noon"]
    results = _together(tmp_path, [argv] * WORKERS)
    codes = sorted(r.returncode for r in results)
    assert codes == [0] + [3] * (WORKERS - 1), [(r.returncode, r.stderr) for r in results]
    created = [r.stdout.strip() for r in results if r.returncode == 0]
    assert _cases(data) == created
    for r in results:
        assert "Traceback" not in r.stderr
        if r.returncode:  # an error is one line; the one that made the case may say more
            assert len(r.stderr.strip().splitlines()) <= 1, r.stderr


def test_eight_writers_of_one_case_never_corrupt_it(tmp_path):
    data = tmp_path / "data"
    source = tmp_path / "notice.txt"
    source.write_text(NOON, encoding="utf-8")
    first = subprocess.run([sys.executable, "-m", "appealdesk", "--data-dir", str(data),
                            "intake", str(source)], capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    case_id = first.stdout.strip()
    argvs = [["--data-dir", str(data), "status", case_id, "in_progress" if n % 2 else "ready",
              "--note", f"writer {n}"] for n in range(WORKERS)]
    results = _together(tmp_path, argvs)
    for r in results:
        assert r.returncode in (0, 1, 2), r.stderr
        assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) <= 1
    landed = sum(1 for r in results if r.returncode == 0)
    shown = subprocess.run([sys.executable, "-m", "appealdesk", "--data-dir", str(data),
                            "show", case_id, "--json"], capture_output=True, text=True,
                           timeout=60)
    assert shown.returncode == 0, shown.stderr
    notes = [h.get("note") for h in json.loads(shown.stdout)["history"]
             if str(h.get("note", "")).startswith("writer ")]
    assert len(notes) == landed >= 1
