"""Reuters-21578 SGML: one <REUTERS> record per article, streamed record by record."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from dashboard.ingest.dates import parse_date
from dashboard.ingest.errors import IngestError
from dashboard.ingest.inputs import Input
from dashboard.model import Article, Rejected

CHUNK = 1 << 20
MAX_RECORD = 2_000_000
_NEWID = re.compile(r'NEWID="(\d+)"')
_TAG = {name: re.compile(rf"<{name}>(.*?)</{name}>", re.S) for name in ("DATE", "TITLE", "BODY", "TOPICS")}
_D = re.compile(r"<D>(.*?)</D>", re.S)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_SIGNOFF = re.compile(r"\s*\bReut(?:er|ers)?\s*$")


def _clean(text: str) -> str:
    return _CONTROL.sub("", html.unescape(text)).strip()


def _headline_case(title: str) -> str:
    """Reuters headlines are all capitals; 'JAPAN'S LDP' -> 'Japan's Ldp', 'U.S.' kept."""
    if not title.isupper():
        return title
    return " ".join(word if "." in word else word[:1] + word[1:].lower() for word in title.split(" "))


def _body(raw: str) -> str:
    """Reflow the fixed-width body into paragraphs (Reuters indents each new paragraph)."""
    text = _SIGNOFF.sub("", _clean(raw))
    paragraphs = re.split(r"\n\s{2,}|\n\s*\n", text)
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def records(inp: Input) -> Iterator[str]:
    """Raw <REUTERS ...>...</REUTERS> blocks, read in chunks so memory stays bounded."""
    buffer = ""
    with inp.open() as fh:
        while chunk := fh.read(CHUNK):
            buffer += inp.decode(chunk, None) if chunk.isascii() else chunk.decode("latin-1")
            *done, buffer = buffer.split("</REUTERS>")
            for block in done:
                start = block.find("<REUTERS")
                if start >= 0:
                    yield block[start:]
            if len(buffer) > MAX_RECORD:
                raise IngestError(f"a <REUTERS> record runs over {MAX_RECORD:,} characters (truncated file?)")
    if "<REUTERS" in buffer:
        raise IngestError("truncated file: the last <REUTERS> record has no closing tag")


def read_reuters(inp: Input) -> Iterator[Article | Rejected]:
    inp.encoding()  # refuses empty and binary inputs before streaming
    for block in records(inp):
        newid = _NEWID.search(block)
        where = f"NEWID {newid.group(1)}" if newid else "a record without NEWID"
        fields = {name: (m.group(1) if (m := rx.search(block)) else "") for name, rx in _TAG.items()}
        title, body = _clean(fields["TITLE"]), _body(fields["BODY"])
        if not title and not body:
            yield Rejected(where, "no title or body", malformed=False)
            continue
        yield Article(
            source=inp.source or "Reuters",
            title=_headline_case(title),
            body=body,
            external_id=newid.group(1) if newid else None,
            published=parse_date(_clean(fields["DATE"])),
            labels=[_clean(d) for d in _D.findall(fields["TOPICS"])],
        )
