"""Case files and policies are parsed by toml_rs (fast) with tomllib as the judge (toml_fast.py).

What tomllib returns, the fast path returns too, exactly (types, time zones, key order),
on every case file the product writes and every TOML file the product ships or tests
with; a file the fast parser refuses or may read otherwise goes to tomllib, so a broken
file keeps tomllib's verdict and its one-line message.
"""

from __future__ import annotations

import math
import subprocess
import sys
import tomllib
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from appealdesk import toml_fast
from appealdesk.cases.disk import dumps_toml
from appealdesk.cases.errors import CaseFileError, parse_toml
from appealdesk.cases.store import Store
from appealdesk.toml_fast import fast_toml
from tests.test_store import full_case

ROOT = Path(__file__).resolve().parent.parent
SOME = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def same(a, b) -> bool:
    """Equal and of the same types all the way down: key order, int vs float vs bool,
    float bits (nan, -0.0), date vs datetime, the tzinfo's type and offset."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) ==
                                                     math.copysign(1, b))
    if isinstance(a, datetime | time):
        return (a == b if a.tzinfo is None or b.tzinfo is None else
                a.replace(tzinfo=None) == b.replace(tzinfo=None)) and \
            type(a.tzinfo) is type(b.tzinfo) and a.utcoffset() == b.utcoffset()
    return bool(a == b)


def tomllib_only(monkeypatch) -> None:
    """parse_toml as it is without toml_rs installed."""
    monkeypatch.setattr(toml_fast, "_fast", None)
    monkeypatch.setattr(toml_fast, "_fast_looked", True)


def test_the_fast_parser_is_there_and_loaded_lazily():
    assert toml_fast._fast_loads() is not None  # pinned in requirements.txt
    out = subprocess.run(
        [sys.executable, "-c", "import sys, appealdesk.cases.store, appealdesk.cases.errors;"
         "print('toml_rs' in sys.modules)"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- every case file the product writes --------------------------------------------

OFFSETS = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
AWARE = st.builds(lambda d, z: d.replace(tzinfo=z),
                  st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
                  st.one_of(st.just(UTC), OFFSETS))
# what tomlkit (the writer) can write: no lone surrogates
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
SCALARS = st.one_of(
    TEXT, st.integers(-(2**63), 2**63 - 1), st.floats(), st.booleans(), AWARE,
    st.datetimes(), st.dates(), st.times(), st.just("line one\nline two\r\n\t末行"),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(TEXT.filter(bool), inner, max_size=4),
        st.lists(st.dictionaries(TEXT.filter(bool), inner, min_size=1, max_size=3),
                 min_size=1, max_size=3),  # an array of tables
    ),
    max_leaves=10,
)


def _places(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _places(item, (*path, i))


def _case_dicts() -> list[dict]:
    from appealdesk.demo import install_demo

    out = [full_case().to_dict()]
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp))
        for case_id in install_demo(store, datetime(2026, 11, 20, 9, tzinfo=UTC)):
            out.append(store.load(case_id).to_dict())
    return out


CASES = _case_dicts()


@SOME
@given(which=st.integers(0, len(CASES) - 1),
       edits=st.lists(st.tuples(st.integers(0, 10**6), VALUES, TEXT.filter(bool)), max_size=4))
def test_every_case_file_the_writer_makes_reads_as_tomllib_reads_it(which, edits):
    import copy

    data = copy.deepcopy(CASES[which])
    for where, value, new_key in edits:
        places = [p for p in _places(data) if p]
        path = places[where % len(places)]
        target = data
        for step in path[:-1]:
            target = target[step]
        if isinstance(target, dict) and where % 3 == 0:
            target[new_key] = value  # a key the model does not know (kept by evidence)
        else:
            target[path[-1]] = value
    try:
        text = dumps_toml(data)
    except Exception:  # noqa: BLE001 - a value the writer cannot write (e.g. nan in tomlkit)
        assume(False)
    expected = tomllib.loads(text)
    got = fast_toml(text)
    assert got is not None  # the fast path reads every file the writer makes
    assert same(got, expected)


def _toml_files() -> list[Path]:
    src = ROOT / "src" / "appealdesk"
    return sorted([*ROOT.glob("tests/**/*.toml"), *src.glob("policies/**/*.toml"),
                   *src.glob("demo/**/*.toml")])


@pytest.mark.parametrize("path", _toml_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_toml_file_in_the_repository_reads_the_same(path):
    text = path.read_text("utf-8")
    got = fast_toml(text)
    assert got is not None and same(got, tomllib.loads(text))


def test_the_demo_and_full_cases_on_disk_read_the_same():
    for data in CASES:
        text = dumps_toml(data)
        assert same(fast_toml(text), tomllib.loads(text))


def test_dates_times_and_numbers_exactly():
    text = ("a = 2026-11-20T09:00:00+00:00\nb = 2026-11-20T09:00:00.123456-05:30\n"
            "c = 2026-11-20T09:00:00Z\nd = 2026-11-20 09:00:00\ne = 2026-11-20\n"
            "f = 09:00:00.5\ng = 0.068\nh = -0.0\ni = nan\nj = -inf\nk = 9223372036854775807\n"
            "l = 0xff_ff\n[[m]]\nn = 1\n[[m]]\nn = 2.0\n[m.o]\np = [1, [2, \"x\"]]\n")
    got, expected = fast_toml(text), tomllib.loads(text)
    assert got is not None and same(got, expected)
    assert type(got["a"].tzinfo) is timezone and got["a"].utcoffset() == timedelta(0)
    assert got["b"].utcoffset() == -timedelta(hours=5, minutes=30)
    assert got["d"].tzinfo is None and type(got["e"]) is date and type(got["f"]) is time


# -- broken files: tomllib's verdict, tomllib's message -------------------------------

SOUND = dumps_toml(full_case().to_dict())
BROKEN = st.one_of(
    st.tuples(st.just("cut"), st.integers(0, len(SOUND)), st.text(max_size=4)),
    st.tuples(st.just("insert"), st.integers(0, len(SOUND)),
              st.text(st.sampled_from('[]{}"\'=.,#\n\r\t\\ +-_:eTZ0129\ufeff\x00\x7f'),
                      min_size=1, max_size=5)),
)


@SOME
@given(edit=BROKEN)
def test_a_damaged_file_gets_tomllibs_verdict(edit, tmp_path_factory):
    kind, at, what = edit
    text = SOUND[:at] + what if kind == "cut" else SOUND[:at] + what + SOUND[at:]
    try:
        expected = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        assert fast_toml(text) is None  # tomllib refuses: so does the fast path
    else:
        got = fast_toml(text)
        assert got is None or same(got, expected)


ODD = {
    "parse error": 'id = "x"\nstatus = \n',
    "byte order mark": '\ufeffid = "x"\n',  # toml_rs reads it, tomllib does not
    "second 60": "at = 2026-01-01T23:59:60Z\n",  # toml_rs: a ValueError of its own
    "year 0": "at = 0000-01-01\n",
    "nested beyond tomllib": "odd = " + "[" * 5000 + "]" * 5000 + "\n",  # toml_rs reads it
    "nested, still parsed": "odd = " + "[" * 40 + "1" + "]" * 40 + "\n",
    "unclosed at the end": 'id = "x"\n[notification\n',
    "64-bit overflow": "n = 99999999999999999999\n",
}


@pytest.mark.parametrize("text", list(ODD.values()), ids=list(ODD))
def test_odd_files_answer_exactly_as_with_tomllib_alone(text, monkeypatch, tmp_path):
    path = tmp_path / "case.toml"

    def outcome():
        try:
            return "ok", parse_toml(path, text)
        except CaseFileError as exc:
            assert "\n" not in str(exc)
            return "error", str(exc)

    fast = outcome()
    tomllib_only(monkeypatch)
    slow = outcome()
    assert fast[0] == slow[0]
    assert fast[1] == slow[1] if fast[0] == "error" else same(fast[1], slow[1])


def test_a_panic_in_the_fast_parser_is_only_a_reason_to_ask_tomllib(monkeypatch, tmp_path):
    class PanicException(BaseException):  # what pyo3 raises when Rust code panics
        pass

    def panics(text):
        raise PanicException("called `Option::unwrap()` on a `None` value")

    monkeypatch.setattr(toml_fast, "_fast", panics)
    monkeypatch.setattr(toml_fast, "_fast_looked", True)
    assert parse_toml(tmp_path / "case.toml", 'id = "x"\n') == {"id": "x"}
    with pytest.raises(CaseFileError, match="not valid TOML"):
        parse_toml(tmp_path / "case.toml", "id = \n")


def test_a_process_with_threads_reads_with_tomllib_alone(monkeypatch, tmp_path):
    # toml_rs crashed the app when cases were read from worker threads (see parse_toml)
    import threading

    used = []
    monkeypatch.setattr(toml_fast, "_fast", lambda text: used.append(text) or {"fast": True})
    monkeypatch.setattr(toml_fast, "_fast_looked", True)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert parse_toml(tmp_path / "case.toml", 'id = "x"\n') == {"fast": True}
    monkeypatch.setattr(threading, "active_count", lambda: 3)
    assert parse_toml(tmp_path / "case.toml", 'id = "x"\n') == {"id": "x"}
    assert len(used) == 1
