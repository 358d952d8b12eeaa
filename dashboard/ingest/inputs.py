"""One input (a file, or bytes fetched from a URL) with safe, streaming text decoding."""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import lzma
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import BinaryIO

from dashboard.ingest.errors import IngestError
from dashboard.ingest.options import ReadOptions

SNIFF_BYTES = 64 * 1024
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Bytes that never occur in text; a few are tolerated (Reuters uses \x02 \x03 as markers).
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
READ_CHUNK = 1 << 20
_CONTROL = set(range(0, 9)) | {11, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 25, 26, 27, 28, 29, 30}
# Compressed exports (`.jsonl.gz`, `.csv.bz2`, `.xz`), known by their first bytes, not their names.
_COMPRESSED = ((b"\x1f\x8b", "gzip", gzip.open), (b"\xfd7zXZ\x00", "xz", lzma.open),
               *((b"BZh" + bytes([level]), "bzip2", bz2.open) for level in b"123456789"))
_CORRUPT = (OSError, EOFError, lzma.LZMAError)  # what a damaged or truncated stream raises while read


@dataclass
class Input:
    """Where the bytes come from: a path on disk or content already in memory."""

    name: str
    path: Path | None = None
    data: bytes | None = None
    source: str | None = None
    base: Path | None = None  # the folder it was found in, for relative external ids
    notes: list[str] = field(default_factory=list)
    content_type: str | None = None  # the HTTP Content-Type it was served with, if fetched
    options: ReadOptions = field(default_factory=ReadOptions)

    def note(self, message: str) -> None:
        """Say something about this input once (a warning printed after it is stored)."""
        if message not in self.notes:
            self.notes.append(message)

    def declared_charset(self) -> str | None:
        """The charset named by the HTTP Content-Type header, if any."""
        match = _CHARSET.search(self.content_type or "")
        return match.group(1) if match else None

    def _open_stored(self) -> BinaryIO:
        """The bytes as stored or fetched, compressed or not."""
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        try:
            return self.path.open("rb")
        except PermissionError as exc:
            raise IngestError("permission denied: cannot read the file") from exc
        except OSError as exc:
            raise IngestError(f"cannot read the file: {exc.strerror or exc}") from exc

    @cached_property
    def compression(self) -> str | None:
        """'gzip', 'bzip2' or 'xz' when the input is compressed so, from its first bytes (read once)."""
        with self._open_stored() as fh:
            magic = fh.read(6)
        return next((name for prefix, name, _ in _COMPRESSED if magic.startswith(prefix)), None)

    def open(self) -> BinaryIO:
        """The input's content, decompressed on the fly when it is compressed."""
        if self.compression is None:
            return self._open_stored()
        opener = next(opener for _, name, opener in _COMPRESSED if name == self.compression)
        return opener(self.path if self.data is None else io.BytesIO(self.data), "rb")

    def size(self) -> int:
        """The content's size in bytes: a compressed input's is counted by decompressing it once
        (the limits of each format apply to what it holds, not to its archive)."""
        return self._content_size

    @cached_property
    def _content_size(self) -> int:
        if self.compression is not None:
            return self._decompressed_size(self.compression)
        return len(self.data) if self.data is not None else self._stored_size()

    def _stored_size(self) -> int:
        assert self.path is not None
        return self.path.stat().st_size

    def _decompressed_size(self, kind: str) -> int:
        total = 0
        try:
            with self.open() as fh:
                while chunk := fh.read(READ_CHUNK):
                    total += len(chunk)
        except _CORRUPT as exc:
            raise IngestError(f"damaged {kind} data ({exc})") from exc
        return total

    def head(self, n: int = SNIFF_BYTES) -> bytes:
        with self.open() as fh:
            return fh.read(n)

    def relative_name(self) -> str:
        """The path relative to the ingested folder (or the bare file name)."""
        if self.path is not None and self.base is not None:
            return self.path.relative_to(self.base).as_posix()
        return Path(self.name).name

    def encoding(self) -> str:
        """The encoding to read with, after checking the input is non-empty text."""
        head = self.head()
        if not head.strip():
            raise IngestError("empty file" if not head else "file holds only whitespace")
        for bom, enc in _BOMS:
            if head.startswith(bom):
                return enc
        if head.startswith(b"PK\x03\x04"):
            raise IngestError("a zip archive: extract it and ingest its folder")
        if b"\x00" in head:
            raise IngestError("binary file (contains NUL bytes), not text")
        control = sum(1 for b in head if b in _CONTROL)
        if control > max(8, len(head) // 100):
            raise IngestError("binary file (control bytes), not text")
        return "utf-8"

    def lines(self, keepends: bool = False) -> Iterator[str]:
        """Decoded lines, streamed; a line that is not UTF-8 is read as cp1252 and noted.

        Lines end at LF, CRLF or a lone CR (classic Mac OS exports), as with universal newlines.
        """
        enc = self.encoding()
        with self.open() as fh:
            if enc != "utf-8":
                decoded: Iterator[str] = io.TextIOWrapper(fh, encoding=enc, newline="")
            else:
                decoded = (self.decode(raw, number) for number, raw in enumerate(_raw_lines(fh), 1))
            for line in decoded:
                yield line if keepends else line.rstrip("\r\n")

    def text(self, limit: int) -> str:
        """The whole content as text; refuses inputs over `limit` bytes (not streamable formats)."""
        if self.size() > limit:
            raise IngestError(f"too large for this format ({self.size():,} bytes, limit {limit:,})")
        enc = self.encoding()
        with self.open() as fh:
            raw = fh.read()
        if enc != "utf-8":
            return raw.decode(enc)
        return self.decode(raw, None)

    def decode(self, raw: bytes, line: int | None) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            where = f" (line {line})" if line else ""
            note = f"not valid UTF-8{where}: read as cp1252"
            if note not in self.notes and len(self.notes) < 5:
                self.notes.append(note)
            return raw.decode("cp1252", errors="replace")


def _raw_lines(fh: BinaryIO) -> Iterator[bytes]:
    """Lines of a binary stream ending at b"\\n", b"\\r\\n" or a lone b"\\r", endings kept.

    Only these three bytes split: UTF-8 and the legacy CJK encodings never use them inside a
    character, and the other line separators of str.splitlines (\\x1c, \\x85, ...) are data.
    """
    pending: list[bytes] = []
    while chunk := fh.read(READ_CHUNK):
        if b"\n" not in chunk and b"\r" not in chunk:
            pending.append(chunk)
            continue
        if pending:
            chunk = b"".join(pending) + chunk
            pending = []
        lines = chunk.splitlines(keepends=True)
        last = lines.pop()
        yield from lines
        if last.endswith(b"\r"):  # a CR at the end of a chunk may be half of a CRLF
            pending.append(last)
        elif last.endswith(b"\n"):
            yield last
        else:
            pending.append(last)
    if pending:
        yield from b"".join(pending).splitlines(keepends=True)
