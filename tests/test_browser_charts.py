"""The charts in a real browser (Debian's Chromium through Playwright) against `streamlit run app.py`.

On the synthetic corpus (thirteen weeks, days without articles): the volume chart's numbers
are zero-filled, a topic keeps its colour across the week and day views and the Topics page,
a click on a point filters to its week and lists that week's stories and articles, and a
comparison of three series built in the page survives its copied link. The expected figures
come from the stored rows, read here with plain SQL. Screenshots of the pages go to
test-artifacts/ (on the seed too).
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.conftest import rows
from tests.test_browser import copied_link, launch_chromium, open_page, run_streamlit, shot

pytestmark = pytest.mark.browser
ORIGINALS = "a.duplicate_of IS NULL AND a.published IS NOT NULL"


@pytest.fixture(scope="module")
def server(synthetic_db):
    yield from run_streamlit(synthetic_db)


@pytest.fixture(scope="module")
def browser():
    yield from launch_chromium()


def chart_traces(page, index: int = 0) -> list[dict]:
    """The traces the browser drew in the page's `index`-th Plotly chart: name, colour, x (days), y."""
    page.locator(".js-plotly-plot").nth(index).wait_for(timeout=60_000)
    return page.evaluate("""i => Array.from(document.querySelectorAll('.js-plotly-plot'))[i].data.map(t => ({
        name: t.name, colour: t.line ? t.line.color : null,
        x: Array.from(t.x || []).map(v => String(v).slice(0, 10)), y: Array.from(t.y || [])}))""", index)


def topics_of(db) -> dict[int, str]:
    return dict(rows(db, "SELECT id, coalesce(custom_label, label) FROM topics"))


def days(first: date, last: date, step: int = 1) -> list[str]:
    return [(first + timedelta(days=i)).isoformat() for i in range(0, (last - first).days + 1, step)]


def test_the_volume_chart_is_zero_filled_day_by_day(server, browser, synthetic_db):
    context, page, _ = open_page(browser, server + "/?grain=day&top=all")
    traces = {t["name"]: t for t in chart_traces(page)}
    counts = rows(synthetic_db, f"""SELECT x.topic_id, a.published::DATE, count(*) FROM articles a JOIN article_topics x ON x.article_id = a.id
                                    WHERE {ORIGINALS} GROUP BY ALL""")
    first, last = rows(synthetic_db, f"SELECT min(published)::DATE, max(published)::DATE FROM articles a WHERE {ORIGINALS}")[0]
    every_day = days(first, last)
    labels = topics_of(synthetic_db)
    assert set(traces) == {labels[t] for t, _, _ in counts}  # every topic on demand, no "everything else"
    zeros = 0
    for topic_id, label in labels.items():
        expected = {d.isoformat(): n for t, d, n in counts if t == topic_id}
        if not expected:
            continue
        assert traces[label]["x"] == every_day, label  # one point per day, the empty ones included
        assert traces[label]["y"] == [expected.get(d, 0) for d in every_day], label
        zeros += traces[label]["y"].count(0)
    assert zeros > 0  # the corpus has days without a story of each topic: they are drawn at zero
    shot(page, "overview-day-all-topics")
    context.close()


def test_a_topic_keeps_its_colour_across_grains_and_pages(server, browser, synthetic_db):
    context, page, _ = open_page(browser, server + "/")
    weekly = {t["name"]: t["colour"] for t in chart_traces(page)}
    assert len(set(weekly.values())) == len(weekly)  # each topic its own colour
    page.get_by_role("radio", name="day", exact=True).first.click()
    page.wait_for_function("() => window.location.search.includes('grain=day')", timeout=30_000)
    page.wait_for_function("() => document.querySelector('.js-plotly-plot').data[0].x.length > 20", timeout=30_000)
    daily = {t["name"]: t["colour"] for t in chart_traces(page)}
    assert daily == weekly
    assert parse_qs(urlsplit(copied_link(page)).query)["grain"] == ["day"]  # the grain travels with the link
    context.close()
    topic_id, label = max(topics_of(synthetic_db).items())
    fresh, topic_page, _ = open_page(browser, f"{server}/topics?topic={topic_id}", ready=None)
    topic_page.get_by_role("heading", name=label).wait_for(timeout=60_000)
    (trace,) = chart_traces(topic_page)
    assert (trace["name"], trace["colour"]) == (label, weekly[label])
    shot(topic_page, "topic-volume")
    fresh.close()


def click_point(page, index: int, chart: int = 0) -> None:
    """Click the `index`-th marker of a chart as a user does (hover, then click)."""
    marker = page.locator(".js-plotly-plot").nth(chart).locator(".scatterlayer .points path").nth(index)
    box = marker.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)


def test_a_click_on_a_peak_filters_to_its_week_and_lists_its_stories(server, browser, synthetic_db):
    topic_id = min(topics_of(synthetic_db))
    context, page, _ = open_page(browser, f"{server}/?topic={topic_id}")
    (trace,) = chart_traces(page)
    assert len(trace["x"]) <= 14  # few enough weeks for markers to click
    peak = max(range(len(trace["y"])), key=lambda i: (trace["y"][i], -i))
    length = page.evaluate("history.length")
    click_point(page, peak)
    page.wait_for_function("() => window.location.search.includes('to=')", timeout=30_000)
    query = parse_qs(urlsplit(page.url).query)
    monday = date.fromisoformat(trace["x"][peak])
    assert query["from"] == [monday.isoformat()] and query["to"] == [(monday + timedelta(days=6)).isoformat()]
    assert query["topic"] == [str(topic_id)]
    heading = page.get_by_role("heading", name=f"Stories of {monday} to {monday + timedelta(days=6)}")
    heading.wait_for(timeout=30_000)
    week = [monday, monday + timedelta(days=7)]
    stories = rows(synthetic_db, f"""
        SELECT st.id, st.size FROM stories st WHERE st.id IN (
            SELECT s.story_id FROM article_stories s JOIN articles a ON a.id = s.article_id JOIN article_topics x ON x.article_id = a.id
            WHERE {ORIGINALS} AND x.topic_id = ? AND a.published >= ? AND a.published < ?)
        ORDER BY st.size DESC, st.last_day DESC, st.id LIMIT 6""", [topic_id, *week])
    articles = rows(synthetic_db, f"""
        SELECT a.id FROM articles a JOIN article_topics x ON x.article_id = a.id
        WHERE {ORIGINALS} AND x.topic_id = ? AND a.published >= ? AND a.published < ?
        ORDER BY a.published DESC, a.id LIMIT 10""", [topic_id, *week])
    assert stories and articles
    main = page.get_by_test_id("stMain")
    idle = "() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'"
    page.wait_for_function(idle, timeout=90_000)  # the rest of the page drawn: the lists read below stay put
    story_links = main.locator("a[href*='story=']")
    shown_stories = [parse_qs(urlsplit(story_links.nth(i).get_attribute("href")).query)["story"][0] for i in range(story_links.count())]
    assert shown_stories[: len(stories)] == [str(s) for s, _ in stories]  # the week's stories, biggest first
    article_links = main.locator(".st-key-period-articles a[href*='article=']")
    shown_articles = [parse_qs(urlsplit(article_links.nth(i).get_attribute("href")).query)["article"][0] for i in range(article_links.count())]
    assert shown_articles == [a for (a,) in articles]  # and its articles, newest first
    assert metric_value(page, "Articles") == str(rows(synthetic_db, f"""SELECT count(*) FROM articles a JOIN article_topics x ON x.article_id = a.id
        WHERE {ORIGINALS} AND x.topic_id = ? AND a.published >= ? AND a.published < ?""", [topic_id, *week])[0][0])
    shot(page, "overview-period-picked")
    assert page.evaluate("history.length") == length + 1  # the click is one step in the browser's history
    page.go_back()  # and one Back undoes it: all dates again
    page.wait_for_function("() => !window.location.search.includes('from=')", timeout=30_000)
    heading.wait_for(state="detached", timeout=30_000)
    assert parse_qs(urlsplit(page.url).query) == {"topic": [str(topic_id)]}
    expect(page.get_by_test_id("stSidebar").get_by_role("textbox", name="From")).to_have_value("", timeout=30_000)  # drawn by the run Back starts
    context.close()


def test_a_date_typed_with_enter_and_the_presets_set_the_period(server, browser, synthetic_db):
    context, page, _ = open_page(browser, server + "/")
    field = page.get_by_test_id("stSidebar").get_by_label("Around a date")
    field.fill("2024-02-10")
    field.press("Enter")
    # a week either side, the default window
    page.wait_for_function("() => ['from=2024-02-03', 'to=2024-02-17'].every(p => window.location.search.includes(p))", timeout=30_000)
    page.get_by_role("heading", name="Stories of 2024-02-03 to 2024-02-17").wait_for(timeout=30_000)
    (last,), = rows(synthetic_db, f"SELECT max(published)::DATE FROM articles a WHERE {ORIGINALS}")
    page.get_by_test_id("stSidebar").get_by_role("button", name="7d").click()
    week = [f"from={last - timedelta(days=6)}", f"to={last}"]
    page.wait_for_function(f"() => {week}.every(p => window.location.search.includes(p))", timeout=30_000)
    page.get_by_test_id("stSidebar").get_by_role("button", name="All", exact=True).click()
    page.wait_for_function("() => !window.location.search.includes('from=')", timeout=30_000)
    context.close()


def test_from_and_to_commit_on_enter(server, browser, synthetic_db):
    context, page, _ = open_page(browser, server + "/")
    sidebar = page.get_by_test_id("stSidebar")
    start, end = sidebar.get_by_role("textbox", name="From"), sidebar.get_by_role("textbox", name="To")
    start.fill("2024-02-05")
    start.press("Enter")  # Enter alone, the field keeps the focus: the date applies
    page.wait_for_function("() => window.location.search.includes('from=2024-02-05')", timeout=30_000)
    end.fill("2024-02")  # a month: To reads it as its last day
    end.press("Enter")
    page.wait_for_function("() => window.location.search.includes('to=2024-02-29')", timeout=30_000)
    page.get_by_role("heading", name="Stories of 2024-02-05 to 2024-02-29").wait_for(timeout=30_000)
    expect(end).to_have_value("2024-02-29", timeout=30_000)  # written out in full, as in the link
    (want,), = rows(synthetic_db, f"SELECT count(*) FROM articles a WHERE {ORIGINALS} AND a.published >= '2024-02-05' "
                                  "AND a.published < '2024-03-01'")
    page.wait_for_function("(n) => [...document.querySelectorAll('[data-testid=stMetricValue]')][0].innerText.trim() === String(n)",
                           arg=want, timeout=30_000)
    start.fill("2024-02-31")
    start.press("Enter")
    sidebar.get_by_text("“2024-02-31” is not a date").wait_for(timeout=30_000)
    page.wait_for_function("() => !window.location.search.includes('from=')", timeout=30_000)
    shot(page, "sidebar-dates-typed")
    context.close()


def metric_value(page, label: str) -> str:
    return page.get_by_test_id("stMetric").filter(has_text=label).first.get_by_test_id("stMetricValue").inner_text().strip()


def add_series(page, kind: str, value: str) -> None:
    """Choose a kind, type the value, press Enter (or pick it and press Add)."""
    page.get_by_role("radio", name=kind, exact=True).first.click()
    page.wait_for_timeout(600)
    box = page.get_by_label({"Search": "Search", "Entity": "Entity", "Topic": "Topic"}[kind], exact=True).last
    box.click()
    page.keyboard.type(value)
    page.keyboard.press("Enter")
    if kind != "Search":
        page.get_by_role("button", name="Add").click()


def test_a_comparison_of_three_series_survives_its_link(server, browser, synthetic_db):
    topic_id, label = min(topics_of(synthetic_db).items())
    context, page, _ = open_page(browser, server + "/compare", ready=None)
    page.get_by_role("heading", name="Compare").wait_for(timeout=60_000)
    add_series(page, "Search", "oil")
    page.wait_for_function("() => window.location.search.includes('series=')", timeout=30_000)
    add_series(page, "Entity", "Angela Merkel")
    page.wait_for_function("() => window.location.search.split('series=').length === 3", timeout=30_000)
    add_series(page, "Topic", label)
    page.wait_for_function("() => window.location.search.split('series=').length === 4", timeout=30_000)
    page.wait_for_function("() => document.querySelector('.js-plotly-plot') && document.querySelector('.js-plotly-plot').data.length === 3",
                           timeout=30_000)
    drawn = chart_traces(page)
    link = copied_link(page)
    assert parse_qs(urlsplit(link).query)["series"] == ["q:oil", "entity:Angela Merkel", f"topic:{topic_id}"]
    assert urlsplit(link).path.endswith("/compare")
    shot(page, "compare-three-series")
    context.close()

    fresh, again, _ = open_page(browser, link, ready=None)
    again.wait_for_function("() => document.querySelector('.js-plotly-plot') && document.querySelector('.js-plotly-plot').data.length === 3",
                            timeout=60_000)
    assert chart_traces(again) == drawn
    assert [t["name"] for t in drawn] == ["“oil”", "Angela Merkel", f"{label} (topic {topic_id})"]
    merkel = dict(rows(synthetic_db, f"""
        SELECT date_trunc('week', a.published)::DATE::VARCHAR, count(DISTINCT a.id) FROM articles a
        JOIN mentions m ON m.article_id = a.id JOIN entities e ON e.id = m.entity_id
        WHERE {ORIGINALS} AND e.name = 'Angela Merkel' GROUP BY ALL"""))
    assert drawn[1]["y"] == [merkel.get(day, 0) for day in drawn[1]["x"]]  # weekly, zero-filled
    assert sum(drawn[1]["y"]) == sum(merkel.values())
    fresh.close()


@pytest.fixture(scope="module")
def seed_server(enriched_seed_db):
    yield from run_streamlit(enriched_seed_db)


def test_screenshots_of_the_chart_pages_on_the_seed(seed_server, browser, enriched_seed_db):
    context, page, _ = open_page(browser, seed_server + "/", ready=None)  # a fresh server's first page: give it time
    page.get_by_test_id("stMetric").first.wait_for(timeout=90_000)
    chart_traces(page)
    shot(page, "seed-overview")
    page.goto(seed_server + "/?grain=day&chart=multiples&measure=share")
    page.get_by_test_id("stMetric").first.wait_for(timeout=60_000)
    page.wait_for_load_state("networkidle")
    assert all(max(t["y"]) <= 1 for t in chart_traces(page))  # shares of all articles
    shot(page, "seed-overview-day-share-multiples")
    topic_id, label = min(topics_of(enriched_seed_db).items())
    page.goto(f"{seed_server}/topics?topic={topic_id}")
    page.get_by_role("heading", name=label).wait_for(timeout=60_000)
    chart_traces(page)
    shot(page, "seed-topic")
    page.goto(seed_server + "/compare?series=q:Taiwan&series=q:Kursk&series=entity:Donald Trump")
    page.wait_for_function("() => document.querySelector('.js-plotly-plot') && document.querySelector('.js-plotly-plot').data.length === 3",
                           timeout=60_000)
    shot(page, "seed-compare")
    context.close()
