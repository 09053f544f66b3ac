"""Text columns that are not lists of strings: read as sequences, built without a string per cell.

The fast messages reader (``fast_messages``) keeps a large file's text columns
this way; code that reads them sees a ``Sequence[str]`` holding exactly the
strings the row-by-row reader would have made:

* ``Categorical``: few distinct values (agents, channels): one code per row
  and one shared string per distinct value;
* ``ByteSpans``: values that are nearly all distinct (message and order ids):
  the file's bytes and where each value is in them, decoded (and stripped) only
  when a row is asked for — the late messages of a metric, a drill-down;
* ``Joined``: the columns of several files, one after the other.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import chain
from typing import Any, overload


class _Column(Sequence[str]):
    """Equal to any sequence with the same strings (a test may compare with a list)."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # mutable-looking, compared by value

    def __repr__(self) -> str:
        head = [self[i] for i in range(min(len(self), 3))]
        return f"{type(self).__name__}({head!r}{'...' if len(self) > 3 else ''}, n={len(self)})"

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self._at(i) for i in range(*index.indices(len(self)))]
        n = len(self)
        i = int(index)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(index)
        return self._at(i)

    def _at(self, i: int) -> str:
        raise NotImplementedError


class Categorical(_Column):
    """``values[codes[i]]`` for row i; ``codes`` a numpy integer array."""

    def __init__(self, codes: Any, values: list[str]):
        self.codes = codes
        self.values = values
        self._rows: list[int] | None = None  # codes as a list: quick to index one by one

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return list(map(self.values.__getitem__, self.codes[index].tolist()))
        if self._rows is None:
            self._rows = self.codes.tolist()
        return self.values[self._rows[index]]

    def __iter__(self) -> Iterator[str]:
        return map(self.values.__getitem__, self.codes.tolist())


class ByteSpans(_Column):
    """Row i is ``raw[starts[i]:ends[i]]`` decoded as UTF-8 and stripped; an empty
    one is ``""``, or with ``file`` ``"{file}:{line}"`` (line: row i + 2, as the
    header is line 1 and every row is one line)."""

    def __init__(self, raw: bytes, starts: Any, ends: Any, file: str | None = None):
        self.raw = raw
        self.starts = starts
        self.ends = ends
        self.file = file

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, index: Any) -> Any:
        try:
            text = self.raw[self.starts.item(index):self.ends.item(index)].decode("utf-8").strip()
        except TypeError:  # a slice
            return super().__getitem__(index)
        if text or self.file is None:
            return text
        return f"{self.file}:{index % len(self.starts) + 2}"

    def _at(self, i: int) -> str:
        return self[i]

    def __iter__(self) -> Iterator[str]:
        return iter(self.strings())

    def strings(self) -> list[str]:
        """Every row as a list, decoded in one go: the spans' bytes gathered into
        one buffer with a line end after each (no value holds one), decoded and split."""
        import numpy as np

        n = len(self.starts)
        if not n:
            return []
        lengths = np.asarray(self.ends, dtype=np.int64) - self.starts
        if not lengths.any():
            values = [""] * n
        else:
            sizes = lengths + 1
            total = int(sizes.sum())
            before = np.cumsum(sizes) - sizes  # where each value starts in the buffer
            index = np.arange(total, dtype=np.int64)
            index += np.repeat(self.starts - before, sizes)
            index[-1] = self.starts[-1]  # (the last value may end the file)
            gathered = np.frombuffer(self.raw, dtype=np.uint8)[index]
            gathered[before + lengths] = 10
            values = list(map(str.strip, gathered.tobytes().decode("utf-8").split("\n")[:-1]))
        if self.file is not None and "" in values:
            values = [v or f"{self.file}:{k + 2}" for k, v in enumerate(values)]
        return values


class Joined(_Column):
    """Several columns read as one."""

    def __init__(self, parts: list[Sequence[str]]):
        self.parts = parts
        self.bounds: list[int] = []
        total = 0
        for part in parts:
            total += len(part)
            self.bounds.append(total)

    def __len__(self) -> int:
        return self.bounds[-1] if self.bounds else 0

    def _at(self, i: int) -> str:
        start = 0
        for part, end in zip(self.parts, self.bounds, strict=True):
            if i < end:
                return part[i - start]
            start = end
        raise IndexError(i)

    def __iter__(self) -> Iterator[str]:
        return chain.from_iterable(self.parts)


def join(parts: list[Sequence[str]]) -> Sequence[str]:
    """One column of several: a plain list when every part is one."""
    if len(parts) == 1:
        return parts[0]
    if all(isinstance(p, list) for p in parts):
        return [v for part in parts for v in part]
    return Joined(parts)


__all__ = ["ByteSpans", "Categorical", "Joined", "join"]
