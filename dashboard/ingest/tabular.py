"""JSON Lines, JSON arrays, CSV and TSV exports: one article per record, unknown fields ignored.

Column names are matched ignoring case, spaces, dashes and underscores (`Article_ID`,
`pubDate`, `Published At`), against the aliases below or the user's `--map`. A CSV's
delimiter and quoting are sniffed from its head; any line ending is read.

Policy for bad records: a line that is not valid JSON, or a record with neither title nor
text, is skipped and reported with its line number; the rest of the file is kept.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

from dashboard.ingest.boilerplate import Cleaned, clean, title_without_credit
from dashboard.ingest.dates import DateColumn
from dashboard.ingest.errors import IngestError
from dashboard.ingest.html import to_text
from dashboard.ingest.inputs import Input
from dashboard.ingest.options import ReadOptions
from dashboard.languages import stated
from dashboard.model import Article, Rejected, normalise_text, short_hash

MAX_FIELD = 1_000_000
MAX_JSON_ARRAY = 100_000_000
DATE_SAMPLE = 2000  # records looked at to settle a file's day/month order
DELIMITERS = ",;\t|"
ALIASES: dict[str, tuple[str, ...]] = {  # best first: a fuller text before a summary; English, then other languages
    "title": ("title", "headline", "heading", "articletitle", "webtitle",
              "titre", "titel", "uberschrift", "schlagzeile", "titulo", "titular", "titolo", "kop", "zagolovok", "заголовок",
              "название", "标题", "標題", "题目", "見出し", "タイトル", "제목"),
    "body": ("text", "body", "content", "contenttext", "contenthtml", "articlebody", "maintext", "fulltext", "articletext", "bodytext", "story", "article",
             "texte", "contenu", "inhalt", "artikel", "texto", "contenido", "conteudo", "testo", "contenuto", "tekst", "inhoud",
             "текст", "正文", "内容", "內容", "本文", "본문",
             "description", "summary", "abstract", "leadparagraph", "snippet", "excerpt",
             "resume", "zusammenfassung", "resumen", "resumo", "riassunto", "samenvatting", "аннотация", "摘要", "要約"),
    "url": ("url", "link", "permalink", "href", "uri", "weburl", "articleurl", "lien", "enlace", "ссылка", "链接", "鏈接", "リンク"),
    "published": ("published", "date", "pubdate", "publishedat", "publicationdate", "publishdate", "datepublished",
                  "datepublish", "publishedtime", "seendate", "webpublicationdate", "datetime", "time", "timestamp", "created",
                  "createdat", "datum", "fecha", "datapubblicazione", "datapublicacao", "fechapublicacion", "datepublication",
                  "veroffentlicht", "publicatiedatum", "дата", "日期", "时间", "時間", "日付", "날짜"),
    "source": ("source", "publisher", "outlet", "publication", "sourcename", "sourcedomain", "domain", "sitename",
               "medianame", "quelle", "fuente", "fonte", "bron", "medio", "источник", "来源", "來源", "出典", "출처"),
    "id": ("id", "externalid", "guid", "articleid", "uuid", "docid", "storiesid"),
    "labels": ("labels", "label", "tags", "category", "categories", "categorie", "kategorie", "categoria", "rubrik",
               "rubrique", "seccion", "ressort", "рубрика", "分类", "分類", "カテゴリ"),
    "author": ("author", "authors", "byline", "creator", "writer", "auteur", "autor", "autore", "автор", "作者", "著者"),
    "lang": ("language", "lang", "languagecode", "locale", "langue", "sprache", "idioma", "lingua", "taal", "язык", "语言",
             "語言", "言語", "언어"),
}
REPORTED = ("title", "body")  # a missing date gets a warning of its own; ids and URLs are optional
_NOT_ALNUM = re.compile(r"[\W_]+")


def column_key(name: object) -> str:
    """`Article_ID`, `article-id` and `ARTICLE ID` are one column name: `articleid`; so are `Título`
    and `titulo`, `Überschrift` and `uberschrift` (accents dropped, as exports in other languages
    spell a header either way)."""
    unaccented = "".join(c for c in unicodedata.normalize("NFKD", str(name).casefold()) if not unicodedata.combining(c))
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFC", unaccented))


ALIAS_KEYS = {fld: tuple(column_key(name) for name in names) for fld, names in ALIASES.items()}  # as headers are compared
KNOWN_COLUMNS = {key for keys in ALIAS_KEYS.values() for key in keys}


@dataclass
class Columns:
    """Which key of a record holds each field, from the aliases and the user's mapping."""

    keys: dict[str, list[str]] = field(default_factory=dict)  # field -> record keys, best first
    unmapped: list[str] = field(default_factory=list)  # mapped columns the input does not have

    @classmethod
    def resolve(cls, names: Iterable[object], options: ReadOptions) -> Columns:
        by_key: dict[str, str] = {}
        for name in names:
            by_key.setdefault(column_key(name), str(name))
        found = cls()
        for fld, aliases in ALIAS_KEYS.items():
            mapped = options.columns.get(fld)
            if mapped is not None:
                key = by_key.get(column_key(mapped))
                found.keys[fld] = [key] if key is not None else []
                if key is None:
                    found.unmapped.append(mapped)
            else:
                found.keys[fld] = [by_key[a] for a in aliases if a in by_key]
        return found

    def has(self, fld: str) -> bool:
        return bool(self.keys.get(fld))

    def pick(self, record: Mapping[str, Any], fld: str) -> Any:
        return self.pick_with_key(record, fld)[1]

    def pick_with_key(self, record: Mapping[str, Any], fld: str) -> tuple[str | None, Any]:
        """The first key of `fld` the record fills, and its value."""
        for key in self.keys[fld]:
            value = record.get(key)
            if value not in (None, ""):
                return key, value
        return None, None


def _stated_language(value: Any) -> str | None:
    text = _text(value)
    return stated(text) if text else None


def _labels(value: Any) -> list[str]:
    if isinstance(value, list):
        return [text for text in (_text(v) for v in value) if text]
    if isinstance(value, str) and value.strip():
        return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    return []


NESTED_TEXT = ("main", "original", "value", "text", "name", "#text", "content")  # {"main": headline}, {"name": author}


def _text(value: Any) -> str | None:
    """A field's text; an API's nested value gives its text, not its Python spelling.

    `{"main": "Vote count continues", "kicker": ...}` (a headline) gives its main text,
    `[{"name": "A"}, {"name": "B"}]` (authors) "A, B"; an object with none of the usual keys its
    first text value.
    """
    if isinstance(value, dict):
        value = next((text for k in NESTED_TEXT if (text := _text(value.get(k)))),
                     next((v for v in value.values() if isinstance(v, str) and v.strip()), None))
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(t for t in (_text(v) for v in value) if t)
    return str(value).strip() or None


def _without_boilerplate(body: str | None) -> Cleaned:
    """The body less boilerplate paragraphs (read-more links, related blocks, bylines, credits), as feeds get.

    A body with none keeps its own line breaks: exports are stored as they were written.
    """
    if not body:
        return Cleaned("")
    cleaned = clean(body)
    unchanged = "\n\n".join(p.strip() for p in body.replace("\r\n", "\n").split("\n") if p.strip())
    return Cleaned(body) if cleaned.text == unchanged and cleaned.author is None else cleaned


def title_date_id(title: str, date: str) -> str:
    """An id for exports that have none: the same headline on two days is two stories."""
    return "title+date:" + short_hash(normalise_text(title), date)


class Records:
    """Turns one input's records into Articles, and says afterwards what was missing."""

    def __init__(self, inp: Input, outlet: str | None = None) -> None:
        self.inp = inp
        self.outlet = outlet  # the name a feed's document gives itself (JSON Feed's `title`)
        self.dates = DateColumn(inp.options.timezone, inp.options.dayfirst)
        self.names: dict[str, None] = {}  # every key seen, in order
        self.date_keys: dict[str, None] = {}
        self._cache: dict[tuple[str, ...], Columns] = {}

    def columns(self, keys: Iterable[object]) -> Columns:
        names = tuple(str(k) for k in keys if k is not None)  # None holds a CSV row's extra values
        found = self._cache.get(names)
        if found is None:
            found = self._cache[names] = Columns.resolve(names, self.inp.options)
            self.names.update(dict.fromkeys(names))
            self.date_keys.update(dict.fromkeys(found.keys["published"]))
        return found

    def slim(self, record: Any) -> Any:
        """A record with only the keys read from it: what is held while the date order is learned."""
        if not isinstance(record, dict):
            return record
        used = {key for keys in self.columns(record).keys.values() for key in keys}
        return {key: value for key, value in record.items() if key in used or key is None}

    def learn_dates(self, sample: Iterable[Mapping[str, Any]]) -> None:
        texts = []
        for record in sample:
            value = self.columns(record).pick(record, "published")
            if value is not None:
                texts.append(str(value))
        self.dates.learn(texts)

    def article(self, record: Mapping[str, Any], where: str) -> Article | Rejected:
        cols = self.columns(record)
        body_key, body_value = cols.pick_with_key(record, "body")
        title, body = _text(cols.pick(record, "title")), _text(body_value)
        if body is not None and column_key(body_key).endswith("html"):
            body = to_text(body) or None  # JSON Feed's content_html: the text, not its markup
        if title is None and body is None:
            return Rejected(where, "no title or text")
        for name, value in (("title", title), ("text", body)):
            if value is not None and len(value) > MAX_FIELD:
                return Rejected(where, f"{name} over {MAX_FIELD:,} characters")
        cleaned = _without_boilerplate(body)
        ext, url = _text(cols.pick(record, "id")), _text(cols.pick(record, "url"))
        date_text = _text(cols.pick(record, "published"))
        published = self.dates.parse(date_text) if date_text is not None else None
        if ext is None and url is None and title is not None and date_text is not None:
            ext = title_date_id(title, published.isoformat() if published else date_text)
        return Article(
            source=self.inp.source or _text(cols.pick(record, "source")) or self.outlet or self.inp.relative_name(),
            title=title_without_credit(title),  # after the id: an id made from the title stays what it was
            body=cleaned.text,
            external_id=ext,
            url=url,
            published=published,
            labels=_labels(cols.pick(record, "labels")),
            author=_text(cols.pick(record, "author")) or cleaned.author,
            lang=_stated_language(cols.pick(record, "lang")),
        )

    def report(self) -> None:
        """Notes on the input: fields it lacks, columns it was told of but lacks, dates unread."""
        if not self.names:
            return
        found = Columns.resolve(self.names, self.inp.options)
        for column in found.unmapped:
            self.inp.note(f"--map names column {column!r}, which this input does not have (columns: {self._listed()})")
        missing = [f for f in REPORTED if not found.has(f)]
        if missing:
            self.inp.note("no field for: " + ", ".join(missing))
        if not found.has("published"):
            self.inp.note(f"no date column (columns: {self._listed()}): articles stored undated; "
                          "name the date column with --map published=COLUMN")
        for note in self.dates.notes(" / ".join(self.date_keys) or "published"):
            self.inp.note(note)

    def _listed(self, limit: int = 12) -> str:
        names = list(self.names)
        return ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _from_objects(inp: Input, items: Iterable[tuple[str, Any]], outlet: str | None = None) -> Iterator[Article | Rejected]:
    """Articles from (where, decoded JSON) pairs; a Rejected passes through, a non-object is one."""
    records = Records(inp, outlet)
    items = ((where, _unwrapped(record)) for where, record in items)
    head = [(where, records.slim(record)) for where, record in islice(items, DATE_SAMPLE)]
    records.learn_dates(r for _, r in head if isinstance(r, dict))
    for where, record in chain(head, items):
        if isinstance(record, Rejected):
            yield record
        elif not isinstance(record, dict):
            yield Rejected(where, "not a JSON object")
        else:
            yield records.article(record, where)
    records.report()


def _json_lines(inp: Input) -> Iterator[tuple[str, Any]]:
    for number, line in enumerate(inp.lines(), 1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            value = json.loads(line)
            records = wrapped_records(value)
            if records is None:
                yield where, value
            else:  # a news API's response saved on one line, however long
                yield from ((f"{where}, item {index}", record) for index, record in enumerate(records))
        except ValueError as exc:
            yield where, Rejected(where, f"invalid JSON ({getattr(exc, 'msg', exc)})")
        except RecursionError:
            yield where, Rejected(where, "JSON nested too deeply")


def read_jsonl(inp: Input) -> Iterator[Article | Rejected]:
    return _from_objects(inp, _json_lines(inp))


def read_json_array(inp: Input) -> Iterator[Article | Rejected]:
    """A JSON document holding article objects: an array, an API's response that wraps one, or a
    single article (not streamed: size-capped)."""
    try:
        document = json.loads(inp.text(MAX_JSON_ARRAY))
    except ValueError as exc:
        raise IngestError(f"invalid JSON: {exc}") from exc
    except RecursionError as exc:
        raise IngestError("JSON nested too deeply") from exc
    records = [document] if _is_record(document) else article_list(document)
    if records is None:
        keys = ", ".join(list(document)[:12]) if isinstance(document, dict) else type(document).__name__
        raise IngestError(f"JSON with no list of articles in it (top level: {keys})")
    outlet = _text(document.get("title")) if isinstance(document, dict) and _a_feed(document) else None
    return _from_objects(inp, ((f"item {index}", record) for index, record in enumerate(records)), outlet)


def article_list(document: Any, depth: int = 3) -> list[Any] | None:
    """The list of article records a JSON document holds: the document itself when it is a list,
    else the longest list of objects under its keys, looked for three levels deep (a news API's
    response wraps its records: NewsAPI's `articles`, the Guardian's `response.results`, the New
    York Times' `response.docs`, Elasticsearch's `hits.hits`)."""
    if isinstance(document, list):
        return document
    if not isinstance(document, dict) or depth == 0:
        return None
    found = [value for value in document.values() if isinstance(value, list) and value
             and all(isinstance(item, dict) for item in value)]
    if found:
        return max(found, key=len)
    nested = (article_list(value, depth - 1) for value in document.values() if isinstance(value, dict))
    return max((records for records in nested if records), key=len, default=None)


def _is_record(value: Any) -> bool:
    """An object with an article field of its own: one article (a scraper writes one pretty-printed
    JSON file per article), never a wrapper of its `tags` or `authors` objects; but a feed's object,
    with a title and no text of its own over a list of articles (JSON Feed's `items`), wraps them."""
    return isinstance(value, dict) and any(column_key(key) in KNOWN_COLUMNS for key in value) and not _a_feed(value)


def _a_feed(value: dict) -> bool:
    if any(column_key(key) in ALIAS_KEYS["body"] for key in value):
        return False
    return any(isinstance(items, list) and items and all(isinstance(item, dict) for item in items)
               and any(column_key(key) in ALIAS_KEYS["title"] or column_key(key) in ALIAS_KEYS["body"] for key in items[0])
               for items in value.values())


def wrapped_records(value: Any) -> list[Any] | None:
    """The records of an object that has no article field of its own but wraps a list of objects
    (a news API's response), else None."""
    if not isinstance(value, dict) or _is_record(value):
        return None
    return article_list(value) or None


def _unwrapped(record: Any) -> Any:
    """A record with the fields an API nests lifted to its top level: a search engine's hit holds
    its document under `_source` beside its `_id`, the Guardian's texts sit under `fields`. Only
    objects under keys that are no field of their own are lifted (a `source` object's `id` is the
    outlet's, not the article's), and never over a key the record has."""
    if not isinstance(record, dict):
        return record
    if isinstance(record.get("_source"), dict):
        record = {"_id": record.get("_id"), **record["_source"]}
    lifted = dict(record)
    for key, value in record.items():
        if isinstance(value, dict) and column_key(key) not in KNOWN_COLUMNS:
            for inner, item in value.items():
                if column_key(inner) in KNOWN_COLUMNS:
                    lifted.setdefault(inner, item)
    return lifted


_EXCEL_HINT = re.compile(r"^sep=(.)$", re.IGNORECASE)


def excel_separator(head: str) -> str | None:
    """The delimiter a first line `sep=;` names (Excel writes it, and reads it, where lists use `;`), or None."""
    match = _EXCEL_HINT.match(head.lstrip("\ufeff").partition("\n")[0].rstrip("\r"))
    return match.group(1) if match else None


def sniff_dialect(head: str, options: ReadOptions | None = None) -> type[csv.Dialect] | csv.Dialect:
    """The CSV dialect of a file from its head: the delimiter that splits the header into the
    most known column names (then into the most columns), with the sniffer's quoting."""
    lines = head.splitlines()
    first = lines[0] if lines else ""
    known = KNOWN_COLUMNS | {column_key(c) for c in (options.columns.values() if options else ())}

    def score(delimiter: str) -> tuple[int, int]:
        try:
            header = next(csv.reader([first], delimiter=delimiter))
        except (csv.Error, StopIteration):
            return (0, 0)
        return (sum(column_key(h) in known for h in header), len(header))

    delimiter = max(DELIMITERS, key=score)
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines[:50]), delimiters=delimiter)
    except csv.Error:
        sniffed = None
    if sniffed is not None and sniffed.delimiter == delimiter:
        return sniffed
    dialect = csv.excel_tab if delimiter == "\t" else csv.excel
    return type("Sniffed", (dialect,), {"delimiter": delimiter})


def header_columns(first_line: str, options: ReadOptions | None = None) -> list[str]:
    """The column names of a CSV/TSV header line, split with the sniffed delimiter."""
    try:
        return next(csv.reader([first_line], sniff_dialect(first_line, options)))
    except (csv.Error, StopIteration):
        return []


def positional(options: ReadOptions) -> bool:
    """Columns named by number (`--map title=2,body=3`): the file has no header row."""
    return bool(options.columns) and all(c.isdigit() for c in options.columns.values())


def headerless(head: str, options: ReadOptions | None = None) -> bool:
    """Rows of quoted values, all of one width, and no header: AG News's `"3","Title","Text"`."""
    lines = [line for line in head.splitlines()[:20] if line.strip()][:-1] or head.splitlines()[:1]
    if not lines or not all(line.startswith('"') for line in lines):
        return False
    try:
        widths = {len(row) for row in csv.reader(lines, sniff_dialect(head, options))}
    except csv.Error:
        return False
    return len(widths) == 1 and widths.pop() >= 2


def read_csv(inp: Input) -> Iterator[Article | Rejected]:
    csv.field_size_limit(16 * MAX_FIELD)
    head = inp.head().decode(inp.encoding(), errors="replace").lstrip("\ufeff")
    lines, hinted = inp.lines(keepends=True), excel_separator(head)
    if hinted is not None:  # the hint line is no row: skipped, and the rows' line numbers counted past it
        next(lines, None)
        dialect: type[csv.Dialect] | csv.Dialect = type("Hinted", (csv.excel,), {"delimiter": hinted})
    else:
        dialect = sniff_dialect(head, inp.options)
    if positional(inp.options):
        width = max(int(c) for c in inp.options.columns.values())
        reader = csv.DictReader(lines, [str(n) for n in range(1, width + 1)], dialect=dialect)
    else:
        reader = csv.DictReader(lines, dialect=dialect)
    skipped = int(hinted is not None)
    try:
        header = [str(h).strip() for h in reader.fieldnames or []]
    except csv.Error as exc:
        raise IngestError(f"malformed CSV header: {exc}") from exc
    reader.fieldnames = header
    records = Records(inp)
    cols = records.columns(header)
    if not cols.has("title") and not cols.has("body"):
        raise IngestError(f"CSV has no title or text column (columns: {', '.join(header) or 'none'}); "
                          "name one with --map title=COLUMN or --map body=COLUMN")
    try:
        rows = ((f"line {reader.line_num + skipped}", record) for record in reader)
        head_rows = [(where, records.slim(r)) for where, r in islice(rows, DATE_SAMPLE)]
        records.learn_dates(r for _, r in head_rows)
        for where, record in chain(head_rows, rows):
            if None in record and not positional(inp.options):
                yield Rejected(where, "more values than columns")
                continue
            yield records.article(record, where)
    except csv.Error as exc:
        raise IngestError(f"malformed CSV at line {reader.line_num + skipped}: {exc}") from exc
    records.report()
