"""Feed and page boilerplate is removed before enrichment and never becomes topic terms or entities."""

from __future__ import annotations

import json

import pytest

from dashboard.ingest.boilerplate import clean, title_without_credit
from tests.conftest import FIXTURES, cli, rows

STORY = "The city council voted on Monday to build a new sea wall along the harbour after winter storms."


@pytest.mark.parametrize(("text", "expected"), [
    (f"{STORY}\nContinue reading...", STORY),
    (f"{STORY} Continue reading...", STORY),
    (f"{STORY} … Read more »", STORY),
    (f"{STORY}\n[Read the full story]", STORY),
    (f"{STORY}\nThe post Harbour wall appeared first on Coastal Courier.", STORY),
    (f"{STORY}\nRelated articles\nStorm floods old town\nMayor promises action", STORY),
    (f"{STORY}\nRelated: Storm floods old town\nThe wall will take two years to build, the mayor said on Monday.",
     f"{STORY}\n\nThe wall will take two years to build, the mayor said on Monday."),
    (f"{STORY}\nAdvertisement\nShare this article\nSign up for our daily newsletter", STORY),
    (f"{STORY}\nWatch the video above.\nFollow Jane Smith on Twitter @janesmith.\nContributing: Tom Brown.", STORY),
    ("市议会周二投票决定沿港口修建一道新海堤。阅读全文", "市议会周二投票决定沿港口修建一道新海堤。"),
    ("市议会周二投票决定沿港口修建一道新海堤。\n相关文章：\n暴雨淹没老城区\n市长承诺采取行动\n责任编辑：王小明", "市议会周二投票决定沿港口修建一道新海堤。"),
    ("Le conseil municipal a voté lundi la construction d'une nouvelle digue. Lire la suite",
     "Le conseil municipal a voté lundi la construction d'une nouvelle digue."),
    ("Le conseil municipal a voté lundi la construction d'une digue.\nÀ lire aussi : La tempête inonde la vieille ville\nPublicité",
     "Le conseil municipal a voté lundi la construction d'une digue."),
    ("Der Stadtrat hat am Montag den Bau eines neuen Deichs beschlossen.\nLesen Sie auch:\nSturm flutet Altstadt\nAnzeige",
     "Der Stadtrat hat am Montag den Bau eines neuen Deichs beschlossen."),
    ("El ayuntamiento aprobó el lunes un nuevo dique... Seguir leyendo", "El ayuntamiento aprobó el lunes un nuevo dique"),
    ("El ayuntamiento aprobó el lunes un nuevo dique.\nTe puede interesar: La tormenta inunda el casco antiguo",
     "El ayuntamiento aprobó el lunes un nuevo dique."),
    # prose that only looks like boilerplate stays
    ("Elle a conseillé aux habitants de lire la suite du rapport avant le vote du conseil municipal.",
     "Elle a conseillé aux habitants de lire la suite du rapport avant le vote du conseil municipal."),
    (f"By Tuesday, the council had voted.\n{STORY}", f"By Tuesday, the council had voted.\n\n{STORY}"),
    (f"{STORY}\nExperts urged residents to read more.", f"{STORY}\n\nExperts urged residents to read more."),
    (f"{STORY}\nCopyright laws were not part of the debate.", f"{STORY}\n\nCopyright laws were not part of the debate."),
    # a wire's credit that opens a story goes; the dateline it sits in stays, and so does a story's subject
    (f"AP - {STORY}", STORY),
    (f"Reuters -- {STORY}", STORY),
    (f"SPACE.com - TORONTO, Canada -- {STORY}", f"TORONTO, Canada -- {STORY}"),
    (f"LONDON (Reuters) - {STORY}", f"LONDON - {STORY}"),
    (f"Canadian Press - VANCOUVER (CP) - {STORY}", f"VANCOUVER - {STORY}"),
    (f"WASHINGTON - {STORY}", f"WASHINGTON - {STORY}"),
    (f"Brexit - What happens next. {STORY}", f"Brexit - What happens next. {STORY}"),
    (f"{STORY}\nReuters - The wall was approved.", f"{STORY}\n\nReuters - The wall was approved."),  # the first paragraph only
])
def test_boilerplate_paragraphs_are_dropped_and_prose_kept(text, expected):
    assert clean(text).text == expected


@pytest.mark.parametrize(("text", "author", "credit"), [
    (f"By Jane Smith\n{STORY}", "Jane Smith", None),
    (f"By Jane Smith and Tom Brown, Reuters\n{STORY}", "Jane Smith and Tom Brown", None),
    (f"{STORY}\nPhoto: AFP", None, "AFP"),
    (f"{STORY}\n(Photo by Sam Lee/Getty Images)", None, "Sam Lee/Getty Images"),
    (f"{STORY}\nGetty Images/Instagram.", None, "Getty Images/Instagram"),
    ("（记者 王小明 报道）\n市议会周二投票决定沿港口修建一道新海堤。\n图片来源：新华社", "王小明", "新华社"),
    (f"{STORY}\nFoto: dpa", None, "dpa"),
    (f"{STORY}\nCrédit photo : AFP", None, "AFP"),
])
def test_bylines_and_credits_become_fields(text, author, credit):
    cleaned = clean(text)
    assert (cleaned.author, cleaned.credit) == (author, credit)
    assert "By " not in cleaned.text and "Photo" not in cleaned.text and "记者" not in cleaned.text


BOILERPLATE = ("Continue reading", "appeared first on", "Related articles", "By Jane Smith", "By Tom Brown", "Photo",
               "Share this article", "Read more", "Storm floods old town")


def test_feed_bodies_are_stored_without_boilerplate(db):
    assert cli("ingest", FIXTURES / "feed_boilerplate.rss", "--db", db, "--no-enrich", "--quiet") == 0
    stored = rows(db, "SELECT title, body, author, photo_credit FROM articles ORDER BY published")
    assert len(stored) == 6
    for title, body, _, _ in stored:
        assert not [b for b in BOILERPLATE if b in body], (title, body)
        assert body.count("\n\n") == 1  # the story's two paragraphs, nothing else
    assert [(r[2], r[3]) for r in stored[:3]] == [("Jane Smith", "Harbour Images"), ("Jane Smith", None),
                                                  ("Tom Brown", "Sam Lee/Coast Pictures")]


def test_boilerplate_never_becomes_topic_terms_or_entities(db):
    assert cli("ingest", FIXTURES / "feed_boilerplate.rss", "--db", db, "--quiet") == 0
    terms = {t.casefold() for (terms,) in rows(db, "SELECT terms FROM topics") for t in terms}
    labels = " ".join(label for (label,) in rows(db, "SELECT label FROM topics")).casefold()
    assert terms, "the feed was given topics"
    for word in ("continue", "reading", "appeared", "post", "courier", "share", "related", "photo"):
        assert word not in terms and word not in labels.split()
    entities = {name for (name,) in rows(db, "SELECT name FROM entities")}
    assert entities, "the feed was given entities"
    assert not entities & {"Coastal Courier", "Jane Smith", "Tom Brown", "Sam Lee", "Harbour Images", "Coast Pictures"}


def test_export_bodies_lose_boilerplate_and_keep_their_own_lines_otherwise(db, tmp_path):
    plain = "First line of a story about the harbour wall.\nSecond line, written the way the export wrote it."
    records = [
        {"id": "a", "title": "Harbour wall", "text": f"By Jane Smith\n{STORY}\nContinue reading...\nRelated articles\nStorm floods old town"},
        {"id": "b", "title": "Harbour wall, day two", "text": plain},
    ]
    export = tmp_path / "export.jsonl"
    export.write_text("".join(json.dumps(r) + "\n" for r in records))
    assert cli("ingest", export, "--db", db, "--no-enrich", "--quiet") == 0
    stored = dict((title, (body, author)) for title, body, author in rows(db, "SELECT title, body, author FROM articles"))
    assert stored["Harbour wall"] == (STORY, "Jane Smith")
    assert stored["Harbour wall, day two"] == (plain, None)


def test_a_wire_credit_opening_each_story_is_no_entity(db, tmp_path):
    """An export whose stories open with their agency ("Reuters - ", "NEW YORK (Reuters) - ", AG News's shape):
    the agency is no entity, and the stories keep the places of their datelines."""
    stories = ["Oil prices rose on Monday as OPEC met in Vienna to discuss output cuts for the winter.",
               "Shares of Microsoft fell after the company warned of slower sales in Europe this year.",
               "The European Central Bank held its rates as inflation in Germany eased in the spring."]
    export = tmp_path / "wire.csv"
    lines = ["title,published,text"] + [f'"Story {n} ({("Reuters", "Reuters", "AP")[n]})",2004-08-0{n + 1},'
                                        f'"{("Reuters - ", "NEW YORK (Reuters) - ", "AP - ")[n]}{text}"' for n, text in enumerate(stories)]
    export.write_text("\n".join(lines) + "\n")
    assert cli("ingest", export, "--db", db, "--quiet") == 0
    bodies = sorted(body for (body,) in rows(db, "SELECT body FROM articles"))
    assert bodies == sorted([stories[0], f"NEW YORK - {stories[1]}", stories[2]])
    assert sorted(title for (title,) in rows(db, "SELECT title FROM articles")) == ["Story 0", "Story 1", "Story 2"]
    entities = {name for (name,) in rows(db, "SELECT name FROM entities")}
    assert {"OPEC", "Microsoft"} <= entities and not entities & {"Reuters", "AP"}


@pytest.mark.parametrize(("title", "expected"), [
    ("Storm closes schools across Maine (AP)", "Storm closes schools across Maine"),
    ("Second team sets launch date (SPACE.com)", "Second team sets launch date"),
    ("Oil rises as OPEC meets (Reuters)", "Oil rises as OPEC meets"),
    ("Talks resume (in Paris)", "Talks resume (in Paris)"),  # words in parentheses that name no agency stay
    ("Clinton (D) leads in Ohio", "Clinton (D) leads in Ohio"),
    ("(AP)", "(AP)"),  # a headline that is nothing but a credit keeps it: a headline is never emptied
])
def test_a_headline_loses_the_agency_credit_it_ends_with(title, expected):
    assert title_without_credit(title) == expected


def test_an_aggregators_headline_loses_the_outlet_its_source_names(db, tmp_path):
    """Google News's feeds end each headline with the outlet its `<source>` names: the outlet goes, and a
    dash inside a headline, or an outlet the entry does not name, stays."""
    items = [("Storm hits coast - The Guardian", "The Guardian"), ("Brexit - what happens next - BBC News", "BBC News"),
             ("Markets fall - a view from Tokyo", None)]
    feed = tmp_path / "news.rss"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>storm - Google News</title>' + "".join(
        f"<item><title>{title}</title><link>https://news.example/{n}</link><description>Story {n}.</description>"
        + (f'<source url="https://outlet.example">{outlet}</source>' if outlet else "") + "</item>"
        for n, (title, outlet) in enumerate(items)) + "</channel></rss>")
    assert cli("ingest", feed, "--db", db, "--no-enrich", "--quiet") == 0
    assert sorted(t for (t,) in rows(db, "SELECT title FROM articles")) == [
        "Brexit - what happens next", "Markets fall - a view from Tokyo", "Storm hits coast"]
