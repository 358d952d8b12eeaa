"""Real browser paths: Debian's Chromium driven by Playwright against `streamlit run app.py`.

Open the Overview, choose a topic, check the URL carries it, reopen that URL in a fresh
browser context and see the same view; copy the share link and open it; open an article
with a script in its text and check nothing runs. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import BinaryIO
from urllib.parse import parse_qs, urlsplit

import pytest

from tests import proxy
from tests.conftest import ROOT, rows

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SECRET = "browser-test-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_streamlit(db: Path, *options: str, log: BinaryIO | None = None):
    """`streamlit run app.py` on a free port against `db`; yields its URL once it answers.

    The server writes to a file (`log`, or a temporary one), not a pipe: nothing reads a pipe while
    the tests run, and a server that fills one (64 KiB of log lines) blocks on its next line and stops
    answering."""
    port = free_port()
    env = {**os.environ, "NEWSDESK_DB": str(db), "NEWSDESK_ADMIN_SECRET": SECRET}
    base_path = next((options[i + 1] for i, o in enumerate(options) if o == "--server.baseUrlPath"), "")
    base = f"http://127.0.0.1:{port}" + (f"/{base_path}" if base_path else "")
    with contextlib.nullcontext(log) if log else tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", *options],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            process.kill()
            log.seek(0)
            pytest.fail("streamlit did not start: " + log.read().decode(errors="replace")[-2000:])
        try:
            yield base
        finally:  # also when the test that holds the server fails
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:  # a server still busy with a script run ignores SIGTERM a while
                process.kill()
                process.wait(timeout=20)


@pytest.fixture(scope="module")
def server(enriched_seed_db):
    yield from run_streamlit(enriched_seed_db)


@pytest.fixture(scope="module")
def server_under_base_path(enriched_seed_db):
    """Behind a reverse proxy, under /newsdesk/: the browser only sees the proxy's address."""
    for direct in run_streamlit(enriched_seed_db, "--server.baseUrlPath", "newsdesk"):
        parts = urlsplit(direct)
        yield f"http://127.0.0.1:{proxy.start(parts.netloc)}{parts.path}"


def launch_chromium():
    """Debian's Chromium through Playwright, for one module's tests (skipped where it is not installed)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def browser():
    yield from launch_chromium()


def open_page(browser, url: str, ready: str | None = "stMetric"):
    """A fresh browser context on `url`, once the element with test id `ready` shows."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url)
    if ready:
        page.get_by_test_id(ready).first.wait_for(timeout=30_000)
    page.wait_for_load_state("networkidle")
    idle(page)
    return context, page, dialogs


def idle(page) -> None:
    """Wait until the page's script run is over: what a test types while the first run still draws the
    page can be lost to it on a loaded machine (two test workers on two cores)."""
    page.wait_for_function("() => !['running', 'rerunRequested'].includes(document.querySelector('[data-testid=stApp]')?.dataset.testScriptState)",
                           timeout=60_000)


def open_at_heading(browser, url: str, heading: str):
    """A fresh browser context on `url`, once a heading `heading` shows."""
    context, page, _ = open_page(browser, url, ready=None)
    page.get_by_role("heading", name=heading).wait_for(timeout=30_000)
    return context, page


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def metric(page, label: str) -> str:
    box = page.get_by_test_id("stMetric").filter(has_text=label).first
    return box.get_by_test_id("stMetricValue").inner_text().strip()


def wait_for_metric(page, label: str, value: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if metric(page, label) == value:
            return
        page.wait_for_timeout(250)
    assert metric(page, label) == value


def topic_about(db: Path, word: str) -> tuple[int, str]:
    """The seed topic whose label has `word`: (id, label)."""
    return next((t, label) for t, label in rows(db, "SELECT id, label FROM topics") if word in label.lower())


def copied_link(page) -> str:
    """The link the "Copy link" control offers.

    A rerun still in flight (a busy machine) redraws the page and closes the popover it opened:
    the click is tried again then, up to three times.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    code = page.get_by_test_id("stCode").first
    for attempt in range(3):
        page.get_by_text("Copy link").first.click()
        try:
            code.wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    return code.inner_text().strip()


def choose(page, label: str, text: str) -> None:
    """Type into the select widget labelled `label` and take the first match, as a user does: a rerun
    still in flight (the page's first, or a busy machine) may redraw the widget and drop what was
    typed, and then it is typed again, up to three times."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    widget = page.get_by_test_id("stSelectbox").or_(page.get_by_test_id("stMultiSelect")) \
        .filter(has=page.get_by_text(label, exact=True)).first
    for attempt in range(3):  # a rerun may redraw the widget and drop what was typed: type it again
        box = widget.get_by_role("combobox")
        box.click(timeout=15_000)
        box.press("Control+a")
        box.press_sequentially(text, delay=40)
        page.wait_for_timeout(500)  # the list filters as each letter arrives: let it settle
        option = page.get_by_role("option").first
        try:
            name = option.inner_text(timeout=10_000).strip()
            option.click(timeout=10_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            if attempt == 2:
                raise
    if widget.get_attribute("data-testid") == "stMultiSelect":
        page.keyboard.press("Escape")  # a multiselect stays open for more choices
        expect(widget).to_contain_text(name, timeout=10_000)
    else:
        expect(widget.get_by_role("combobox")).to_have_value(name, timeout=10_000)
    page.wait_for_timeout(500)  # the rerun the choice started


def test_choose_topic_then_share_the_url(server, browser, enriched_seed_db):
    topic_id, label = topic_about(enriched_seed_db, "taiwan")
    context, page, _ = open_page(browser, server + "/")
    assert metric(page, "Articles") == "6"
    choose(page, "Topics", "taiwan")
    wait_for_metric(page, "Articles", "3")
    page.wait_for_function("() => window.location.search.includes('topic=')", timeout=10_000)
    url = page.url
    assert parse_qs(urlsplit(url).query)["topic"] == [str(topic_id)]
    shot(page, "overview-topic-chosen")
    context.close()

    fresh, again, _ = open_page(browser, url)
    wait_for_metric(again, "Articles", "3")
    assert label in again.get_by_test_id("stSidebar").inner_text()
    shot(again, "overview-topic-reopened")
    fresh.close()


def test_copy_link_opens_the_same_view(server, browser):
    context, page, _ = open_page(browser, server + "/?q=Kursk")
    wait_for_metric(page, "Articles", "1")
    link = copied_link(page)
    assert link.startswith(server) and "q=Kursk" in link
    context.close()
    fresh, again, _ = open_page(browser, link)
    wait_for_metric(again, "Articles", "1")
    fresh.close()


def test_script_in_an_article_is_shown_not_run(server, browser, enriched_seed_db):
    (article_id,) = rows(enriched_seed_db, "SELECT id FROM articles WHERE external_id = 'hostile-1'")[0]
    context, page, dialogs = open_page(browser, f"{server}/articles?article={article_id}", ready=None)
    reader = page.locator(".nd-reader")
    reader.wait_for(timeout=30_000)
    page.wait_for_timeout(1500)
    assert "<script>window.__pwned = 'body'" in reader.inner_text()
    assert dialogs == []
    assert page.evaluate("() => window.__pwned === undefined")
    assert reader.locator("script").count() == 0 and reader.locator("img").count() == 0
    heading = page.get_by_role("heading", level=2).filter(has_text="Mayor").first
    assert "<script>" in heading.inner_text()
    shot(page, "reader-hostile-article")
    context.close()


def test_topic_page_link_restores_the_drill_down(server, browser, enriched_seed_db):
    topic_id, label = topic_about(enriched_seed_db, "kursk")
    context, page = open_at_heading(browser, f"{server}/topics?topic={topic_id}", label)
    assert "/topics" in page.url and f"topic={topic_id}" in page.url
    shot(page, "topic-drill-down")
    context.close()


def test_viewers_are_refused_and_the_secret_never_shows(server, browser):
    context, page, _ = open_page(browser, f"{server}/ingest", ready=None)
    page.get_by_text("Only an admin can ingest").wait_for(timeout=30_000)
    assert page.get_by_test_id("stFileUploader").count() == 0
    page.get_by_test_id("stSidebar").get_by_text("Admin", exact=True).click()
    box = page.get_by_label("Admin secret")
    box.fill("wrong-secret")
    box.press("Enter")
    page.get_by_text("Wrong secret.").wait_for(timeout=15_000)
    page.get_by_label("Admin secret").fill(SECRET)
    page.get_by_label("Admin secret").press("Enter")
    page.get_by_test_id("stFileUploader").wait_for(timeout=15_000)
    page.get_by_label("Admin secret").wait_for(state="detached", timeout=15_000)  # the box the secret was typed into
    assert SECRET not in page.url
    assert SECRET not in page.content()
    shot(page, "ingest-admin")
    context.close()


def test_links_work_behind_a_proxy_with_a_base_path(server_under_base_path, browser, enriched_seed_db):
    topic_id, label = topic_about(enriched_seed_db, "kursk")
    context, page = open_at_heading(browser, f"{server_under_base_path}/topics?topic={topic_id}&q=Kursk", label)
    link = copied_link(page)
    assert urlsplit(link).netloc == urlsplit(server_under_base_path).netloc  # the proxy's address, not streamlit's
    assert urlsplit(link).path == urlsplit(server_under_base_path).path + "/topics"
    assert parse_qs(urlsplit(link).query) == {"topic": [str(topic_id)], "q": ["Kursk"]}
    context.close()
    fresh, again = open_at_heading(browser, link, label)
    assert urlsplit(again.url).path == "/newsdesk/topics"
    shot(again, "base-path-topic")
    fresh.close()


def test_a_story_link_reopens_the_story(server, browser, enriched_seed_db):
    (story_id, title), = rows(enriched_seed_db, "SELECT s.story_id, a.title FROM article_stories s JOIN articles a ON a.id = s.article_id "
                                                "WHERE a.title LIKE '%Kursk%' LIMIT 1")
    context, page, _ = open_page(browser, f"{server}/?story={story_id}")
    wait_for_metric(page, "Articles", "1")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Story:").first.wait_for(timeout=10_000)
    assert title[:30] in sidebar.inner_text()
    link = copied_link(page)
    assert parse_qs(urlsplit(link).query)["story"] == [str(story_id)]
    shot(page, "overview-story")
    context.close()

    fresh, again, _ = open_page(browser, link)
    wait_for_metric(again, "Articles", "1")
    again.get_by_role("button", name="Show all stories").click()
    wait_for_metric(again, "Articles", "6")
    again.wait_for_function("() => !window.location.search.includes('story=')", timeout=10_000)
    fresh.close()


def test_files_written_below_the_app_make_the_server_log_nothing(enriched_seed_db, browser, tmp_path):
    """A deployed server does not watch its folder: what is written below it (a virtualenv's install,
    screenshots) costs it nothing and fills no log. Streamlit's watcher, on, overflowed its queue on a
    busy machine and wrote two lines per overflow; its output in an unread pipe then stopped the server."""
    path = tmp_path / "server.log"
    churn = ARTIFACTS / f"churn-{os.getpid()}"
    with open(path, "wb") as log:
        for url in run_streamlit(enriched_seed_db, log=log):
            context, page, _ = open_page(browser, url + "/")
            churn.mkdir(parents=True, exist_ok=True)
            try:
                for i in range(20_000):
                    (churn / str(i)).write_bytes(b"x")
            finally:
                shutil.rmtree(churn)
            page.reload()
            page.get_by_test_id("stMetric").first.wait_for(timeout=30_000)
            context.close()
    said = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    banner = ("Uvicorn server started", "You can now view", "URL: http", "Stopping...")
    assert [line for line in said if not any(b in line for b in banner)] == []
