"""One article per text file: the first line is the headline, the rest the body, the date the one
its path gives, if any."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from dashboard.ingest.dates import parse_date
from dashboard.ingest.inputs import Input
from dashboard.model import Article, Rejected

MAX_FILE = 5_000_000
# An archive's path often carries the day: 2016/09/08/story.txt, wash-post_2016-09-08_story.txt.
PATH_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_/.](0[1-9]|1[0-2])[-_/.](0[1-9]|[12]\d|3[01])(?!\d)")


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
        published=path_date(relative, inp),
    )


def path_date(relative: str, inp: Input) -> datetime | None:
    """The day a file's path names within the ingested folder (never a folder above it, which
    would date every file alike), at midnight in --timezone; None when it names none."""
    found = PATH_DATE.search(relative)
    if found is None:
        return None
    return parse_date("-".join(found.groups()), inp.options.timezone)
