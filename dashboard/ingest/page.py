"""Article pages (a saved .html file, or an http(s) URL that is not a feed): one article each.

trafilatura finds the main text, title, author and date (htmldate, from the page's metadata,
<time> elements and URL: never from the network, and not from dates mentioned in the text,
where a wrong date is worse than none). It leaves out navigation, footers, related-article
lists and captions; boilerplate.py then takes what is left of bylines and read-more links.
A page with no article text (a login form, an index of links) is refused with one line.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from dashboard.ingest.boilerplate import clean
from dashboard.ingest.dates import parse_date
from dashboard.ingest.encoding import HTML_META, decode
from dashboard.ingest.errors import IngestError
from dashboard.ingest.inputs import Input
from dashboard.model import Article, Rejected

MAX_PAGE = 20_000_000
MIN_WORDS = 12
MIN_CJK_CHARACTERS = 40  # Chinese and Japanese text has no spaces to count words by
NO_TEXT = "an HTML page with no article text (not a feed, nor an article page)"
_DATES = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}

for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).setLevel(logging.CRITICAL + 1)  # "empty HTML tree" and the like: we say it in one line


def _enough(text: str) -> bool:
    cjk = sum(1 for ch in text if "\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af")
    return len(text.split()) >= MIN_WORDS or cjk >= MIN_CJK_CHARACTERS


def read_page(inp: Input) -> Iterator[Article | Rejected]:
    inp.encoding()  # refuses empty and binary inputs
    if inp.size() > MAX_PAGE:
        raise IngestError(f"page too large ({inp.size():,} bytes, limit {MAX_PAGE:,})")
    with inp.open() as fh:
        decoded = decode(fh.read(), inp.declared_charset(), HTML_META)
    if decoded.note:
        inp.note(decoded.note)
    import trafilatura  # here, not at the top: 0.2 s that only a page needs

    url = inp.name if inp.name.startswith(("http://", "https://")) else None
    doc = trafilatura.bare_extraction(
        decoded.text, url=url, with_metadata=True, include_comments=False, include_tables=False,
        include_images=False, date_extraction_params=_DATES,
    )
    meta = doc.as_dict() if doc is not None else {}
    title = (meta.get("title") or "").strip() or None
    lines = (meta.get("text") or "").split("\n")
    if title and lines and lines[0].strip() == title:
        lines = lines[1:]  # the headline is the title, not the first paragraph
    text = clean("\n".join(lines))
    if not _enough(text.text):
        raise IngestError(NO_TEXT)
    yield Article(
        source=inp.source or meta.get("sitename") or meta.get("hostname") or (inp.base.name if inp.base else "web"),
        title=title,
        body=text.text,
        url=meta.get("url") or url,
        published=parse_date(meta.get("date"), inp.options.timezone, inp.options.dayfirst),
        author=(meta.get("author") or "").strip() or text.author,
        photo_credit=text.credit,
    )
