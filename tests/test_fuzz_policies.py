"""Fuzz: a user policy in <data>/policies/, however broken, is only itself.

Broken TOML, bytes that are not UTF-8, wrong types, deleted or unknown keys, deep
nesting and catastrophic regexes, written over the shipped noon policy (the sound case's
marketplace: a policy that still validates is then used by every command on that case)
or as a policy of a new marketplace. After each: ``policies list`` names the broken file
on one line, ``policies check FILE`` answers (valid, or its problems, each line naming
the file), no command says "internal error", and every case still lists, checks and has
its follow-ups.
"""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest
import tomlkit
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz_support import (
    FUZZ,
    SENTINEL,
    SENTINEL_NOTICE,
    WILD_TEXT,
    assert_clean,
    assert_folder_still_works,
    make_folder,
    run,
)
from tests.test_fuzz_case_files import _DELETE, VALUES, _paths, _put

SHIPPED = resources.files("appealdesk.policies").joinpath("noon.toml").read_text("utf-8")
# Patterns that backtrack exponentially (or worse) on a run of one character.
CATASTROPHIC = st.sampled_from([
    "(a|aa)+$", "(a+)+$", "^(\\d+)*x", "(.*a){12}", "(\\s*\\w+\\s*)+:$", "([a-zA-Z]+)*1",
    "(?i)(x+x+)+y", "(", "[", "(?P<a>", "\\", "*", "(?<=a+)b",
])
UNKNOWN_KEYS = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]),
                       min_size=1, max_size=12)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = make_folder(tmp_path_factory.mktemp("fuzz-policies"))
    (folder / "policies").mkdir(exist_ok=True)
    return folder


def _mutated(draw) -> tuple[str, bytes]:
    """(file name, contents): the shipped noon policy changed in one to three places."""
    doc = tomlkit.parse(SHIPPED)
    text = SHIPPED
    for _ in range(draw(st.integers(1, 3), label="edits")):
        places = [p for p, _v in _paths(tomllib.loads(text)) if p]
        path = draw(st.sampled_from(places), label="where")
        kind = draw(st.sampled_from(["value", "delete", "unknown", "regex"]))
        try:
            if kind == "value":
                _put(doc, path, draw(VALUES, label="value"))
            elif kind == "delete":
                _put(doc, path, _DELETE)
            elif kind == "unknown":
                doc[draw(UNKNOWN_KEYS, label="key")] = draw(VALUES)
            else:
                patterns = [draw(CATASTROPHIC, label="re")]
                doc["recognise"]["notification_id_patterns"] = patterns
            text = tomlkit.dumps(doc)
            tomllib.loads(text)
        except Exception:  # noqa: BLE001 - tomlkit refuses that value or place: stop here
            break
    name = draw(st.sampled_from(["noon.toml", "fuzzmarket.toml"]), label="name")
    if name != "noon.toml":
        text = text.replace('id = "noon"', 'id = "fuzzmarket"', 1)
    return name, text.encode("utf-8", "surrogatepass")


@st.composite
def policy_files(draw) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["mutated", "mutated", "text", "bytes", "deep", "cut"]))
    if kind == "mutated":
        return _mutated(draw)
    if kind == "text":
        return "fuzz.toml", draw(WILD_TEXT).encode("utf-8", "surrogatepass")
    if kind == "bytes":
        return "fuzz.toml", draw(st.binary(max_size=300))
    if kind == "deep":
        depth = draw(st.integers(1, 5000))
        return "noon.toml", (SHIPPED + f"\nfuzz = {'[' * depth}{']' * depth}\n").encode()
    at = draw(st.integers(0, len(SHIPPED)))
    return "noon.toml", SHIPPED[:at].encode() + draw(st.binary(max_size=6))


@FUZZ
@given(policy=policy_files())
def test_any_user_policy_is_only_itself(data, tmp_path_factory, policy):
    name, contents = policy
    path = data / "policies" / name
    path.write_bytes(contents)
    notice = tmp_path_factory.mktemp("notice") / "notice.txt"
    notice.write_text(SENTINEL_NOTICE, "utf-8")
    try:
        code, out, err = run(data, "policies", "list")
        assert_clean(code, err)
        broken = [line for line in out.splitlines() if line.startswith("BROKEN")]
        for line in broken:  # one line each, naming the file
            assert str(path.relative_to(data)) in line or str(path) in line, line
        code, out, err = run(data, "policies", "check", str(path))
        assert_clean(code, err)
        if code == 1:  # the problems: one line each, each naming the file
            assert broken and all(name in line for line in out.splitlines() if line), out
        for args in (("check", SENTINEL), ("show", SENTINEL, "--json"),
                     ("intake", str(notice), "--dry-run")):
            code, _out, err = run(data, *args)
            assert_clean(code, err)
        assert_folder_still_works(data)
    finally:
        path.unlink()


@pytest.mark.parametrize("pattern", ["(a|aa)+$", "(a+)+$"])
def test_a_catastrophic_regex_makes_the_policy_broken_not_intake_hang(data, tmp_path,
                                                                      pattern):
    doc = tomlkit.parse(SHIPPED)
    doc["recognise"]["notification_id_patterns"] = [pattern]
    path = data / "policies" / "noon.toml"
    path.write_text(tomlkit.dumps(doc), "utf-8")
    try:
        code, out, err = run(data, "policies", "list")
        assert code == 0, err
        (line,) = [line for line in out.splitlines() if line.startswith("BROKEN")]
        assert "policies/noon.toml" in line and "exponential" in line
        notice = tmp_path / "notice.txt"
        notice.write_text("Case ID: PERF-1\n" + "a" * 5000 + "\n", "utf-8")
        code, _out, err = run(data, "intake", str(notice), "--platform", "noon", "--dry-run")
        assert_clean(code, err)
    finally:
        path.unlink()
