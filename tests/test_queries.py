"""The dashboard's queries against answers computed here from the stored rows, by other means."""

from __future__ import annotations

import shutil
from datetime import date

import duckdb
import pandas as pd
import pytest

from dashboard import words
from dashboard.store import StoreError, connect, transaction
from dashboard.store import queries as q
from dashboard.store.check import check
from dashboard.store.queries import Filters
from dashboard.store.write import delete_article
from tests.conftest import cli, rows


def originals(db) -> pd.DataFrame:
    """Every original article with its day, source, topic (None before enrichment) and indexed words."""
    frame = pd.DataFrame(rows(db, """SELECT a.id, a.published, a.source, x.topic_id, coalesce(a.title, '') || ' ' || a.body
                                     FROM articles a LEFT JOIN article_topics x ON x.article_id = a.id WHERE a.duplicate_of IS NULL"""),
                         columns=["id", "published", "source", "topic_id", "text"])
    frame["day"] = pd.to_datetime(frame["published"]).dt.date
    frame["words"] = frame.pop("text").map(words.terms)
    named: dict[str, set[str]] = {}
    for article_id, name in rows(db, "SELECT x.article_id, e.name FROM article_entities x JOIN entities e ON e.id = x.entity_id"):
        named.setdefault(article_id, set()).add(name)
    frame["entities"] = frame["id"].map(lambda article_id: named.get(article_id, set()))
    return frame


def has_words(found: set[str], query: str) -> bool:
    """Whether an article with these words matches the search `query` (words only, no plain text)."""
    whole, prefixes = words.parse(query)
    return set(whole) <= found and all(any(w.startswith(p) for w in found) for p in prefixes)


def selected(frame: pd.DataFrame, f: Filters) -> pd.DataFrame:
    keep = pd.Series(True, index=frame.index)
    if f.start:
        keep &= frame["day"].map(lambda d: d is not None and not pd.isna(d) and d >= f.start)
    if f.end:
        keep &= frame["day"].map(lambda d: d is not None and not pd.isna(d) and d <= f.end)
    if f.source:
        keep &= frame["source"] == f.source
    if f.topics:
        keep &= frame["topic_id"].isin(f.topics)
    if f.q:
        keep &= frame["words"].map(lambda found: has_words(found, f.q))
    if f.entities:
        keep &= frame["entities"].map(lambda names: set(f.entities) <= names)
    return frame[keep]


def narrowed(db) -> list[Filters]:
    """Selections by entities and searches, alone and with the other filters."""
    frame = originals(db)
    topic = int(frame["topic_id"].value_counts().index[0])
    biggest = frame.explode("entities")["entities"].value_counts().index[:2].tolist()
    return [Filters(q="oil prices"), Filters(q="export*", topics=(topic,)), Filters(q="tonnes", start=date(1987, 3, 1)),
            Filters(entities=(biggest[0],)), Filters(entities=tuple(biggest)), Filters(entities=(biggest[1],), q="said", topics=(topic,)),
            Filters(entities=("No Such Entity",))]


def selections(db) -> list[Filters]:
    frame = originals(db)
    topic = int(frame["topic_id"].value_counts().index[0])
    middle = sorted(d for d in frame["day"] if d is not None and not pd.isna(d))[len(frame) // 2]
    return [Filters(), Filters(topics=(topic,)), Filters(start=middle), Filters(end=middle),
            Filters(source=frame["source"].iloc[0]), Filters(topics=(topic,), start=date(1987, 3, 1), end=middle)]


def test_headline_and_volume_count_every_original_article(reuters_db):
    frame = originals(reuters_db)
    with connect(reuters_db, read_only=True) as con:
        for f in selections(reuters_db) + narrowed(reuters_db)[:-1]:
            want = selected(frame, f)
            got = q.headline(con, f)
            assert got["articles"] == len(want) > 0, f
            assert got["topics"] == want["topic_id"].nunique()
            assert got["sources"] == want["source"].nunique()
            assert got["first"] == min(d for d in want["day"] if not pd.isna(d))
            weekly = q.volume(con, f, "week")
            dated = want[want["published"].notna() & want["topic_id"].notna()]
            assert weekly["articles"].sum() == len(dated)
            by_topic = weekly.groupby("topic_id")["articles"].sum().to_dict()
            assert by_topic == dated.groupby("topic_id").size().to_dict()
            daily = q.volume(con, f, "day")
            assert daily.groupby("period")["articles"].sum().to_dict() == {
                pd.Timestamp(day): n for day, n in dated.groupby("day").size().items()}


def test_counts_follow_ingest_enrichment_and_deletion(seed_db):
    with connect(seed_db, read_only=True) as con:
        before = q.headline(con, Filters())
    assert before["articles"] == len(originals(seed_db)) and before["topics"] == 0  # not enriched yet
    assert cli("enrich", "--db", seed_db) == 0
    with connect(seed_db, read_only=True) as con:
        enriched = q.headline(con, Filters())
        assert enriched["topics"] == originals(seed_db)["topic_id"].nunique() > 0
        assert q.volume(con, Filters())["articles"].sum() == enriched["articles"]
    victim = originals(seed_db)["id"].iloc[0]
    with connect(seed_db) as con, transaction(con):
        assert delete_article(con, victim)
    with connect(seed_db, read_only=True) as con:
        assert q.headline(con, Filters())["articles"] == enriched["articles"] - 1


def newest_quotes(db, f: Filters, limit: int) -> list[tuple]:
    """The newest quotes, found by joining every quote to its article."""
    with duckdb.connect(str(db), read_only=True) as con:
        where, params = q._where(con, f)
    return rows(db, f"""SELECT q.article_id, q.text FROM quotes q JOIN articles a ON a.id = q.article_id WHERE {where}
                        ORDER BY a.published DESC NULLS LAST, q.article_id, q.start_char LIMIT ?""", [*params, limit])


@pytest.mark.parametrize("window", [1, q.QUOTE_WINDOW])
@pytest.mark.parametrize("limit", [1, 8, 500, 100_000])
def test_latest_quotes_are_the_newest_of_the_selection(reuters_db, limit, window, monkeypatch):
    monkeypatch.setattr(q, "QUOTE_WINDOW", window)  # 1: the first look finds too few, and widens
    with connect(reuters_db, read_only=True) as con:
        for f in selections(reuters_db):
            got = q.quotes(con, f, (), None, limit)
            assert list(zip(got["article_id"], got["text"], strict=True)) == newest_quotes(reuters_db, f, limit)


def test_a_selection_without_quotes_gives_none(reuters_db, monkeypatch):
    monkeypatch.setattr(q, "QUOTE_WINDOW", 1)
    (name, articles) = rows(reuters_db, """SELECT e.name, count(*) FROM article_entities x JOIN entities e ON e.id = x.entity_id
                                           JOIN articles a ON a.id = x.article_id WHERE a.duplicate_of IS NULL GROUP BY e.name
                                           HAVING count(*) FILTER (a.id IN (SELECT article_id FROM quotes)) = 0
                                           ORDER BY count(*) DESC, e.name LIMIT 1""")[0]
    f = Filters(entities=(name,))
    with connect(reuters_db, read_only=True) as con:
        assert q.count_articles(con, f) == articles > 1
        assert q.quotes(con, f, (), None, 8).empty


def test_entity_timeline_counts_mentions_and_articles(reuters_db):
    (name, entity_id) = rows(reuters_db, """SELECT e.name, e.id FROM entities e JOIN mentions m ON m.entity_id = e.id
                                            GROUP BY ALL ORDER BY count(*) DESC LIMIT 1""")[0]
    mentions = pd.DataFrame(rows(reuters_db, """SELECT m.article_id, a.published FROM mentions m JOIN articles a ON a.id = m.article_id
                                               WHERE m.entity_id = ? AND a.duplicate_of IS NULL AND a.published IS NOT NULL""",
                                 [entity_id]), columns=["article_id", "published"])
    with duckdb.connect(str(reuters_db), read_only=True) as con:
        timeline = q.entity_timeline(con, name, Filters(), "day")
    assert timeline["mentions"].sum() == len(mentions)
    assert timeline["articles"].sum() == mentions["article_id"].nunique()


def test_a_database_from_an_earlier_version_is_brought_up_to_date_when_read(seed_db):
    with duckdb.connect(str(seed_db)) as con:  # as stored before search and daily counts were tables
        con.execute("DROP VIEW search_postings; DROP TABLE search_terms; DROP TABLE search_pending; DROP TABLE daily_counts")
    with connect(seed_db, read_only=True) as con:
        assert q.headline(con, Filters())["articles"] == len(originals(seed_db)) > 0
        assert q.count_articles(con, Filters(q="Kursk")) == 1


def test_a_file_that_is_not_a_newsdesk_database_is_refused(tmp_path):
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE notes (text VARCHAR)")
    with pytest.raises(StoreError, match="not a Newsdesk database"), connect(other, read_only=True):
        pass
    assert rows(other, "SELECT table_name FROM information_schema.tables") == [("notes",)]


def test_entity_company_is_counted_within_the_selection(reuters_db):
    (name,) = rows(reuters_db, """SELECT e.name FROM entities e JOIN article_entities x ON x.entity_id = e.id
                                  GROUP BY ALL ORDER BY count(*) DESC LIMIT 1""")[0]
    links = pd.DataFrame(rows(reuters_db, "SELECT x.article_id, e.name FROM article_entities x JOIN entities e ON e.id = x.entity_id"),
                         columns=["article_id", "name"])
    frame = originals(reuters_db)
    for f in selections(reuters_db)[:3]:
        own = set(links[links["name"] == name]["article_id"]) & set(selected(frame, f)["id"])
        with connect(reuters_db, read_only=True) as con:
            neighbours = q.cooccurring(con, name, f, 10)
            names = [name, *neighbours["name"]]
            pairs = q.pair_counts(con, name, names, f)
        around = links[links["article_id"].isin(own)]
        shared = around[around["name"] != name]["name"].value_counts()
        assert dict(zip(neighbours["name"], neighbours["shared"], strict=True)) == {n: shared[n] for n in neighbours["name"]}
        assert list(neighbours["shared"]) == sorted(shared.values, reverse=True)[:10]
        within = around[around["name"].isin(names)]
        together = within.merge(within, on="article_id")
        together = together[together["name_x"] < together["name_y"]].groupby(["name_x", "name_y"]).size()
        assert {(s, t): n for s, t, n in pairs.itertuples(index=False)} == together.to_dict()


def test_entity_counts_match_the_articles_of_the_selection(reuters_db):
    links = pd.DataFrame(rows(reuters_db, """SELECT x.article_id, e.name, x.mentions FROM article_entities x
                                             JOIN entities e ON e.id = x.entity_id"""), columns=["id", "name", "mentions"])
    frame = originals(reuters_db).merge(links, on="id")
    (name,) = rows(reuters_db, "SELECT e.name FROM entities e JOIN article_entities x ON x.entity_id = e.id GROUP BY ALL ORDER BY count(*) DESC LIMIT 1")[0]
    for f in selections(reuters_db) + narrowed(reuters_db)[:-1]:
        want = selected(frame, f)
        assert len(want) > 0, f
        with connect(reuters_db, read_only=True) as con:
            top = q.top_entities(con, f, 10)
            topics = q.entity_topics(con, name, f)
            timeline = q.entity_timeline(con, name, f, "day")
        counts = want.groupby("name").size()
        assert dict(zip(top["name"], top["articles"], strict=True)) == {n: counts[n] for n in top["name"]}
        assert list(top["articles"]) == sorted(counts.values, reverse=True)[:10]
        own = want[want["name"] == name]
        assert dict(zip(topics["topic_id"], topics["articles"], strict=True)) == own.groupby("topic_id").size().to_dict()
        dated = own[own["published"].notna()]
        assert timeline["articles"].sum() == len(dated) and timeline["mentions"].sum() == dated["mentions"].sum()


def test_entity_counts_from_an_earlier_version_get_their_day_source_and_topic(enriched_seed_db, tmp_path):
    db = tmp_path / "earlier.duckdb"
    shutil.copy(enriched_seed_db, db)
    with duckdb.connect(str(db)) as con:  # as stored before article_entities carried them
        for column in ("day", "source", "topic_id"):
            con.execute(f"ALTER TABLE article_entities DROP COLUMN {column}")
    with connect(db, read_only=True) as con:
        top = q.top_entities(con, Filters(start=date(2000, 1, 1)), 5)  # reads the day column
    assert len(top) == 5
    assert check(db) == []


def test_an_unknown_entity_selects_nothing(reuters_db):
    f = narrowed(reuters_db)[-1]
    with connect(reuters_db, read_only=True) as con:
        assert q.headline(con, f)["articles"] == 0
        assert q.volume(con, f).empty and q.top_entities(con, f).empty
