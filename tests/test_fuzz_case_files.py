"""Fuzz: a hand-edited case.toml or config.toml, however broken, is only itself.

Commands on the broken case answer in one line (or work); ``list`` and ``followups``
still show every other case."""

from __future__ import annotations

import itertools
import tomllib
from datetime import date, datetime, time

import pytest
import tomlkit
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz_support import (
    FUZZ,
    FUZZ_SLOW,
    ZONES,
    ZONES_AWARE,
    assert_clean,
    assert_folder_still_works,
    make_folder,
    run,
)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return make_folder(tmp_path_factory.mktemp("fuzz-cases"))


@pytest.fixture(scope="module")
def target(data, tmp_path_factory):
    """A sound case to break, and its file as it was."""
    return _sound_case(data, tmp_path_factory.mktemp("target"))


_IDS = itertools.count(300001)

SCALARS = st.one_of(
    st.text(max_size=40),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(),
    st.booleans(),
    st.builds(lambda m, z: m.replace(tzinfo=z), st.datetimes(), ZONES),
    st.dates(),
    st.times(),
    st.sampled_from(["2026-11-19T08:00:00Z", "9999-12-31T23:59:59Z", "new", "submitted",
                     "rejected", "", "texts/" + "0" * 64 + ".txt"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(min_size=1, max_size=12), inner, max_size=4)),
    max_leaves=12,
)


def _paths(value, prefix=()):
    """Every place in a parsed TOML document: (path to it, its value)."""
    yield prefix, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*prefix, i))


def _put(doc, path, value):
    target = doc
    for step in path[:-1]:
        target = target[step]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value


_DELETE = object()


def _sound_case(data, folder) -> tuple[str, bytes]:
    number = next(_IDS)
    notice = folder / "notice.txt"
    notice.write_text(
        f"Case ID: PERF-{number}\nStore: Maple\nYour Late Shipment Rate is 5.1%.\n"
        f"Orders: NSA1029384756\nPlease respond within 72 hours.\n", "utf-8")
    code, out, err = run(data, "intake", str(notice), "--platform", "noon",
                         "--received", "2026-11-19T08:00+03:00")
    assert code == 0, err
    case_id = out.strip()
    # a few more sections to break: a status change, a letter, a submission
    for args in (("status", case_id, "in_progress", "--note", "n"),
                 ("status", case_id, "ready")):
        assert run(data, *args)[0] == 0
    path = data / "cases" / case_id / "case.toml"
    return case_id, path.read_bytes()


# What breaks a file's structure, and dates far out (the store's own checks)...
STRUCTURE = st.one_of(
    st.tuples(st.just("deep"), st.integers(0, 10**6), st.integers(1, 5000)),
    st.tuples(st.just("cut"), st.integers(0, 10**6), st.binary(max_size=6)),
    st.tuples(st.just("date"), st.integers(0, 10**6),
              st.builds(lambda m, z: m.replace(tzinfo=z),
                        st.datetimes(min_value=datetime(1, 1, 2),
                                     max_value=datetime(9999, 12, 30)),
                        st.sampled_from(ZONES_AWARE))),
)
# ... and any value of any type anywhere (typed validation on load).
TYPES = st.tuples(st.just("value"), st.integers(0, 10**6), st.one_of(VALUES, st.just(_DELETE)))


def _broken(original: bytes, edit) -> bytes:
    kind, where, what = edit
    if kind == "cut":
        at = where % (len(original) + 1)
        return original[:at] + what
    text = original.decode("utf-8")
    if kind == "deep":  # a deeply nested array, in the last table
        return (text + f"fuzz = {'[' * what}{']' * what}\n").encode()
    doc = tomlkit.parse(text)
    places = [p for p, v in _paths(tomllib.loads(text)) if p]
    if kind == "date":
        places = [p for p, v in _paths(tomllib.loads(text)) if isinstance(v, datetime)]
    path = places[where % len(places)]
    try:
        _put(doc, path, what)
        return tomlkit.dumps(doc).encode("utf-8", "surrogatepass")
    except Exception:  # noqa: BLE001 - tomlkit cannot write that value there: append it
        return original + f"\nfuzz = {what!r}\n".encode("utf-8", "surrogatepass")


def _only_itself(data, target, edit):
    case_id, original = target
    path = data / "cases" / case_id / "case.toml"
    path.write_bytes(_broken(original, edit))
    try:
        for args in (("show", case_id, "--json"), ("check", case_id),
                     ("status", case_id, "in_progress")):
            code, _out, err = run(data, *args)
            assert_clean(code, err)
        assert_folder_still_works(data)
    finally:
        path.write_bytes(original)  # the next example breaks the sound file again


@FUZZ_SLOW
@given(edit=STRUCTURE)
def test_a_case_file_cut_nested_or_dated_far_off_is_only_itself(data, target, edit):
    _only_itself(data, target, edit)


@FUZZ_SLOW
@given(edit=TYPES)
def test_a_case_file_with_any_value_of_any_type_is_only_itself(data, target, edit):
    _only_itself(data, target, edit)


CONFIG = st.one_of(
    st.dictionaries(st.sampled_from(["operator", "language", "stores", "store", "theme",
                                     "default_platform", "mappings", "x"]), VALUES, max_size=5),
    st.binary(max_size=200),
)


@FUZZ
@given(config=CONFIG)
def test_a_broken_config_never_stops_the_commands(data, config):
    path = data / "config.toml"
    if isinstance(config, bytes):
        path.write_bytes(config)
    else:
        try:
            path.write_text(tomlkit.dumps(config), "utf-8")
        except Exception:  # noqa: BLE001 - a value tomlkit cannot write: write a fragment
            path.write_bytes(repr(config).encode("utf-8", "surrogatepass"))
    try:
        for args in (("list",), ("show", "noon-perf-100001"), ("policies", "list")):
            code, _out, err = run(data, *args)
            assert_clean(code, err)
        assert_folder_still_works(data)
    finally:
        path.unlink()


def test_deep_nesting_names_the_file(data, tmp_path):
    case_id, original = _sound_case(data, tmp_path)
    path = data / "cases" / case_id / "case.toml"
    path.write_bytes(original + b"\nx = " + b"[" * 5000 + b"]" * 5000 + b"\n")
    code, out, err = run(data, "list", "--all", "--json")
    assert code == 0 and case_id in err and "case.toml" in err
    path.write_bytes(original)


def test_dates_survive_a_round_trip_of_the_fixture():
    # the generators above write dates, times and datetimes; tomllib reads them back
    for value in (date(2026, 1, 2), time(1, 2), datetime(2026, 1, 2, 3, 4)):
        assert tomllib.loads(tomlkit.dumps({"v": value}))["v"] == value
