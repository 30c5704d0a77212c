"""Reading a partition file: gzip JSON Lines, hashed and counted as it streams.

Partitions are inflated with ISA-L (the isal package), whose gzip reader is the standard
library's with a faster inflate: inflating is much of the CPU of the reader process, the
staging step's busiest (docs/benchmarks.md, "The collector, ISA-L and ASCII names").
"""

from __future__ import annotations

import gzip
import hashlib
import io
import zlib
from collections.abc import Iterator
from pathlib import Path

from isal import igzip, isal_zlib

from apps.ingest.normalized import ParseError

CHUNK = 1 << 20


class HashingReader(io.RawIOBase):
    """A file whose bytes are hashed (SHA-256) and counted as they are read, so loading a
    partition also yields the hash that marks it loaded, without a second pass."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("rb")
        self.sha256 = hashlib.sha256()
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self._file.readinto(buffer)
        if n:
            view = memoryview(buffer)[:n]
            self.sha256.update(view)
            self.bytes_read += n
        return n or 0

    def drain(self) -> None:
        """Hash whatever the decompressor left unread (trailing bytes after the last member)."""
        while chunk := self._file.read(CHUNK):
            self.sha256.update(chunk)
            self.bytes_read += len(chunk)

    def close(self) -> None:
        self._file.close()
        super().close()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def iter_lines(path: Path, raw: HashingReader) -> Iterator[tuple[int, bytes]]:
    """(1-based line number, line) of a gzip file, or of a plain one (tests, hand-made
    partitions). A damaged gzip stream raises ParseError naming the line it broke after."""
    buffered = io.BufferedReader(raw, CHUNK)
    compressed = buffered.peek(2)[:2] == b"\x1f\x8b"
    stream = igzip.IGzipFile(fileobj=buffered, mode="rb") if compressed else buffered
    number = 0
    try:
        for number, line in enumerate(stream, start=1):
            yield number, line
    except (OSError, EOFError, isal_zlib.error) as exc:
        raise ParseError(f"unreadable gzip data after line {number} ({exc})") from exc
    raw.drain()


def read_text(path: Path) -> str:
    """A small file (merged_ids csv), gunzipped when it is gzip."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise ParseError(f"unreadable gzip data ({exc})") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(f"not UTF-8 ({exc.reason})") from exc
