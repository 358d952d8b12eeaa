"""International feeds: each article's language, and entities, topics and search that work in each.

The corpus is tests/fixtures/multilingual: short articles written for these tests in English,
German, French, Portuguese and Chinese (traditional and simplified), three per language on each
of four subjects, with the language and subject of each known.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest
from sklearn.metrics import normalized_mutual_info_score

from dashboard import languages, words
from dashboard.nlp import chinese
from dashboard.nlp.topics import stop_words_of
from dashboard.store import queries
from dashboard.store.queries import Filters
from tests.conftest import FIXTURES, SEEDS, cli, rows

FEEDS = FIXTURES / "multilingual"
RECORDS = [json.loads(line) for path in sorted(FEEDS.glob("*.jsonl")) for line in path.read_text(encoding="utf-8").splitlines()]
SENTENCE_PUNCTUATION = re.compile(r"[，。！？；：、,.!?;:]")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@pytest.fixture(scope="module")
def mixed_db(tmp_path_factory) -> Path:
    """The multilingual feeds and the seed, ingested and enriched by the CLI."""
    db = tmp_path_factory.mktemp("multilingual") / "news.duckdb"
    assert cli("ingest", *sorted(FEEDS.glob("*.jsonl")), SEEDS, "--db", db, "--quiet") == 0
    return db


def by_external_id(db: Path) -> dict[str, dict]:
    return {r[0]: {"lang": r[1], "topic": r[2]} for r in rows(db, """
        SELECT a.external_id, a.lang, t.topic_id FROM articles a LEFT JOIN article_topics t ON t.article_id = a.id""")}


def test_every_test_article_and_nearly_every_title_alone_is_detected():
    assert [languages.detect_article(r["title"], r["body"]) for r in RECORDS] == [r["lang"] for r in RECORDS]
    titles = [languages.detect(r["title"]) == r["lang"] for r in RECORDS]
    assert sum(titles) / len(titles) >= 0.9


def test_text_with_no_language_gets_none_not_a_guess():
    assert languages.detect("U.S.") is None
    assert languages.detect("   ") is None
    assert languages.detect("東京は晴れです") == "ja"


def test_language_is_stored_at_ingest_and_exported_last(db, tmp_path):
    assert cli("ingest", *sorted(FEEDS.glob("*.jsonl")), "--db", db, "--no-enrich", "--quiet") == 0
    stored = dict(rows(db, "SELECT external_id, lang FROM articles"))
    assert stored == {r["id"]: r["lang"] for r in RECORDS}
    out = tmp_path / "articles.jsonl"
    assert cli("export", "articles", "--db", db, "--out", out) == 0
    exported = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert list(exported[0])[-2:] == ["story_id", "lang"]
    assert {r["external_id"]: r["lang"] for r in exported} == stored


def test_enrichment_fills_in_the_language_of_articles_stored_before_it_was_detected(db):
    assert cli("ingest", FEEDS / "de.jsonl", FEEDS / "zh-hant.jsonl", "--db", db, "--no-enrich", "--quiet") == 0
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE articles SET lang = NULL")
    assert cli("enrich", "--db", db, "--quiet") == 0
    assert Counter(lang for (lang,) in rows(db, "SELECT lang FROM articles")) == {"de": 12, "zh": 12}


def test_the_language_filter_selects_articles_in_any_of_the_languages(mixed_db):
    with duckdb.connect(str(mixed_db), read_only=True) as con:
        assert queries.languages(con)[0] == "zh"  # 24 articles, the most
        assert queries.count_articles(con, Filters(langs=("de",))) == 12
        assert queries.count_articles(con, Filters(langs=("de", "fr"))) == 24
        assert queries.headline(con, Filters(langs=("pt",)))["articles"] == 12
        german = queries.top_entities(con, Filters(langs=("de",)), limit=50)
        everything = queries.top_entities(con, Filters(), limit=50)
        assert set(german["name"]) < set(everything["name"])
        assert queries.count_articles(con, Filters(langs=("xx",))) == 0


def test_a_chinese_article_gives_chinese_names_not_sentences():
    record = next(r for r in RECORDS if r["id"] == "zh-hant-strait-2")
    found = chinese.mentions(f"{record['title']}\n\n{record['body']}")
    names = {m.name: m.label for m in found}
    assert names["賴清德"] == "PERSON" and names["台北"] == "GPE" and names["國防部"] == "ORG"
    for m in found:
        assert len(m.name) <= chinese.MAX_CHARS and not SENTENCE_PUNCTUATION.search(m.name), m.name


def test_no_entity_of_the_mixed_corpus_is_a_chinese_sentence(mixed_db):
    for name, in rows(mixed_db, "SELECT name FROM entities"):
        if HAN.search(name):
            assert len(HAN.findall(name)) <= 12 and not SENTENCE_PUNCTUATION.search(name), name


def test_languages_without_a_model_get_no_entities_and_french_gets_french_ones(mixed_db):
    per_lang = dict(rows(mixed_db, """SELECT a.lang, count(*) FROM mentions m JOIN articles a ON a.id = m.article_id GROUP BY ALL"""))
    assert "de" not in per_lang and "pt" not in per_lang
    french = {name for name, in rows(mixed_db, """SELECT DISTINCT e.name FROM mentions m JOIN entities e ON e.id = m.entity_id
                                                  JOIN articles a ON a.id = m.article_id WHERE a.lang = 'fr'""")}
    assert {"Lyon", "Chine"} <= french


def test_traditional_and_simplified_forms_of_a_name_are_one_entity(mixed_db):
    found = rows(mixed_db, """
        SELECT e.name, list(DISTINCT m.text ORDER BY m.text) FROM entities e JOIN mentions m ON m.entity_id = e.id
        WHERE m.text IN ('賴清德', '赖清德') GROUP BY e.name""")
    assert len(found) == 1
    assert found[0][1] == ["賴清德", "赖清德"]


def test_the_seed_alias_links_chinese_and_english_mentions_of_one_person(mixed_db):
    found = rows(mixed_db, """
        SELECT e.name, e.aliases, list(DISTINCT a.lang ORDER BY a.lang), list(DISTINCT m.text ORDER BY m.text)
        FROM entities e JOIN mentions m ON m.entity_id = e.id JOIN articles a ON a.id = m.article_id
        WHERE m.text IN ('卓榮泰', '卓荣泰', 'Cho Jung-tai') GROUP BY ALL""")
    assert len(found) == 1
    name, aliases, langs, texts = found[0]
    assert name == "Cho Jung-tai" and "卓榮泰" in aliases
    assert {"en", "zh"} <= set(langs) and {"卓榮泰", "卓荣泰", "Cho Jung-tai"} <= set(texts)


def test_a_mixed_language_corpus_gives_topics_by_subject(mixed_db):
    found = by_external_id(mixed_db)
    known = [(r["labels"][0], found[r["id"]]["topic"]) for r in RECORDS]
    # by language it would be 0 (each language has every subject); each language cut by subject, about 0.6
    assert normalized_mutual_info_score([s for s, _ in known], [t for _, t in known]) >= 0.5
    members: dict[int, list[str]] = {}
    for subject, topic in known:
        members.setdefault(topic, []).append(subject)
    for topic, subjects in members.items():
        if len(subjects) >= 4:  # no topic is "the German articles": most of its articles share a subject
            assert Counter(subjects).most_common(1)[0][1] / len(subjects) >= 0.6, (topic, subjects)


def test_no_topic_label_is_made_of_stop_words(mixed_db):
    every_stop_word = set().union(*(stop_words_of(code) for code in ("en", "de", "fr", "pt", "zh")))
    labels = rows(mixed_db, "SELECT label, terms FROM topics WHERE NOT is_other")
    assert labels
    for label, terms in labels:
        assert not {t.lower() for t in terms[:3]} & every_stop_word, label


def test_chinese_labels_keep_the_articles_own_characters():
    from dashboard.nlp.labels import written_as

    assert written_as("台湾", ["行政院長卓榮泰在台灣表示"]) == "台灣"
    assert written_as("台湾", ["国台办回应台湾问题"]) == "台湾"


def test_chinese_is_searched_by_words_in_either_script(mixed_db):
    with duckdb.connect(str(mixed_db), read_only=True) as con:
        traditional = set(queries.articles(con, Filters(q="颱風"))["id"])
        simplified = set(queries.articles(con, Filters(q="台风"))["id"])
        assert traditional == simplified and len(traditional) == 4  # 颱風 twice in zh-hant, 台风 twice in zh-hans
        # a word, not its characters: 主, 教 and 练 all stand in two articles that never write 主教练 ("head coach")
        found = set(queries.articles(con, Filters(q="主教練"), limit=100)["id"])
        texts = dict(rows(mixed_db, "SELECT id, coalesce(title, '') || body FROM articles"))
        with_characters = {i for i, t in texts.items() if set("主教练") <= set(languages.simplified(t))}
        assert found == {i for i, t in texts.items() if "主教练" in languages.simplified(t)} < with_characters
        assert queries.count_articles(con, Filters(q="卓榮泰")) == queries.count_articles(con, Filters(q="卓荣泰")) >= 5


def test_search_words_of_chinese_are_its_segmented_words():
    assert words.parse("臺灣海峽") == (["台湾海峡"], [])
    assert {"台湾", "海峡", "台湾海峡"} <= words.terms("中國軍艦穿越臺灣海峽")


def test_a_lang_link_shapes_the_view_and_an_unknown_code_is_named(mixed_db):
    from tests.test_links import articles_shown, copied, open_link

    at = open_link(mixed_db, {"lang": ["pt", "de"]})
    assert articles_shown(at) == 24
    assert sorted(copied(at)[1]["lang"]) == ["de", "pt"]
    at = open_link(mixed_db, {"lang": ["xx"]})
    assert [w.value for w in at.warning] == ["No articles in language “xx” (an ISO 639-1 code such as en, de, zh): ignored."]
    assert articles_shown(at) == rows(mixed_db, "SELECT count(*) FROM articles WHERE duplicate_of IS NULL")[0][0]


@pytest.mark.browser
def test_lang_link_round_trip_in_a_real_browser(mixed_db):
    from tests.test_browser import choose, copied_link, launch_chromium, open_page, run_streamlit, wait_for_metric

    for server in run_streamlit(mixed_db):
        for browser in launch_chromium():
            context, page, _ = open_page(browser, server + "/?lang=de")
            wait_for_metric(page, "Articles", "12")
            choose(page, "Languages", "French")
            wait_for_metric(page, "Articles", "24")
            page.wait_for_function("() => window.location.search.includes('lang=fr')", timeout=10_000)
            assert sorted(parse_qs(urlsplit(page.url).query)["lang"]) == ["de", "fr"]
            link = copied_link(page)
            context.close()
            fresh, again, _ = open_page(browser, link)
            wait_for_metric(again, "Articles", "24")
            fresh.close()


@pytest.mark.parametrize(("value", "code"), [
    ("en", "en"), ("en-US", "en"), ("pt_BR", "pt"), ("zh-Hant-TW", "zh"),  # tags, with `_` as some exports write them
    ("eng", "en"), ("fre", "fr"), ("ger", "de"),  # ISO 639-2
    ("English", "en"), ("Deutsch", "de"), ("français", "fr"), ("中文", "zh"), ("Русский", "ru"),  # names, in English or their own
    ("", None), ("xx", None), ("und", None), ("unknown", None), ("The storm left thousands without power on Monday", None),
])
def test_a_stated_language_is_read_as_the_code_the_detector_stores(value, code):
    assert languages.stated(value) == code


def test_a_stated_language_names_what_the_text_cannot_and_detection_decides_the_rest(db, tmp_path):
    short = "Sturm Ciarán: Tausende ohne Strom"  # a title-only export's headline: too short to tell
    assert languages.detect(short) is None
    long_text = "Prices rose sharply on Monday after the central bank said it would keep interest rates on hold for the year."
    export = tmp_path / "mediacloud.csv"
    export.write_text("id,language,media_name,publish_date,title,text\n"
                      f"1,de,spiegel.de,2024-03-05,{short},\n"
                      f"2,fr,example.com,2024-03-05,Rates on hold,{long_text}\n"  # stated wrongly: the text is English
                      f"3,,example.com,2024-03-05,{short},\n", encoding="utf-8")
    assert cli("ingest", export, "--db", db, "--no-enrich", "--quiet") == 0
    assert dict(rows(db, "SELECT external_id, lang FROM articles")) == {"1": "de", "2": "en", "3": None}


def test_a_feeds_stated_language_names_entries_the_text_cannot(db, tmp_path):
    short = "Sturm Ciarán: Tausende ohne Strom"
    rss = tmp_path / "feed.rss"
    rss.write_text(f"""<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
        <title>T</title><language>de-DE</language>
        <item><title>{short}</title><link>http://example.com/1</link></item>
        <item><title>{short}</title><dc:language>nl</dc:language><link>http://example.com/2</link></item></channel></rss>""",
                   encoding="utf-8")
    atom = tmp_path / "feed.atom"
    atom.write_text(f"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr"><title>T</title><id>t</id>
        <updated>2024-03-05T00:00:00Z</updated>
        <entry><title>{short}</title><id>a1</id><link href="http://example.com/3"/><updated>2024-03-05T00:00:00Z</updated></entry>
        <entry xml:lang="es"><title>{short}</title><id>a2</id><link href="http://example.com/4"/><updated>2024-03-05T00:00:00Z</updated>
        </entry></feed>""", encoding="utf-8")
    assert cli("ingest", rss, atom, "--db", db, "--no-enrich", "--quiet") == 0
    assert dict(rows(db, "SELECT url, lang FROM articles")) == {
        "http://example.com/1": "de", "http://example.com/2": "nl", "http://example.com/3": "fr", "http://example.com/4": "es"}
