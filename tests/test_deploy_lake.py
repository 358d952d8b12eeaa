"""The app's own feed poller on a lake: replicas that share no file (different machines) still
poll once per period, through a PostgreSQL advisory lock and a state row in the catalog."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from dashboard import firstrun, scheduler
from dashboard.store import catalog
from tests.conftest import SEEDS, cli, rows
from tests.test_deploy import due_once_a_period_has_passed, feeds_server, two_apps_poll_each_feed_once_per_period  # noqa: F401 - fixture

WINDOW = 180.0  # seconds the two app processes may run (they stop after three polls): the first poll took up to 51 s on 2 busy cores


def test_a_poll_on_a_lake_is_due_once_a_period_has_passed_and_its_state_is_in_the_catalog(lake, tmp_path):
    def in_the_catalog(first: dict) -> None:
        assert catalog.read_state(lake, "poll") == first  # where every replica reads it
        assert not list(tmp_path.glob("**/*.poll.*"))  # no file beside a lake

    due_once_a_period_has_passed(lake, in_the_catalog)


def test_a_lake_poll_is_skipped_while_another_process_holds_the_catalog_lock_and_due_once_it_dies(lake):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time, psycopg; c = psycopg.connect(sys.argv[1], autocommit=True); "
         "c.execute('SELECT pg_advisory_lock(%s)', [int(sys.argv[2])]); print('held', flush=True); time.sleep(60)",
         lake.catalog, str(catalog.lock_key("poll"))], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert scheduler.poll_if_due(lake, 1.0, list) is None
        assert scheduler.read_state(lake) is None
    finally:
        holder.send_signal(signal.SIGKILL)  # no unlock: PostgreSQL drops the lock with the dead session
        holder.wait()
    deadline = time.monotonic() + 10
    state = None
    while state is None and time.monotonic() < deadline:
        state = scheduler.poll_if_due(lake, 1.0, list)
        time.sleep(0.1)
    assert state is not None


@pytest.mark.slow
def test_two_app_processes_on_a_lake_poll_each_feed_once_per_period(lake, tmp_path, feeds_server):  # noqa: F811
    assert cli("ingest", SEEDS, "--db", lake, "--quiet") == 0
    two_apps_poll_each_feed_once_per_period(lake, tmp_path, feeds_server, WINDOW)


def test_the_first_start_on_an_empty_lake_seeds_it_once_and_every_page_renders(lake, monkeypatch):
    from tests.test_app import app, metric, texts

    for name in ("NEWSDESK_SEED", "NEWSDESK_POLL_MINUTES", "NEWSDESK_FEEDS"):
        monkeypatch.delenv(name, raising=False)
    assert not lake.exists()  # an empty lake is what a missing file is to the first start
    at = app(lake)
    (articles, originals, enriched) = rows(lake, "SELECT count(*), count(*) FILTER (WHERE duplicate_of IS NULL), "
                                                 "(SELECT count(*) FROM enriched) FROM articles")[0]
    assert articles > 0 and enriched == articles  # the seed, entities and topics too
    assert metric(at, "Articles") == f"{originals:,}"
    assert lake.exists()
    assert firstrun.ensure_database(lake, SEEDS) is None  # a second replica finds it seeded
    assert rows(lake, "SELECT count(*) FROM articles")[0][0] == articles
    for page in ("topics", "entities", "quotes", "articles"):
        assert "cannot be read" not in texts(app(lake, page))
