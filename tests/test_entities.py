"""Canonical entities across a corpus, on a real enriched DuckDB file."""

import json

import pytest

from dashboard.nlp.entities import extract, harmonise, load_pipeline, mentions_from_entities
from dashboard.nlp.names import clean, short_form_candidates, strip_titles
from tests.conftest import SEEDS, cli, rows


@pytest.fixture(scope="module")
def enriched_seed(tmp_path_factory):
    db = tmp_path_factory.mktemp("seed") / "news.duckdb"
    assert cli("ingest", SEEDS, "--db", db, "--quiet") == 0
    return db


def entities(db) -> dict[str, tuple[str, list[str], int, int]]:
    return {name: (etype, aliases, arts, mentions) for name, etype, aliases, arts, mentions in rows(
        db, "SELECT e.name, e.type, e.aliases, count(DISTINCT m.article_id), count(*) FROM entities e "
            "JOIN mentions m ON m.entity_id = e.id GROUP BY ALL")}


def test_short_forms_resolve_to_full_names(enriched_seed):
    found = entities(enriched_seed)
    for full in ("Vladimir Putin", "Donald Trump", "Steve Witkoff"):
        assert full in found and found[full][0] == "PERSON"
    for short in ("Putin", "Trump", "Witkoff", "Medvedev"):
        assert short not in found
    assert found["Vladimir Putin"][3] >= 5  # "Putin" mentions count for Vladimir Putin


def test_cjk_form_is_an_alias_never_an_entity(enriched_seed):
    found = entities(enriched_seed)
    assert found["Cho Jung-tai"][:2] == ("PERSON", ["卓榮泰"])
    assert not any("卓" in name or "榮" in name for name in found)


def test_defined_acronym_is_an_alias(enriched_seed):
    found = entities(enriched_seed)
    assert found["National Immigration Agency"][1] == ["NIA"]
    assert "NIA" not in found and "the National Immigration Agency" not in found


def test_possessives_and_titles_make_no_new_entities(enriched_seed):
    names = set(entities(enriched_seed))
    assert "Russia" in names and not any(n.endswith(("’s", "'s")) for n in names)
    assert not any(n.startswith(("US President", "President", "Premier", "former")) for n in names)
    assert "Kursk" in names  # tagged PRODUCT by the model, recognised as a place


def test_every_mention_points_into_the_article_text(enriched_seed):
    from dashboard.model import article_text

    for title, body, start, end, text in rows(enriched_seed, "SELECT a.title, a.body, m.start_char, m.end_char, m.text "
                                                            "FROM mentions m JOIN articles a ON a.id = m.article_id"):
        assert article_text(title, body)[start:end] == text


def test_export_entities(enriched_seed, capsys):
    assert cli("export", "entities", "--db", enriched_seed) == 0
    records = {r["name"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert records["Taiwan"]["type"] == "GPE" and records["Taiwan"]["articles"] == 3
    assert records["Cho Jung-tai"]["aliases"] == ["卓榮泰"]


@pytest.mark.parametrize(
    ("surface", "label", "expected"),
    [
        ("Russia’s", "GPE", "Russia"),
        ("US President Donald Trump", "PERSON", "Donald Trump"),
        ("the National Immigration Agency", "ORG", "National Immigration Agency"),
        ("U.S.", "GPE", "United States"),
        ("former president Dmitry Medvedev", "PERSON", "Dmitry Medvedev"),
        # a span run over a wire dateline, into the sentence after a dash, or from a possessive on
        ("CLEVELAND - Donald Trump", "ORG", "Donald Trump"),
        ("Trump - 60 percent", "PERSON", "Trump"),
        ("’s Donald Trump", "PERSON", "Donald Trump"),
        ("Jean-Luc Picard", "PERSON", "Jean-Luc Picard"),
        ("Bosnia and Herzegovina", "GPE", "Bosnia and Herzegovina"),
    ],
)
def test_clean_names(surface, label, expected):
    assert clean(surface, label) == expected


def test_strip_titles_keeps_the_role():
    assert strip_titles("US Secretary of State Marco Rubio") == ("Marco Rubio", "US Secretary of State")


def test_a_short_form_may_stand_for_every_full_name_in_use_never_the_most_mentioned_alone():
    plan = short_form_candidates([(1, "Bush", 3), (2, "George Bush", 10), (3, "Jeb Bush", 2), (4, "Smith", 1)])
    assert plan == {1: [2, 3]}


def test_a_name_glued_from_two_people_is_no_candidate():
    # "Jiang Bush" from a headline like "Bush and Jiang Meet": "Jiang" is a person of its own
    plan = short_form_candidates([(1, "Bush", 30), (2, "Jiang", 12), (3, "Jiang Bush", 4), (4, "George Bush", 3)])
    assert plan == {1: [4]}


def test_organisation_cut_short_is_extended_and_split_from_a_person():
    text = "The American Institute in Taiwan Director Raymond Greene said so."
    mentions = mentions_from_entities(text, [(4, 22, "ORG"), (26, 32, "GPE"), (42, 56, "PERSON")])
    assert [(m.name, m.label) for m in mentions] == [("American Institute in Taiwan", "ORG"), ("Raymond Greene", "PERSON")]


def test_pipeline_extracts_people_and_places():
    doc = load_pipeline()("Chancellor Olaf Scholz met French President Emmanuel Macron in Paris on Tuesday.")
    found = {(m.name, m.label) for m in extract(doc)}
    assert {("Olaf Scholz", "PERSON"), ("Emmanuel Macron", "PERSON"), ("Paris", "GPE")} <= found


@pytest.mark.parametrize(("text", "name", "alias"), [
    ("Storm closes schools across Maine (AP)", "Maine", None),  # a wire's credit after a headline, not Maine's acronym
    ("Bank cuts rates in Japan (Reuters)", "Japan", None),
    ("The Federal Bureau of Investigation (FBI) said so.", "Federal Bureau of Investigation", "FBI"),
    ("The Department for Education and Skills (DfES) launched it.", "Department for Education and Skills", "DfES"),
    ("The Associated Press (AP) reported it.", "Associated Press", "AP"),
    ("The United Nations (U.N.) met.", "United Nations", "U.N."),
    ("Talks open in Paris (AFP)", "Paris", None),  # AFP starts with another letter than Paris
])
def test_an_alias_in_parentheses_is_taken_only_when_it_abbreviates_the_name(text, name, alias):
    start = text.index(name)
    label = "GPE" if name in ("Maine", "Japan", "Paris") else "ORG"
    mention = mentions_from_entities(text, [(start, start + len(name), label)])[0]
    assert (mention.name, mention.alias) == (name, alias)


def test_lower_case_words_are_not_entities():
    text = "Net income rose 12 cts a share, the treasury said in Washington."
    mentions = mentions_from_entities(text, [(19, 22, "ORG"), (36, 44, "ORG"), (53, 63, "GPE")])
    assert [m.name for m in mentions] == ["Washington"]


def test_markup_shown_as_text_is_no_entity():
    text = "<div class=Header>Breaking News</div> Mayor Anne Hidalgo resigns"
    spans = [(text.index("Header"), text.index("</div>"), "ORG"), (text.index("Anne"), text.index(" resigns"), "PERSON")]
    assert [m.name for m in mentions_from_entities(text, spans)] == ["Anne Hidalgo"]


def test_a_place_after_an_honorific_is_a_person():
    text = "Mr Wellington said the budget was tight, on a visit to Wellington."
    mentions = mentions_from_entities(text, [(3, 13, "GPE"), (55, 65, "GPE")])
    assert [(m.name, m.label) for m in mentions] == [("Wellington", "PERSON"), ("Wellington", "GPE")]


def test_surname_read_as_an_unknown_place_takes_the_full_name():
    text = "John Kasich spoke in Ohio. Kasich said the state would vote for him."
    mentions = harmonise(mentions_from_entities(text, [(0, 11, "PERSON"), (21, 25, "GPE"), (27, 33, "GPE")]))
    assert [(m.name, m.label) for m in mentions] == [("John Kasich", "PERSON"), ("Ohio", "GPE"), ("John Kasich", "PERSON")]


def test_an_entity_that_speaks_a_quote_is_kept_when_no_mention_names_it(db):
    """A speaker found without a mention of its own keeps its entity when the clean-up drops the
    entities no mention names; one that neither speaks nor is mentioned goes."""
    from dashboard.store import connect, transaction
    from dashboard.store import enrichment as store

    assert cli("ingest", SEEDS, "--db", db, "--no-enrich", "--quiet") == 0
    with connect(db) as con, transaction(con):
        article_id, article_key = con.execute("SELECT id, key FROM articles ORDER BY id LIMIT 1").fetchone()
        con.execute("INSERT INTO entities (id, name, type, aliases) VALUES (900001, 'Quiet Speaker Inc', 'ORG', []), "
                    "(900002, 'Nobody At All', 'ORG', [])")
        con.execute("INSERT INTO quotes VALUES (?, 0, 5, 'Words', 900001, 'Quiet Speaker Inc', 'said', ?)", [article_id, article_key])
        store.drop_orphan_entities(con)
    assert rows(db, "SELECT id FROM entities WHERE id >= 900001") == [(900001,)]
    assert cli("check", "--db", db) == 0
