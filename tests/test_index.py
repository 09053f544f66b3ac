"""The derived index (<data>/index.sqlite): always equal to reading every case file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appealdesk.cases.model import Case, Notification, Status, Submission
from appealdesk.cases.store import Store
from appealdesk.cases.workspace import Workspace
from appealdesk.cli import main
from appealdesk.index import CaseIndex, attach
from appealdesk.index.summary import summarize
from appealdesk.policy.loading import load_policies

POLICIES = load_policies()
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
STORES = ["Oasis", "Desert Bloom", "深圳优品旗舰店"]
TYPES = [t.id for t in POLICIES.get("noon").notification_types[:2]]


def make_case(n: int, store: str = "Oasis", ntype: str = TYPES[0],
              status: Status = Status.NEW, **kw) -> Case:
    return Case(id=f"noon-c{n}", marketplace="noon", store=store, status=status,
                notification=Notification(type=ntype, external_id=f"PERF-{n:06d}",
                                          received=NOW - timedelta(hours=n),
                                          cited_orders=[f"NSA{n:08d}"], **kw))


def index_for(store: Store) -> CaseIndex:
    return CaseIndex(store, lambda: POLICIES, lambda: NOW)


def full_scan(store: Store) -> tuple[list, list[str]]:
    loaded = store.load_all()
    return ([summarize(c, POLICIES, NOW).summary for c in loaded.cases],
            sorted(str(e) for e in loaded.errors))


# -- consistency under change ----------------------------------------------------------

STEP = st.one_of(
    st.tuples(st.just("write"), st.integers(0, 5), st.sampled_from(STORES),
              st.sampled_from(TYPES), st.sampled_from(list(Status))),
    st.tuples(st.just("delete"), st.integers(0, 5)),
    st.tuples(st.just("hand_edit"), st.integers(0, 5), st.sampled_from(STORES)),
    st.tuples(st.just("break"), st.integers(0, 5)),
    st.tuples(st.just("list"),),
)


def _three_cases_indexed(tmp_path: Path) -> tuple[Store, CaseIndex]:
    """Three cases with distinct stamps, and their index, built."""
    store = Store(tmp_path / "data")
    store.ensure()
    for n in range(3):
        store.create(make_case(n), "t")
        _age(store.case_file(f"noon-c{n}"), n)
    index = index_for(store)
    index.summaries()
    return store, index


def _age(path: Path, step: int) -> None:
    """Give the file an old, distinct modification time: a stamp the index trusts."""
    t = 1_700_000_000_000_000_000 + step * 1_000_000_000
    os.utime(path, ns=(t, t))


def _apply(store: Store, step: tuple, i: int, age: bool) -> None:
    kind = step[0]
    if kind == "list":
        return
    n = step[1]
    path = store.case_file(f"noon-c{n}")
    if kind == "write":
        case = make_case(n, step[2], step[3], step[4])
        if step[4] is Status.REJECTED:
            case.submissions = [Submission(at=NOW, operator="t", outcome="rejected")]
        if path.exists():
            path.unlink()
        store.create(case, "tester")
    elif kind == "delete":
        path.unlink(missing_ok=True)
    elif kind == "hand_edit" and path.exists():
        text = path.read_text("utf-8")
        for name in STORES:
            text = text.replace(f'store = "{name}"', f'store = "{step[2]}"')
        path.write_text(text, "utf-8")  # in place: same inode
    elif kind == "break" and path.exists():
        path.write_text("schema = 1\nid = [broken\n", "utf-8")
    if age and path.exists():
        _age(path, i)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=1, max_size=12), age=st.booleans())
def test_random_writes_deletions_and_hand_edits_leave_the_index_equal_to_a_full_scan(
        steps, age):
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "data")
        store.ensure()
        index = index_for(store)
        for i, step in enumerate(steps):
            _apply(store, step, i, age)
            if step[0] == "list" or i == len(steps) - 1:
                summaries, errors = full_scan(store)
                assert index.summaries() == summaries
                assert sorted(index.errors()) == errors
                _assert_kept_stamps_are_the_tables(index)
        index.close()
        again = index_for(store)  # a second process opening the same file agrees too
        assert again.summaries() == full_scan(store)[0]
        again.close()


def _assert_kept_stamps_are_the_tables(index: CaseIndex) -> None:
    """The stamps kept for the quick look (index.look) are absent or exactly the table's."""
    import marshal

    from appealdesk.index import look

    kept = index._connection().execute(
        "SELECT value FROM meta WHERE key = ?", (look.KEY,)).fetchone()
    if kept is not None:
        assert sorted(marshal.loads(kept[0])) == sorted(_index_stamps(index))


def test_deleting_or_corrupting_the_index_loses_nothing(demo_workspace):
    store = demo_workspace.store
    first = index_for(store).summaries()
    assert len(first) == 6
    (store.root / "index.sqlite").unlink()
    assert index_for(store).summaries() == first
    (store.root / "index.sqlite").write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{store.root}/index.sqlite{suffix}").unlink(missing_ok=True)
    assert index_for(store).summaries() == first


def test_the_index_is_as_private_as_the_case_files(demo_workspace):
    index_for(demo_workspace.store).summaries()
    mode = (demo_workspace.store.root / "index.sqlite").stat().st_mode & 0o777
    assert mode == 0o600


def test_a_read_only_folder_still_lists_from_an_index_in_memory(demo_workspace, monkeypatch):
    from appealdesk.index import db

    monkeypatch.setattr(db, "INDEX_FILE", "no-such-dir/index.sqlite")
    index = index_for(demo_workspace.store)
    assert len(index.summaries()) == 6 and index.in_memory


def test_a_changed_policy_recomputes_the_deadlines(demo_workspace):
    store = demo_workspace.store
    index = index_for(store)
    before = {s.id: s.due for s in index.summaries()}
    shipped = (Path(__file__).parent.parent / "policies" / "noon.toml").read_text("utf-8")
    (store.policies_dir / "noon.toml").write_text(shipped, "utf-8")  # same rules, new file
    index._policies = None  # re-read policies from the folder, as a new process would
    assert {s.id: s.due for s in index.summaries()} == before
    con = index._connection()
    assert "noon.toml" in con.execute("SELECT value FROM meta WHERE key='policies'").fetchone()[0]


def test_folders_never_share_an_index(tmp_path):
    a, b = Store(tmp_path / "a"), Store(tmp_path / "b")
    a.create(make_case(1, store="Alpha Shop"), "t")
    b.create(make_case(2, store="Beta Shop"), "t")
    assert [s.id for s in index_for(a).summaries()] == ["noon-c1"]
    assert index_for(a).search("Beta") == []
    assert [h.case_id for h in index_for(b).search("Beta")] == ["noon-c2"]


# -- two processes ------------------------------------------------------------------------

WRITER = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from appealdesk.cases.model import Case, Notification
from appealdesk.cases.store import Store
from appealdesk.index import CaseIndex
store, prefix, n = Store(Path(sys.argv[1])), sys.argv[2], int(sys.argv[3])
index = CaseIndex(store)
mine = []
for i in range(n):
    case = Case(id=f"noon-{prefix}{i}", marketplace="noon", store=prefix,
                notification=Notification(received=datetime(2026, 11, 1, tzinfo=UTC)))
    store.create(case, prefix)
    mine.append(case.id)
    seen = {s.id for s in index.summaries()}
    missing = set(mine) - seen
    assert not missing, missing
print("ok", flush=True)
"""


def test_two_processes_writing_and_listing_at_once_see_every_case(tmp_path):
    root = tmp_path / "team"
    Store(root).ensure()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent / "src")}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(root), p, "15"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for p in ("a", "b")]
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        assert out.strip() == "ok"
    ids = {s.id for s in CaseIndex(Store(root)).summaries()}
    assert ids == {f"noon-{p}{i}" for p in "ab" for i in range(15)}


# -- search ---------------------------------------------------------------------------------

def test_search_finds_ids_stores_and_chinese_text(demo_workspace):
    index = index_for(demo_workspace.store)
    found = {q: [h.case_id for h in index.search(q)] for q in (
        "5839201744", "JN-7729-8810", "Desert Bloom", "延迟发货", "订单", "深圳优品")}
    assert found["5839201744"][0] == "amazon-5839201744"
    assert found["JN-7729-8810"][0] == "joom-jn-7729-8810"
    assert found["Desert Bloom"] == ["noon-perf-483920"]
    assert found["延迟发货"] == ["jd-jdv-2026-118845"]  # 4 characters: the trigram index
    assert "jd-jdv-2026-118845" in found["订单"]  # 2 characters: matched by LIKE
    assert found["深圳优品"] == ["jd-jdv-2026-118845"]
    assert index.search("nothing-like-this-anywhere") == []


def test_search_finds_an_order_id_and_a_letter_word_and_says_where(demo_workspace):
    store = demo_workspace.store
    case = make_case(7, store="Oasis")
    case.notification.cited_orders = ["NAEFF1234567"]
    case.letter.draft = "We replaced the courier for the listing B0CXYZ1234 in spring."
    store.create(case, "t")
    index = index_for(store)
    hit = index.search("naeff12345")[0]
    assert (hit.case_id, hit.field) == ("noon-c7", "ids")
    hit = index.search("B0CXYZ1234 courier")[0]
    assert (hit.case_id, hit.field) == ("noon-c7", "letter")
    assert "courier" in hit.snippet


def test_search_without_fts5_scans_and_finds_the_same(demo_workspace, monkeypatch):
    from appealdesk.index import db

    monkeypatch.setattr(db, "INDEX_FILE", "index-plain.sqlite")
    monkeypatch.setattr(db, "trigram_available", lambda: False)
    index = index_for(demo_workspace.store)
    assert [h.case_id for h in index.search("延迟发货")] == ["jd-jdv-2026-118845"]
    assert not index.fts


def test_search_cli_json_and_text(capsys, demo_workspace):
    root = str(demo_workspace.store.root)
    assert main(["--data-dir", root, "search", "PERF-483920", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["hits"][0]["case"] == "noon-perf-483920"
    assert main(["--data-dir", root, "search", "zzzzzz"]) == 0
    assert "Nothing found" in capsys.readouterr().out


# -- the cross-case check ----------------------------------------------------------------------

def test_cases_like_from_the_index_equals_reading_every_case(tmp_path):
    ws = Workspace.open(tmp_path / "data", operator="t")
    rejected = [Submission(at=NOW, operator="t", outcome="rejected")]
    for n, store, ntype, subs in [(1, "Oasis", TYPES[0], rejected), (2, "Oasis", TYPES[0], []),
                                  (3, "Oasis", TYPES[1], rejected),
                                  (4, "Desert Bloom", TYPES[0], rejected),
                                  (5, "Oasis", TYPES[0], rejected)]:
        case = make_case(n, store, ntype)
        case.submissions = list(subs)
        ws.store.create(case, "t")
    me = ws.store.load("noon-c5")
    scanned = [c.id for c in ws.cases_like(me)]
    attach(ws)
    assert [c.id for c in ws.cases_like(me)] == scanned == ["noon-c1"]


def test_list_due_within_and_followups_read_the_index(capsys, demo_workspace):
    root = str(demo_workspace.store.root)
    assert main(["--data-dir", root, "list", "--all", "--json"]) == 0
    every = json.loads(capsys.readouterr().out)["cases"]
    assert main(["--data-dir", root, "list", "--due-within", "1000d", "--json"]) == 0
    due = json.loads(capsys.readouterr().out)["cases"]
    assert {c["id"] for c in due} == {c["id"] for c in every if c["due"] and
                                      c["status"] not in ("closed", "archived")}
    assert main(["--data-dir", root, "followups", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    assert {i["case"] for i in items} <= {c["id"] for c in every}
    assert any(i["kind"] == "followup" for i in items)


def test_a_cold_build_in_worker_processes_equals_reading_here(demo_workspace, monkeypatch):
    from appealdesk.index import build

    monkeypatch.setattr(build, "PARALLEL_FROM", 2)
    monkeypatch.setattr(build.os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    store = demo_workspace.store
    parallel = CaseIndex(store, now=lambda: NOW)  # workers read the folder's policies
    assert parallel.summaries() == full_scan(store)[0]


def test_a_summarys_due_and_due_items_follow_the_deadline_rules(demo_workspace):
    # summarize computes the response deadline once for both: the same answers as
    # case_due and as due_items computing everything again, in every status
    from appealdesk.deadlines.windows import case_due
    from appealdesk.index.summary import due_items

    for case in demo_workspace.store.load_all().cases:
        for status in Status:
            case.status = status
            indexed = summarize(case, POLICIES, NOW)
            due = case_due(case, POLICIES.get(case.marketplace), NOW)
            assert (indexed.summary.due, indexed.summary.due_kind) == (due.due, due.kind)
            assert indexed.items == due_items(case, POLICIES, NOW)


def test_the_texts_go_to_the_search_columns_in_order():
    from appealdesk.index import case_index
    from appealdesk.index.summary import SEARCH_COLUMNS

    assert f"(rowid, {', '.join(SEARCH_COLUMNS)})" in case_index._INSERT_TEXT


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab-z09A.\n \0é", max_size=6)
                | st.just("a" * 80) | st.just("a" * 81), max_size=8))
def test_the_stamp_look_takes_exactly_the_safe_case_ids_as_case_folders(names):
    from appealdesk.cases.status import is_safe_case_id
    from appealdesk.index.stamps import case_names

    names = [n.replace("\0", "") for n in names]  # a file name never holds NUL
    assert case_names(names) == [n for n in names if is_safe_case_id(n)]


def test_the_stamp_look_without_dir_fd_finds_the_same(demo_workspace, monkeypatch):
    from appealdesk.index import stamps

    cases_dir = demo_workspace.store.cases_dir
    (cases_dir / "Not-A-Case").mkdir()
    (cases_dir / "stray-file").write_text("x")
    with_fd = stamps.scan(cases_dir)
    monkeypatch.setattr(stamps.os, "supports_dir_fd", set())
    assert stamps.scan(cases_dir) == with_fd
    assert set(with_fd) == set(demo_workspace.store.case_ids())
    # the second look before writing (stamps_of) too, a vanished case as None
    ids = [*with_fd, "noon-gone"]
    assert stamps.stamps_of(cases_dir, ids) == {**with_fd, "noon-gone": None}
    monkeypatch.undo()
    assert stamps.stamps_of(cases_dir, ids) == {**with_fd, "noon-gone": None}


# -- the quick look: every file's stamp compared with the index row as it comes ------------

def _index_stamps(index: CaseIndex) -> list[tuple]:
    from appealdesk.cases.store import CASE_FILE

    return index._connection().execute(
        f"SELECT id || '/{CASE_FILE}', mtime_ns, size, ino FROM cases").fetchall()


def test_the_quick_look_says_unchanged_only_when_the_scan_agrees(tmp_path):
    """``stamps.unchanged`` (the look before every question) against the full scan: it
    never says unchanged where the scan finds a change (it may doubt where the scan finds
    none: then the caller scans). Stray entries beside the cases do not count; a new,
    gone or edited case does."""
    from appealdesk.index import stamps

    store, index = _three_cases_indexed(tmp_path)
    cases_dir = store.cases_dir

    def quick() -> bool:
        return stamps.unchanged(cases_dir, _index_stamps(index))

    def agrees() -> bool:  # never a false "unchanged"
        known = {r[0].split("/")[0]: r[1:] for r in _index_stamps(index)}
        return not quick() or stamps.scan(cases_dir) == known

    assert quick() and agrees()
    (cases_dir / "Thumbs.db").write_text("x")  # not a case name: never a case
    (cases_dir / "Notes").mkdir()
    (cases_dir / ".hidden").mkdir()
    assert quick() and agrees()
    (cases_dir / "noon-empty").mkdir()  # a case name without case.toml: the scan decides
    assert not quick() and agrees()
    (cases_dir / "noon-empty").rmdir()
    store.create(make_case(7), "t")  # a new case: not unchanged
    assert not quick() and agrees()
    index.summaries()
    _age(store.case_file("noon-c7"), 7)
    index.summaries()
    assert quick()
    path = store.case_file("noon-c1")
    text = path.read_text("utf-8")
    path.write_text(text.replace("Oasis", "Oasix"), "utf-8")  # same size, in place
    _age(path, 9)  # the same inode and size: the modification time tells
    assert not quick() and agrees()
    index.summaries()
    path.unlink()  # a case gone
    assert not quick() and agrees()
    index.close()


def test_check_sees_a_hand_edited_case_it_compares_with(tmp_path):
    """``check CASE`` compares the letter with the rejected letters of the same store,
    marketplace and type, as the index finds them: a case edited by hand into (or out of)
    that group since the last look is seen at once, as are hand-added submissions."""
    ws = Workspace.open(tmp_path / "data", operator="t")
    rejected = [Submission(at=NOW, operator="t", outcome="rejected")]
    for n, store, subs in [(1, "Oasis", []), (2, "Desert Bloom", rejected), (3, "Oasis", [])]:
        case = make_case(n, store)
        case.submissions = list(subs)
        ws.store.create(case, "t")
    for n in (1, 2, 3):
        _age(ws.store.case_file(f"noon-c{n}"), n)
    attach(ws)
    me = ws.store.load("noon-c3")
    assert ws.cases_like(me) == []

    def hand_edit(n: int, old: str, new: str, step: int) -> None:
        path = ws.store.case_file(f"noon-c{n}")
        path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")  # in place
        _age(path, step)

    hand_edit(2, 'store = "Desert Bloom"', 'store = "Oasis"', 10)  # moved into the group
    assert [c.id for c in ws.cases_like(me)] == ["noon-c2"]
    hand_edit(2, 'store = "Oasis"', 'store = "Desert Bloom"', 11)  # and out again
    assert ws.cases_like(me) == []
    # a rejection typed into a case of the group by hand
    path = ws.store.case_file("noon-c1")
    case = ws.store.load("noon-c1")
    case.submissions = list(rejected)
    from appealdesk.cases.disk import dumps_toml

    path.write_text(dumps_toml(case.to_dict()), "utf-8")
    _age(path, 12)
    assert [c.id for c in ws.cases_like(me)] == ["noon-c1"]


def test_list_json_shows_a_hand_edit_and_matches_the_rows_written_in_python(capsys,
                                                                            demo_workspace):
    """The JSON object kept with each index row is rewritten with the row."""
    from appealdesk.cli.cases import case_summary

    root = str(demo_workspace.store.root)
    assert main(["--data-dir", root, "list", "--json"]) == 0
    capsys.readouterr()
    path = demo_workspace.store.case_file("noon-perf-483920")
    text = path.read_text("utf-8")
    store = demo_workspace.store.load("noon-perf-483920").store
    path.write_text(text.replace(f'store = "{store}"', 'store = "Hand Edited 店"'), "utf-8")
    _age(path, 1)
    assert main(["--data-dir", root, "list", "--all", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)["cases"]}
    assert rows["noon-perf-483920"]["store"] == "Hand Edited 店"
    for case in demo_workspace.store.load_all().cases:
        expected = case_summary(case)
        expected["received"] = expected["received"].isoformat()
        assert {k: rows[case.id][k] for k in expected} == expected


def test_check_asks_for_the_cases_it_compares_with_only_when_there_is_a_letter(tmp_path):
    """Finding the rejected letters of the same group looks at every case file; an empty
    letter (letter_empty, nothing to compare) does not ask."""
    from appealdesk.checks.base import CheckContext, run_checks

    ws = Workspace.open(tmp_path / "data", operator="t")
    ws.store.create(make_case(1), "t")
    asked: list[str] = []
    ws.find_cases_like = lambda case: asked.append(case.id) or []
    case = ws.store.load("noon-c1")
    codes = [f.code for f in run_checks(CheckContext(
        case=case, policy=ws.policy_for(case), now=NOW, workspace=ws))]
    assert "letter_empty" in codes and asked == []
    case.letter.draft = "Dear noon team,\n\nWe fixed the carrier hand-over.\n"
    run_checks(CheckContext(case=case, policy=ws.policy_for(case), now=NOW, workspace=ws))
    assert asked == ["noon-c1"]


def test_the_kept_stamps_follow_every_write_and_never_wait_for_another_writer(tmp_path):
    import sqlite3

    from appealdesk.index import db, look

    store, index = _three_cases_indexed(tmp_path)
    index.summaries()  # the first look after the build keeps the stamps
    con = index._connection()

    def kept() -> bool:
        return con.execute("SELECT 1 FROM meta WHERE key = ?", (look.KEY,)).fetchone() is not None

    assert kept()
    _assert_kept_stamps_are_the_tables(index)
    store.create(make_case(5), "t")  # a write: indexing it drops the kept stamps
    _age(store.case_file("noon-c5"), 5)
    index.refresh(["noon-c5"])
    assert not kept()
    other = sqlite3.connect(store.root / db.INDEX_FILE, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process is writing: nothing kept, no wait
    assert [s.id for s in index.summaries()] == ["noon-c0", "noon-c1", "noon-c2", "noon-c5"]
    assert not kept()
    other.execute("ROLLBACK")
    other.close()
    index.summaries()
    assert kept()
    _assert_kept_stamps_are_the_tables(index)
    # kept stamps that are not a list of stamps (another program's): the table decides
    con.execute("UPDATE meta SET value = ? WHERE key = ?", (b"not marshal", look.KEY))
    assert len(index.summaries()) == 4
    index.close()
