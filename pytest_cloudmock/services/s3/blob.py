"""Object data: an immutable list of chunks, read in from a stream and out by range.

A `Blob` is never changed once made, so snapshots share it (`__deepcopy__`
returns it) and a multipart object is its parts' chunks joined without copying.
Request bodies are read chunk by chunk, so an object is held in memory once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO, Any

CHUNK = 1 << 20


class Blob:
    """Immutable bytes held as a tuple of chunks."""

    __slots__ = ("chunks", "size")

    def __init__(self, chunks: Iterable[bytes] = ()) -> None:
        self.chunks: tuple[bytes, ...] = tuple(c for c in chunks if c)
        self.size = sum(len(c) for c in self.chunks)

    @classmethod
    def join(cls, blobs: Iterable[Blob]) -> Blob:
        return cls(c for blob in blobs for c in blob.chunks)

    def __deepcopy__(self, memo: dict[int, Any]) -> Blob:
        return self

    def read(self) -> bytes:
        """All the data (small objects only: it makes one copy)."""
        return b"".join(self.chunks)

    def iter_range(self, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """The bytes in [start, end) (end None: to the end), chunk by chunk."""
        end = self.size if end is None else min(end, self.size)
        pos = 0
        for chunk in self.chunks:
            if pos >= end:
                break
            nxt = pos + len(chunk)
            if nxt > start:
                yield chunk[max(start - pos, 0) : end - pos] if (start > pos or end < nxt) else chunk
            pos = nxt

    def slice(self, start: int, end: int) -> Blob:
        """A new blob of the bytes in [start, end) (chunks shared where whole)."""
        return Blob(self.iter_range(start, end))


def read_blob(stream: IO[bytes], hashers: Iterable[Any]) -> Blob:
    """Read a stream to its end into a blob, feeding every hasher."""
    hashers = list(hashers)
    chunks: list[bytes] = []
    while data := _read_full(stream, CHUNK):
        for hasher in hashers:
            hasher.update(data)
        chunks.append(data)
    return Blob(chunks)


def _read_full(stream: IO[bytes], size: int) -> bytes:
    """Up to `size` bytes, fewer only at the end of the stream."""
    first = stream.read(size)
    if not first or len(first) == size:
        return first
    parts = [first]
    got = len(first)
    while got < size:
        more = stream.read(size - got)
        if not more:
            break
        parts.append(more)
        got += len(more)
    return b"".join(parts)
