"""A policy's regular expressions cannot hang a command: a catastrophic one makes the policy
broken when it is loaded, and every search has a time limit."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from appealdesk.policy import user_regex
from appealdesk.policy.loading import load_policies, shipped_policy_texts

CATASTROPHIC = [r"(a|aa)+$", r"(a+)+b", r"(\w+\s?)+$", r"(x+x+)+y", r"(1|11)+$"]
SOUND = [r"\b\d{3}-\d{7}-\d{7}\b", r"(?i)order\s*#?\s*(\d+)", r"(?<![0-9])[1-9][0-9]{9,13}",
         r"^(\d+)*$", r"(.*,)*x"]


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_catastrophic_patterns_are_refused(pattern):
    with pytest.raises(user_regex.PatternError, match="exponential time"):
        user_regex.compile_user(pattern)


@pytest.mark.parametrize("pattern", SOUND)
def test_sound_patterns_are_kept(pattern):
    user_regex.compile_user(pattern)


def test_a_search_that_runs_out_of_time_is_no_match():
    slow = user_regex.compile_user(r"(a|aa)+$", probe=False)
    start = time.perf_counter()
    assert user_regex.search(slow, "a" * 60 + "!") is None
    assert list(user_regex.finditer(slow, "a" * 60 + "!")) == []
    assert time.perf_counter() - start < 30  # bounded; without the limit: hours


def _user_policy(folder, pattern):
    text = shipped_policy_texts()["noon"][1].replace('id = "noon"', 'id = "souq"', 1)
    marker = "order_id_patterns = ["
    assert marker in text
    text = text.replace(marker, marker + "'" + pattern + "', ", 1)
    (folder / "souq.toml").write_text(text, "utf-8")


def test_a_user_policy_with_a_catastrophic_pattern_is_a_broken_policy(tmp_path):
    _user_policy(tmp_path, r"(a|aa)+$")
    policies = load_policies(tmp_path)
    assert "souq" not in policies.policies and "noon" in policies.policies
    (error,) = policies.errors
    assert "souq.toml" in str(error) and "recognise.order_id_patterns[0]" in str(error)
    assert "exponential time" in str(error) and "\n" not in str(error)


def test_intake_does_not_hang_on_a_bad_user_policy(tmp_path):
    data = tmp_path / "data"
    (data / "policies").mkdir(parents=True)
    _user_policy(data / "policies", r"(a|aa)+$")
    notice = tmp_path / "n.txt"
    notice.write_text("Case ID: PERF-123456\n" + "a" * 5000 + "!\nLate Shipment Rate 5.1%\n")
    run = subprocess.run([sys.executable, "-m", "appealdesk", "--data-dir", str(data), "intake",
                          str(notice)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
