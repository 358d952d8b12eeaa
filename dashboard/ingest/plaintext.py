"""One article per text file: the first line is the headline, the rest the body."""

from __future__ import annotations

from collections.abc import Iterator

from dashboard.ingest.inputs import Input
from dashboard.model import Article, Rejected

MAX_FILE = 5_000_000


def read_plaintext(inp: Input) -> Iterator[Article | Rejected]:
    text = inp.text(MAX_FILE).replace("\r\n", "\n").replace("\r", "\n").strip()
    headline, _, rest = text.partition("\n")
    paragraphs = [p.strip() for p in rest.split("\n") if p.strip()]
    if not paragraphs:
        yield Rejected(inp.relative_name(), "headline without a body")
        return
    relative = inp.relative_name()
    folder = relative.rsplit("/", 1)[0] if "/" in relative else None
    yield Article(
        source=inp.source or (inp.base.name if inp.base else "text"),
        title=headline.strip(),
        body="\n\n".join(paragraphs),
        external_id=relative,
        labels=[folder.rsplit("/", 1)[-1]] if folder else [],
    )
