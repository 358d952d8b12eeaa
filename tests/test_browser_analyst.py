"""Real browser paths for links, exports, finding and curation: Debian's Chromium driven by Playwright
against `streamlit run app.py` on a copy of the synthetic corpus (260 original articles, more than a screen).

Pinned here: the Quotes page's filters in the link, Back returning to the previous view in one
step, the full CSV export of a selection larger than one screen, entity type-ahead with a
misspelling, and an admin merge that survives re-enrichment. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.conftest import rows
from tests.test_browser import SECRET, choose, copied_link, launch_chromium, open_page, run_streamlit, shot
from tests.test_curation import reenrich_from_scratch

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def corpus_db(synthetic_db, tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("analyst-browser") / "synthetic.duckdb"
    shutil.copy(synthetic_db, copy)
    return copy


@pytest.fixture(scope="module")
def server(corpus_db):
    yield from run_streamlit(corpus_db)


@pytest.fixture(scope="module")
def browser():
    yield from launch_chromium()


def at_heading(browser, url: str, heading: str):
    context, page, _ = open_page(browser, url, ready=None)
    page.get_by_role("heading", name=heading).first.wait_for(timeout=30_000)
    page.wait_for_load_state("networkidle")
    return context, page


def caption_with(page, suffix: str) -> str:
    """The text of the first caption ending with `suffix` ('quotes', 'articles')."""
    box = page.get_by_test_id("stCaptionContainer").filter(has_text=suffix).first
    box.wait_for(timeout=20_000)
    return box.inner_text().strip()


def wait_for_url(page, *parts: str) -> None:
    page.wait_for_function("(parts) => parts.every(p => decodeURIComponent(window.location.search.replaceAll('+', ' ')).includes(p))",
                           arg=list(parts), timeout=30_000)


def test_the_quotes_filters_are_in_the_link(server, browser, corpus_db):
    speaker, words = "Angela Merkel", "decision"
    (want,), = rows(corpus_db, """SELECT count(*) FROM quotes q JOIN entities e ON e.id = q.speaker_id
                                  JOIN articles a ON a.id = q.article_id
                                  WHERE a.duplicate_of IS NULL AND e.name = ? AND contains(lower(q.text), ?)""", [speaker, words])
    (everyone,), = rows(corpus_db, "SELECT count(*) FROM quotes q JOIN articles a ON a.id = q.article_id WHERE a.duplicate_of IS NULL")
    assert 0 < want < everyone
    context, page = at_heading(browser, f"{server}/quotes", "Quotes")
    assert caption_with(page, "quotes") == f"{everyone} quotes"
    choose(page, "Speakers", "merkel")
    box = page.get_by_label("Quote contains")
    box.fill(words)
    box.press("Enter")
    wait_for_url(page, f"speaker={speaker}", f"says={words}")
    page.wait_for_function("(n) => [...document.querySelectorAll('[data-testid=stCaptionContainer]')]"
                           ".some(c => c.innerText.trim() === n + ' quotes')", arg=want, timeout=30_000)
    link = copied_link(page)
    assert parse_qs(urlsplit(link).query) == {"speaker": [speaker], "says": [words]}
    shot(page, "quotes-filtered")
    context.close()

    fresh, again = at_heading(browser, link, "Quotes")
    assert caption_with(again, "quotes") == f"{want} quotes"
    assert speaker in again.get_by_test_id("stMain").get_by_test_id("stMultiSelect").first.inner_text()
    expect(again.get_by_label("Quote contains")).to_have_value(words, timeout=10_000)
    fresh.close()


def settled(page) -> None:
    """Wait until the page's reruns are over (a second history step would come from one of them)."""
    idle = "() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'"
    for _ in range(2):  # a run may start another (a callback's rerun): idle twice, a moment apart
        page.wait_for_function(idle, timeout=90_000)
        page.wait_for_timeout(1000)


ENTRY = "navigation.currentEntry.index"  # the browser's Navigation API: where in the tab's history the page is


def one_step(page, move, arrived: str) -> str:
    """Make a move; check it added exactly one history entry and reached a URL with `arrived`; press Back
    once and check the URL is the one before the move. Returns the URL the move reached."""
    settled(page)
    before, index = page.url, page.evaluate(ENTRY)
    move()
    page.wait_for_function("(part) => decodeURIComponent(location.href.replaceAll('+', ' ')).includes(part)", arg=arrived,
                           timeout=30_000)
    settled(page)
    reached = page.url
    # the entry after the one before: one step (two would be index + 2; none, a replaced URL, index)
    assert page.evaluate(ENTRY) == index + 1 and page.evaluate("navigation.entries().length") == index + 2, (before, reached)
    page.go_back()
    page.wait_for_function("(url) => location.href === url", arg=before, timeout=30_000)
    settled(page)
    assert page.url == before and page.evaluate(ENTRY) == index  # and it stays: nothing written on the way back moved it
    return reached


def sidebar_link(page, title: str):
    return page.get_by_test_id("stSidebar").get_by_test_id("stPageLink").filter(has_text=title).first


def test_back_returns_to_the_previous_view_in_one_step(server, browser, corpus_db):
    # search -> Articles: typing the search is one step, going to Articles another; Back undoes each in turn
    context, page = at_heading(browser, f"{server}/", "Newsdesk")
    box = page.get_by_test_id("stSidebar").get_by_role("textbox", name="Search")
    one_step(page, lambda: (box.fill("crude"), box.press("Enter")), "q=crude")
    box.fill("crude")
    box.press("Enter")
    wait_for_url(page, "q=crude")
    settled(page)
    reached = one_step(page, lambda: sidebar_link(page, "Articles").click(), "/articles?q=crude")
    assert parse_qs(urlsplit(reached).query) == {"q": ["crude"]}
    page.get_by_role("heading", name="Newsdesk").wait_for(timeout=20_000)  # Back: the Overview with its search
    expect(box).to_have_value("crude")
    context.close()

    # entity -> Articles: picked in the Entities page's finder, then the Articles page
    context, page = at_heading(browser, f"{server}/entities", "Entities")
    page.get_by_label("Find an entity").press_sequentially("merkel", delay=60)
    pick = page.get_by_test_id("stButton").filter(has_text="Angela Merkel").first
    pick.wait_for(timeout=15_000)
    settled(page)
    one_step(page, pick.click, "entity=Angela Merkel")
    page.go_forward()
    page.get_by_role("heading", name="Angela Merkel").wait_for(timeout=20_000)
    settled(page)
    reached = one_step(page, lambda: sidebar_link(page, "Articles").click(), "/articles?entity=Angela")
    assert parse_qs(urlsplit(reached).query) == {"entity": ["Angela Merkel"]}
    page.get_by_role("heading", name="Angela Merkel").wait_for(timeout=20_000)  # Back: the entity's page again
    context.close()

    # topic -> Articles, and from a topic to one of its stories (a page link in the list), then an article
    (topic_id,), = rows(corpus_db, "SELECT topic_id FROM article_topics GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
    context, page = at_heading(browser, f"{server}/topics?topic={topic_id}", "Stories in this topic")
    settled(page)
    reached = one_step(page, lambda: sidebar_link(page, "Articles").click(), "/articles?topic=")
    assert parse_qs(urlsplit(reached).query) == {"topic": [str(topic_id)]}
    story = page.get_by_test_id("stMain").locator("a[href*='story=']").first
    story_id = parse_qs(urlsplit(story.get_attribute("href")).query)["story"][0]
    reached = one_step(page, story.click, f"story={story_id}")
    assert urlsplit(reached).path == "/articles" and parse_qs(urlsplit(reached).query) == {"topic": [str(topic_id)], "story": [story_id]}
    assert len(context.pages) == 1  # the same tab, the same session
    page.get_by_role("heading", name="Stories in this topic").wait_for(timeout=20_000)
    context.close()

    # From a list on another page to the reader, and on the Articles page itself: same tab, one step, Back closes it
    context, page = at_heading(browser, f"{server}/quotes?topic={topic_id}&q=the", "Quotes")
    settled(page)
    reached = one_step(page, page.get_by_test_id("stMain").locator("a[href*='article=']").first.click, "article=")
    query = parse_qs(urlsplit(reached).query)
    assert urlsplit(reached).path == "/articles" and len(context.pages) == 1
    assert query["topic"] == [str(topic_id)] and query["q"] == ["the"] and len(query["article"]) == 1
    context.close()
    context, page = at_heading(browser, f"{server}/articles?q=crude", "Articles")
    settled(page)
    name = page.get_by_test_id("stButton").filter(has_text="Crude").first.inner_text().strip().splitlines()[-1]  # after the icon's name
    title = page.get_by_test_id("stButton").filter(has_text=name).first
    reached = one_step(page, title.click, "article=")
    page.locator(".nd-reader").wait_for(state="detached", timeout=15_000)  # Back closed the reader
    page.go_forward()
    page.locator(".nd-reader").wait_for(timeout=20_000)
    (opened,), = rows(corpus_db, "SELECT title FROM articles WHERE id = ?", parse_qs(urlsplit(reached).query)["article"])
    assert opened == name  # the article clicked
    assert name in page.get_by_test_id("stMain").get_by_role("heading", level=2).first.inner_text()
    shot(page, "reader-same-tab")
    context.close()


def test_the_csv_export_holds_the_whole_selection_not_the_screen(server, browser, corpus_db):
    chosen = rows(corpus_db, "SELECT id FROM articles WHERE duplicate_of IS NULL AND published >= '2024-01-01' "
                             "AND published < '2024-03-16'")
    assert len(chosen) > 50  # more than the one page of the list on screen
    context, page = at_heading(browser, f"{server}/articles?from=2024-01-01&to=2024-03-15", "Articles")
    assert caption_with(page, "articles") == f"{len(chosen)} articles"
    page.get_by_test_id("stPagination").wait_for(timeout=10_000)  # the list shows one page of it
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name=f"All {len(chosen)} as CSV").first.click()
    assert download.value.suggested_filename == "newsdesk-articles-2024-01-01_2024-03-15.csv"
    with open(download.value.path(), newline="", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    assert sorted(r["id"] for r in records) == sorted(r[0] for r in chosen)
    assert all(r["body"] and r["url"].startswith("https://") and r["topic_label"] for r in records)
    assert any(r["entities"] for r in records)
    page.get_by_label("Page 2", exact=True).click()
    wait_for_url(page, "page=2")
    shot(page, "articles-export-page-2")
    context.close()


def test_entity_type_ahead_forgives_a_misspelling(server, browser):
    context, page = at_heading(browser, f"{server}/entities", "Entities")
    page.get_by_label("Find an entity").press_sequentially("macorn", delay=60)  # no Enter: the list follows the typing
    match = page.get_by_test_id("stButton").filter(has_text="Emmanuel Macron").first
    match.wait_for(timeout=15_000)
    shot(page, "entity-type-ahead")
    match.click()
    wait_for_url(page, "entity=Emmanuel Macron")
    page.get_by_role("heading", name="Emmanuel Macron").wait_for(timeout=20_000)
    context.close()


def test_an_admin_merge_survives_reenrichment(server, browser, corpus_db):
    source, target = "Justin Trudeau", "Canada"
    union = rows(corpus_db, "SELECT count(DISTINCT m.article_id) FROM mentions m JOIN entities e ON e.id = m.entity_id "
                            "WHERE e.name IN (?, ?)", [source, target])[0][0]
    alone = rows(corpus_db, "SELECT count(DISTINCT m.article_id) FROM mentions m JOIN entities e ON e.id = m.entity_id "
                            "WHERE e.name = ?", [target])[0][0]
    assert union > alone
    context, page = at_heading(browser, f"{server}/entities", "Entities")
    page.get_by_test_id("stSidebar").get_by_text("Admin", exact=True).click()
    page.get_by_label("Admin secret").fill(SECRET)
    page.get_by_label("Admin secret").press("Enter")
    page.get_by_text("Signed in as admin").wait_for(timeout=15_000)
    page.get_by_text("Correct entities (admin)").click()
    choose(page, "Entity", "trudeau")
    choose(page, "Merge into", "canada")
    shot(page, "entities-admin-before-merge")
    page.get_by_role("button", name="Merge").click()
    page.get_by_text(f"Merged “{source}” into “{target}”.").wait_for(timeout=15_000)
    page.wait_for_load_state("networkidle")
    shot(page, "entities-admin-merge")
    listed = page.get_by_test_id("stCaptionContainer").filter(has_text=f"merged “{source}” into “{target}”")
    listed.first.wait_for(timeout=15_000)
    assert listed.count() == 1  # listed once
    assert page.get_by_role("button", name="Undo").count() == 1
    shot(page, "entities-admin-merge")
    context.close()

    reenrich_from_scratch(corpus_db)  # every entity, mention and quote found again by the NLP
    fresh, again = at_heading(browser, f"{server}/entities?entity={target}", target)
    again.get_by_text(f"{union} articles").first.wait_for(timeout=20_000)
    fresh.close()
    fresh, again = at_heading(browser, f"{server}/entities", "Entities")
    again.get_by_label("Find an entity").press_sequentially("trudeau", delay=60)
    found = again.get_by_test_id("stButton").filter(has_text=f"also {source}").first
    found.wait_for(timeout=15_000)  # the old name finds the entity it went into
    assert found.inner_text().startswith(target)
    labels = [b.inner_text() for b in again.get_by_test_id("stMain").get_by_test_id("stButton").all()]
    assert not any(label.startswith(source) for label in labels)
    fresh.close()


def test_dark_mode_follows_the_browser_and_a_phone_sees_the_active_filters(server, browser):
    backgrounds = {}
    for scheme in ("dark", "light"):
        context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme, is_mobile=True)
        page = context.new_page()
        page.goto(f"{server}/articles?q=crude&from=2024-01-01")
        page.get_by_role("heading", name="Articles").wait_for(timeout=30_000)
        page.wait_for_load_state("networkidle")
        backgrounds[scheme] = page.evaluate("getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor")
        line = page.get_by_test_id("stMain").get_by_text("Search: crude").first
        assert line.is_visible() and "Dates: 2024-01-01 to …" in line.inner_text()
        assert line.bounding_box()["y"] < 844  # on the first screen, without opening the sidebar
        shot(page, f"phone-articles-{scheme}")
        context.close()
    luminance = {k: sum(int(c) for c in v[v.index("(") + 1:v.index(")")].split(",")[:3]) for k, v in backgrounds.items()}
    assert luminance["dark"] < 200 < luminance["light"]
