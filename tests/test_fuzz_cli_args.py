"""Fuzz: any command line (a typo, a missing argument, a stray option) is answered in one
line on stderr or works; argparse's usage errors too (they used to print several lines)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz_support import FUZZ, SENTINEL, assert_clean, make_folder, run

# Commands that run and end (``app`` and ``serve`` start the interface: not here).
COMMANDS = ["list", "show", "policies", "metrics", "import-report", "evidence", "check",
            "intake", "status", "followups", "followup-done", "letter", "render", "submit",
            "outcome"]
WORDS = ["list", "show", "check", "draft", "set", "versions", "add", "bundle", "waive",
         "--json", "--all", "--within", "3d", "--note", "--platform", "noon", "--received",
         "9999-12-31", "--new-version", "--requirement", "--lang", "zh", "--frob", "-x",
         SENTINEL, "noon-perf-999999", "../etc", "ready", "nope", "", "--", "-h"]
TOKEN = st.one_of(st.sampled_from(WORDS),
                  st.text(max_size=12).filter(lambda t: t != "-" and "\x00" not in t))


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return make_folder(tmp_path_factory.mktemp("fuzz-args"))


@FUZZ
@given(command=st.sampled_from(COMMANDS), rest=st.lists(TOKEN, max_size=5))
def test_any_command_line_is_answered_in_one_line(data, command, rest):
    if "-h" in rest or "--help" in rest:
        rest = [t for t in rest if t not in ("-h", "--help")]
    code, _out, err = run(data, command, *rest)
    assert_clean(code, err)


def test_a_usage_error_is_one_line_naming_the_help(data):
    code, out, err = run(data, "status")
    assert code == 2 and out == ""
    assert err == ("appealdesk status: error: the following arguments are required: CASE, "
                   "NEW_STATE (see appealdesk status --help)\n")
    code, _out, err = run(data, "--frob", "list")
    assert code == 2 and err.count("\n") == 1 and "--frob" in err
