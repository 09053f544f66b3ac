"""Regular expressions that come from policy files: never allowed to hang a command.

Python's ``re`` backtracks: a pattern such as ``(a|aa)+$`` takes exponential time on a
line of ``a``s, so one user policy could hang intake for every operator. Policy patterns
are compiled with the ``regex`` package (the same syntax as ``re``, version 0), and

* when the policy is loaded, each pattern is tried on strings made to trigger
  catastrophic backtracking (runs of one character, 400 long), under a short time limit;
  one that runs out of time makes the policy broken ("may take exponential time"), like
  any other error in it;
* every search has a time limit too (``MATCH_TIMEOUT``): a pattern that still runs out
  of time on some text counts as not matching that text, so nothing hangs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

PROBE_TIMEOUT = 0.05  # seconds per probe string at load time (a sound pattern: microseconds)
MATCH_TIMEOUT = 0.5  # seconds per search of a text (up to 1 MB) at run time
PROBE_LENGTH = 400  # long enough that a cubic pattern shows, short enough to stay cheap
_PROBE_CHARS = "a1A -_.:/#\t\n"


class PatternError(ValueError):
    """A pattern that does not compile or may take exponential time; one-line message."""


def _probes(pattern: str) -> Iterator[str]:
    chars = dict.fromkeys(_PROBE_CHARS)
    chars.update(dict.fromkeys(ch for ch in pattern if ch.isalnum()))
    for ch in chars:
        run = ch * PROBE_LENGTH
        yield run + "\x00"
        yield run
    for first in "a1 ":
        for second in "a1 ":
            if first != second:
                yield (first + second) * (PROBE_LENGTH // 2) + "\x00"


def _slow(compiled: Any, text: str) -> bool:
    import time

    start = time.perf_counter()
    try:
        compiled.search(text, timeout=PROBE_TIMEOUT)
        compiled.search(text[::-1], timeout=PROBE_TIMEOUT)
    except TimeoutError:
        return True
    return time.perf_counter() - start > 2 * PROBE_TIMEOUT


def compile_user(pattern: str, *, probe: bool = True) -> Any:
    """A ``regex`` pattern object; raises PatternError."""
    import regex

    try:
        compiled = regex.compile(pattern, regex.V0)
    except (regex.error, ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise PatternError(f"is not a valid regular expression ({exc})") from None
    if probe:
        for text in _probes(pattern):
            # twice before refusing: a busy machine may stall one sound search
            if _slow(compiled, text) and _slow(compiled, text):
                raise PatternError(
                    "may take exponential time on some text (nested or overlapping "
                    "repetition such as (a|aa)+ or (a+)+); rewrite it"
                )
    return compiled


def search(compiled: Any, text: str) -> Any:
    """``compiled.search(text)``; None when the time limit runs out."""
    if isinstance(compiled, re.Pattern):  # the program's own patterns need no limit
        return compiled.search(text)
    try:
        return compiled.search(text, timeout=MATCH_TIMEOUT)
    except TimeoutError:
        return None


def finditer(compiled: Any, text: str) -> Iterator[Any]:
    """``compiled.finditer(text)``; stops where the time limit runs out."""
    if isinstance(compiled, re.Pattern):
        yield from compiled.finditer(text)
        return
    try:
        yield from compiled.finditer(text, timeout=MATCH_TIMEOUT)
    except TimeoutError:
        return
