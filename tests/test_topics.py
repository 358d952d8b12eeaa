"""Topics on a real DuckDB file: the seed's three topics, determinism, stable ids, renames."""

import json

import duckdb
import numpy as np

from dashboard.nlp import pipeline
from dashboard.nlp.topics import OTHER_ID, STOP_WORDS, fit
from dashboard.store import connect
from dashboard.store.enrichment import rename_topic
from tests.conftest import FIXTURES, SEEDS, cli, rows
from tests.test_seedpage import seed_articles


def topic_groups(db) -> dict[str, set[str]]:
    groups: dict[str, set[str]] = {}
    for label, kicker, title in rows(db, "SELECT coalesce(t.custom_label, t.label), a.kicker, a.title FROM articles a "
                                         "JOIN article_topics x ON x.article_id = a.id JOIN topics t ON t.id = x.topic_id"):
        groups.setdefault(label, set()).add(kicker or title[:20])
    return groups


def test_seed_gives_three_labelled_topics(db):
    assert cli("ingest", SEEDS, "--db", db, "--quiet") == 0
    groups = topic_groups(db)
    assert sorted(map(frozenset, groups.values()), key=len) == sorted([
        frozenset({"US President Donald "}),
        frozenset({"NATIONAL SECURITY", "CROSSED A LINE", "CONSISTENT COMMITMENT"}),
        frozenset({"Proposed amendments "}),
    ], key=len)
    labels = {frozenset(members): label for label, members in groups.items()}
    # Readable: the war topic is named by its place, the cross-strait one by Taiwan, as the articles write them.
    assert "Kursk" in labels[frozenset({"US President Donald "})].split(" · ")
    assert "Taiwan" in labels[frozenset({"NATIONAL SECURITY", "CROSSED A LINE", "CONSISTENT COMMITMENT"})].split(" · ")
    assert "school" in labels[frozenset({"Proposed amendments "})].lower()
    for label in labels.values():
        parts = label.split(" · ")
        assert len(parts) == 3 and not {p.lower() for p in parts} & set(STOP_WORDS), label


def test_same_corpus_twice_gives_identical_topics():
    texts = [a.text for a in seed_articles()] * 5
    first, labels_a = fit(texts)
    second, labels_b = fit(texts)
    assert np.array_equal(labels_a, labels_b)
    assert first.terms == second.terms


def test_new_articles_join_existing_topics_and_far_ones_go_to_other(db, tmp_path):
    assert cli("ingest", SEEDS, "--db", db, "--quiet") == 0
    before = dict(rows(db, "SELECT id, label FROM topics"))
    near = tmp_path / "near.jsonl"
    near.write_text(json.dumps({"title": "Kursk fighting", "text": "Russian forces pressed on in the Kursk region as Ukrainian troops "
                                "pulled back and Putin spoke of a ceasefire that Trump urged on the war."}) + "\n"
                    + json.dumps({"title": "Recipe", "text": "Whisk eggs with sugar, fold in flour and bake the sponge at 180 degrees "
                                  "for twenty minutes until golden."}) + "\n")
    assert cli("ingest", near, "--db", db, "--quiet") == 0
    assert dict(rows(db, "SELECT id, label FROM topics WHERE NOT is_other")) == before
    assigned = dict(rows(db, "SELECT a.title, x.topic_id FROM articles a JOIN article_topics x ON x.article_id = a.id"))
    kursk_topic = next(tid for tid, label in before.items() if "kursk" in label.lower())
    assert assigned["Kursk fighting"] == kursk_topic
    assert assigned["Recipe"] == OTHER_ID


def test_renamed_label_survives_a_refit(db):
    assert cli("ingest", SEEDS, "--db", db, "--quiet") == 0
    (taiwan,) = [tid for tid, label in rows(db, "SELECT id, label FROM topics") if "taiwan" in label.lower()]
    with connect(db) as con:
        assert rename_topic(con, taiwan, "Cross-strait relations")
        assert not rename_topic(con, 999, "nothing")
    assert cli("enrich", "--db", db, "--refit", "--quiet") == 0
    assert rows(db, "SELECT custom_label FROM topics WHERE id = ?", [taiwan]) == [("Cross-strait relations",)]
    assert "Cross-strait relations" in topic_groups(db)


def test_refit_keeps_ids_when_topics_match(db):
    assert cli("ingest", SEEDS, FIXTURES / "feed.rss", "--db", db, "--quiet") == 0
    before = rows(db, "SELECT article_id, topic_id FROM article_topics ORDER BY 1")
    assert cli("enrich", "--db", db, "--refit", "--quiet") == 0
    assert rows(db, "SELECT article_id, topic_id FROM article_topics ORDER BY 1") == before


def test_topic_counts_per_week_are_queryable(db):
    assert cli("ingest", SEEDS, "--db", db, "--quiet") == 0
    with duckdb.connect(str(db), read_only=True) as con:
        weekly = con.execute("SELECT x.topic_id, date_trunc('week', a.published) AS week, count(*) FROM articles a "
                             "JOIN article_topics x ON x.article_id = a.id GROUP BY ALL").fetchall()
    assert sum(n for *_, n in weekly) == 5


def test_duplicates_follow_their_original(db, tmp_path):
    text = ("The central bank raised its main interest rate by a quarter point on Thursday, the third rise this year, saying "
            "inflation remained too high and the labour market too tight to wait any longer before acting again.")
    feed = tmp_path / "dups.jsonl"
    feed.write_text(json.dumps({"title": "Rates up", "text": text, "url": "https://a.example/1"}) + "\n"
                    + json.dumps({"title": "Rates up again", "text": text + " Markets fell.", "url": "https://b.example/1"}) + "\n")
    assert cli("ingest", SEEDS, feed, "--db", db, "--quiet") == 0
    (same,) = rows(db, "SELECT count(DISTINCT x.topic_id) FROM articles a JOIN article_topics x ON x.article_id = a.id "
                       "WHERE a.url LIKE 'https://%.example/1'")
    assert same == (1,)
    assert pipeline.MODEL_NAME == "topics"


def test_clusters_pointing_the_same_way_are_merged():
    from dashboard.nlp.topics import merge_similar

    vectors = np.array([[1.0, 0.0, 0.0], [0.9, 0.1, 0.0], [0.8, 0.3, 0.0], [0.75, 0.35, 0.0], [0.0, 0.0, 1.0], [0.0, 0.1, 1.0]])
    labels = np.array([0, 0, 1, 1, 2, 2])  # clusters 0 and 1 are one direction cut in two; 2 is another
    merged = merge_similar(vectors, labels)
    assert merged[0] == merged[2] != merged[4]
    assert sorted(set(merged.tolist())) == [0, 1]


def test_a_grab_bag_is_split_and_a_coherent_topic_is_not():
    from dashboard.nlp.topics import GRAB_BAG_MIN, split_grab_bags

    rng = np.random.default_rng(0)
    per_direction = GRAB_BAG_MIN // 4
    # Cluster 0 mixes five unrelated directions: its articles' mean cosine to its centre is about
    # 1/sqrt(5) = 0.45. Clusters 1 and 2 are one direction each (cosine about 1): the median is
    # about 1, and cluster 0 is far below it.
    directions = np.eye(6)
    grab_bag = np.vstack([np.tile(directions[i], (per_direction, 1)) for i in range(5)])
    coherent = np.tile(directions[5], (5 * per_direction, 1))
    other = np.tile(directions[0] + directions[1], (5 * per_direction, 1))
    vectors = np.vstack([grab_bag, coherent, other]) + rng.normal(0, 0.05, (15 * per_direction, 6))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    labels = np.array([0] * (5 * per_direction) + [1] * (5 * per_direction) + [2] * (5 * per_direction))
    out = split_grab_bags(vectors, labels)
    assert len(set(out[: 5 * per_direction].tolist())) == 2  # the grab-bag is cut in two
    assert set(out[5 * per_direction:].tolist()) == {1, 2}  # the coherent ones are left alone
    same = np.vstack([coherent, coherent]) + rng.normal(0, 0.05, (10 * per_direction, 6))
    assert (split_grab_bags(same, labels[: 10 * per_direction] % 2) == labels[: 10 * per_direction] % 2).all()


def test_labels_use_phrases_within_a_clause_and_the_articles_own_spelling():
    from dashboard.nlp.labels import label_terms, phrases

    assert "prime minister" in phrases("The prime minister spoke.")
    assert "august ministry" not in phrases("In August, the Ministry of Education said so.")
    assert "script window" not in phrases("<script>window.x = 'title'</script> Mayor resigns")  # markup shown as text
    texts = ["Bin Laden was named. The Taliban said Bin Laden was not there.", "The Taliban and bin Laden again.",
             "Markets rose today.", "Markets fell today, traders said."]
    terms = label_terms(texts, np.array([1, 1, 2, 2]), [["Osama bin Laden"], ["Osama bin Laden"], [], []])
    assert terms[1][:2] == ["Taliban", "Osama bin Laden"] or terms[1][:2] == ["Osama bin Laden", "Taliban"]
    assert not any(t.lower() in ("bin", "laden", "bin laden") for t in terms[1])  # inside the entity's name already
    assert terms[2][0] == "Markets"
