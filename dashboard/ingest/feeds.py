"""RSS 2.0, RSS 1.0 and Atom feeds, parsed with feedparser after a defusedxml safety check."""

from __future__ import annotations

import calendar
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from xml.etree.ElementTree import ParseError

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from dashboard.ingest.dates import parse_date, plausible
from dashboard.ingest.errors import IngestError
from dashboard.ingest.html import to_text
from dashboard.ingest.inputs import Input
from dashboard.model import Article, Rejected

MAX_FEED = 50_000_000


def check_xml(data: bytes) -> None:
    """Refuse XML that is not well-formed or that declares entities (expansion attacks, XXE)."""
    try:
        fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise IngestError(f"refused: the XML declares entities ({type(exc).__name__})") from exc
    except ParseError as exc:
        raise IngestError(f"malformed or truncated XML: {exc}") from exc


def _when(entry: dict) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed: time.struct_time | None = entry.get(key)
        if parsed:
            try:
                return plausible(datetime.fromtimestamp(calendar.timegm(parsed), UTC))
            except (OverflowError, ValueError, OSError):
                return None
    return parse_date(entry.get("published") or entry.get("updated"))


def parse_feed(data: bytes, source: str | None = None) -> Iterator[Article | Rejected]:
    """Articles of a feed document held in memory."""
    check_xml(data)
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version"):
        raise IngestError("XML that is not an RSS or Atom feed")
    name = source or to_text(parsed.feed.get("title")) or "feed"
    for index, entry in enumerate(parsed.entries, 1):
        content = entry.get("content") or []
        body = to_text(content[0].get("value") if content else entry.get("summary") or entry.get("description"))
        title = to_text(entry.get("title"))
        if not title and not body:
            yield Rejected(f"entry {index}", "no title or text", malformed=False)
            continue
        yield Article(
            source=name,
            title=title or None,
            body=body,
            external_id=entry.get("id") or None,
            url=entry.get("link") or None,
            published=_when(entry),
            labels=[t.get("term") for t in entry.get("tags") or [] if t.get("term")],
        )


def read_feed(inp: Input) -> Iterator[Article | Rejected]:
    inp.encoding()
    if inp.size() > MAX_FEED:
        raise IngestError(f"feed too large ({inp.size():,} bytes, limit {MAX_FEED:,})")
    with inp.open() as fh:
        data = fh.read()  # raw bytes: the XML declaration names the encoding
    articles = list(parse_feed(data, inp.source))
    if not articles:
        inp.notes.append("the feed has no entries")
    yield from articles
