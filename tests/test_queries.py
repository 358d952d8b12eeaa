"""The dashboard's queries against answers computed here, in plain Python, from the stored rows.

Every comparison runs on the synthetic corpus (tests/synthetic: any machine) and again on two
Reuters files where the corpora are present. The expected answers never go through the code
under test: no `_where`, no search index, no SQL filter; the stored tables are read whole and
filtered with pandas.
"""

from __future__ import annotations

import functools
import re
import shutil
from datetime import date, time, timedelta

import duckdb
import pandas as pd
import pytest

from dashboard.store import StoreError, connect, transaction
from dashboard.store import queries as q
from dashboard.store.check import check
from dashboard.store.queries import Filters
from dashboard.store.write import delete_article
from tests.conftest import cli, rows
from tests.synthetic.corpus import generate


def plain_words(text: str) -> set[str]:
    """Words of two letters or digits or more, lower-cased (the corpora searched here are ASCII)."""
    return set(re.findall(r"[a-z0-9]{2,}", text.lower()))


def stored(db) -> pd.DataFrame:
    stat = db.stat()
    return _stored(str(db), stat.st_mtime_ns, stat.st_size).copy()


@functools.lru_cache(maxsize=4)
def _stored(db: str, *version: int) -> pd.DataFrame:
    """Every article (duplicates too) with its day, source, topic (None before enrichment), words and entities."""
    frame = pd.DataFrame(rows(db, """SELECT a.id, a.published, a.source, x.topic_id, coalesce(a.title, '') || ' ' || a.body, a.duplicate_of
                                     FROM articles a LEFT JOIN article_topics x ON x.article_id = a.id"""),
                         columns=["id", "published", "source", "topic_id", "text", "duplicate_of"])
    frame["day"] = frame["published"].map(lambda p: None if p is None or pd.isna(p) else p.date())
    frame["words"] = frame.pop("text").map(plain_words)
    named: dict[str, set[str]] = {}
    for article_id, name in rows(db, "SELECT x.article_id, e.name FROM article_entities x JOIN entities e ON e.id = x.entity_id"):
        named.setdefault(article_id, set()).add(name)
    frame["entities"] = frame["id"].map(lambda article_id: named.get(article_id, set()))
    return frame


def originals(db) -> pd.DataFrame:
    frame = stored(db)
    return frame[frame["duplicate_of"].isna()]


def has_words(found: set[str], query: str) -> bool:
    """Whether an article with these words matches the search `query`: every word, `word*` as a prefix."""
    terms = re.findall(r"([a-z0-9]{2,})(\*?)", query.lower())
    return all(any(w.startswith(t) for w in found) if star else t in found for t, star in terms)


def selected(frame: pd.DataFrame, f: Filters) -> pd.DataFrame:
    keep = pd.Series(True, index=frame.index)
    if not f.duplicates:
        keep &= frame["duplicate_of"].isna()
    if f.start:
        keep &= frame["day"].map(lambda d: d is not None and d >= f.start)
    if f.end:
        keep &= frame["day"].map(lambda d: d is not None and d <= f.end)
    if f.source:
        keep &= frame["source"] == f.source
    if f.topics:
        keep &= frame["topic_id"].isin(f.topics)
    if f.q:
        keep &= frame["words"].map(lambda found: has_words(found, f.q))
    if f.entities:
        keep &= frame["entities"].map(lambda names: set(f.entities) <= names)
    return frame[keep]


def entity_rows(db) -> pd.DataFrame:
    return pd.DataFrame(rows(db, """SELECT x.article_id, e.name, e.type, x.mentions FROM article_entities x
                                    JOIN entities e ON e.id = x.entity_id"""), columns=["id", "name", "type", "mentions"])


def quote_rows(db) -> pd.DataFrame:
    frame = pd.DataFrame(rows(db, "SELECT q.article_id, q.text, e.name, q.start_char FROM quotes q LEFT JOIN entities e ON e.id = q.speaker_id"),
                         columns=["id", "text", "speaker", "start_char"])
    frame["speaker"] = frame["speaker"].astype(object).where(frame["speaker"].notna(), None)  # None, as the dashboard gives it
    return frame


def monday(day: date) -> pd.Timestamp:
    return pd.Timestamp(day - timedelta(days=day.weekday()))


def newest_first(frame: pd.DataFrame, *then: str) -> pd.DataFrame:
    """Rows by published, newest first and undated last, then by `then` (as the dashboard lists them)."""
    undated = frame["published"].isna()
    return pd.concat([frame[~undated].sort_values(["published", *then], ascending=[False] + [True] * len(then), kind="stable"),
                      frame[undated].sort_values(list(then), kind="stable")])


# ---------------------------------------------------------------- the selections compared

def synthetic_selections(db) -> list[Filters]:
    """Selections of the synthetic corpus, each of which changes the answer (checked below)."""
    frame = originals(db)
    topics = frame["topic_id"].value_counts().index.tolist()
    times = frame.dropna(subset=["published"])
    midnight = min(p.date() for p in times["published"] if p.time() == time(0))
    last_second = max(p.date() for p in times["published"] if p.time() == time(23, 59, 59))
    return [
        Filters(),
        Filters(topics=(int(topics[0]),)),
        Filters(topics=(int(topics[0]), int(topics[2]))),
        Filters(start=midnight),  # an article at 00:00:00 of the first day is in
        Filters(end=midnight - timedelta(days=1)),  # ... and not in a selection that ends the day before
        Filters(end=last_second),  # an article at 23:59:59 of the last day is in
        Filters(start=midnight, end=midnight),  # from == to: that one day
        Filters(start=last_second, end=last_second),
        Filters(start=midnight, end=last_second, source="Coast Courier"),
        Filters(source="Harbour Post"),
        Filters(entities=("Angela Merkel",)),
        Filters(entities=("Angela Merkel", "Germany")),  # both: fewer than either
        Filters(entities=("Germany", "Angela Merkel", "Japan")),
        Filters(entities=("Angela Merkel",), start=midnight, end=midnight),
        Filters(entities=("Angela Merkel",), end=last_second, topics=(int(topics[1]),)),
        Filters(entities=("Germany",), source="Daily Ledger", start=midnight),
        Filters(q="crude"),  # a word in a fifth of the articles: counted from term_counts
        Filters(q="crude", start=midnight, source="Coast Courier"),
        Filters(q="refin* oil"),
        Filters(q="coalition", start=midnight),
        Filters(q="officials", entities=("Angela Merkel",), topics=(int(topics[0]),)),
        Filters(duplicates=True),
        Filters(duplicates=True, entities=("Angela Merkel",), end=last_second),
        Filters(duplicates=True, q="crude", source="Metro Wire"),
    ]


def reuters_selections(db) -> list[Filters]:
    frame = originals(db)
    topic = int(frame["topic_id"].value_counts().index[0])
    middle = sorted(d for d in frame["day"] if d is not None)[len(frame) // 2]
    biggest = frame.explode("entities")["entities"].value_counts().index[:2].tolist()
    return [Filters(), Filters(topics=(topic,)), Filters(start=middle), Filters(end=middle), Filters(start=middle, end=middle),
            Filters(source=frame["source"].iloc[0]), Filters(topics=(topic,), start=date(1987, 3, 1), end=middle),
            Filters(q="oil prices"), Filters(q="export*", topics=(topic,)), Filters(q="tonnes", start=date(1987, 3, 1)),
            Filters(entities=(biggest[0],)), Filters(entities=tuple(biggest)), Filters(entities=(biggest[1],), q="said", topics=(topic,)),
            Filters(q="said", start=middle, topics=(topic,))]  # a word in most articles: counted from term_counts


@pytest.fixture(params=["synthetic", "reuters"])
def corpus_db(request):
    """(database, its selections): the synthetic corpus everywhere, Reuters where the corpora are."""
    if request.param == "synthetic":
        db = request.getfixturevalue("synthetic_db")
        return db, synthetic_selections(db)
    db = request.getfixturevalue("reuters_db")
    return db, reuters_selections(db)


def test_the_synthetic_corpus_is_what_its_script_writes():
    from tests.synthetic.corpus import ARTICLES, lines
    assert ARTICLES.read_text(encoding="utf-8") == lines(generate()), "run python -m tests.synthetic"


def test_the_synthetic_database_holds_the_generators_truth(synthetic_db):
    truth = {a.id: a for a in generate()}
    by_external = dict(rows(synthetic_db, "SELECT id, external_id FROM articles"))
    duplicates = {by_external[a]: by_external.get(o) for a, o in rows(synthetic_db, "SELECT id, duplicate_of FROM articles")}
    assert duplicates == {k: v.duplicate_of for k, v in truth.items()}  # every copy found, no original taken for one
    named = {}
    for article_id, name in rows(synthetic_db, "SELECT x.article_id, e.name FROM article_entities x JOIN entities e ON e.id = x.entity_id"):
        named.setdefault(by_external[article_id], set()).add(name)
    assert {k: set(a.names) for k, a in truth.items() if a.names and not a.duplicate_of} == named
    said = {}
    for article_id, speaker in rows(synthetic_db, "SELECT q.article_id, e.name FROM quotes q LEFT JOIN entities e ON e.id = q.speaker_id"):
        said.setdefault(by_external[article_id], []).append(speaker)
    # duplicates are not analysed: their quotes are their original's
    assert said == {k: a.speakers + [None] * a.unattributed_quotes for k, a in truth.items()
                    if (a.speakers or a.unattributed_quotes) and not a.duplicate_of}


def test_each_synthetic_selection_changes_the_answer(synthetic_db):
    frame = stored(synthetic_db)
    everything = set(selected(frame, Filters())["id"])
    answers = [frozenset(selected(frame, f)["id"]) for f in synthetic_selections(synthetic_db)]
    assert all(answers) and len(set(answers)) == len(answers)  # none empty, no two alike
    assert all(answer != everything for answer in answers[1:])


# ---------------------------------------------------------------- the comparisons

def test_headline_counts_every_article_of_the_selection(corpus_db):
    db, choices = corpus_db
    frame = stored(db)
    with connect(db, read_only=True) as con:
        for f in choices:
            want = selected(frame, f)
            dated = [d for d in want["day"] if d is not None]
            got = q.headline(con, f)
            assert got == {"articles": len(want), "sources": want["source"].nunique(), "topics": want["topic_id"].nunique(),
                           "first": min(dated), "last": max(dated)}, f
            assert q.count_articles(con, f) == len(want), f


def test_the_stories_of_windows_carry_their_headline_articles_title(corpus_db):
    db, _ = corpus_db
    titles = dict(rows(db, "SELECT id, title FROM articles"))
    topics = [r[0] for r in rows(db, "SELECT DISTINCT topic_id FROM article_topics ORDER BY 1")]
    first, last = rows(db, "SELECT min(published)::DATE, max(published)::DATE FROM articles")[0]
    with connect(db, read_only=True) as con:
        found = q.stories_in_windows(con, Filters(), "topic", [(t, first, last) for t in topics], 3)
    assert list(found.columns[:4]) == ["key", "id", "headline", "headline_id"] and len(found) > 3
    assert found["headline"].tolist() == [titles[i] for i in found["headline_id"]] and found["headline"].notna().all()


def test_volume_counts_each_topic_per_day_and_week(corpus_db):
    db, choices = corpus_db
    frame = stored(db)
    with connect(db, read_only=True) as con:
        for f in choices:
            want = selected(frame, f).dropna(subset=["published", "topic_id"])
            daily = q.volume(con, f, "day")
            assert {(p, t): n for p, t, n in zip(daily["period"], daily["topic_id"], daily["articles"], strict=True)} == \
                {(pd.Timestamp(d), t): n for (d, t), n in want.groupby(["day", "topic_id"]).size().items()}, f
            weekly = q.volume(con, f, "week")
            assert {(p, t): n for p, t, n in zip(weekly["period"], weekly["topic_id"], weekly["articles"], strict=True)} == \
                want.assign(week=want["day"].map(monday)).groupby(["week", "topic_id"]).size().to_dict(), f


@pytest.mark.parametrize("window", [q.LIST_WINDOW, 3])
def test_articles_are_listed_newest_first_page_by_page(corpus_db, window, monkeypatch):
    monkeypatch.setattr(q, "LIST_WINDOW", window)  # 3: a search's page is first looked for among a few articles, then all
    db, choices = corpus_db
    frame = stored(db)
    with connect(db, read_only=True) as con:
        for f in choices:
            want = list(newest_first(selected(frame, f), "id")["id"])
            assert list(q.articles(con, f, 100_000, 0)["id"]) == want, f
            assert list(q.articles(con, f, 7, 5)["id"]) == want[5:12], f
            assert list(q.articles(con, f)["id"]) == want[:100], f  # the first page: 100
            assert q.volume(con, f).equals(q.volume(con, f, "week")), f  # weeks unless told
            assert q.volume(con, f)["articles"].dtype.kind == "i", f  # counts stay numbers (None only replaces missing text)


def test_entity_counts_are_those_of_the_selections_articles(corpus_db):
    db, choices = corpus_db
    frame, links = stored(db), entity_rows(db)
    for f in choices:
        want = links[links["id"].isin(selected(frame, f)["id"])]
        counts = want.groupby(["name", "type"]).agg(articles=("id", "size"), mentions=("mentions", "sum")).reset_index()
        ranked = counts.sort_values(["articles", "mentions", "name"], ascending=[False, False, True])
        with connect(db, read_only=True) as con:
            top = q.top_entities(con, f, 10)
            people = q.top_entities(con, f, 10, "PERSON")
            assert len(q.top_entities(con, f)) == min(15, len(counts)), f  # fifteen unless told
        assert list(top.itertuples(index=False, name=None)) == list(ranked.head(10)[["name", "type", "articles", "mentions"]].itertuples(
            index=False, name=None)), f
        assert list(people["name"]) == list(ranked[ranked["type"] == "PERSON"]["name"].head(10)), f


def test_one_entitys_timeline_topics_and_company_within_the_selection(corpus_db):
    db, choices = corpus_db
    frame, links = stored(db), entity_rows(db)
    name = links["name"].value_counts().index[0]
    for f in choices:
        chosen = links[links["id"].isin(selected(frame, f)["id"])]
        own = chosen[chosen["name"] == name].merge(frame[["id", "day", "topic_id"]], on="id")
        with connect(db, read_only=True) as con:
            timeline = q.entity_timeline(con, name, f, "day")
            weekly = q.entity_timeline(con, name, f, "week")
            assert q.entity_timeline(con, name, f).equals(weekly), f
            topics = q.entity_topics(con, name, f)
            neighbours = q.cooccurring(con, name, f, 10)
            pairs = q.pair_counts(con, name, [name, *neighbours["name"]], f)
        dated = own.dropna(subset=["day"])
        assert {(p, m, n) for p, m, n in timeline.itertuples(index=False, name=None)} == {
            (pd.Timestamp(d), g["mentions"].sum(), len(g)) for d, g in dated.groupby("day")}, f
        assert dict(zip(weekly["period"], weekly["articles"], strict=True)) == dated["day"].map(monday).value_counts().to_dict(), f
        assert list(zip(topics["topic_id"], topics["articles"], strict=True)) == sorted(
            own.groupby("topic_id").size().items(), key=lambda item: (-item[1], item[0])), f
        around = links[links["id"].isin(own["id"])]
        shared = around[around["name"] != name]["name"].value_counts()
        assert list(zip(neighbours["name"], neighbours["shared"], strict=True)) == sorted(
            shared.items(), key=lambda item: (-item[1], item[0]))[:10], f
        within = around[around["name"].isin([name, *neighbours["name"]])]
        together = within.merge(within, on="id")
        together = together[together["name_x"] < together["name_y"]].groupby(["name_x", "name_y"]).size()
        assert {(s, t): n for s, t, n in pairs.itertuples(index=False)} == together.to_dict(), f


@pytest.mark.parametrize(("limit", "window"), [(1, 1), (8, 1), (500, q.QUOTE_WINDOW)])
def test_latest_quotes_are_the_newest_of_the_selection(corpus_db, limit, window, monkeypatch):
    monkeypatch.setattr(q, "QUOTE_WINDOW", window)  # 1: the first look finds too few, and widens
    db, choices = corpus_db
    frame, said = stored(db), quote_rows(db)
    for f in choices:
        want = newest_first(said.merge(selected(frame, f)[["id", "published"]], on="id"), "id", "start_char")
        with connect(db, read_only=True) as con:
            got = q.quotes(con, f, (), None, limit)
        assert list(zip(got["article_id"], got["text"], got["speaker"], strict=True)) == list(
            zip(want["id"], want["text"], want["speaker"], strict=True))[:limit], f


def test_quotes_by_speaker_and_text_and_the_speakers_list(corpus_db):
    db, choices = corpus_db
    frame, said = stored(db), quote_rows(db)
    for f in choices:
        within = said.merge(selected(frame, f)[["id", "published"]], on="id")
        named = within.dropna(subset=["speaker"])
        counts = named["speaker"].value_counts()
        order = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        with connect(db, read_only=True) as con:
            assert q.speakers(con, f) == [s for s, _ in order], f
            if not order:
                continue
            two = [s for s, _ in order[:2]]
            got = q.quotes(con, f, tuple(two), None, 1000)
            want = newest_first(within[within["speaker"].isin(two)], "id", "start_char")
            assert list(zip(got["article_id"], got["text"], strict=True)) == list(zip(want["id"], want["text"], strict=True)), f
            assert list(q.quotes(con, f, tuple(two), None, 2)["text"]) == list(want["text"])[:2], f  # a limit holds here too
            word = within["text"].iloc[0].split()[1]
            got = q.quotes(con, f, (), word.upper(), 1000)
            want = newest_first(within[within["text"].str.lower().str.contains(word.lower(), regex=False)], "id", "start_char")
            assert list(zip(got["article_id"], got["text"], strict=True)) == list(zip(want["id"], want["text"], strict=True)), f


def test_topics_sources_and_span_count_original_articles(corpus_db):
    db, _ = corpus_db
    frame = originals(db)
    labels = dict(rows(db, "SELECT id, coalesce(custom_label, label) FROM topics"))
    sizes = frame["topic_id"].value_counts()
    with connect(db, read_only=True) as con:
        topics = q.topics(con)
        assert dict(zip(topics["id"], topics["size"], strict=True)) == {t: sizes.get(t, 0) for t in labels}
        assert dict(zip(topics["id"], topics["label"], strict=True)) == labels
        counts = frame["source"].value_counts()
        assert q.sources(con) == sorted(counts.index, key=lambda s: (-counts[s], s))
        dated = [d for d in frame["day"] if d is not None]
        assert q.date_span(con) == (min(dated), max(dated))


def test_an_entitys_summary(corpus_db):
    db, _ = corpus_db
    links, frame = entity_rows(db), stored(db)
    for name in links["name"].value_counts().index[:3]:
        own = links[links["name"] == name].merge(frame[["id", "published"]], on="id")
        (kind, aliases) = rows(db, "SELECT type, aliases FROM entities WHERE name = ?", [name])[0]
        with connect(db, read_only=True) as con:
            assert q.entity_summary(con, name) == {"type": kind, "aliases": aliases, "articles": len(own), "mentions": own["mentions"].sum(),
                                                   "first": own["published"].min(), "last": own["published"].max()}
            assert q.entity_summary(con, "No Such Entity") is None


def test_a_selection_without_quotes_gives_none(synthetic_db, monkeypatch):
    monkeypatch.setattr(q, "QUOTE_WINDOW", 1)  # it widens its look until it has seen every article of the selection
    f = Filters(entities=("Microsoft",))  # the generator quotes no article that mentions Microsoft
    frame, said = stored(synthetic_db), quote_rows(synthetic_db)
    own = selected(frame, f)
    assert len(own) > 1 and not set(own["id"]) & set(said["id"])
    with connect(synthetic_db, read_only=True) as con:
        assert q.count_articles(con, f) == len(own)
        assert q.quotes(con, f, (), None, 8).empty


def test_an_unknown_entity_selects_nothing(corpus_db):
    db, _ = corpus_db
    f = Filters(entities=("No Such Entity",))
    with connect(db, read_only=True) as con:
        assert q.headline(con, f)["articles"] == 0 and q.count_articles(con, f) == 0
        assert q.volume(con, f).empty and q.top_entities(con, f).empty and q.quotes(con, f).empty


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


def test_entity_counts_from_an_earlier_version_get_their_day_source_and_topic(synthetic_db, tmp_path):
    db = tmp_path / "earlier.duckdb"
    shutil.copy(synthetic_db, db)
    with duckdb.connect(str(db)) as con:  # as stored before article_entities carried them
        for column in ("day", "source", "topic_id"):
            con.execute(f"ALTER TABLE article_entities DROP COLUMN {column}")
    f = Filters(start=date(2024, 2, 1), source="Daily Ledger")  # reads the day and source columns
    want = entity_rows(synthetic_db)
    want = want[want["id"].isin(selected(stored(synthetic_db), f)["id"])]["name"].value_counts()
    with connect(db, read_only=True) as con:
        top = q.top_entities(con, f, 5)
    assert dict(zip(top["name"], top["articles"], strict=True)) == {n: want[n] for n in top["name"]} and len(top) == 5
    assert check(db) == []



def test_entity_lookups_for_the_picker_and_the_finder(synthetic_db):
    names = rows(synthetic_db, "SELECT e.name, e.type, e.aliases, count(m.entity_id) FROM entities e "
                               "LEFT JOIN mentions m ON m.entity_id = e.id GROUP BY ALL")
    by_mentions = sorted(names, key=lambda r: (-r[3], r[0]))
    with connect(synthetic_db, read_only=True) as con:
        choices = q.entity_choices(con, 5)
        assert [(n, t, list(a), m) for n, t, a, m in choices.itertuples(index=False, name=None)] == [
            (n, t, list(a), m) for n, t, a, m in by_mentions if m][:5]
        assert len(q.entity_choices(con)) == sum(1 for r in names if r[3])
        named = q.entities_named(con, ["Japan", "Angela Merkel", "Nobody"])
        assert sorted(named["name"]) == ["Angela Merkel", "Japan"]
        found = q.find_entities(con, "an")  # any case, anywhere in the name or an alias
        want = [r for r in by_mentions if "an" in r[0].lower() or any("an" in a.lower() for a in r[2])]
        assert [(n, t, list(a), m) for n, t, a, m in found.itertuples(index=False, name=None)] == [
            (n, t, list(a), m) for n, t, a, m in want[:20]]
        assert list(q.find_entities(con, "AN", 3)["name"]) == [r[0] for r in want[:3]]
        assert q.find_entities(con, "%").empty and q.find_entities(con, "_").empty  # the wildcards are only characters


def test_one_article_its_marks_and_whether_it_exists(synthetic_db):
    (article_id, topic_id) = rows(synthetic_db, """SELECT a.id, x.topic_id FROM articles a
                                                          JOIN article_topics x ON x.article_id = a.id
                                                          WHERE a.id IN (SELECT article_id FROM quotes) ORDER BY a.id LIMIT 1""")[0]
    mentions = rows(synthetic_db, "SELECT m.start_char, m.end_char, e.name FROM mentions m JOIN entities e ON e.id = m.entity_id "
                                  "WHERE m.article_id = ?", [article_id])
    said = rows(synthetic_db, "SELECT start_char, end_char, text FROM quotes WHERE article_id = ?", [article_id])
    with connect(synthetic_db, read_only=True) as con:
        got = q.article(con, article_id)
        columns = ("id", "title", "body", "kicker", "source", "url", "published", "published_approx", "truncated",
                   "photo_credit", "labels", "duplicate_of")
        stored_row = rows(synthetic_db, f"SELECT {', '.join(columns)} FROM articles WHERE id = ?", [article_id])[0]
        label = rows(synthetic_db, "SELECT coalesce(custom_label, label) FROM topics WHERE id = ?", [topic_id])[0][0]
        assert got == {**dict(zip(columns, stored_row, strict=True)), "topic": label, "topic_id": topic_id}
        assert q.article(con, "no-such-id") is None
        assert q.article_exists(con, article_id) and not q.article_exists(con, "no-such-id")
        marks, quoted = q.article_marks(con, article_id)
    assert list(zip(marks["start_char"], marks["end_char"], marks["name"], strict=True)) == sorted(mentions)
    assert list(zip(quoted["start_char"], quoted["end_char"], quoted["text"], strict=True)) == sorted(said)


def test_the_last_ingests_newest_first(synthetic_db):
    runs = rows(synthetic_db, "SELECT finished, new, duplicates FROM ingest_runs ORDER BY finished DESC")
    with connect(synthetic_db, read_only=True) as con:
        last = q.last_ingest(con)
        assert list(zip(last["finished"], last["new"], last["duplicates"], strict=True)) == runs
        assert len(q.last_ingest(con, 0)) == 0
    assert runs[0][1:] == (260, 24)  # the generator's originals and copies


def test_the_biggest_stories_carry_their_headline_articles_title(corpus_db):
    db, _ = corpus_db
    titles = dict(rows(db, "SELECT id, title FROM articles"))
    with connect(db, read_only=True) as con:
        found = q.stories(con, Filters(), 50)
        latest = found["first_day"].max()
        since = q.stories(con, Filters(), 50, 1, latest)
    assert list(found.columns) == ["id", "headline", "headline_id", "topic_id", "first_day", "last_day", "size", "sources"]
    assert len(found) > 3 and found["headline"].tolist() == [titles.get(i) for i in found["headline_id"]]
    assert found["headline"].notna().all() and found["size"].is_monotonic_decreasing
    assert len(since) >= 1 and (since["first_day"] >= latest).all() and since["headline"].tolist() == [titles.get(i) for i in since["headline_id"]]
