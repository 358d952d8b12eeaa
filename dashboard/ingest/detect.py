"""Which reader an input needs, decided from its content (the name is only a hint)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from dashboard.ingest.errors import IngestError, NotAnArticle
from dashboard.ingest.inputs import SNIFF_BYTES, Input
from dashboard.ingest.options import ReadOptions
from dashboard.ingest.tabular import (
    KNOWN_COLUMNS,
    column_key,
    excel_separator,
    header_columns,
    headerless,
    positional,
    wrapped_records,
)

FORMATS = ("auto", "seed", "text", "rss", "html", "jsonl", "json", "csv", "reuters")
NOT_NEWS_NAMES = re.compile(r"^(readme|license|licence|copying|changelog|source|notice)\b|\.(md|dtd|meta\.json|toml|py|sh)$", re.I)
MIN_PROSE_WORDS = 12
MAX_HEADING_LINES = 2  # a headline and its standfirst, then the blank line before the body


def detect(inp: Input) -> str:
    """The format of an input, or NotAnArticle/IngestError saying why it is none."""
    if NOT_NEWS_NAMES.search(Path(inp.name).name):
        raise NotAnArticle("not an article file (documentation or metadata)")
    enc = inp.encoding()
    head = inp.head().decode(enc, errors="replace").lstrip("\ufeff \t\r\n")
    lower = head[:4096].lower()
    if "<reuters" in lower or "<!doctype lewis" in lower:
        return "reuters"
    if lower.startswith("<"):
        if re.search(r"<(rss|feed|rdf:rdf|urlset|sitemapindex)[\s>]", lower):
            return "rss"
        if re.search(r"<(!doctype html|html)[\s>]", lower):
            return "html"
        raise IngestError("XML that is not an RSS or Atom feed")
    if lower.startswith("{"):
        return "jsonl" if _json_lines(head) else "json"
    if lower.startswith("["):
        return "json"
    lines = head.splitlines()
    if excel_separator(head) is not None or _looks_like_csv(lines[0], inp.options):
        return "csv"
    if headerless(head, inp.options):
        if positional(inp.options):
            return "csv"
        raise IngestError("a CSV file without a header row: name its columns by number, e.g. --map title=2,body=3")
    if len(head.encode("utf-8", errors="replace")) >= SNIFF_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the sniffed head cut the last line short
    return _prose_format(lines)


def _json_lines(head: str) -> bool:
    """JSON Lines, unless the first line is no whole JSON value though it ends within the head (a
    pretty-printed document), or is an object with no article field that wraps a list of objects
    (a news API's response on one line)."""
    first, newline, _ = head.partition("\n")
    try:
        value = json.loads(first)
    except ValueError:
        return not newline
    return wrapped_records(value) is None


def _looks_like_csv(first: str, options: ReadOptions) -> bool:
    """A header line of delimited columns, one of them known (or named by --map)."""
    if len(first) >= 2000:
        return False
    header = header_columns(first, options)
    known = KNOWN_COLUMNS | {column_key(c) for c in options.columns.values()}
    return len(header) >= 2 and any(column_key(h) in known for h in header)


def _prose_format(lines: list[str]) -> str:
    """'text' (a headline, perhaps a standfirst line under it, a blank line, the body),
    'seed' (paragraph per line), or not news at all."""
    stripped = [line.strip() for line in lines]
    blank = stripped.index("") if "" in stripped else len(stripped)
    heading = stripped[:blank]
    body_words = sum(len(line.split()) for line in stripped[blank:])
    if 1 <= len(heading) <= MAX_HEADING_LINES and len(heading[0]) <= 200 and body_words >= MIN_PROSE_WORDS:
        return "text"
    prose = [line for line in stripped if len(line.split()) >= MIN_PROSE_WORDS]
    if not prose:
        raise NotAnArticle("no article text found (no line of prose)")
    if len(prose) * 3 < len([line for line in stripped if line]):
        raise NotAnArticle("mostly short lines: a list or notes, not articles")
    return "seed"
