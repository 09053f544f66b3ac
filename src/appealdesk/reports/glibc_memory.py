"""Two settings of the C allocator (glibc) around reading a large report; elsewhere
(another C library, another system) both do nothing."""

from __future__ import annotations

from typing import Any

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters


def keep_freed() -> None:
    """Keep freed memory for the next piece's temporaries (glibc hands blocks over
    128 KB back to the system when freed, and every page of the next one faults
    in anew: on the 1,000,000-row benchmark, 0.12 s of the process's ~0.5 s of
    system time). Only in a one-shot process (the CLI, where the reader forks):
    the app keeps glibc's defaults. ``give_back`` still trims once the file is read."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(_M_MMAP_THRESHOLD, 32 << 20)  # (glibc's largest on 64 bits)
        libc.mallopt(_M_TRIM_THRESHOLD, 256 << 20)


def give_back() -> None:
    """Hand the memory the pieces' temporaries took back to the system (glibc
    keeps what threads freed in their own heaps: 60-90 MB on a million rows,
    which the metrics after would add to)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def _libc() -> Any:
    """The process's own C symbols (libc's on Linux) when they have glibc's
    allocator calls; else None."""
    import ctypes

    try:
        libc = ctypes.CDLL(None)
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except (OSError, TypeError):
        return None


__all__ = ["give_back", "keep_freed"]
