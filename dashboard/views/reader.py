"""An article as HTML with its entities and quotes highlighted. All article text is escaped."""

from __future__ import annotations

import html

import pandas as pd

from dashboard import words
from dashboard.charts import TYPE_COLOURS
from dashboard.model import article_text

STYLE = """<style>
.nd-reader p { line-height: 1.6; }
.nd-reader mark { padding: 0 .15em; border-radius: .2em; background: transparent; border-bottom: 2px solid; color: inherit; }
.nd-reader .nd-quote { background: rgba(192, 57, 43, .10); font-style: italic; }
.nd-reader mark.nd-hit { background: rgba(241, 196, 15, .40); border-bottom: none; }
</style>"""


def _events(text: str, mentions: pd.DataFrame, quotes: pd.DataFrame, query: str | None) -> list[tuple[int, int, str]]:
    """(start, end, opening tag) marks, outermost first where they nest: quotes, mentions, search hits."""
    marks: list[tuple[int, int, str]] = []
    for row in quotes.itertuples():
        speaker = html.escape(row.speaker or "unknown speaker", quote=True)
        marks.append((int(row.start_char), int(row.end_char), f'<span class="nd-quote" title="Quote: {speaker}">'))
    for row in mentions.itertuples():
        colour = TYPE_COLOURS.get(row.type, "#566573")
        title = html.escape(f"{row.name} ({row.type})", quote=True)
        marks.append((int(row.start_char), int(row.end_char), f'<mark style="border-color:{colour}" title="{title}">'))
    for start, end in words.spans(text, query) if query else []:
        marks.append((start, end, '<mark class="nd-hit" title="Matches the search">'))
    return sorted((m for m in marks if 0 <= m[0] < m[1] <= len(text)), key=lambda m: (m[0], -m[1]))


def render_html(title: str | None, body: str, mentions: pd.DataFrame, quotes: pd.DataFrame, query: str | None = None) -> str:
    """The article's text as safe HTML: escaped text, with marks at the stored offsets and on the search's words."""
    text = article_text(title, body)
    skip = len(text) - len(body)  # the page shows the title as a heading: start at the body
    marks = [m for m in _events(text, mentions, quotes, query) if m[0] >= skip]
    out: list[str] = []
    stack: list[tuple[int, str]] = []  # open marks: (end, closing tag)
    position = skip
    for start, end, tag in marks:
        while stack and stack[-1][0] <= start:
            close_at, closing = stack.pop()
            out += [html.escape(text[position:close_at]), closing]
            position = close_at
        if start < position or (stack and end > stack[-1][0]):
            continue  # would overlap a mark already placed: skip it rather than break the nesting
        out += [html.escape(text[position:start]), tag]
        stack.append((end, "</span>" if tag.startswith("<span") else "</mark>"))
        position = start
    while stack:
        close_at, closing = stack.pop()
        out += [html.escape(text[position:close_at]), closing]
        position = close_at
    out.append(html.escape(text[position:]))
    paragraphs = "".join(out).split("\n\n")
    return STYLE + '<div class="nd-reader">' + "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs) + "</div>"
