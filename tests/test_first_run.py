"""A deploy's first start: no database yet. The app builds one (the seed, or empty with
NEWSDESK_SEED=0) once, viewers get a page saying what to do, admins reach Ingest and fill it."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from dashboard import firstrun, logs, persistence, ready
from tests.conftest import FIXTURES, ROOT, SEEDS, Route, rows, table_counts
from tests.test_app import app, metric, texts

VIEWER_PAGES = ("overview", "topics", "entities", "quotes", "articles")
SECRET = "first-run-secret"


@pytest.fixture(autouse=True)
def _settings(monkeypatch):
    for name in ("NEWSDESK_SEED", "NEWSDESK_POLL_MINUTES", "NEWSDESK_FEEDS", "NEWSDESK_DATA_PERSISTS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def seeded_articles(seed_db) -> int:
    """Articles in the seed, as the CLI reads it."""
    return table_counts(seed_db)["articles"]


def test_a_missing_database_is_built_from_the_seed_and_every_page_renders(tmp_path):
    db = tmp_path / "fresh" / "news.duckdb"
    at = app(db)
    assert db.exists() and not Path(f"{db}.first-run").exists()
    assert table_counts(db)["articles"] > 0
    (originals,) = rows(db, "SELECT count(*) FROM articles WHERE duplicate_of IS NULL")[0]
    assert metric(at, "Articles") == f"{originals:,}"
    assert table_counts(db)["enriched"] == table_counts(db)["articles"]  # entities, quotes and topics too
    for page in (*VIEWER_PAGES, "ingest"):
        shown = app(db, page)
        assert "cannot be read" not in texts(shown)


def test_without_the_seed_viewers_get_a_first_run_page_on_every_page(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSDESK_SEED", "0")
    db = tmp_path / "news.duckdb"
    for page in VIEWER_PAGES:
        at = app(db, page, secret=SECRET)
        assert table_counts(db)["articles"] == 0
        assert not at.error, [e.value for e in at.error]
        assert "No news here yet" in texts(at)
        assert "sign in with the admin secret" in texts(at)
    refused = app(db, "ingest", secret=SECRET)
    assert "Only an admin can ingest" in texts(refused)


def test_without_a_secret_the_first_run_page_says_how_to_set_one(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSDESK_SEED", "0")
    at = app(tmp_path / "news.duckdb")
    assert "No admin secret is configured" in texts(at)
    assert "python -m dashboard ingest" in texts(at)


def test_an_admin_ingests_on_a_fresh_deploy_and_the_pages_fill(tmp_path, monkeypatch, http_server):
    monkeypatch.setenv("NEWSDESK_SEED", "0")
    base, routes, _ = http_server
    routes["/feed.rss"] = Route((FIXTURES / "feed.rss").read_bytes())
    db = tmp_path / "news.duckdb"
    at = app(db, secret=SECRET)
    assert "No news here yet" in texts(at)
    at.text_input(key="admin_key").set_value(SECRET).run()  # the first-run page keeps the sign-in
    at.switch_page("dashboard/views/pages/ingest.py").run()
    assert "Only an admin can ingest" not in texts(at)
    at.text_area[0].set_value(f"{base}/feed.rss").run()
    next(b for b in at.button if b.label == "Ingest").click().run()
    assert not at.exception, at.exception
    assert any("new 2" in s.value for s in at.success), [s.value for s in at.success]
    at.switch_page("dashboard/views/pages/overview.py").run()
    assert "No news here yet" not in texts(at)
    assert metric(at, "Articles") == "2"
    for page in VIEWER_PAGES[1:]:
        at.switch_page(f"dashboard/views/pages/{page}.py").run()
        assert not at.exception and "No news here yet" not in texts(at)
        assert at.title[0].value == page.title()


def test_sessions_at_once_build_the_database_once(tmp_path, seeded_articles):
    db = tmp_path / "fresh.duckdb"
    results: list[str | None] = []
    threads = [threading.Thread(target=lambda: results.append(firstrun.ensure_database(db, SEEDS))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len([r for r in results if r]) == 1 and "seeded" in next(r for r in results if r)
    assert table_counts(db)["articles"] == seeded_articles


def test_processes_at_once_build_the_database_once(tmp_path, seeded_articles):
    db = tmp_path / "fresh.duckdb"
    code = ("import sys; from pathlib import Path; from dashboard import firstrun;"
            "print('BUILT' if firstrun.ensure_database(Path(sys.argv[1]), Path(sys.argv[2])) else 'FOUND')")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(db), str(SEEDS)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    outputs = sorted(p.communicate(timeout=300)[0].strip() for p in procs)
    assert outputs == ["BUILT", "FOUND"]
    assert table_counts(db)["articles"] == seeded_articles


def test_a_seed_that_cannot_be_read_still_gives_an_empty_database(tmp_path):
    db = tmp_path / "news.duckdb"
    assert "could not be read" in firstrun.ensure_database(db, tmp_path / "no-such-seeds")
    assert table_counts(db)["articles"] == 0
    assert firstrun.ensure_database(db, SEEDS) is None  # there is one now: left alone
    assert table_counts(db)["articles"] == 0


def test_readiness_fails_until_the_database_can_be_read(tmp_path, capsys):
    db = tmp_path / "news.duckdb"
    assert ready.main(["--db", str(db), "--wait", "0.5"]) == 1
    assert "not ready" in capsys.readouterr().out
    (tmp_path / "other.duckdb").write_bytes(b"not a database at all")
    assert ready.main(["--db", str(tmp_path / "other.duckdb"), "--wait", "0.5"]) == 1
    assert "not a valid DuckDB database" in capsys.readouterr().out
    firstrun.ensure_database(db, None)
    assert ready.main(["--db", str(db)]) == 0
    assert capsys.readouterr().out.startswith("ready")


def test_readiness_fails_when_the_server_does_not_answer(tmp_path):
    db = tmp_path / "news.duckdb"
    firstrun.ensure_database(db, None)
    assert ready.problem(str(db), "http://127.0.0.1:9", wait=1) is not None


def test_where_the_data_lives(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSDESK_DATA_PERSISTS", "0")
    assert "does not outlive a restart" in persistence.vanishes_on_restart(tmp_path / "x.duckdb")
    monkeypatch.setenv("NEWSDESK_DATA_PERSISTS", "1")
    assert persistence.vanishes_on_restart(tmp_path / "x.duckdb") is None
    assert persistence.on_community_cloud(Path("/mount/src/newsdesk"))
    assert not persistence.on_community_cloud(Path("/srv/newsdesk"))
    mounts = [Path("/"), Path("/app/data"), Path("/proc")]
    assert persistence.mount_of(Path("/app/data/news.duckdb"), mounts) == Path("/app/data")
    assert persistence.mount_of(Path("/app/other/news.duckdb"), mounts) == Path("/")


def test_the_ingest_page_says_when_data_would_vanish(tmp_path, monkeypatch, enriched_seed_db):
    monkeypatch.setenv("NEWSDESK_DATA_PERSISTS", "0")
    assert any("lost on the next restart" in w.value for w in app(enriched_seed_db, "ingest").warning)
    monkeypatch.setenv("NEWSDESK_DATA_PERSISTS", "1")
    assert not any("lost on the next restart" in w.value for w in app(enriched_seed_db, "ingest").warning)


def test_log_events_are_one_line_each():
    try:
        raise ValueError("first line\nsecond line")
    except ValueError:
        record = logging.LogRecord("newsdesk.test", logging.ERROR, __file__, 1, "poll failed", None, sys.exc_info())
    line = logs.OneLine().format(record)
    assert "\n" not in line and "poll failed" in line and "second line" in line and "Traceback" in line


def test_a_database_that_cannot_be_created_is_said_so(tmp_path):
    from dashboard.views import data

    data._last_good.clear()  # answers kept from other tests' databases in this process (keyed by query, not by file)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    at = app(blocker / "news.duckdb")  # its folder cannot be made
    assert any("could not be created" in w.value for w in at.warning)
    assert any("cannot be read" in e.value for e in at.error)
