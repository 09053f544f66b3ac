"""Shared pieces of the fuzz tests (tests/test_fuzz_*.py).

Every fuzzed input goes through the real command line, in-process, on a data folder that
also holds one sound case (``SENTINEL``). After each input:

* the command ended with success or one line on stderr, never "internal error" or a
  traceback;
* ``list --all --json`` and ``followups --json`` still work and still show the sound case.

``APPEALDESK_FUZZ_EXAMPLES`` raises the number of examples per test (default: small, so
the suite stays fast); a long campaign: ``APPEALDESK_FUZZ_EXAMPLES=2000 pytest
tests/test_fuzz_*.py``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from appealdesk.cli import main

EXAMPLES = int(os.environ.get("APPEALDESK_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 25,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# import + metrics cost about ten times an intake: fewer of them by default
FUZZ_SLOW = settings(FUZZ, max_examples=max(10, EXAMPLES // 2))

SENTINEL = "noon-perf-100001"
SENTINEL_NOTICE = """\
Subject: [noon Partners] Performance alert - Late Shipment Rate
Date: 2026-11-19T08:00:00+03:00
Case ID: PERF-100001
Store: Desert Bloom Trading (noon.sa)
Your Late Shipment Rate for the last 7 days is 5.1%.
Orders: NSA1029384756, NSA5647382910
Please respond within 72 hours.
"""


def run(data: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["--data-dir", str(data), *args])
        except SystemExit as exc:  # argparse's exits
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def assert_clean(code: int, err: str, allowed: tuple[int, ...] = (0, 1, 2, 3)) -> None:
    """Success, or a refusal in one line; never an internal error."""
    assert code in allowed, (code, err)
    assert "internal error" not in err and "Traceback" not in err, err
    errors = [line for line in err.splitlines() if line.strip()]
    if code == 2:  # could not run: exactly one line says why
        assert len(errors) == 1, err
    elif code == 1:  # ran, and the answer is "no" (on stdout); at most one line beside it
        assert len(errors) <= 1, err


def make_folder(root: Path) -> Path:
    """A data folder holding the sound case."""
    data = root / "data"
    notice = root / "sentinel.txt"
    notice.write_text(SENTINEL_NOTICE, "utf-8")
    code, out, err = run(data, "intake", str(notice))
    assert (code, out.strip()) == (0, SENTINEL), err
    return data


def assert_folder_still_works(data: Path) -> None:
    """The other cases still list, and follow-ups still come."""
    code, out, err = run(data, "list", "--all", "--json")
    assert code == 0, err
    assert "internal error" not in err and "Traceback" not in err, err
    listed = json.loads(out)
    assert SENTINEL in [c["id"] for c in listed["cases"]], listed
    assert all("\n" not in e for e in listed["errors"])
    code, out, err = run(data, "followups", "--json")
    assert code == 0, err
    assert any(item["case"] == SENTINEL for item in json.loads(out)["items"])


# -- strategies ------------------------------------------------------------------------
ZONES_AWARE = [UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-7))]
ZONES = st.sampled_from([None, *ZONES_AWARE])
ODD_DATES = st.sampled_from([
    "9999-12-31", "0001-01-01", "10000-01-01", "2026-02-30", "2026-13-01", "9999-12-31T23:59:59",
    "0001-01-01T00:00:00+14:00", "Tue, 31 Dec 9999 23:59:59 +0000", "Mon, 01 Jan 0001 00:00:00 +0000",
    "2026-11-19T08:00:00+03:00", "2026/11/19 08:00", "19.11.2026", "", "now", "2026-11-19T25:61",
])
DATES = st.one_of(
    ODD_DATES,
    st.builds(lambda m, z: m.replace(tzinfo=z).isoformat(),
              st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)), ZONES),
    st.text(max_size=30),
)
# Any character, control characters and lone surrogates' neighbours included.
WILD_TEXT = st.text(st.characters(codec="utf-8"), max_size=300)
LINE_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=120)
