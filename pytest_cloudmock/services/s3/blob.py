"""Object data: an immutable list of chunks, read in from a stream and out by range.

A `Blob` is never changed once made, so snapshots share it (`__deepcopy__`
returns it) and a multipart object is its parts' chunks joined without copying.
A request body is held in memory once: a body of known length is read in one
call (an in-process client's bytes are then kept as they are, not copied), any
other chunk by chunk. The digests of a large body (MD5 for the ETag, the
checksum, the payload SHA-256) run side by side, split in two groups of about
equal cost: hashlib and zlib release the GIL while they hash, crcmod (CRC32C,
CRC64NVME) is fed in slices so that the other group gets to run.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from .checksums import Hasher, cost

CHUNK = 1 << 20
PARALLEL_DIGESTS = 1 << 20  # bodies from this size hash in two threads


class Blob:
    """Immutable bytes held as a tuple of chunks."""

    __slots__ = ("chunks", "size")

    def __init__(self, chunks: Iterable[bytes] = ()) -> None:
        self.chunks: tuple[bytes, ...] = tuple(filter(None, chunks))  # (empty chunks dropped)
        self.size = sum(map(len, self.chunks))

    @classmethod
    def of(cls, data: bytes) -> Blob:
        """A blob holding `data` itself (not copied)."""
        blob = cls.__new__(cls)
        blob.chunks, blob.size = ((data,) if data else ()), len(data)
        return blob

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


def read_blob(stream: IO[bytes], hashers: Sequence[Hasher], size: int | None = None) -> Blob:
    """Read a stream to its end into a blob, feeding every hasher.

    `size`, the body's length when known (the stream ends there), is read in one call (no
    chunk copies); a shorter stream gives a shorter blob.
    """
    if size is not None:
        blob = Blob.of(_read_full(stream, size))
    else:
        chunks: list[bytes] = []
        while data := _read_full(stream, CHUNK):
            chunks.append(data)
        blob = Blob(chunks)
    feed(blob.chunks, hashers, blob.size)
    return blob


def feed(chunks: Sequence[bytes], hashers: Sequence[Hasher], size: int) -> None:
    """Every hasher updated with every chunk; from `PARALLEL_DIGESTS` bytes the hashers are
    split in two groups of about equal cost, one run here while another thread runs the other."""
    if len(hashers) < 2 or size < PARALLEL_DIGESTS:
        _update(chunks, hashers)
        return
    here, there = _split(hashers)
    failed: list[BaseException] = []

    def rest() -> None:
        try:
            _update(chunks, there)
        except BaseException as exc:  # raised again in the caller's thread
            failed.append(exc)

    helper = threading.Thread(target=rest, name="s3-digest", daemon=True)
    helper.start()
    try:
        _update(chunks, here)
    finally:
        helper.join()
    if failed:
        raise failed[0]


def _split(hashers: Sequence[Hasher]) -> tuple[list[Hasher], list[Hasher]]:
    """Two groups of about equal cost (`checksums.cost`), the costliest hasher placed first."""
    groups: tuple[list[Hasher], list[Hasher]] = ([], [])
    loads = [0, 0]
    for hasher in sorted(hashers, key=cost, reverse=True):
        side = 0 if loads[0] <= loads[1] else 1
        groups[side].append(hasher)
        loads[side] += cost(hasher)
    return groups


def _update(chunks: Sequence[bytes], hashers: Sequence[Hasher]) -> None:
    for hasher in hashers:
        for chunk in chunks:
            hasher.update(chunk)


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
