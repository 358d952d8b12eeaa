"""Inputs as they come: legacy-encoded feeds, CSV/TSV of any dialect, column names, date forms,
--map / --timezone / --dayfirst, title+date ids, article pages, and a folder with a bad file."""

from __future__ import annotations

import json
import socket
from datetime import datetime
from pathlib import Path

import pytest

from dashboard.ingest import sources
from dashboard.ingest.dates import parse_date
from tests.conftest import FIXTURES, Route, cli, rows, table_counts


def ingest(db: Path, *args: str | Path) -> int:
    return cli("ingest", *args, "--db", db, "--no-enrich", "--quiet")


# --- feeds in legacy encodings ---------------------------------------------------------------

def test_gb2312_feed_is_read_in_its_declared_encoding(db, capsys):
    assert ingest(db, FIXTURES / "feed_gb2312.xml") == 0
    stored = rows(db, "SELECT source, title, body, published FROM articles ORDER BY published")
    assert [r[1] for r in stored] == ["市议会批准修建新海堤", "渡轮罢工三天后结束"]
    assert stored[0][0] == "港湾日报"
    assert stored[0][3] == datetime(2025, 3, 11, 1, 30)  # +08:00 to UTC
    assert "朱镕基" in stored[0][2]  # 镕 is GBK, not GB2312: read with the superset the feed means
    assert "\ufffd" not in stored[0][2]
    assert "warning" not in capsys.readouterr().err


def test_big5_feed_is_read_and_its_byline_and_credit_kept_apart(db):
    assert ingest(db, FIXTURES / "feed_big5.xml") == 0
    ((title, body, author, credit),) = rows(db, "SELECT title, body, author, photo_credit FROM articles")
    assert title == "市議會批准興建新海堤"
    assert body == "市議會週二投票決定沿港口興建一道新海堤，此前冬季風暴兩次淹沒舊城區。"
    assert (author, credit) == ("林大偉", "中央社")


def _undeclared_gb_feed() -> bytes:
    """The GB2312 feed with no encoding in its prolog: only an HTTP header can tell."""
    return (FIXTURES / "feed_gb2312.xml").read_bytes().replace(b' encoding="GB2312"', b"")


def test_feed_encoding_from_the_http_header(db, http_server):
    base, routes, _ = http_server
    routes["/gb.rss"] = Route(_undeclared_gb_feed(), 200, {"Content-Type": "application/rss+xml; charset=gb2312"})
    assert ingest(db, f"{base}/gb.rss") == 0
    assert {t for (t,) in rows(db, "SELECT title FROM articles")} == {"市议会批准修建新海堤", "渡轮罢工三天后结束"}


def test_poll_reads_the_http_charset_too(db, tmp_path, http_server):
    base, routes, _ = http_server
    routes["/gb.rss"] = Route(_undeclared_gb_feed(), 200, {"Content-Type": "text/xml; charset=GB2312"})
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nurl = "{base}/gb.rss"\n')
    assert cli("poll", "--feeds", feeds, "--db", db, "--no-enrich") == 0
    assert ("市议会批准修建新海堤",) in rows(db, "SELECT title FROM articles")


def test_undeclared_legacy_feed_is_guessed_and_the_guess_said(db, tmp_path, capsys):
    feed = tmp_path / "guess.xml"
    feed.write_bytes(_undeclared_gb_feed())
    assert ingest(db, feed) == 0
    assert ("市议会批准修建新海堤",) in rows(db, "SELECT title FROM articles")
    assert "declares no encoding: read as gb18030" in capsys.readouterr().err


def test_feed_declaring_an_unknown_encoding_is_read_as_utf8_and_said(db, tmp_path, capsys):
    feed = tmp_path / "odd.xml"
    feed.write_bytes((FIXTURES / "feed.rss").read_bytes().replace(b'encoding="UTF-8"', b'encoding="x-no-such"'))
    assert ingest(db, feed) == 0
    assert table_counts(db)["articles"] == 2
    assert "declares unknown encoding 'x-no-such': read as UTF-8" in capsys.readouterr().err


# --- CSV and TSV dialects, column names -----------------------------------------------------

def test_cr_only_csv_with_mapped_columns(db, capsys):
    assert ingest(db, FIXTURES / "export_cr_only.csv", "--map", "published=Date,body=Subject") == 0
    stored = rows(db, "SELECT external_id, title, body, published FROM articles ORDER BY external_id")
    assert [r[0] for r in stored] == ["A1", "A2", "A3"]  # Article_ID is an id column
    assert stored[0][2] == "The council voted to build a new sea wall after the storms; work starts in spring."
    assert [r[3] for r in stored] == [datetime(1996, 1, 1), datetime(1996, 1, 2), datetime(1996, 1, 3)]
    assert "warning" not in capsys.readouterr().err


def test_cr_only_csv_without_map_says_which_field_it_lacks(db, capsys):
    assert ingest(db, FIXTURES / "export_cr_only.csv") == 0
    assert rows(db, "SELECT count(*), count(published) FROM articles") == [(3, 3)]  # Date is understood as is
    assert "no field for: body" in capsys.readouterr().err


def test_map_from_a_file(db):
    assert ingest(db, FIXTURES / "export_cr_only.csv", "--map", FIXTURES / "export_mapping.toml") == 0
    assert rows(db, "SELECT count(*) FROM articles WHERE body LIKE 'The council voted%'") == [(1,)]


def test_map_naming_a_column_the_file_lacks_is_said(db, capsys):
    assert ingest(db, FIXTURES / "export_cr_only.csv", "--map", "body=Summary") == 0
    assert "--map names column 'Summary', which this input does not have (columns: Date, Article_ID, Title, Subject)" \
        in capsys.readouterr().err


@pytest.mark.parametrize("value", ["published", "colour=Date", "published="])
def test_bad_map_is_a_usage_error(db, capsys, value):
    assert ingest(db, FIXTURES / "export_cr_only.csv", "--map", value) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: --map")
    assert not db.exists() or table_counts(db).get("articles", 0) == 0


def test_semicolon_csv_with_quoting(db):
    assert ingest(db, FIXTURES / "export_semicolon.csv") == 0
    stored = rows(db, "SELECT title, body, url, published FROM articles ORDER BY published")
    assert stored[0] == ("Harbour wall approved", "The council voted to build a new sea wall; work starts in spring, the mayor said.",
                         "https://gazette.example/1", datetime(2025, 3, 11, 8, 30))
    assert stored[1][1] == 'Crews returned to work after a pay deal "for two years" was agreed.'


def test_tsv_with_capitalised_and_spaced_column_names(db):
    assert ingest(db, FIXTURES / "export_tabs.tsv") == 0
    stored = rows(db, "SELECT external_id, url, title, body, published FROM articles ORDER BY external_id")
    assert stored[0] == ("5b3c1e2a-0001", "https://gazette.example/t1", "Harbour wall approved",
                         "The council voted to build a new sea wall after the storms.", datetime(2025, 3, 11, 9, 30))  # epoch
    assert stored[1][4] == datetime(2025, 3, 12, 18)


@pytest.mark.parametrize(("date_key", "title_key", "body_key", "id_key", "url_key"), [
    ("date", "title", "description", "guid", "link"),
    ("pubDate", "headline", "summary", "article_id", "permalink"),
    ("published_at", "Headline", "content", "uuid", "Link"),
    ("datetime", "TITLE", "text", "Article ID", "url"),
    ("timestamp", "title", "story", "GUID", "permalink"),
])
def test_common_column_names(db, tmp_path, date_key, title_key, body_key, id_key, url_key):
    export = tmp_path / "export.jsonl"
    record = {date_key: "2025-03-11T08:30:00Z", title_key: "Harbour wall approved", id_key: "x-1",
              body_key: "The council voted to build a new sea wall after the storms.", url_key: "https://x.example/1"}
    export.write_text(json.dumps(record) + "\n")
    assert ingest(db, export) == 0
    assert rows(db, "SELECT external_id, url, title, body, published FROM articles") == [
        ("x-1", "https://x.example/1", "Harbour wall approved", "The council voted to build a new sea wall after the storms.",
         datetime(2025, 3, 11, 8, 30))]


@pytest.mark.parametrize(("header", "delimiter"), [
    (("Datum", "Überschrift", "Text", "Quelle", "Autor"), ";"),  # a German export, as a spreadsheet in Germany saves it
    (("Fecha", "Título", "Texto", "Fuente", "Autor"), ","),
    (("date", "titre", "texte", "source", "auteur"), ";"),
    (("Дата", "Заголовок", "Текст", "Источник", "Автор"), ","),
    (("日期", "标题", "正文", "来源", "作者"), ","),
    (("Fecha", "Titulo", "Texto", "Fuente", "Autor"), "\t"),  # the accent left out, as some exports write it
])
def test_column_names_in_other_languages(db, tmp_path, header, delimiter):
    export = tmp_path / "export.csv"
    lines = [header, ("2025-03-11 08:30", "Harbour wall approved", "The council voted to build a new sea wall.", "Gazette", "Ana Ruiz")]
    export.write_text("\r\n".join(delimiter.join(line) for line in lines) + "\r\n", encoding="utf-8-sig")
    assert ingest(db, export) == 0
    assert rows(db, "SELECT title, body, published, source, author FROM articles") == [
        ("Harbour wall approved", "The council voted to build a new sea wall.", datetime(2025, 3, 11, 8, 30), "Gazette", "Ana Ruiz")]


def test_excels_separator_line_names_the_delimiter_and_is_no_row(db, tmp_path, capsys):
    """`sep=;` first: Excel writes it where lists use `;`, and reads the file by it; the rows keep the file's line numbers."""
    export = tmp_path / "export.csv"
    export.write_text('sep=;\r\nTitel;Datum;Text;Quelle\r\n"Deich genehmigt";26.11.2026 10:05;"Der Rat stimmte für einen neuen Deich.";Anzeiger\r\n'
                      '"Eine Spalte zu viel";26.11.2026;"Text";Anzeiger;mehr\r\n', encoding="utf-8-sig")
    assert ingest(db, export) == 1  # one row refused
    assert rows(db, "SELECT title, body, published, source FROM articles") == [
        ("Deich genehmigt", "Der Rat stimmte für einen neuen Deich.", datetime(2026, 11, 26, 10, 5), "Anzeiger")]
    assert "line 4: more values than columns" in capsys.readouterr().err


def test_a_feed_with_html_named_entities_is_read_as_readers_read_it(db, tmp_path):
    """&nbsp; and &eacute; are HTML's, undefined in XML without a DTD: browsers and feed readers read them."""
    feed = tmp_path / "feed.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Le Fil</title><item>'
                    "<title>R&eacute;forme des retraites&nbsp;: le gouvernement tient bon</title><link>https://x.example/1</link>"
                    "<pubDate>Thu, 26 Nov 2026 10:00:00 +0100</pubDate><description>Le gouvernement a d&eacute;fendu sa "
                    "r&eacute;forme &amp; son calendrier.</description></item></channel></rss>", encoding="utf-8")
    assert ingest(db, feed) == 0
    assert rows(db, "SELECT source, title, body FROM articles") == [
        ("Le Fil", "Réforme des retraites\u00a0: le gouvernement tient bon", "Le gouvernement a défendu sa réforme & son calendrier.")]


def test_a_json_feed_gives_its_items(db, tmp_path):
    """JSON Feed (jsonfeed.org): a title of its own over `items`, each with `content_html` or `content_text`."""
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "Harbour Gazette", "home_page_url": "https://x.example/",
        "items": [
            {"id": "2", "url": "https://x.example/2", "title": "Council approves budget",
             "content_html": "<p>The council approved the <b>budget</b> on Monday.</p><p>Work starts in May.</p>",
             "date_published": "2026-11-20T10:00:00-05:00", "authors": [{"name": "Jo Lee"}], "tags": ["council"]},
            {"id": "1", "url": "https://x.example/1", "title": "Storm warning", "content_text": "A storm is expected tonight.",
             "date_published": "2026-11-19T08:00:00Z"},
        ]}, indent=2))
    assert ingest(db, feed) == 0
    assert rows(db, "SELECT source, external_id, title, body, published, author, labels FROM articles ORDER BY external_id") == [
        ("Harbour Gazette", "1", "Storm warning", "A storm is expected tonight.", datetime(2026, 11, 19, 8, 0), None, []),
        ("Harbour Gazette", "2", "Council approves budget", "The council approved the budget on Monday.\n\nWork starts in May.",
         datetime(2026, 11, 20, 15, 0), "Jo Lee", ["council"])]


def test_an_api_export_with_nested_fields(db, tmp_path):
    """A news API's record (a headline object, an abstract, a byline object, keywords as objects) gives
    its texts, not their Python spelling."""
    export = tmp_path / "api.jsonl"
    record = {"_id": "nyt://a/1", "web_url": "https://x.example/1", "pub_date": "2024-11-06T03:00:00+0000",
              "headline": {"main": "Vote count continues", "kicker": "Election", "print_headline": None},
              "abstract": "Officials kept counting ballots in Arizona on Wednesday.", "snippet": "",
              "byline": {"original": "By Ana Ruiz", "person": [{"firstname": "Ana"}]},
              "keywords": [{"name": "subject", "value": "Elections"}], "tags": [{"name": "Arizona"}, "Ballots"]}
    export.write_text(json.dumps(record) + "\n")
    assert ingest(db, export) == 0
    assert rows(db, "SELECT external_id, url, title, body, author, published, labels FROM articles") == [
        ("nyt://a/1", "https://x.example/1", "Vote count continues", "Officials kept counting ballots in Arizona on Wednesday.",
         "By Ana Ruiz", datetime(2024, 11, 6, 3, 0), ["Arizona", "Ballots"])]


def test_a_scraper_export_prefers_the_full_text_to_its_summary(db, tmp_path):
    """A scraper's record holds both its summary (`description`) and the full text (`maintext`): the text is kept."""
    export = tmp_path / "scraped.json"
    export.write_text(json.dumps([{
        "title": "Harbour wall approved", "date_publish": "2025-03-11 08:30:00", "source_domain": "x.example",
        "description": "A sea wall is coming.", "maintext": "The council voted to build a new sea wall after the storms.",
        "authors": ["Ana Ruiz", "Li Wei"]}]))
    assert ingest(db, export) == 0
    assert rows(db, "SELECT source, body, author, published FROM articles") == [
        ("x.example", "The council voted to build a new sea wall after the storms.", "Ana Ruiz, Li Wei",
         datetime(2025, 3, 11, 8, 30))]


NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://x.example/2025/03/11/harbour-wall</loc>
    <news:news>
      <news:publication><news:name>Harbour News</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2025-03-11T08:30:00+01:00</news:publication_date>
      <news:title>Harbour wall approved after winter storms</news:title>
      <news:keywords>Harbour, Council</news:keywords>
    </news:news></url>
  <url><loc>https://x.example/about</loc><lastmod>2025-01-01</lastmod></url>
</urlset>"""


def test_a_news_sitemap_gives_its_headlines(db, tmp_path, capsys):
    """A site without a feed lists its news in a sitemap: each address with the news extension is a
    headline with its date, outlet and keywords; an address without it (the about page) is no article."""
    sitemap = tmp_path / "news-sitemap.xml"
    sitemap.write_text(NEWS_SITEMAP)
    assert ingest(db, sitemap) == 0
    assert rows(db, "SELECT source, url, title, body, published, labels FROM articles") == [
        ("Harbour News", "https://x.example/2025/03/11/harbour-wall", "Harbour wall approved after winter storms", "",
         datetime(2025, 3, 11, 7, 30), ["Harbour", "Council"])]
    assert "read 2 · new 1 · duplicates 0 · already stored 0 · rejected 1" in capsys.readouterr().out


def test_a_sitemap_index_names_the_sitemaps_to_ingest(db, tmp_path, capsys):
    index = tmp_path / "sitemap.xml"
    index.write_text('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                     "<sitemap><loc>https://x.example/news-sitemap.xml</loc></sitemap></sitemapindex>")
    assert ingest(db, index) == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        f"error: {index}: a sitemap index: ingest the sitemaps it lists (https://x.example/news-sitemap.xml) "
        "(nothing from this input was stored)"]


NEWSAPI_RESPONSE = {"status": "ok", "totalResults": 2, "articles": [
    {"source": {"id": "harbour-news", "name": "Harbour News"}, "author": "Ana Ruiz", "title": "Harbour wall approved",
     "description": "A sea wall is coming.", "url": "https://x.example/1", "urlToImage": None,
     "publishedAt": "2025-03-11T08:30:00Z",
     "content": "The council voted to build a new sea wall after the storms that flooded the old\u2026 [+2114 chars]"},
    {"source": {"id": "harbour-news", "name": "Harbour News"}, "author": None, "title": "Ferry strike ends",
     "description": "Ferries sail again.", "url": "https://x.example/2", "urlToImage": None,
     "publishedAt": "2025-03-12T07:00:00Z", "content": "Ferries sailed again on Wednesday after a three-day strike."}]}


@pytest.mark.parametrize("indent", [None, 2], ids=["one line", "pretty-printed"])
def test_a_news_api_response_gives_the_articles_it_wraps(db, tmp_path, indent):
    """NewsAPI's answer saved as it comes: an object whose `articles` list holds the records; each
    record's `source` object names the outlet (its `id` is the outlet's, not the article's), and the
    API's `[+2114 chars]` cut mark is not the story's text."""
    export = tmp_path / "everything.json"
    export.write_text(json.dumps(NEWSAPI_RESPONSE, indent=indent))
    assert ingest(db, export) == 0
    assert rows(db, "SELECT external_id, source, title, body, published FROM articles ORDER BY published") == [
        (None, "Harbour News", "Harbour wall approved",
         "The council voted to build a new sea wall after the storms that flooded the old\u2026", datetime(2025, 3, 11, 8, 30)),
        (None, "Harbour News", "Ferry strike ends", "Ferries sailed again on Wednesday after a three-day strike.",
         datetime(2025, 3, 12, 7, 0))]


def test_a_news_api_response_on_one_line_longer_than_the_sniffed_head(db, tmp_path):
    """A response of 200 articles on one line (220 KB, more than the head the format is told from):
    read as JSON Lines, its one line still gives the records it wraps."""
    records = [{**NEWSAPI_RESPONSE["articles"][1], "title": f"Ferry strike ends, day {day}", "url": f"https://x.example/{day}",
                "content": "Ferries sailed again after a strike. " * 20} for day in range(200)]
    export = tmp_path / "everything.json"
    export.write_text(json.dumps({"status": "ok", "totalResults": 200, "articles": records}))
    assert export.stat().st_size > 64 * 1024
    assert ingest(db, export) == 0
    assert rows(db, "SELECT count(*), count(DISTINCT title), min(source), max(source) FROM articles") == [
        (200, 200, "Harbour News", "Harbour News")]


def test_api_responses_that_nest_their_records_deeper(db, tmp_path):
    """The Guardian's `response.results` with texts under `fields`, and a search engine's `hits.hits`
    with each document under `_source`: the records and their nested fields are found."""
    guardian = {"response": {"status": "ok", "total": 1, "results": [
        {"id": "world/2025/mar/11/harbour", "webPublicationDate": "2025-03-11T08:30:00Z",
         "webTitle": "Harbour wall approved", "webUrl": "https://x.example/1",
         "fields": {"bodyText": "The council voted to build a new sea wall.", "byline": "Ana Ruiz"}}]}}
    hits = {"took": 3, "hits": {"total": {"value": 1}, "hits": [
        {"_index": "news", "_id": "doc-7", "_source": {"headline": "Ferry strike ends", "date": "2025-03-12",
                                                        "text": "Ferries sailed again on Wednesday."}}]}}
    (tmp_path / "guardian.json").write_text(json.dumps(guardian))
    (tmp_path / "hits.json").write_text(json.dumps(hits, indent=1))
    assert ingest(db, tmp_path / "guardian.json") == 0
    assert ingest(db, tmp_path / "hits.json") == 0
    assert rows(db, "SELECT external_id, url, title, body, author, published FROM articles ORDER BY published") == [
        ("world/2025/mar/11/harbour", "https://x.example/1", "Harbour wall approved",
         "The council voted to build a new sea wall.", "Ana Ruiz", datetime(2025, 3, 11, 8, 30)),
        ("doc-7", None, "Ferry strike ends", "Ferries sailed again on Wednesday.", None, datetime(2025, 3, 12))]


def test_a_json_file_of_one_article_is_that_article(db, tmp_path):
    """A scraper writes each article to its own pretty-printed JSON file: the file is one article,
    though it holds a list of objects (its tags), and not a wrapper of them."""
    export = tmp_path / "harbour.json"
    export.write_text(json.dumps({"title": "Harbour wall approved", "date_publish": "2025-03-11 08:30:00",
                                  "maintext": "The council voted to build a new sea wall after the storms.",
                                  "tags": [{"name": "Harbour"}, {"name": "Council"}]}, indent=2))
    assert ingest(db, export) == 0
    assert rows(db, "SELECT title, body, labels, published FROM articles") == [
        ("Harbour wall approved", "The council voted to build a new sea wall after the storms.", ["Harbour", "Council"],
         datetime(2025, 3, 11, 8, 30))]


def test_a_json_document_without_a_list_of_articles_is_one_line(db, tmp_path, capsys):
    export = tmp_path / "status.json"
    export.write_text(json.dumps({"status": "error", "code": "apiKeyMissing", "message": "Your API key is missing."},
                                 indent=2))
    assert ingest(db, export) == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        f"error: {export}: JSON with no list of articles in it (top level: status, code, message) "
        "(nothing from this input was stored)"]


def test_a_media_cloud_export(db, tmp_path):
    """Media Cloud's story list: `stories_id`, `publish_date`, `media_name`."""
    export = tmp_path / "mc.csv"
    export.write_text("stories_id,publish_date,title,url,language,media_name,media_url\n"
                      "2391,2025-03-11 08:30:00,Harbour wall approved,https://x.example/1,en,Harbour News,x.example\n")
    assert ingest(db, export) == 0
    assert rows(db, "SELECT external_id, source, title, published FROM articles") == [
        ("2391", "Harbour News", "Harbour wall approved", datetime(2025, 3, 11, 8, 30))]


@pytest.mark.parametrize("compress", ["gzip", "bz2", "lzma"])
def test_compressed_exports_are_read_as_what_they_hold(db, tmp_path, compress):
    """A `.csv.gz`, `.jsonl.bz2` or `.xz` export is decompressed on the fly, known by its first bytes."""
    import bz2
    import gzip
    import lzma
    module = {"gzip": gzip, "bz2": bz2, "lzma": lzma}[compress]
    export = tmp_path / "export.csv.compressed"
    export.write_bytes(module.compress(b"Headline;Date;Story\r\nHarbour wall approved;2025-03-11;"
                                       b"The council voted to build a new sea wall after the storms.\r\n"))
    assert ingest(db, export) == 0
    assert rows(db, "SELECT title, body, published FROM articles") == [
        ("Harbour wall approved", "The council voted to build a new sea wall after the storms.", datetime(2025, 3, 11))]


# --- dates -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "dayfirst", "expected"), [
    ("Tue, 11 Mar 2025 09:30:00 +0100", None, datetime(2025, 3, 11, 8, 30)),
    ("2025-03-11T09:30:00+01:00", None, datetime(2025, 3, 11, 8, 30)),
    ("2025-03-11T08:30:00", None, datetime(2025, 3, 11, 8, 30)),
    ("2025-03-11T08:30:00.123456789Z", None, datetime(2025, 3, 11, 8, 30, 0, 123456)),
    ("1-Jan-96", None, datetime(1996, 1, 1)),
    ("31-Dec-03", None, datetime(2003, 12, 31)),
    ("01/02/2003", None, datetime(2003, 1, 2)),
    ("01/02/2003", True, datetime(2003, 2, 1)),
    ("13/02/2003", None, datetime(2003, 2, 13)),
    ("02/13/2003", True, datetime(2003, 2, 13)),
    ("01.02.2003", None, datetime(2003, 2, 1)),
    ("2003/02/01", True, datetime(2003, 2, 1)),
    ("1741681800", None, datetime(2025, 3, 11, 8, 30)),
    ("1741681800000", None, datetime(2025, 3, 11, 8, 30)),
    ("March 11, 2025 8:30 AM", None, datetime(2025, 3, 11, 8, 30)),
    ("2025年3月11日 08:30", None, datetime(2025, 3, 11, 8, 30)),
    # month names in other languages, and zone names the standard library and dateutil would drop
    ("11 septembre 2001", None, datetime(2001, 9, 11)),
    ("11. September 2001, 14:46 Uhr", None, datetime(2001, 9, 11, 14, 46)),
    ("11 de septiembre de 2001", None, datetime(2001, 9, 11)),
    ("11 сентября 2001", None, datetime(2001, 9, 11)),
    ("Wed, 20 Mar 2024 10:00:00 CET", None, datetime(2024, 3, 20, 9, 0)),
    ("Tuesday 11 September 2001 13.46 BST", None, datetime(2001, 9, 11, 12, 46)),
    ("2001-09-11 08:46 JST", None, datetime(2001, 9, 10, 23, 46)),
    ("Tue, 11 Sep 2001 14:00:00 EDT", None, datetime(2001, 9, 11, 18, 0)),
    ("Wed, 20 Mar 2024 10:00:00 UTC", None, datetime(2024, 3, 20, 10, 0)),
    ("March 11, 2025 8:30 PM", None, datetime(2025, 3, 11, 20, 30)),
    ("September 2001", None, None),  # no day: no date rather than a guessed one
    ("a report from 2001", None, None),
    ("4102444800", None, None),  # 2100: in the future
    ("12345", None, None),
    ("no date here", None, None),
])
def test_date_forms(text, dayfirst, expected):
    assert parse_date(text, dayfirst=dayfirst) == expected


def test_date_forms_in_an_export(db, capsys):
    assert ingest(db, FIXTURES / "export_dates.csv") == 0
    stored = dict(rows(db, "SELECT external_id, published FROM articles"))
    assert stored == {"d-1": datetime(2025, 3, 11, 8, 30), "d-2": datetime(2025, 3, 11, 8, 30),
                      "d-3": datetime(2025, 3, 11, 8, 30), "d-4": datetime(1996, 1, 1),
                      "d-5": datetime(2025, 3, 11, 8, 30), "d-6": datetime(2025, 3, 11, 8, 30)}
    assert "not dates or not possible ones" not in capsys.readouterr().err


def test_ambiguous_dates_are_reported_not_guessed_silently(db, capsys):
    assert ingest(db, FIXTURES / "export_ambiguous_dates.csv") == 0
    err = capsys.readouterr().err
    assert "2 dates in column 'date' such as '01/02/2003' could be day/month or month/day: read as month/day" in err
    assert "--dayfirst" in err
    assert sorted(p for (p,) in rows(db, "SELECT published FROM articles")) == [datetime(2003, 1, 2), datetime(2003, 3, 4)]


def test_dayfirst_reads_them_day_first_and_silences_the_report(db, capsys):
    assert ingest(db, FIXTURES / "export_ambiguous_dates.csv", "--dayfirst") == 0
    assert "could be day/month" not in capsys.readouterr().err
    assert sorted(p for (p,) in rows(db, "SELECT published FROM articles")) == [datetime(2003, 2, 1), datetime(2003, 4, 3)]


def test_the_file_itself_can_settle_the_order(db, tmp_path, capsys):
    export = tmp_path / "uk.csv"
    export.write_text((FIXTURES / "export_ambiguous_dates.csv").read_text()
                      + "Storm warning,Forecasters warned of gales along the coast overnight.,25/03/2003\n")
    assert ingest(db, export) == 0
    assert "could be day/month" not in capsys.readouterr().err
    assert sorted(p for (p,) in rows(db, "SELECT published FROM articles")) == [
        datetime(2003, 2, 1), datetime(2003, 3, 25), datetime(2003, 4, 3)]


def test_unreadable_dates_are_counted_and_named(db, tmp_path, capsys):
    export = tmp_path / "odd.csv"
    export.write_text("title,text,date\nWall,The council voted to build a new sea wall.,sometime in spring\n")
    assert ingest(db, export) == 0
    assert "1 of 1 values in column 'date' are not dates or not possible ones (such as 'sometime in spring'): all stored undated" \
        in capsys.readouterr().err


def test_a_file_without_dates_gets_one_warning_naming_its_columns(db, capsys):
    assert ingest(db, FIXTURES / "export_no_dates.csv") == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "date" in line]
    assert len(warnings) == 1
    assert "no date column (columns: Headline, Body, Author)" in warnings[0] and "--map published=COLUMN" in warnings[0]
    assert rows(db, "SELECT author FROM articles ORDER BY author") == [("Jane Smith",), ("Tom Brown",)]


@pytest.mark.parametrize(("zone", "expected"), [
    ("Asia/Shanghai", datetime(2025, 3, 11, 1, 30)),
    ("+08:00", datetime(2025, 3, 11, 1, 30)),
    ("America/New_York", datetime(2025, 3, 11, 13, 30)),  # EDT (UTC-4) since 9 March 2025
    ("UTC", datetime(2025, 3, 11, 9, 30)),
])
def test_timezone_applies_to_dates_without_one(db, tmp_path, zone, expected):
    export = tmp_path / "local.csv"
    export.write_text("id,title,text,date\n1,Wall,The council voted to build a new sea wall.,2025-03-11 09:30\n"
                      "2,Ferry,The ferry crews went back to work after a deal.,2025-03-11T09:30:00+01:00\n")
    assert ingest(db, export, "--timezone", zone) == 0
    assert dict(rows(db, "SELECT external_id, published FROM articles")) == {"1": expected, "2": datetime(2025, 3, 11, 8, 30)}


def test_timezone_applies_to_feed_dates_without_one(db, tmp_path):
    feed = tmp_path / "local.atom"
    feed.write_text((FIXTURES / "feed.atom").read_text().replace("2025-03-14T08:15:00+02:00", "2025-03-14T06:15:00"))
    assert "2025-03-14T06:15:00<" in feed.read_text()
    assert ingest(db, feed, "--timezone", "Asia/Tokyo") == 0
    assert rows(db, "SELECT published FROM articles") == [(datetime(2025, 3, 13, 21, 15),)]


@pytest.mark.parametrize("zone", ["Mars/Olympus", "+25:00", ""])
def test_bad_timezone_is_a_usage_error(db, capsys, zone):
    assert ingest(db, FIXTURES / "export_dates.csv", "--timezone", zone) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: --timezone")


# --- ids -------------------------------------------------------------------------------------

def test_an_export_without_ids_gets_them_from_title_and_date(db, capsys):
    assert ingest(db, FIXTURES / "export_same_headline.csv") == 0
    assert "already stored 1" in capsys.readouterr().out  # the third row repeats the second
    stored = rows(db, "SELECT title, published FROM articles ORDER BY published")
    assert stored == [("Tide tables", datetime(2025, 3, 10)), ("Tide tables", datetime(2025, 3, 11))]
    assert ingest(db, FIXTURES / "export_same_headline.csv") == 0
    assert table_counts(db)["articles"] == 2


# --- article pages ---------------------------------------------------------------------------

def _assert_article_page(db: Path) -> None:
    ((source, title, author, published, url, body),) = rows(db, "SELECT source, title, author, published, url, body FROM articles")
    assert (source, title, author) == ("Harbour Gazette", "Council approves new harbour wall", "Jane Smith")
    assert published == datetime(2025, 3, 11, 8, 30)
    assert url == "https://gazette.example/news/harbour-wall"  # the canonical link
    assert body.startswith("The city council voted on Tuesday")
    assert body.endswith("stay open during the works.")
    for chrome in ("Sign in", "Related articles", "Storm floods old town", "Copyright", "Privacy", "By Jane Smith",
                   "Read more", "Photo:"):
        assert chrome not in body


def test_article_page_from_a_local_server(db, http_server):
    base, routes, _ = http_server
    routes["/news/harbour-wall"] = Route((FIXTURES / "article.html").read_bytes(), 200, {"Content-Type": "text/html; charset=utf-8"})
    assert ingest(db, f"{base}/news/harbour-wall") == 0
    _assert_article_page(db)


def test_saved_article_page_is_read_without_network(db, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("network access while reading a saved page")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    assert ingest(db, FIXTURES / "article.html") == 0
    _assert_article_page(db)


def test_saved_page_in_a_legacy_encoding_declared_in_a_meta_tag(db):
    assert ingest(db, FIXTURES / "article_gb2312.html") == 0
    ((title, author, published, body),) = rows(db, "SELECT title, author, published, body FROM articles")
    assert (title, author, published) == ("市议会批准修建新海堤", "王小明", datetime(2025, 3, 11))
    assert "朱镕基" in body
    for chrome in ("首页", "相关文章", "暴雨淹没老城区", "责任编辑", "记者"):
        assert chrome not in body


def test_page_without_article_text_is_refused_in_one_line(db, tmp_path, capsys):
    page = tmp_path / "index.html"
    page.write_text("<!DOCTYPE html><html><head><title>Gazette</title></head><body><nav><a href='/a'>News</a> "
                    "<a href='/b'>Sport</a></nav><form>Sign in <input name=user></form></body></html>")
    assert ingest(db, page) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"error: {page}: an HTML page with no article text (not a feed, nor an article page) "
                   "(nothing from this input was stored)"]


# --- a folder keeps going ----------------------------------------------------------------------

def test_a_bad_file_in_a_folder_does_not_stop_the_others(db, tmp_path, capsys, monkeypatch):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a_gb2312.xml").write_bytes((FIXTURES / "feed_gb2312.xml").read_bytes())
    (folder / "b_truncated.xml").write_bytes((FIXTURES / "feed.rss").read_bytes()[:300])
    (folder / "c_boom.jsonl").write_text(json.dumps({"title": "Boom", "text": "A record the reader fails on."}) + "\n")
    (folder / "d_export.csv").write_bytes((FIXTURES / "export_semicolon.csv").read_bytes())
    real = sources.READERS["jsonl"]

    def failing(inp):  # a reader bug, not an IngestError: still one input's failure only
        if inp.name.endswith("c_boom.jsonl"):
            raise ValueError("a reader bug")
        return real(inp)

    monkeypatch.setitem(sources.READERS, "jsonl", failing)
    assert ingest(db, folder) == 1
    err = capsys.readouterr().err
    assert f"error: {folder / 'b_truncated.xml'}: malformed or truncated XML" in err
    assert f"error: {folder / 'c_boom.jsonl'}: could not be read (ValueError: a reader bug)" in err
    assert "Traceback" not in err
    origins = {Path(o).name for (o,) in rows(db, "SELECT DISTINCT origin FROM articles")}
    assert origins == {"a_gb2312.xml", "d_export.csv"}
    assert table_counts(db)["articles"] == 4


@pytest.mark.parametrize(("encoding", "title"), [
    ("shift_jis", "市議会が新しい防潮堤を承認"),
    ("euc-kr", "시의회 새 방파제 승인"),
    ("utf-16", "Über die neue Hafenmauer"),
    ("windows-1251", "Горсовет одобрил новую дамбу"),
])
def test_feeds_in_other_declared_encodings(db, tmp_path, encoding, title):
    feed = tmp_path / "feed.xml"
    feed.write_bytes(f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>T</title>'
                     f"<item><title>{title}</title><link>https://x.example/1</link>"
                     f"<description>{title}. {title}.</description></item></channel></rss>".encode(encoding))
    assert ingest(db, feed) == 0
    assert rows(db, "SELECT title FROM articles") == [(title,)]


def test_a_csv_without_a_header_is_refused_with_how_to_name_its_columns(db, capsys):
    assert ingest(db, FIXTURES / "export_no_header.csv") == 1
    assert "a CSV file without a header row: name its columns by number, e.g. --map title=2,body=3" in capsys.readouterr().err
    assert table_counts(db).get("articles", 0) == 0


def test_columns_named_by_number(db):
    assert ingest(db, FIXTURES / "export_no_header.csv", "--map", "labels=1,title=2,body=3,published=4") == 0
    assert rows(db, "SELECT labels, title, published FROM articles ORDER BY published") == [
        (["2"], "Harbour wall approved", datetime(2025, 3, 11)), (["1"], "Ferry strike ends", datetime(2025, 3, 12))]


def test_a_text_archive_is_dated_by_its_paths(db, tmp_path):
    """Plain-text files take the day their path names inside the ingested folder (a dated folder
    or a dated file name), at midnight in --timezone; a folder above the ingested one dates nothing."""
    archive = tmp_path / "2020-01-01" / "archive"
    story = "Harbour wall approved\n\nThe council voted to build a new sea wall after the storms.\n"
    for relative in ("2016/09/08/harbour.txt", "wire/post_2016-09-10_ferry.txt", "wire/undated.txt",
                     "wire/ticket-20160911.txt"):
        path = archive / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(story.replace("Harbour", relative.rsplit("/", 1)[-1]))
    assert ingest(db, archive, "--timezone", "+02:00") == 0
    assert rows(db, "SELECT external_id, published FROM articles ORDER BY external_id") == [
        ("2016/09/08/harbour.txt", datetime(2016, 9, 7, 22, 0)),
        ("wire/post_2016-09-10_ferry.txt", datetime(2016, 9, 9, 22, 0)),
        ("wire/ticket-20160911.txt", None),  # eight digits alone may be any number
        ("wire/undated.txt", None)]


def test_a_text_file_with_a_standfirst_under_its_headline_is_one_article(db, tmp_path):
    """A headline, its standfirst on the next line, a blank line, then paragraphs: one article whose
    body opens with the standfirst (not one article per line, as a seed page's paragraph-per-line)."""
    story = tmp_path / "harbour.txt"
    story.write_text("Harbour wall approved\nThe council backs a sea wall after two winter floods.\n\n"
                     "The council voted on Tuesday to build a new sea wall along the harbour front.\n\n"
                     "Work starts in May and should end before next winter's storms, the mayor said.\n")
    assert ingest(db, story) == 0
    assert rows(db, "SELECT title, body FROM articles") == [(
        "Harbour wall approved",
        "The council backs a sea wall after two winter floods.\n\n"
        "The council voted on Tuesday to build a new sea wall along the harbour front.\n\n"
        "Work starts in May and should end before next winter's storms, the mayor said.")]
