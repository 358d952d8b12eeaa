"""RSS 2.0, RSS 1.0 and Atom feeds, parsed with feedparser after a defusedxml safety check, and
news sitemaps.

A feed is decoded first (BOM, HTTP charset, XML prolog, else a guess: see encoding.py) and
handed to both parsers as UTF-8: expat, under both, reads no multi-byte legacy encoding, so a
GB2312 or Big5 feed would otherwise be refused. Entry text loses its boilerplate (read-more
links, related-article blocks, bylines, photo credits) before it is stored.
"""

from __future__ import annotations

import calendar
import re
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from html.entities import name2codepoint
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from dashboard.ingest.boilerplate import clean, title_without_credit
from dashboard.ingest.dates import parse_date, plausible
from dashboard.ingest.encoding import decode, xml_as_utf8
from dashboard.ingest.errors import IngestError
from dashboard.ingest.html import to_text
from dashboard.ingest.inputs import Input
from dashboard.ingest.options import ReadOptions
from dashboard.languages import stated
from dashboard.model import Article, Rejected

MAX_FEED = 50_000_000


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


_NAMED_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_ENTITIES = {b"amp", b"lt", b"gt", b"quot", b"apos"}


def html_entities_as_characters(data: bytes) -> bytes:
    """A feed with HTML's named entities (`&nbsp;`, `&eacute;`, written by hand or by a CMS) as character
    references: XML defines only five names without a DTD, so a strict parser refuses the feed, while
    browsers and feed readers read it. A name HTML does not know is left for the parser to refuse, and
    a document that declares entities of its own is left whole for the safety check to refuse."""
    if b"<!ENTITY" in data:
        return data

    def reference(match: re.Match[bytes]) -> bytes:
        name = match.group(1)
        code = None if name in _XML_ENTITIES else name2codepoint.get(name.decode("ascii"))
        return b"&#%d;" % code if code is not None else match.group(0)

    return _NAMED_ENTITY.sub(reference, data)


def check_xml(data: bytes) -> Element:
    """The document's root; refuse XML that is not well-formed or that declares entities (expansion attacks, XXE)."""
    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise IngestError(f"refused: the XML declares entities ({type(exc).__name__})") from exc
    except ParseError as exc:
        raise IngestError(f"malformed or truncated XML: {exc}") from exc


def _when(entry: dict, options: ReadOptions) -> datetime | None:
    if options.timezone is not UTC or options.dayfirst is not None:  # feedparser reads zoneless dates as UTC
        raw = entry.get("published") or entry.get("updated")
        if raw:
            return parse_date(raw, options.timezone, options.dayfirst)
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed: time.struct_time | None = entry.get(key)
        if parsed:
            try:
                return plausible(datetime.fromtimestamp(calendar.timegm(parsed), UTC))
            except (OverflowError, ValueError, OSError):
                return None
    return parse_date(entry.get("published") or entry.get("updated"))


def _author(entry: dict) -> str | None:
    """The entry's author: RSS <author> is often `email (Name)`, which feedparser splits."""
    detail = entry.get("author_detail") or {}
    return to_text(detail.get("name") or entry.get("author")) or None


def parse_feed(data: bytes, source: str | None = None, options: ReadOptions | None = None) -> Iterator[Article | Rejected]:
    """Articles of a feed document held in memory, as UTF-8 (see xml_as_utf8)."""
    options = options or ReadOptions()
    data = html_entities_as_characters(data)
    root = check_xml(data)
    if root.tag in (f"{SITEMAP}urlset", f"{SITEMAP}sitemapindex"):
        yield from _sitemap(root, source, options)
        return
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version"):
        raise IngestError("XML that is not an RSS or Atom feed")
    name = source or to_text(parsed.feed.get("title")) or "feed"
    channel_lang = parsed.feed.get("language")
    for index, entry in enumerate(parsed.entries, 1):
        content = entry.get("content") or []
        text = clean(to_text(content[0].get("value") if content else entry.get("summary") or entry.get("description")))
        title = _without_outlet(title_without_credit(to_text(entry.get("title"))), entry)
        if not title and not text.text:
            yield Rejected(f"entry {index}", "no title or text", malformed=False)
            continue
        yield Article(
            source=name,
            title=title or None,
            body=text.text,
            external_id=entry.get("id") or None,
            url=entry.get("link") or None,
            published=_when(entry, options),
            labels=[t.get("term") for t in entry.get("tags") or [] if t.get("term")],
            author=_author(entry) or text.author,
            photo_credit=text.credit,
            lang=_language(entry, channel_lang),
        )


def _language(entry: Mapping[str, Any], channel: str | None) -> str | None:
    """The language a feed states for an entry: its own (`dc:language`, Atom's `xml:lang`), else the channel's `<language>`."""
    own = entry.get("language") or (entry.get("title_detail") or {}).get("language") or channel
    return stated(own) if isinstance(own, str) else None


def _without_outlet(title: str, entry: Mapping[str, Any]) -> str:
    """A headline without the outlet an aggregator appends to it ("Storm hits coast - The Guardian"), when
    the entry names that outlet in its `<source>` (as Google News's feeds do): left in, the outlet is an
    entity of every headline it wrote."""
    outlet = to_text((entry.get("source") or {}).get("title"))
    for dash in (" - ", " – ", " — ", " | "):
        if outlet and title.endswith(dash + outlet) and len(title) > len(dash + outlet):
            return title[: -len(dash + outlet)].rstrip()
    return title


def _sitemap(root: Element, source: str | None, options: ReadOptions) -> Iterator[Article | Rejected]:
    """A news sitemap (the Google News extension's title, date, publication and keywords for each
    address): a newsroom's list of what it published in the last days, for sites without a feed.
    It holds no text: each address is stored with its headline, as a feed of titles would be."""
    if root.tag == f"{SITEMAP}sitemapindex":
        raise IngestError("a sitemap index: ingest the sitemaps it lists ("
                          + ", ".join(loc.text or "" for loc in root.iter(f"{SITEMAP}loc"))[:200] + ")")
    for index, url in enumerate(root.iter(f"{SITEMAP}url"), 1):
        news = url.find(f"{NEWS}news")
        title = to_text(news.findtext(f"{NEWS}title") if news is not None else None)
        if not title:
            yield Rejected(f"url {index}", "no news title (a sitemap without the news extension)", malformed=False)
            continue
        keywords = news.findtext(f"{NEWS}keywords") or ""
        yield Article(
            source=source or news.findtext(f"{NEWS}publication/{NEWS}name") or "sitemap",
            title=title,
            body="",
            url=(url.findtext(f"{SITEMAP}loc") or "").strip() or None,
            published=parse_date(news.findtext(f"{NEWS}publication_date"), options.timezone, options.dayfirst),
            labels=[word.strip() for word in keywords.split(",") if word.strip()],
            lang=stated(news.findtext(f"{NEWS}publication/{NEWS}language") or ""),
        )


def read_feed(inp: Input) -> Iterator[Article | Rejected]:
    inp.encoding()
    if inp.size() > MAX_FEED:
        raise IngestError(f"feed too large ({inp.size():,} bytes, limit {MAX_FEED:,})")
    with inp.open() as fh:
        data = fh.read()
    decoded = decode(data, inp.declared_charset())
    if decoded.note:
        inp.note(decoded.note)
    articles = list(parse_feed(xml_as_utf8(decoded.text), inp.source, inp.options))
    if not articles:
        inp.notes.append("the feed has no entries")
    yield from articles
