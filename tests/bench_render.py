"""Render time of a three-page letter, imports included, next to baselines.

Each figure is a fresh interpreter (median of N runs), so import cost counts:
  startup   python -c "import appealdesk"
  one-line  xhtml2pdf rendering "<p>x</p>" (the library's own floor)
  letter    appealdesk's render_letter on a three-page letter with a table and Chinese text

Run: python tests/bench_render.py [runs]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

LETTER_SCRIPT = r'''
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from appealdesk.cases.model import Case, Notification
from appealdesk.policy.loading import load_policies
from appealdesk.cases.store import Store
from appealdesk.render.pdf import render_letter
policy = load_policies().get("amazon")
store = Store(Path(tempfile.mkdtemp()))
case = Case(id="amazon-bench", marketplace="amazon", store="深圳优品 Sunrise",
            notification=Notification(type="late_shipment", external_id="5839201744"))
store.create(case, "bench")
parts = ["# Plan of Action", "## Root cause"]
parts += [f"Paragraph {i}: the carrier missed the pick-up on day {i}; 迟发 orders were "
          "handed over late and we confirmed each one against the dispatch log." * 2
          for i in range(28)]
parts += ["## About our metrics", "| Metric | Ours | Target |", "|---|---|---|"]
parts += [f"| Late shipment rate day {i} | 6.{i}% | < 4% |" for i in range(20)]
result = render_letter(store, case, policy, at=datetime(2026, 11, 20, tzinfo=UTC),
                       text="\n\n".join(parts[:-21]) + "\n\n" + "\n".join(parts[-21:]))
assert result.pages == 3, result.pages
'''

BASELINES = {
    "startup (import appealdesk)": "import appealdesk",
    "one-line xhtml2pdf render": (
        "import io; from xhtml2pdf import pisa; pisa.CreatePDF('<p>x</p>', dest=io.BytesIO())"
    ),
    "three-page letter (render_letter)": LETTER_SCRIPT,
}


def timed(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    for label, code in BASELINES.items():
        times = [timed(code) for _ in range(runs)]
        print(f"{label:36} median {statistics.median(times) * 1000:7.0f} ms  "
              f"min {min(times) * 1000:7.0f} ms  ({runs} runs)")


if __name__ == "__main__":
    main()
