"""TOML read by ``toml_rs`` (Rust, about 10x faster than tomllib), with tomllib as the judge.

Whatever ``toml_rs`` refuses (or a text it would read but tomllib would not: a byte
order mark, values nested deeper than any of our files) gives None, and the caller
parses it again with tomllib, so a broken file gets tomllib's verdict and message,
and a sound one the same values (``tests/test_toml_fast.py`` checks both against
tomllib). Without ``toml_rs`` installed, tomllib reads everything. Callers use it
only in a process with one thread (``cases.errors.parse_toml`` says why).
Used by case files (``cases.errors``) and policies (``policy.loading``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Deeper than this the fast result is not trusted (tomllib runs out of stack somewhere
# past a few hundred levels, toml_rs does not); above validate.MAX_DEPTH, so a file
# nested that deep is refused by validation either way, and a case nests 4 deep.
FAST_MAX_DEPTH = 32

_fast: Callable[[str], dict[str, Any]] | None = None
_fast_looked = False


def _fast_loads() -> Callable[[str], dict[str, Any]] | None:
    """``toml_rs.loads`` reading TOML 1.0 (what tomllib reads), or None without it."""
    global _fast, _fast_looked
    if not _fast_looked:
        try:
            import toml_rs
        except ImportError:
            _fast = None
        else:
            def loads(text: str) -> dict[str, Any]:
                return toml_rs.loads(text, toml_version="1.0.0")

            _fast = loads
        _fast_looked = True
    return _fast


def _shallow(data: dict[str, Any]) -> bool:
    """Nothing in ``data`` nested deeper than FAST_MAX_DEPTH tables and lists."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        for item in value.values() if type(value) is dict else value:
            kind = type(item)
            if kind is dict or kind is list:
                if depth >= FAST_MAX_DEPTH:
                    return False
                stack.append((item, depth + 1))
    return True


def fast_toml(text: str) -> dict[str, Any] | None:
    """The parsed text when the fast parser reads it as tomllib would, else None (then
    tomllib decides: the same values, or its error)."""
    loads = _fast_loads()
    if loads is None or text.startswith("\ufeff"):  # tomllib refuses a byte order mark
        return None
    try:
        data = loads(text)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - any refusal, or a panic in the Rust code (pyo3's
        return None  # PanicException is a BaseException): tomllib gives the verdict
    # tomllib recurses once per level of nested inline arrays and tables: with fewer
    # brackets and braces in the whole text than FAST_MAX_DEPTH twice, no value is
    # nested deep enough for it to run out of stack, and the walk is not needed
    if text.count("[") + text.count("{") < 2 * FAST_MAX_DEPTH or _shallow(data):
        return data
    return None


__all__ = ["FAST_MAX_DEPTH", "fast_toml"]
