"""Many writers on one lake: two ingests and a poll at once while a browser reads the pages; an
enricher killed mid-batch while another waits its turn.

The reference is a single clean run of the same inputs into a DuckDB file: the lake must end
with the same articles, the same near-duplicate links and the same enrichment, nothing twice.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

import duckdb
import pytest

from dashboard.store import engine
from tests.conftest import FIXTURES, ROOT, SEEDS, SYNTHETIC, Route, cli, rows
from tests.test_browser import browser, metric, open_page, run_streamlit  # noqa: F401 - fixtures

pytestmark = pytest.mark.slow
PAGE_WAIT = 60_000  # ms: a page that has not answered by then counts as failed (on 2 busy cores a page takes 1-20 s)
ARTICLE_LINKS = "SELECT id, duplicate_of FROM articles"
COUNTS = """SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM articles WHERE duplicate_of IS NULL),
                   (SELECT count(*) FROM signatures), (SELECT count(*) FROM enriched), (SELECT count(*) FROM mentions),
                   (SELECT count(*) FROM quotes), (SELECT count(*) FROM article_topics)"""
TWICE = """SELECT (SELECT count(*) - count(DISTINCT id) FROM articles), (SELECT count(*) - count(DISTINCT article_id) FROM enriched),
                  (SELECT count(*) - count(DISTINCT (article_id, start_char, end_char, entity_id)) FROM mentions),
                  (SELECT count(*) - count(DISTINCT article_id) FROM article_topics)"""


def _read_pages_while(browser, server: str, writers: list[subprocess.Popen]) -> tuple[list, list[str]]:  # noqa: F811
    """Reload the Overview until every writer has exited: (seconds, articles shown) per page, and failures."""
    served: list[tuple[float, str]] = []
    failures: list[str] = []
    stop = threading.Event()
    watcher = threading.Thread(target=lambda: ([w.wait(timeout=600) for w in writers], stop.set()))
    watcher.start()
    context, page, _ = open_page(browser, server + "/", ready=None)  # Playwright's sync API belongs to this thread
    while not stop.is_set():
        started = time.monotonic()
        try:
            page.reload()
            page.get_by_test_id("stMetric").first.wait_for(timeout=PAGE_WAIT)
            if page.get_by_test_id("stException").count() or page.get_by_text("cannot be read").count():
                failures.append("error shown")
            served.append((time.monotonic() - started, metric(page, "Articles")))
        except Exception as exc:  # any failure to answer is what this test counts
            failures.append(repr(exc))
    context.close()
    watcher.join()
    return served, failures


def _cli(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "dashboard", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, **kwargs)


@pytest.mark.browser
def test_two_ingests_and_a_poll_at_once_store_each_article_once_while_pages_serve(postgres, browser, http_server, tmp_path):  # noqa: F811
    base, routes, _ = http_server
    routes["/feed.rss"] = Route((FIXTURES / "feed.rss").read_bytes())
    routes["/feed.atom"] = Route((FIXTURES / "feed.atom").read_bytes())
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nurl = "{base}/feed.rss"\n\n[[feed]]\nurl = "{base}/feed.atom"\n')
    first = [str(SYNTHETIC), str(FIXTURES / "articles.jsonl")]  # both ingests read the synthetic corpus:
    second = [str(SYNTHETIC), str(FIXTURES / "articles.csv")]  # 284 articles with near-duplicates among them

    reference = tmp_path / "reference.duckdb"  # enrichment is left out: the test below has enrichers race
    assert cli("ingest", SEEDS, *first, *second[1:], "--db", reference, "--no-enrich", "--quiet") == 0
    assert cli("poll", "--feeds", feeds, "--db", reference, "--no-enrich") == 0

    lake = postgres.lake(tmp_path / "lake")
    assert cli("ingest", SEEDS, "--db", lake, "--no-enrich", "--quiet") == 0
    app = run_streamlit(lake)
    server = next(app)
    try:
        warm, page, _ = open_page(browser, server + "/", ready=None)  # the server's first page (imports, attaching the lake)
        page.get_by_test_id("stMetric").first.wait_for(timeout=2 * PAGE_WAIT)
        warm.close()
        writers = [_cli("ingest", *first, "--db", str(lake), "--no-enrich", "--quiet"),
                   _cli("ingest", *second, "--db", str(lake), "--no-enrich", "--quiet"),
                   _cli("poll", "--feeds", str(feeds), "--db", str(lake), "--no-enrich")]
        served, failures = _read_pages_while(browser, server, writers)
        outputs = [w.stdout.read().decode(errors="replace") for w in writers]
        assert [w.returncode for w in writers] == [0, 0, 0], outputs
        assert served and not failures, failures[:3]

        (expected,) = rows(reference, "SELECT count(*) FROM articles WHERE duplicate_of IS NULL")[0]
        context, page, _ = open_page(browser, server + "/")
        deadline = time.monotonic() + 30
        while metric(page, "Articles") != f"{expected:,}" and time.monotonic() < deadline:
            page.reload()
            page.get_by_test_id("stMetric").first.wait_for(timeout=PAGE_WAIT)
        assert metric(page, "Articles") == f"{expected:,}"  # a replica shows what the writers stored, without a restart
        context.close()
    finally:
        next(app, None)  # past its yield: the server is stopped

    assert sorted(rows(lake, ARTICLE_LINKS)) == sorted(rows(reference, ARTICLE_LINKS))  # same articles, same near-duplicate links
    assert rows(lake, COUNTS) == rows(reference, COUNTS)
    assert rows(lake, TWICE) == [(0, 0, 0, 0)]
    assert cli("check", "--db", lake) == 0


def _enrich_lock_held(lake) -> bool:
    key = engine._key("enrich")
    sql = ("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
           f"AND ((classid::bigint << 32) | objid::bigint) = {key} & x'FFFFFFFFFFFFFFFF'::bigint")
    con = engine.cursor(lake)
    try:
        (held,) = con.execute(f"SELECT * FROM postgres_query('{engine.LOCKS}', $${sql}$$)").fetchone()
    finally:
        con.close()
    return bool(held)


def test_an_enricher_killed_mid_batch_leaves_nothing_half_written_and_the_next_finishes(postgres, synthetic_db, tmp_path):
    lake = postgres.lake(tmp_path / "lake")
    assert cli("ingest", SYNTHETIC, "--db", lake, "--no-enrich", "--quiet") == 0
    killed = _cli("enrich", "--db", str(lake), "--quiet", start_new_session=True)
    deadline = time.monotonic() + 120
    while not _enrich_lock_held(lake) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert killed.poll() is None, killed.stdout.read().decode(errors="replace")
    waiting = _cli("enrich", "--db", str(lake), "--quiet")  # its turn comes when the first one's lock is gone
    time.sleep(random.uniform(0.5, 5.0))  # somewhere in loading spaCy, reading, analysing or writing the batch
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait(timeout=30)
    assert waiting.wait(timeout=600) == 0, waiting.stdout.read().decode(errors="replace")
    assert rows(lake, TWICE) == [(0, 0, 0, 0)]
    articles, _, _, enriched, mentions, quotes, assigned = rows(lake, COUNTS)[0]
    assert enriched == articles == assigned  # every article enriched and in a topic, once
    assert (mentions, quotes) == rows(synthetic_db, COUNTS)[0][4:6]  # as many as one clean run found
    assert cli("check", "--db", lake) == 0


def _generated(path, count: int, seed: int) -> None:
    """A JSON Lines input of `count` distinct articles, large enough (> 2 MB) to be one streamed transaction."""
    words = [f"w{n}" for n in range(5_000)]
    pick = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            body = " ".join(pick.choice(words) for _ in range(120))
            out.write(json.dumps({"id": f"g{n}", "title": f"Generated {n}", "text": body, "source": "Generated",
                                  "published": f"2025-03-{1 + n % 28:02d}T10:00:00Z"}) + "\n")


def _claims(lake) -> tuple[int, int]:
    """(open claims, done claims) of article ids in the catalog."""
    sql = ("SELECT count(*) FILTER (WHERE done IS NULL) AS open, count(*) FILTER (WHERE done IS NOT NULL) AS done "
           "FROM newsdesk_claims WHERE key LIKE 'id:%'")
    con = engine.cursor(lake)
    try:
        return con.execute(f"SELECT * FROM postgres_query('{engine.LOCKS}', $${sql}$$)").fetchone()
    except duckdb.Error as exc:  # the table is made by the first writer's claim step
        assert "newsdesk_claims" in str(exc), exc
        return (0, 0)
    finally:
        con.close()


def test_a_writer_killed_after_its_claim_loses_nothing_and_the_next_ingest_stores_each_article_once(postgres, tmp_path):
    source = tmp_path / "generated.jsonl"
    _generated(source, 4_000, seed=13)
    assert source.stat().st_size > 2_000_000  # one input, one transaction: claims pile up until its commit
    lake = postgres.lake(tmp_path / "lake")
    assert cli("ingest", SEEDS, "--db", lake, "--no-enrich", "--quiet") == 0
    before = rows(lake, "SELECT count(*) FROM articles")[0][0]

    killed = _cli("ingest", str(source), "--db", str(lake), "--no-enrich", "--quiet", start_new_session=True)
    deadline = time.monotonic() + 300
    while _claims(lake)[0] < 1_000 and killed.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait(timeout=30)
    open_claims, _ = _claims(lake)
    assert 1_000 <= open_claims < 4_000, killed.stdout.read().decode(errors="replace")  # claimed, not committed
    assert rows(lake, "SELECT count(*) FROM articles")[0][0] == before  # its transaction never became visible

    assert cli("ingest", str(source), "--db", lake, "--no-enrich", "--quiet") == 0  # purges the dead claims, takes them
    assert rows(lake, "SELECT count(*), count(DISTINCT id) FROM articles WHERE source = 'Generated'") == [(4_000, 4_000)]
    assert rows(lake, TWICE) == [(0, 0, 0, 0)]
    assert _claims(lake) == (0, before + 4_000)  # every claim of the dead writer gone, the new ones done
    assert cli("check", "--db", lake) == 0


def _pairs(folder, pairs: int, files: int, seed: int) -> list:
    """`files` JSON Lines inputs holding `pairs` articles and a near-duplicate of each (three words of 120
    changed), every copy in another file than its article: whichever a writer reads first is the original."""
    words = [f"w{n}" for n in range(5_000)]
    pick = random.Random(seed)
    outputs = [[] for _ in range(files)]
    for n in range(pairs):
        body = [pick.choice(words) for _ in range(120)]
        copy = list(body)
        for at in pick.sample(range(120), 3):
            copy[at] = pick.choice(words)
        for suffix, text, where in (("a", body, n % files), ("b", copy, (n + 1 + n % (files - 1)) % files)):
            outputs[where].append(json.dumps({"id": f"p{n}{suffix}", "title": f"Pair {n}", "text": " ".join(text),
                                              "source": "Pairs", "published": f"2025-04-{1 + n % 28:02d}T08:00:00Z"}))
    paths = []
    for number, lines in enumerate(outputs):
        path = folder / f"pairs{number}.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def _pair_links(db) -> dict[str, str | None]:
    return dict(rows(db, "SELECT a.external_id, o.external_id FROM articles a LEFT JOIN articles o ON o.id = a.duplicate_of "
                         "WHERE a.source = 'Pairs'"))


def test_writers_reading_near_duplicates_in_different_orders_at_once_keep_one_original_per_pair(postgres, tmp_path):
    paths = _pairs(tmp_path, 1_200, 6, seed=7)
    reference = tmp_path / "reference.duckdb"  # one writer: which pairs MinHash finds does not depend on the order
    assert cli("ingest", *paths, "--db", reference, "--no-enrich", "--quiet") == 0
    expected = _pair_links(reference)
    found = {n for n in range(1_200) if expected[f"p{n}a"] or expected[f"p{n}b"]}
    assert len(found) > 1_150  # nearly every pair (the signatures' estimate misses a few)

    lake = postgres.lake(tmp_path / "lake")
    assert cli("ingest", SEEDS, "--db", lake, "--no-enrich", "--quiet") == 0
    writers = [_cli("ingest", *(paths[k:] + paths[:k]), "--db", str(lake), "--no-enrich", "--quiet") for k in (0, 2, 4)]
    outputs = [w.communicate(timeout=600)[0].decode(errors="replace") for w in writers]
    assert [w.returncode for w in writers] == [0, 0, 0], outputs

    links = _pair_links(lake)
    assert len(links) == 2_400 and rows(lake, TWICE) == [(0, 0, 0, 0)]
    for n in range(1_200):
        a, b = f"p{n}a", f"p{n}b"
        if n in found:  # one original, whichever a writer claimed first, and the other linked to it
            assert sorted([links[a], links[b]], key=str) == sorted([None, a if links[b] == a else b], key=str), (n, links[a], links[b])
        else:
            assert links[a] is None and links[b] is None, n
    assert cli("check", "--db", lake) == 0


def _in_another_process(lake, code: str) -> str:
    prelude = "import sys\nfrom dashboard import config\nfrom dashboard.store import claims\nlake = config.db_path(sys.argv[1])\n"
    done = subprocess.run([sys.executable, "-c", prelude + code, str(lake)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_writer_whose_snapshot_predates_another_writers_purge_starts_again(lake):
    from dashboard.store import claims

    claims.begin(lake)  # this writer's transaction begins: its snapshot cannot see what a writer dying now committed
    _in_another_process(lake, "with claims.step(lake) as step:\n    print(step.claim_ids(['x'], [None]))")  # exits holding 'x'
    assert _in_another_process(lake, "with claims.step(lake) as step:\n    print(step.purged)") == "1"  # a peer purges it
    with claims.step(lake) as step:
        assert step.stale and not step.purged  # so this one must start again rather than claim 'x' on an old snapshot
    claims.begin(lake)
    with claims.step(lake) as step:
        assert not step.stale and step.claim_ids(["x"], [None]) == {"x"}
    claims.release(lake)
