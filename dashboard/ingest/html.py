"""HTML fragments (feed summaries, exports) to plain text: tags dropped, scripts removed."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_BLOCK = {"p", "br", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "section", "article"}
_DROP = {"script", "style", "noscript", "template", "iframe", "object"}
_MARKUP = re.compile(r"<[a-zA-Z/!?]")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            self.dropping += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            self.dropping = max(0, self.dropping - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.parts.append(data)


def to_text(fragment: str | None) -> str:
    """Plain text of an HTML fragment; text without markup only has its entities decoded."""
    if not fragment:
        return ""
    if not _MARKUP.search(fragment):
        return html.unescape(fragment).strip()
    parser = _TextExtractor()
    parser.feed(fragment)
    parser.close()
    text = "".join(parser.parts)
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n"))
    return "\n\n".join(line for line in lines if line)
