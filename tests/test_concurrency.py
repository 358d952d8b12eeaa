"""Concurrent use: the dashboard keeps serving while an ingest and a poll write the same file."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from tests.conftest import FIXTURES, ROOT, SEEDS, Route, cli, corpus, rows
from tests.test_browser import browser, metric, open_page, server  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def enriched_seed_db(tmp_path_factory):
    """A database of this module's own, since the test writes to it."""
    db = tmp_path_factory.mktemp("concurrent") / "news.duckdb"
    assert cli("ingest", SEEDS, "--db", db, "--quiet") == 0
    return db


def test_dashboard_serves_through_ingest_and_poll(server, browser, enriched_seed_db, http_server, tmp_path):  # noqa: F811
    base, routes, _ = http_server
    routes["/feed.rss"] = Route((FIXTURES / "feed.rss").read_bytes())
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nurl = "{base}/feed.rss"\n')
    reuters = corpus("reuters21578") / "reut2-000.sgm"
    db = str(enriched_seed_db)

    served, failures, stop = [], [], threading.Event()

    def client() -> None:
        context, page, _ = open_page(browser, server + "/")
        while not stop.is_set():
            started = time.monotonic()
            try:
                page.reload()
                page.get_by_test_id("stMetric").first.wait_for(timeout=30_000)
                if page.get_by_test_id("stException").count() or page.get_by_text("cannot be read").count():
                    failures.append("error shown")
                served.append((time.monotonic() - started, metric(page, "Articles")))
            except Exception as exc:  # any failure to answer is what this test counts
                failures.append(repr(exc))
        context.close()

    # Playwright's sync API belongs to the thread that started it: drive the client here, write in subprocesses.
    writers = [
        subprocess.Popen([sys.executable, "-m", "dashboard", "ingest", str(reuters), "--db", db, "--quiet"], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT),
        subprocess.Popen([sys.executable, "-m", "dashboard", "poll", "--feeds", str(feeds), "--db", db], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT),
    ]
    watcher = threading.Thread(target=lambda: ([w.wait(timeout=600) for w in writers], stop.set()))
    watcher.start()
    client()
    watcher.join()
    outputs = [w.stdout.read().decode(errors="replace") for w in writers]
    assert [w.returncode for w in writers] == [0, 0], outputs
    assert served and not failures, failures[:3]

    (expected,) = rows(enriched_seed_db, "SELECT count(*) FROM articles WHERE duplicate_of IS NULL")[0]
    assert expected > 900
    context, page, _ = open_page(browser, server + "/")
    deadline = time.monotonic() + 30
    while metric(page, "Articles") != f"{expected:,}" and time.monotonic() < deadline:
        page.reload()
        page.get_by_test_id("stMetric").first.wait_for(timeout=30_000)
    assert metric(page, "Articles") == f"{expected:,}"  # the new articles, without a restart
    context.close()
