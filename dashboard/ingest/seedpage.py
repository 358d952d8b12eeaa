"""The scraped-page text format: a full article (a paragraph per line) and teaser items.

Rules, general for any page of this kind:
- a blank line ends an item;
- a line opening with an UPPERCASE kicker and a colon (``NATIONAL SECURITY: ...``) starts an item;
- a line cut off mid-sentence is a teaser: an item of its own, marked truncated;
- complete paragraphs that follow each other belong to one article;
- a short caption line (``Photo: AFP``) is dropped from the text and kept as the photo credit.
A sidecar ``<stem>.meta.json`` may give the source and per-item dates.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from dashboard.ingest.dates import parse_date
from dashboard.ingest.errors import IngestError
from dashboard.ingest.inputs import Input
from dashboard.ingest.titles import derive_title
from dashboard.model import Article, Rejected

KICKER = re.compile(r"^(?P<kicker>(?=[^:]*[A-Z]{2})[A-Z0-9][A-Z0-9 ,.'’&/-]{0,58}[A-Z0-9]):\s+(?P<rest>\S.*)$")
CAPTION = re.compile(r"^(?:photos?|images?|pictures?|video|graphic|file photo)(?: by)?\s*[:：]\s*(?P<credit>.{1,80})$", re.I)
COMPLETE = re.compile(r"(?:[.!?…]+[\"”’)\]]*|[\"”’])$")
MAX_ITEM_CHARS = 1_000_000


@dataclass
class _Item:
    kicker: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    credit: str | None = None
    truncated: bool = False
    line: int = 0


def split_items(lines: Iterator[str]) -> Iterator[_Item]:
    """Group the page's lines into items by the rules in the module docstring."""
    current: _Item | None = None
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            if current and current.paragraphs:
                yield current
            current = None
            continue
        caption = CAPTION.match(line)
        if caption:
            if current is not None:
                current.credit = caption.group("credit").strip()
            continue
        kicker = KICKER.match(line)
        complete = bool(COMPLETE.search(line))
        if kicker or not complete:
            if current and current.paragraphs:
                yield current
            current = _Item(line=number)
            if kicker:
                current.kicker, line = kicker.group("kicker"), kicker.group("rest")
        elif current is None:
            current = _Item(line=number)
        current.paragraphs.append(line)
        if not complete:
            current.truncated = True
            yield current
            current = None
    if current and current.paragraphs:
        yield current


def load_meta(inp: Input) -> dict[str, Any]:
    """The sidecar metadata of a page, or an empty dict."""
    if inp.path is None:
        return {}
    meta_path = inp.path.with_name(inp.path.stem + ".meta.json")
    if not meta_path.is_file():
        return {}
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IngestError(f"unreadable metadata file {meta_path.name}: {exc}") from exc
    return meta if isinstance(meta, dict) else {}


def read_seedpage(inp: Input) -> Iterator[Article | Rejected]:
    meta = load_meta(inp)
    per_item = meta.get("articles") or []
    source = inp.source or meta.get("source") or inp.relative_name()
    for index, item in enumerate(split_items(inp.lines())):
        extra = per_item[index] if index < len(per_item) and isinstance(per_item[index], dict) else {}
        body = "\n\n".join(item.paragraphs)
        if len(body) > MAX_ITEM_CHARS:
            yield Rejected(f"line {item.line}", f"item over {MAX_ITEM_CHARS:,} characters")
            continue
        yield Article(
            source=source,
            title=extra.get("title") or derive_title(body),
            body=body,
            url=extra.get("url"),
            kicker=item.kicker,
            published=parse_date(extra.get("published") or meta.get("published")),
            published_approx=bool(extra.get("published_approx", meta.get("published_approx", False))),
            truncated=item.truncated,
            photo_credit=item.credit,
            labels=list(extra.get("labels") or []),
        )
