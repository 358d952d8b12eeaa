"""Headlines derived from body text, for sources that have none."""

from __future__ import annotations

import re

MAX_TITLE = 150
_ABBREV = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Lt|Col|Sgt|Rep|Sen|Gov|Jr|Sr|Inc|Corp|Co|Ltd|No|vs|etc)|\b[A-Z])\.$")
# A teaser's standfirst runs into its lede with no full stop: "... more prosperous The US would ..."
_RUN_ON = re.compile(r"(?<=[a-z]) (?=(?:The|A|An|In|On|At|As|While|After|When|But|This|It)\s[A-Za-z])")
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


def sentences(text: str) -> list[str]:
    """Split prose into sentences without breaking on common abbreviations or initials."""
    out: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        piece = text[start : match.start()]
        if _ABBREV.search(piece.rstrip("\"”’)]")):
            continue
        out.append(text[start : match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def derive_title(body: str, limit: int = MAX_TITLE) -> str:
    """The first sentence, trimmed: cut at a clause boundary or word boundary when too long."""
    first = sentences(body.strip().split("\n", 1)[0])[:1]
    title = first[0] if first else ""
    run_on = _RUN_ON.search(title)
    if run_on and run_on.start() >= 20:
        title = title[: run_on.start()]
    title = title.rstrip(".").strip() if title.endswith(".") and not title.endswith("..") else title
    if len(title) <= limit:
        return title
    clause = max(title.rfind(", ", 0, limit), title.rfind(" — ", 0, limit), title.rfind("; ", 0, limit))
    if clause >= limit // 3:
        return title[:clause].rstrip()
    cut = title.rfind(" ", 0, limit - 1)
    return title[: cut if cut > 0 else limit - 1].rstrip(" ,;:") + "…"
