"""JSON Lines and CSV exports: one article per record, unknown fields ignored.

Policy for bad records: a line that is not valid JSON, or a record with neither title nor
text, is skipped and reported with its line number; the rest of the file is kept.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from dashboard.ingest.dates import parse_date
from dashboard.ingest.errors import IngestError
from dashboard.ingest.inputs import Input
from dashboard.model import Article, Rejected

MAX_FIELD = 1_000_000
MAX_JSON_ARRAY = 100_000_000
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "body": ("text", "body", "content", "description", "summary"),
    "url": ("url", "link"),
    "published": ("published", "date", "published_at", "pubdate", "time", "timestamp"),
    "source": ("source", "publisher", "outlet"),
    "id": ("id", "external_id", "guid"),
    "labels": ("labels", "label", "tags", "category", "categories"),
}
TEXT_FIELDS = ALIASES["title"] + ALIASES["body"]


def _pick(record: Mapping[str, Any], field: str) -> Any:
    for key in ALIASES[field]:
        value = record.get(key)
        if value not in (None, ""):
            return value
    return None


def _labels(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if v not in (None, "")]
    if isinstance(value, str) and value.strip():
        return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    return []


def to_article(record: Mapping[str, Any], where: str, source: str | None, default_source: str) -> Article | Rejected:
    """An Article from one record whose keys are matched case-insensitively to the known fields."""
    record = {str(k).strip().lower(): v for k, v in record.items()}
    title, body = _pick(record, "title"), _pick(record, "body")
    if title is None and body is None:
        return Rejected(where, "no title or text")
    for name, value in (("title", title), ("text", body)):
        if isinstance(value, str) and len(value) > MAX_FIELD:
            return Rejected(where, f"{name} over {MAX_FIELD:,} characters")
    ext = _pick(record, "id")
    published = _pick(record, "published")
    return Article(
        source=source or str(_pick(record, "source") or default_source),
        title=str(title).strip() if title is not None else None,
        body=str(body or "").strip(),
        external_id=str(ext) if ext is not None else None,
        url=str(_pick(record, "url") or "") or None,
        published=parse_date(str(published)) if published is not None else None,
        labels=_labels(_pick(record, "labels")),
    )


def _report_missing(inp: Input, keys: Iterable[str]) -> None:
    present = {str(k).strip().lower() for k in keys}
    missing = [f for f, names in ALIASES.items() if f != "labels" and not present.intersection(names)]
    if missing:
        inp.notes.append("no field for: " + ", ".join(missing))


def _from_objects(inp: Input, items: Iterable[tuple[str, Any]]) -> Iterator[Article | Rejected]:
    """Articles from (where, decoded JSON) pairs; a Rejected passes through, a non-object is one."""
    keys: set[str] = set()
    for where, record in items:
        if isinstance(record, Rejected):
            yield record
        elif not isinstance(record, dict):
            yield Rejected(where, "not a JSON object")
        else:
            keys.update(record)
            yield to_article(record, where, inp.source, inp.relative_name())
    _report_missing(inp, keys)


def _json_lines(inp: Input) -> Iterator[tuple[str, Any]]:
    for number, line in enumerate(inp.lines(), 1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            yield where, json.loads(line)
        except ValueError as exc:
            yield where, Rejected(where, f"invalid JSON ({getattr(exc, 'msg', exc)})")
        except RecursionError:
            yield where, Rejected(where, "JSON nested too deeply")


def read_jsonl(inp: Input) -> Iterator[Article | Rejected]:
    return _from_objects(inp, _json_lines(inp))


def read_json_array(inp: Input) -> Iterator[Article | Rejected]:
    """A JSON document holding an array of article objects (not streamed: size-capped)."""
    try:
        records = json.loads(inp.text(MAX_JSON_ARRAY))
    except ValueError as exc:
        raise IngestError(f"invalid JSON: {exc}") from exc
    except RecursionError as exc:
        raise IngestError("JSON nested too deeply") from exc
    if not isinstance(records, list):
        raise IngestError("JSON that is not an array of articles nor JSON Lines")
    return _from_objects(inp, ((f"item {index}", record) for index, record in enumerate(records)))


def read_csv(inp: Input) -> Iterator[Article | Rejected]:
    csv.field_size_limit(16 * MAX_FIELD)
    reader = csv.DictReader(inp.lines(keepends=True))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if not set(header).intersection(TEXT_FIELDS):
        raise IngestError(f"CSV has no title or text column (columns: {', '.join(header) or 'none'})")
    _report_missing(inp, header)
    try:
        for record in reader:
            where = f"line {reader.line_num}"
            if None in record:
                yield Rejected(where, "more values than columns")
                continue
            yield to_article(record, where, inp.source, inp.relative_name())
    except csv.Error as exc:
        raise IngestError(f"malformed CSV at line {reader.line_num}: {exc}") from exc
