"""The second half of a large file's pieces read by a forked process while
this one reads the first half.

Threads do not pay for the numpy reader (``fast_orders``): measured on the
1,000,000-row messy benchmark on two idle cores, two threads took as long as
one (1.84-2.13 s against 1.68-1.93 s) and 40% more CPU, the GIL held between
numpy's many small calls. A forked process shares nothing: each half takes
half the time. Its parts come back through memory shared before the fork: each
is pickled with its arrays out of band, the pickle and the arrays' bytes written
there, and only where they lie (a few numbers) sent through a pipe, which a
thread of this process drains; the parts are rebuilt over the shared bytes (no
copy) and copied into the table as they come, once this process's own half is
read. (Pickled whole through the pipe, the child had spent 0.25-0.35 s of its
~0.9 s on the 1,000,000-row benchmark pickling and waiting on the pipe: 64 KB
at a time, each waking the draining thread, which then waits for the GIL.) A
part that does not fit in the room left comes pickled through the pipe.

Only where forking is safe and pays: a process with one thread (the CLI; not
the app, whose worker threads may hold locks a child would inherit taken),
Linux, and a core free for the child (``columnar._threads``).
Anything that goes wrong in the child (a piece it cannot read, a crash) is
a None part: the caller reads the file another way, as for any piece.
"""

from __future__ import annotations

import mmap
import os
import pickle
import queue
import struct
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

_HEADER = struct.Struct("<q")  # the length of one message; -1: the child gave up
_FAILED = -1
_ROOM = 2  # shared bytes per byte of the child's half (a part takes ~0.8 on the benchmark)
_SPARE_ROOM = 64 << 20  # and this much more (only the pages written are ever taken)
_DONE = object()  # after the child's last part (or its failure)
_LOOK = 1 << 20  # how far past the middle a line end is looked for
MIN_BYTES = 1 << 24  # smaller files: a fork costs more than half of their reading saves
SHARE = 0.46  # of the lines read here, which also copies in every part (measured balance)


def can_fork(workers: int) -> bool:
    """Whether a child may read half of a file here (see the module's note)."""
    # (Linux only: macOS forks badly once system frameworks are loaded, Windows cannot.)
    return workers > 1 and sys.platform.startswith("linux") and threading.active_count() == 1


def middle_line(f: BinaryIO, start: int, size: int) -> int | None:
    """Where the first line at or after the middle of ``start``..``size`` begins;
    None for a small file, or when no line end is near the middle (the file is
    then read in one go)."""
    if size - start < MIN_BYTES:
        return None
    middle = start + int((size - start) * SHARE)
    f.seek(middle)
    near = f.read(_LOOK)
    at = near.find(b"\n")
    if at < 0 or middle + at + 1 >= size:
        return None
    return middle + at + 1


def read_halves(path: Path, start: int, cut: int,
                pieces: Callable[[BinaryIO, int, int | None], Iterator[tuple[int, bytearray]]],
                read: Callable[[tuple[int, bytearray]], Any], add: Callable[[Any], None]) -> bool:
    """``read`` of every piece of ``start``..``cut`` here and of ``cut``..the end in a
    forked child, each part to ``add`` in file order; False when a part is None."""
    shared = _shared(_ROOM * max(0, path.stat().st_size - cut) + _SPARE_ROOM)
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers
        os.close(rfd)
        status = 1
        try:
            _child(path, cut, pieces, read, wfd, shared)
            status = 0
        finally:
            os._exit(status)
    os.close(wfd)
    drained = _Drain(rfd, shared)
    drained.start()
    ok = False
    try:
        with path.open("rb") as f:
            for piece in pieces(f, start, cut):
                if drained.failed:
                    return False
                part = read(piece)
                if part is None:
                    return False
                add(part)
        for part in drained.taken():  # (while the child still reads, not after)
            add(part)
        drained.join()
        if not drained.complete:
            return False
        ok = True
        return True
    finally:
        if not ok:
            _stop(pid)
        drained.join()
        os.waitpid(pid, 0)


def _child(path: Path, cut: int,
           pieces: Callable[[BinaryIO, int, int | None], Iterator[tuple[int, bytearray]]],
           read: Callable[[tuple[int, bytearray]], Any], wfd: int,
           shared: mmap.mmap | None) -> None:
    room = _Room(shared)
    with open(wfd, "wb", buffering=0) as out, path.open("rb") as f:
        for piece in pieces(f, cut, None):
            part = read(piece)
            if part is None:
                out.write(_HEADER.pack(_FAILED))
                return
            data = pickle.dumps(room.put(part), protocol=pickle.HIGHEST_PROTOCOL)
            out.write(_HEADER.pack(len(data)) + data)
        out.write(_HEADER.pack(0))  # the end: every part was sent


def _shared(size: int) -> mmap.mmap | None:
    """Memory this process and a child forked after share (None: none to be had,
    every part then comes through the pipe)."""
    try:
        return mmap.mmap(-1, max(size, mmap.PAGESIZE))
    except (OSError, ValueError, OverflowError):
        return None


class _Room:
    """The shared memory the child writes its parts to, one after another."""

    def __init__(self, shared: mmap.mmap | None) -> None:
        self.shared, self.at = shared, 0

    def put(self, part: Any) -> tuple[Any, list[tuple[int, int]] | None]:
        """What the pipe carries for ``part``: (where its pickle lies, where each of
        its arrays' bytes lie), or (the part pickled whole, None) when it does not
        fit or an array is not one block of memory."""
        buffers: list[pickle.PickleBuffer] = []
        meta = pickle.dumps(part, protocol=5, buffer_callback=buffers.append)
        try:
            blocks: list[bytes | memoryview] = [meta, *(b.raw() for b in buffers)]
        except BufferError:  # (not contiguous)
            return pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL), None
        if self.shared is None or self.at + sum(len(b) for b in blocks) > len(self.shared):
            return pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL), None
        where = []
        for block in blocks:
            end = self.at + len(block)
            self.shared[self.at:end] = block
            where.append((self.at, end))
            self.at = end
        return None, where


def _rebuilt(shared: mmap.mmap | None, message: tuple[Any, list[tuple[int, int]] | None]) -> Any:
    """The part ``_Room.put`` sent: its arrays over the shared bytes (no copy)."""
    inline, where = message
    if where is None or shared is None:
        return pickle.loads(inline)
    view = memoryview(shared)
    (a, b), *blocks = where
    return pickle.loads(view[a:b], buffers=[view[s:e] for s, e in blocks])


class _Drain(threading.Thread):
    """Reads the child's parts as they come (``os.read`` lets the GIL go)."""

    def __init__(self, fd: int, shared: mmap.mmap | None) -> None:
        super().__init__(daemon=True)
        self.fd, self.shared = fd, shared
        self.parts: queue.SimpleQueue[Any] = queue.SimpleQueue()  # then _DONE
        self.failed = False
        self.complete = False

    def run(self) -> None:
        try:
            self._read()
        finally:
            self.failed = not self.complete
            self.parts.put(_DONE)

    def _read(self) -> None:
        with open(self.fd, "rb") as pipe:
            while True:
                head = pipe.read(_HEADER.size)
                if len(head) < _HEADER.size:
                    return  # the child ended without its end mark: it failed
                (length,) = _HEADER.unpack(head)
                if length == 0:
                    self.complete = True
                    return
                if length < 0:
                    return
                data = pipe.read(length)
                if len(data) < length:
                    return
                self.parts.put(_rebuilt(self.shared, pickle.loads(data)))

    def taken(self) -> Iterator[Any]:
        """The parts in order, each as soon as it has come, until the last."""
        while (part := self.parts.get()) is not _DONE:
            yield part


def _stop(pid: int) -> None:
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


__all__ = ["can_fork", "middle_line", "read_halves"]
