from datetime import datetime

from dashboard.ingest import Input, read_input
from dashboard.ingest.seedpage import split_items
from dashboard.model import Article
from tests.conftest import SEEDS, rows

SEED = SEEDS / "000_23ca10fe5af96f64.txt"


def seed_articles() -> list[Article]:
    records = list(read_input(Input(name=str(SEED), path=SEED)))
    assert all(isinstance(r, Article) for r in records)
    return records  # type: ignore[return-value]


def test_seed_page_gives_exactly_five_articles():
    assert len(seed_articles()) == 5


def test_kickers_are_split_from_the_body():
    articles = seed_articles()
    assert [a.kicker for a in articles] == [None, "NATIONAL SECURITY", "CROSSED A LINE", None, "CONSISTENT COMMITMENT"]
    for article in articles:
        assert article.kicker is None or article.kicker not in article.body
        assert not article.body.startswith(("NATIONAL SECURITY", "CROSSED A LINE", "CONSISTENT COMMITMENT"))


def test_caption_is_dropped_and_kept_as_credit():
    full = seed_articles()[0]
    assert "Photo: AFP" not in full.body
    assert full.photo_credit == "AFP"
    assert full.body.count("\n\n") == 15  # 17 lines of the article, minus the caption, are 16 paragraphs


def test_teasers_are_truncated_and_the_article_is_not():
    assert [a.truncated for a in seed_articles()] == [False, True, True, True, True]


def test_titles_are_first_sentences_trimmed():
    articles = seed_articles()
    for article in articles:
        assert article.title
        assert len(article.title) <= 150
        assert article.body.startswith(article.title.rstrip("…"))
    assert articles[0].title.startswith("US President Donald Trump on Friday urged Russian President Vladimir Putin")
    assert articles[3].title.startswith("Proposed amendments would forbid the use of all personal electronic devices")


def test_metadata_gives_source_and_dates():
    articles = seed_articles()
    assert {a.source for a in articles} == {"Taipei Times"}
    assert articles[0].published == datetime(2025, 3, 15)
    assert not articles[0].published_approx
    assert all(a.published_approx for a in articles[1:])


def test_parser_is_general_for_the_format():
    page = [
        "Storm closes ports along the coast as winds reach record speeds on Tuesday night.",
        "Photo: Reuters",
        "Officials said the ports would reopen once the winds drop below safe limits.",
        "",
        "Second full story starts after a blank line and says what happened in town today.",
        "It has a second paragraph that also ends with a full stop.",
        "ECONOMY: Inflation slowed in February as energy prices fell for the second month and food prices",
        "A teaser without a kicker that is cut off in the middle of a sentence about the",
        "TRADE WAR: Tariffs were raised on steel imports, the ministry said.",
    ]
    items = list(split_items(iter(page)))
    assert [len(i.paragraphs) for i in items] == [2, 2, 1, 1, 1]
    assert [i.kicker for i in items] == [None, None, "ECONOMY", None, "TRADE WAR"]
    assert [i.truncated for i in items] == [False, False, True, True, False]
    assert items[0].credit == "Reuters"


def test_seed_ingest_stores_the_fields(seed_db):
    stored = rows(seed_db, "SELECT kicker, truncated, published_approx, source FROM articles ORDER BY kicker NULLS FIRST")
    assert len(stored) == 5
    assert {r[3] for r in stored} == {"Taipei Times"}
    assert sorted(r[0] or "" for r in stored) == ["", "", "CONSISTENT COMMITMENT", "CROSSED A LINE", "NATIONAL SECURITY"]
