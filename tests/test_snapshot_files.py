"""Every SVG in snapshots/ belongs to a snapshot test that still exists.

syrupy fails a run on snapshots no test uses, but not under pytest-xdist (each worker
sees only its share), and .ci/check runs the suite with xdist: this test keeps the check.
Only the test modules collected in this run are looked at, so running one file works."""

from __future__ import annotations

import re

from tests.conftest import COLLECTED, SNAPSHOT_DIR


def test_no_snapshot_without_its_test(request):
    collected: dict[str, set[str]] = {}
    for item in request.config.stash[COLLECTED]:
        module = item.path.stem
        cls = getattr(item, "cls", None)
        name = f"{cls.__name__}.{item.name}" if cls else item.name
        collected.setdefault(module, set()).add(name)
    orphans = []
    for folder in sorted(p for p in SNAPSHOT_DIR.iterdir() if p.is_dir()):
        if folder.name not in collected:
            continue
        for svg in sorted(folder.glob("*.svg")):
            name = re.sub(r"\.\d+$", "", svg.stem)  # a second picture in one test: name.1
            if name not in collected[folder.name]:
                orphans.append(f"{folder.name}/{svg.name}")
    assert not orphans, f"snapshots no test takes (delete them): {orphans}"
