"""The vocabulary shared by every layer: plain dataclasses, no behaviour beyond identity."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Case-folded, NFKC, whitespace-collapsed text: the basis of content hashes and shingles."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def short_hash(*parts: str) -> str:
    """A 16-hex-digit SHA-1 digest of the parts, joined by a unit separator."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


@dataclass
class Article:
    """One news story as read from a source, before it is stored."""

    source: str
    title: str | None = None
    body: str = ""
    external_id: str | None = None
    url: str | None = None
    kicker: str | None = None
    published: datetime | None = None  # naive UTC
    published_approx: bool = False
    truncated: bool = False
    photo_credit: str | None = None
    labels: list[str] = field(default_factory=list)
    author: str | None = None  # the byline, as the source gives it
    lang: str | None = None  # the language the source states (languages.stated); detection decides first

    @cached_property
    def content_hash(self) -> str:
        return short_hash(normalise_text(self.title or ""), normalise_text(self.body))

    @cached_property
    def id(self) -> str:
        """Stable id: source + external id, else the URL, else the normalised content."""
        if self.external_id:
            return short_hash("ext", self.source, self.external_id)
        if self.url:
            return short_hash("url", self.url.strip())
        return short_hash("content", self.content_hash)

    @property
    def text(self) -> str:
        return article_text(self.title, self.body)


def article_text(title: str | None, body: str) -> str:
    """The text that NLP reads and offsets point into: the title, a blank line, the body.

    A title derived from the body's first sentence is not repeated.
    """
    if not title or body.startswith(title.rstrip("…").rstrip()):
        return body
    return f"{title}\n\n{body}"


@dataclass(frozen=True)
class Rejected:
    """A record inside an input that could not be read; the rest of the input goes on."""

    where: str
    reason: str
    malformed: bool = True  # False for records that are merely empty (no title, no text)
