"""A team folder works for every member of its group, whatever their umask.

Two real users: alice creates a case under umask 022, bob (another uid, member of the
team group) saves it, adds a file and takes in a notice. Needs root to switch uids with
``setpriv``; skipped otherwise.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

ALICE, BOB, TEAM, OTHER = 52001, 52002, 52000, 52003

pytestmark = pytest.mark.skipif(
    os.name != "posix" or os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="switching between two uids needs root and setpriv",
)

CREATE = textwrap.dedent("""
    import os, sys
    from datetime import UTC, datetime
    from pathlib import Path
    from appealdesk.cases.model import Case, Notification
    from appealdesk.cases.store import Store
    os.umask(0o022)
    t0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    store = Store(Path(sys.argv[1]))
    case = Case(id="noon-perf-123456", marketplace="noon", created=t0,
                notification=Notification(text="x" * 9000 + "\\nlong notice", received=t0))
    with store.claim("noon perf-123456"):  # as intake does
        store.create(case, "alice")
    store.write_file(case.id, "evidence", "a.pdf", b"%PDF-1.4 alice")
""")

SAVE = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from appealdesk.cases.store import Store
    os.umask(0o022)
    store = Store(Path(sys.argv[1]))
    with store.claim("noon perf-123456"):  # the lock file alice made
        pass
    case = store.load("noon-perf-123456")
    case.store = "Desert Gadgets"
    case.notification.text = "y" * 9000 + "\\nedited by bob"
    store.save(case, "bob")
    with store.editing(case.id, "bob") as editing:
        editing.site = "noon.sa"
    store.write_file(case.id, "evidence", "b.pdf", b"%PDF-1.4 bob")
    store.write_file(case.id, "evidence", "a.pdf", b"%PDF-1.4 replaced by bob")
    print(store.load(case.id).store)
""")


def _as(uid: int, gid: int, groups: str, script: str, folder: Path):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(folder.parent),
           "USER": f"u{uid}", "LOGNAME": f"u{uid}", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        ["setpriv", f"--reuid={uid}", f"--regid={gid}",
         *(["--clear-groups"] if not groups else [f"--groups={groups}"]),
         sys.executable, "-c", script, str(folder)],
        capture_output=True, text=True, env=env, timeout=60,
    )


@pytest.fixture
def team_folder():
    base = Path(tempfile.mkdtemp(prefix="appealdesk-team-", dir="/tmp"))
    os.chmod(base, 0o755)
    team = base / "team"
    team.mkdir()
    os.chown(team, ALICE, TEAM)
    os.chmod(team, 0o2770)
    try:
        yield team
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _modes(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (stat.S_IMODE(p.stat().st_mode), p.stat().st_gid)
            for p in [root, *root.rglob("*")]}


def test_a_second_member_of_the_group_can_save(team_folder):
    made = _as(ALICE, TEAM, "", CREATE, team_folder)
    assert made.returncode == 0, made.stderr
    modes = _modes(team_folder)
    folders = {k: v for k, v in modes.items() if (team_folder / k).is_dir()}
    files = {k: v for k, v in modes.items() if (team_folder / k).is_file()}
    assert folders and all(mode == 0o2770 and gid == TEAM for mode, gid in folders.values()), \
        folders
    assert files and all(mode == 0o660 and gid == TEAM for mode, gid in files.values()), files

    saved = _as(BOB, OTHER, str(TEAM), SAVE, team_folder)
    assert saved.returncode == 0, saved.stderr
    assert saved.stdout.strip() == "Desert Gadgets"
    case_dir = team_folder / "cases" / "noon-perf-123456"
    assert (case_dir / "evidence" / "a.pdf").read_bytes() == b"%PDF-1.4 replaced by bob"
    # bob's files are the group's too: alice can save after him
    again = _as(ALICE, TEAM, "", SAVE, team_folder)
    assert again.returncode == 0, again.stderr
    assert all(gid == TEAM for _mode, gid in _modes(team_folder).values())


def test_someone_outside_the_group_cannot_read_or_save(team_folder):
    assert _as(ALICE, TEAM, "", CREATE, team_folder).returncode == 0
    outsider = _as(BOB, OTHER, "", SAVE, team_folder)
    assert outsider.returncode != 0
    assert "Permission denied" in outsider.stderr
