"""What a killed write leaves behind is cleared when the case is next opened; long texts
are stored once, beside case.toml, and read back exactly."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from appealdesk.cases import disk
from appealdesk.cases.errors import CaseFileError
from appealdesk.cases.model import Case, EvidenceItem, LetterVersion, Notification, ReportFile
from appealdesk.cases.store import Store

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
OLD = time.time() - 3600


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "data")


def _case(**kw) -> Case:
    case = Case(id="noon-perf-123456", marketplace="noon", created=T0,
                notification=Notification(text="Your late shipment rate is 5.1%.", received=T0))
    for key, value in kw.items():
        setattr(case, key, value)
    return case


def _age(path: Path) -> Path:
    os.utime(path, (OLD, OLD))
    return path


def test_stray_temp_files_and_orphans_are_removed_when_the_case_is_opened(store):
    case = _case(evidence=[EvidenceItem("kept.pdf", sha256="x")],
                 reports=[ReportFile("orders.csv")])
    store.create(case, "alice")
    folder = store.case_dir(case.id)
    kept = [store.write_file(case.id, "evidence", "kept.pdf", b"%PDF"),
            store.write_file(case.id, "reports", "orders.csv", b"a,b\n")]
    for path in kept:
        _age(path)
    stray = [
        folder / ".case.toml.k2j3h4.tmp",  # killed during a save
        folder / "evidence" / ".copy.pdf.a1b2.tmp",  # killed during a copy
        folder / "evidence" / "orphan.pdf",  # copied, then killed before the save
        folder / "reports" / "orphan.csv",
        folder / "texts" / f"{'0' * 64}.txt",  # a text whose case.toml never landed
    ]
    for path in stray:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"left over")
        _age(path)
    fresh = folder / "evidence" / "being-added.pdf"  # an add in progress right now
    fresh.write_bytes(b"%PDF")

    loaded = store.load(case.id)

    assert [p for p in stray if p.exists()] == []
    assert all(p.exists() for p in kept)
    assert fresh.exists()
    assert [e.name for e in loaded.evidence] == ["kept.pdf"]
    assert "orphan.pdf" not in [p.name for p in store.list_files(case.id, "evidence")]


def test_leftovers_stay_while_someone_holds_the_case(store):
    store.create(_case(), "alice")
    stray = store.case_dir("noon-perf-123456") / ".case.toml.zz.tmp"
    stray.write_bytes(b"half")
    with store.editing("noon-perf-123456", "bob"):
        # another process opening the case meanwhile must not take a live writer's temp file
        code = ("import sys; from pathlib import Path; from appealdesk.cases.store import Store;"
                "Store(Path(sys.argv[1])).load('noon-perf-123456')")
        subprocess.run([sys.executable, "-c", code, str(store.root)], check=True, timeout=60)
        assert stray.exists()
    store.load("noon-perf-123456")
    assert not stray.exists()


def test_temp_files_are_never_listed(store):
    store.create(_case(), "alice")
    store.write_file("noon-perf-123456", "out", "letter.pdf", b"%PDF")
    (store.case_dir("noon-perf-123456") / "out" / ".letter.pdf.x.tmp").write_bytes(b"%P")
    assert [p.name for p in store.list_files("noon-perf-123456", "out")] == ["letter.pdf"]


HARD = ("\\ \" ''' \"\"\" \x01\x1b\t <td>x</td> 您的店铺 📦 \r\n" * 400)


def test_long_texts_are_stored_once_beside_the_case_and_read_back(store):
    case = _case()
    case.notification.text = HARD
    case.letter.draft = HARD + "letter"
    case.letter.version = 1
    case.letter.versions = [LetterVersion(1, HARD + "letter", T0, "alice", "edited")]
    store.create(case, "alice")
    folder = store.case_dir(case.id)
    toml = (folder / "case.toml").read_text("utf-8")
    assert "stored_in" in toml and "您的店铺" not in toml and len(toml) < 4000
    assert len(list((folder / "texts").iterdir())) == 2  # notice + letter, not 3
    assert store.load(case.id) == case


def test_a_text_reference_is_read_back_however_its_key_is_spelled(store):
    # reading skips the look for references when the text cannot hold one: an escaped
    # key ("stored\u005fin") still can, and is still read back
    case = _case()
    case.letter.draft = "a" * 5000
    store.create(case, "alice")
    path = store.case_file(case.id)
    text = path.read_text("utf-8")
    assert text.count("stored_in") == 1
    path.write_text(text.replace("stored_in", '"stored\\u005fin"'), "utf-8")
    assert "stored_in" not in path.read_text("utf-8")
    assert store.load(case.id).letter.draft == "a" * 5000


def test_superseded_texts_are_removed_after_the_next_save(store):
    case = _case()
    case.notification.text = "a" * 5000
    store.create(case, "alice")
    texts = store.case_dir(case.id) / "texts"
    first = set(os.listdir(texts))
    for n in range(3):
        with store.editing(case.id, "alice") as editing:
            editing.notification.text = str(n) * 5000
    # the current text and the one before it (a reader may have just read that case.toml)
    assert len(os.listdir(texts)) == 2 and not first & set(os.listdir(texts))


def test_short_texts_stay_in_case_toml(store):
    store.create(_case(), "alice")
    folder = store.case_dir("noon-perf-123456")
    assert "late shipment rate" in (folder / "case.toml").read_text("utf-8")
    assert not (folder / "texts").exists()


def test_a_missing_or_symlinked_text_is_a_broken_case_named_with_its_file(store, tmp_path):
    case = _case()
    case.notification.text = "b" * 5000
    store.create(case, "alice")
    (text,) = (store.case_dir(case.id) / "texts").iterdir()
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    text.unlink()
    text.symlink_to(outside)
    with pytest.raises(CaseFileError, match=r"case\.toml: cannot read texts/"):
        store.load(case.id)
    text.unlink()
    with pytest.raises(CaseFileError, match=r"case\.toml: texts/[0-9a-f]{64}\.txt is missing"):
        store.load(case.id)
    assert store.load_all().errors and store.load_all().cases == []


def test_a_reference_outside_texts_is_refused(store):
    store.create(_case(), "alice")
    path = store.case_file("noon-perf-123456")
    text = path.read_text("utf-8").replace(
        'text = "Your late shipment rate is 5.1%."', 'text = { stored_in = "../../secret" }')
    path.write_text(text, "utf-8")
    with pytest.raises(CaseFileError, match="not a texts/<sha256>.txt name"):
        store.load("noon-perf-123456")


def test_inline_limit_is_what_the_module_says():
    assert disk.INLINE_LIMIT <= 4096 and disk.SHARED_MIN <= disk.INLINE_LIMIT
