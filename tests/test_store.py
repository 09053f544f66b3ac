"""The case store: round trip, atomic writes, locks, broken files, unsafe ids, permissions."""

from __future__ import annotations

import os
import stat
import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appealdesk.cases import store as store_mod
from appealdesk.cases.disk import atomic_write
from appealdesk.cases.errors import (
    CaseChanged,
    CaseExists,
    CaseFileError,
    CaseLocked,
    CaseNotFound,
    UnsafeName,
)
from appealdesk.cases.model import (
    Case,
    EvidenceItem,
    HistoryEntry,
    Letter,
    LetterVersion,
    Notification,
    QuotedMetric,
    ReportFile,
    Status,
    Submission,
    Waiver,
    is_safe_case_id,
    make_case_id,
)
from appealdesk.cases.store import Store

T0 = datetime(2026, 3, 12, 9, 30, tzinfo=UTC)


def full_case(case_id: str = "noon-perf-123456") -> Case:
    """A case with every sub-object filled in."""
    riyadh = timezone(timedelta(hours=3))
    return Case(
        id=case_id,
        marketplace="noon",
        store="Desert Gadgets",
        site="noon.sa",
        status=Status.SUBMITTED,
        created=T0,
        notification=Notification(
            type="late_shipment",
            external_id="PERF-123456",
            received=T0,
            text="Case ID: PERF-123456\nLate shipment rate 6.8%\n延迟发货",
            cited_orders=["NSA12345678", "N12345678A"],
            quoted_metrics=[QuotedMetric("late_shipment_rate", 0.068, "6.8%")],
            stated_deadline=datetime(2026, 3, 15, 9, 30, tzinfo=riyadh),
            subject="Performance notification",
        ),
        history=[
            HistoryEntry(T0, "alice", "created"),
            HistoryEntry(T0 + timedelta(hours=1), "alice", "status", "new", "in_progress",
                         note="started"),
        ],
        evidence=[
            EvidenceItem(
                name="PERF-123456_LateShipment_tracking.pdf",
                original_name="轨迹.pdf",
                requirement="carrier_tracking",
                orders=["NSA12345678"],
                sha256="ab" * 32,
                size=12345,
                kind="pdf",
                pages=2,
                encrypted=False,
                document_date="2026-03-10",
                added=T0,
                extra={"orders_source": "file name"},
            ),
            EvidenceItem(name="photo.png", kind="png", width=800, height=600),
        ],
        waivers=[Waiver("system_logs", "carrier proof covers it", "bob", T0)],
        reports=[ReportFile("orders.csv", "mapped:noon", 120, 2, T0)],
        letter=Letter(
            draft="## Reason\nOur carrier missed pick-ups.",
            version=2,
            edited=True,
            versions=[
                LetterVersion(1, "first", T0, "alice", "drafted"),
                LetterVersion(2, "second", T0 + timedelta(hours=2), "bob", "edited"),
            ],
        ),
        submissions=[
            Submission(T0 + timedelta(hours=3), "bob", pdf="bundle.pdf", sha256="cd" * 32,
                       ticket="T-1", note="sent", outcome="rejected",
                       outcome_at=T0 + timedelta(days=2), reason="Evidence not sufficient",
                       code="ERR-007"),
        ],
    )


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "data")


# ---------------------------------------------------------------------------
# Round trip
# ---------------------------------------------------------------------------


def test_full_case_round_trips(store):
    case = full_case()
    store.create(case, "alice")
    loaded = store.load(case.id)
    assert loaded == case
    assert loaded.notification.quoted_metrics[0].value == pytest.approx(0.068)
    assert loaded.evidence[0].extra == {"orders_source": "file name"}
    assert loaded.schema == case.schema
    # and again after a save of the loaded copy
    store.save(loaded, "alice")
    assert store.load(case.id) == case


def test_case_file_carries_schema_version(store):
    store.create(full_case(), "alice")
    text = store.case_file("noon-perf-123456").read_text("utf-8")
    assert text.startswith("schema = 1")


def test_create_refuses_existing_id(store):
    store.create(full_case(), "alice")
    with pytest.raises(CaseExists):
        store.create(full_case(), "bob")


def test_load_missing_case(store):
    with pytest.raises(CaseNotFound):
        store.load("nope-1")


def test_editing_saves_changes_and_discards_on_error(store):
    store.create(full_case(), "alice")
    with store.editing("noon-perf-123456", "alice") as case:
        case.store = "Renamed"
    assert store.load("noon-perf-123456").store == "Renamed"
    with pytest.raises(RuntimeError), store.editing("noon-perf-123456", "alice") as case:
        case.store = "Lost"
        raise RuntimeError("boom")
    assert store.load("noon-perf-123456").store == "Renamed"


# ---------------------------------------------------------------------------
# Atomic writes
# ---------------------------------------------------------------------------


def _temp_files(folder):
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_atomic_write_leaves_no_temp_files(tmp_path):
    target = tmp_path / "f.toml"
    atomic_write(target, b"a = 1\n")
    atomic_write(target, b"a = 2\n")
    assert target.read_bytes() == b"a = 2\n"
    assert _temp_files(tmp_path) == []


def test_failed_replace_keeps_old_file_and_removes_temp(store, monkeypatch):
    case = full_case()
    store.create(case, "alice")
    path = store.case_file(case.id)
    before = path.read_bytes()
    loaded = store.load(case.id)
    loaded.store = "Changed"

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_mod.os, "replace", broken_replace)
    with pytest.raises(OSError):
        store.save(loaded, "alice")
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert _temp_files(path.parent) == []
    assert store.load(case.id).store == "Desert Gadgets"


def test_failed_write_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "f.toml"
    atomic_write(target, b"old\n")

    def broken_fsync(fd):
        raise OSError(5, "I/O error")

    monkeypatch.setattr(store_mod.os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        atomic_write(target, b"new\n")
    monkeypatch.undo()
    assert target.read_bytes() == b"old\n"
    assert _temp_files(tmp_path) == []


# ---------------------------------------------------------------------------
# Locks and concurrent changes
# ---------------------------------------------------------------------------


def test_locked_case_is_refused_naming_the_holder(store, monkeypatch):
    monkeypatch.setattr(store_mod, "LOCK_TIMEOUT", 0.05)
    case = full_case()
    store.create(case, "alice")
    loaded = store.load(case.id)
    holding = threading.Event()
    release = threading.Event()

    def hold():
        with Store(store.root)._locked(case.id, "carol"):
            holding.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(5)
        with pytest.raises(CaseLocked) as info:
            store.save(loaded, "bob")
        assert "carol@" in str(info.value)
        assert case.id in str(info.value)
        with pytest.raises(CaseLocked), store.editing(case.id, "bob"):
            pass
    finally:
        release.set()
        holder.join(5)
    # once released, the save goes through
    store.save(loaded, "bob")


def test_save_refuses_when_file_changed_on_disk(store):
    store.create(full_case(), "alice")
    mine = store.load("noon-perf-123456")
    theirs = Store(store.root).load("noon-perf-123456")
    theirs.store = "Their change"
    Store(store.root).save(theirs, "bob")
    mine.store = "My change"
    with pytest.raises(CaseChanged):
        store.save(mine, "alice")
    assert store.load("noon-perf-123456").store == "Their change"


# ---------------------------------------------------------------------------
# Broken files
# ---------------------------------------------------------------------------


def _write_raw(store, case_id, text):
    folder = store.cases_dir / case_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "case.toml").write_text(text, "utf-8")
    return folder / "case.toml"


def test_broken_toml_names_file_and_line_and_others_still_load(store):
    store.create(full_case("noon-good-1"), "alice")
    bad = _write_raw(store, "noon-bad-1", 'id = "noon-bad-1"\nmarketplace = "noon"\nstore = \n')
    with pytest.raises(CaseFileError) as info:
        store.load("noon-bad-1")
    assert info.value.path == bad
    assert info.value.line == 3
    assert f"{bad}:3" in str(info.value)
    result = store.load_all()
    assert [c.id for c in result.cases] == ["noon-good-1"]
    assert [e.path for e in result.errors] == [bad]


@pytest.mark.parametrize(
    "text",
    [
        'marketplace = "noon"\n',  # no id
        'id = "noon-bad-2"\nmarketplace = "noon"\nstatus = "lost"\n',  # bad enum
        'id = "noon-bad-2"\nmarketplace = "noon"\nhistory = "oops"\n',  # not tables
        'id = "noon-bad-2"\nmarketplace = "noon"\nevidence = [1, 2]\n',
        'id = "noon-bad-2"\nmarketplace = "noon"\nschema = "one"\n',
        'id = "other-id"\nmarketplace = "noon"\n',  # id does not match folder
    ],
)
def test_semantically_broken_file_is_a_case_file_error(store, text):
    store.create(full_case("noon-good-1"), "alice")
    path = _write_raw(store, "noon-bad-2", text)
    with pytest.raises(CaseFileError) as info:
        store.load("noon-bad-2")
    assert str(path) in str(info.value)
    result = store.load_all()
    assert [c.id for c in result.cases] == ["noon-good-1"]
    assert len(result.errors) == 1


def test_non_utf8_file_is_a_case_file_error(store):
    folder = store.cases_dir / "noon-bin-1"
    folder.mkdir(parents=True)
    (folder / "case.toml").write_bytes(b'id = "\xff"\n')
    with pytest.raises(CaseFileError):
        store.load("noon-bin-1")


# ---------------------------------------------------------------------------
# Unsafe ids and names
# ---------------------------------------------------------------------------


UNSAFE_IDS = ["../x", "/etc", "", "a/b", "a" * 200, "ünïcödé", "abc\n", ".hidden", "a--b",
              "-a", "A-1", "a\\b", "a\0b", "..", "."]


@pytest.mark.parametrize("bad", UNSAFE_IDS)
def test_unsafe_ids_are_refused(store, bad):
    assert not is_safe_case_id(bad)
    with pytest.raises(UnsafeName):
        store.case_dir(bad)
    with pytest.raises(UnsafeName):
        store.load(bad)
    with pytest.raises(UnsafeName):
        store.create(Case(id=bad, marketplace="noon"), "alice")
    assert not (store.root.parent / "x").exists()


@pytest.mark.parametrize("bad", ["../evil.pdf", "a/b.pdf", "", ".hidden", "..", "a\0b"])
def test_unsafe_file_names_are_refused(store, bad):
    store.create(full_case(), "alice")
    with pytest.raises(UnsafeName):
        store.write_file("noon-perf-123456", "evidence", bad, b"x")


def test_unknown_case_subfolder_is_refused(store):
    store.create(full_case(), "alice")
    with pytest.raises(UnsafeName):
        store.write_file("noon-perf-123456", "../cases", "x.txt", b"x")


@settings(max_examples=200, deadline=None)
@given(marketplace=st.text(), external=st.one_of(st.none(), st.text()))
def test_make_case_id_is_always_safe(marketplace, external):
    case_id = make_case_id(marketplace, external, T0)
    assert is_safe_case_id(case_id)
    assert "/" not in case_id and ".." not in case_id


# ---------------------------------------------------------------------------
# Permissions
# ---------------------------------------------------------------------------


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_case_files_are_owner_only(store):
    store.create(full_case(), "alice")
    assert _mode(store.case_file("noon-perf-123456")) == 0o600
    written = store.write_file("noon-perf-123456", "evidence", "a.pdf", b"%PDF-1.4")
    assert _mode(written) == 0o600


def test_team_folder_shares_with_group(store, tmp_path):
    store.ensure()
    os.chmod(store.cases_dir, 0o2770)
    if not _mode(store.cases_dir) & stat.S_ISGID:
        pytest.skip("this file system does not keep the setgid bit")
    store.create(full_case(), "alice")
    assert _mode(store.case_file("noon-perf-123456")) == 0o660
    source = tmp_path / "in.png"
    source.write_bytes(b"\x89PNG")
    copied = store.copy_in("noon-perf-123456", "evidence", source, "in.png")
    assert _mode(copied) == 0o660
