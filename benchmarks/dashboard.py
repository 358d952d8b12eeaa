"""Server-side time of every dashboard page on 1,000,000 articles.

    python benchmarks/dashboard.py [--source-db enriched-reuters.duckdb] [--copies 48] [--engine lake]

With --db, times that database instead. Otherwise builds a database of about a million articles by replicating an enriched Reuters-21578
database inside DuckDB (new ids, dates shifted so the span covers several years, mentions,
quotes and topic assignments copied with them; no NLP is re-run), then times the queries
each page runs (what the page waits for, without Streamlit's cache) for a few filter
combinations. Targets on a 2-core machine: every page under 500 ms, every filter change
(the page's queries with the sidebar's lists already cached) under 300 ms. With --engine lake
the same database is then copied into a DuckLake (a throwaway PostgreSQL catalog, Parquet in a
temporary folder) and timed there too, beside the file, in the same run.

Measured (1,000,368 articles, 2-core x86_64 VM shared with other jobs, load average 4-10, the two
versions back to back; CPU time per page, which the load changes less, then the wall time; a
later run of the same code measured up to 2-3x these CPU times): with string article ids, 45-2,273 ms
of CPU, the slowest page (the Overview of a search for `said`) 6.7 s; with integer keys
(migrations 0004 and 0005), 40-624 ms of CPU, the slowest page 0.81 s. Without a search, every
page takes under 300 ms of CPU but the Topics page of a topic (373 ms) and of a topic, dates and
source (442; its Overview 322); searches for `said`, `oil prices` and `export*` take 240-624 ms of
CPU on the Overview, Topics and Entities pages: the 300 ms target is not met everywhere yet.
The lake copy (121 s, 550 bytes per article in Parquet against 2,186 in the file) answered in
1.1-6.1 s without a search and 1.0-16 s with one, load 8-11: far from its target.
With a common word's counts kept per day, source and topic (migration 0006, term_counts), its
probe of a window's articles and a speaker's quotes found first, back to back with the version
before (load average 4-6): searching `said`, CPU time per page before and after, Overview 520
and 283 ms, Topics 453 and 257, Entities 384 and 218, Quotes 269 and 253 (every page of `said`
under 300 ms of CPU); wall time on the Overview 854 and 472 ms; the other rows unchanged within the
load's noise. Still over 300 ms of CPU: `oil prices` and `export*` on the Overview and Topics
(325-435 ms: several words or a prefix, which term_counts does not hold) and a topic's Topics page.

On the lake, with its layout (migration 0007: each table sorted on insert by what the pages
filter it on; statistics for tables never written; the inlined-rows tables of earlier schema
versions dropped), the same run as a file at 39-441 ms wall (1,000,368 articles, 2-core x86_64 VM,
load average 3.4-4.8): CPU time per page 170-681 ms without a search and 376 ms-2.5 s with one,
wall 192 ms-3.0 s; before it, on a quieter machine (load 1-3.6), 250-971 ms and 562 ms-3.5 s of
CPU, wall 219 ms-4.9 s. The catalog queries per page (printed last): 29-133, 265 for `export*`;
the search page before the statistics fix sent 365. 28 of 48 pages are under 500 ms of CPU;
searches are not (the matching articles joined to all million in Parquet).

With a search's articles kept per lake snapshot and given to each query as a view (DuckDB had
guessed a word's rows of the lake's index at 15 million and hashed the other side of each join),
a prefix read as a range, the filters' lookups kept per snapshot and the stories' headlines looked
up by id apart, the same run as a file at 55-614 ms wall and 36-384 ms of CPU (load 5.0-5.5):
on the lake, CPU time per page 133-567 ms without a search and 183-687 ms with one, wall 187 ms-1.2 s,
31-104 catalog queries per page; 38 of 48 pages under 500 ms of CPU. Over it: the Overview and
Topics of each search and of an entity, a topic's Topics page with dates and source, and the
Entities page of `said` (537-687 ms: 15-28 queries a page, each decoding Parquet and sending the
catalog 4-16 queries). Two later runs at a load of 6.5-7.8 measured up to 1.3 times these lake
CPU times (the searches' Overviews 755-910 ms), the file's unchanged.

With a multi-word or prefix search's articles counted from their day, source and topic kept per
snapshot, an entity's article keys kept and read as a view, and the pages' date span taken from
the sidebar's cached lists (as the app does), the same run as a file at 53-794 ms wall and 36-395
ms of CPU (load 5.3-6.8): on the lake, CPU time per page 81-572 ms without a search and 163-758 ms
with one (the version before at a load of 6.2-6.5: 190-614 and 223-910), wall 96 ms-1.6 s, 29-83
catalog queries per page; 38 of 48 pages under 500 ms of CPU. Over it: the Overview and Topics of
each search (537-758), the Topics page of an entity (512) and of a topic with dates and source
(572), and the Entities pages of `said` and `export*` (656, 574). A second run (load 5.6-7.3):
96-525 and 101-665 ms, 40 of 48 under 500 ms; the file 31-369 ms of CPU.

With each query's statements in one read-only transaction (one snapshot, asked for once) and a
story's headline looked up within its stories' days first, two runs back to back with the version
before on the same lake and file (1,000,368 articles, `--db`, the lake's PostgreSQL kept running),
CPU time per page on the lake before and after: the version before first (load 4.7-6.7), 99-750 and
76-839 ms, 17 and 14 of 48 pages at 500 ms or over, all pages 20.1 and 19.1 s; this version first
(load 4.6-8.6), 91-812 and 64-700 ms, 17 and 11 pages, 20.2 and 18.6 s. Catalog queries per page
29-83 before, 19-79 after (a search's Overview and Topics 67-80, then 51-62). The file, first run:
37-481 and 44-478 ms of CPU, 8 and 7 pages at 300 ms or over, 9.3 and 9.4 s in all (its SQL
unchanged). Over 500 ms on the lake in both runs: the Overview and Topics of the three searches, of
the entity and of the topic with dates and source (519-839 ms), and the Entities page of `said`
(700-703). What they spend is the joins and scans themselves (the top entities of `said`: its
740,000 articles' 4.5 million entity rows; the entities beside one within `said`: all 4.5 million
rows read for its 28,000 articles) and three catalog queries for each table a query reads (its
files, its schema version, its inlined rows), which one transaction does not spare.

With the tables joined on an article key written as Parquet version 2 (migration 0008: article_entities'
article keys, stored as differences, decode in 20 ms of CPU instead of 54), a query's small tables (entities,
topics, entity_curation) read from copies kept per lake snapshot, a page of articles' topics found by key, a
rare search's newest window skipped unless expected to hold its page twice, and an entity page's rows probing
a kept search, back to back with the version before on the same lake (its three tables written again as version
1 for the version before, their row counts in the catalog set back to the rows there are) and file (1,000,368
articles, load 1.8-2.4): on the lake, CPU time per page 62-728 ms before, 66-510 after; 9 and 2 pages at 500 ms or
over (left: the Overview and Entities pages of `said`, 507 and 510: its top entities, 740,000 articles joined
to 4.5 million rows, 110 ms; its latest quotes, 100; one speaker's quotes within it, 160); all pages 17.4 and
14.9 s; catalog queries per page 19-79 and 15-59. The file, two runs in either order: 8.2 and 8.2 s, then 8.3
and 8.2 s in all, 4-6 pages at 300 ms or over: unchanged.

Then the full export of a selection (every article, with text, URL, topic and entities) as CSV
and as Parquet, each in a fresh process: its time, file size and the process's peak resident
memory, which stays bounded (DuckDB streams into the file and spills to disk) however many
articles are exported. --export-only skips the page timings.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from _common import CORPORA, machine, peak_memory_mb
from _lake import throwaway_postgres

from dashboard import charts, config
from dashboard.load import ingest
from dashboard.nlp.bursts import BASELINE_PERIODS, burst_scores, burst_window, rising
from dashboard.nlp.pipeline import enrich
from dashboard.store import connect, daily, engine, search
from dashboard.store import queries as q
from dashboard.store.copy import copy
from dashboard.store.engine import Lake
from dashboard.store.enrichment import refresh_article_entities
from dashboard.store.queries import Filters

SHIFT_DAYS = 45


def build(source: Path, target: Path, copies: int) -> int:
    """Replicate `source` `copies` times into `target`; returns the number of articles."""
    with connect(source):  # brings an older database up to the current schema
        pass
    with connect(target) as con:  # creates the schema, indexes included
        con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
        con.execute(f"CREATE TEMP TABLE copies AS SELECT range AS i FROM range({copies})")
        sfx = "|| '-' || c.i::VARCHAR"
        (last,) = con.execute("SELECT max(key) FROM src.articles").fetchone()
        key = f"+ c.i * {last}"  # each copy's articles get keys of their own, after the previous copy's
        con.execute(f"""INSERT INTO articles SELECT a.id {sfx}, a.external_id {sfx}, a.source, a.url, a.title, a.kicker, a.body,
            a.published + to_days((c.i * {SHIFT_DAYS})::INTEGER), a.published_approx, a.truncated, a.photo_credit, a.labels,
            CASE WHEN a.duplicate_of IS NULL THEN NULL ELSE a.duplicate_of {sfx} END, a.content_hash, a.origin, a.ingested_at, a.author, a.lang,
            a.key {key} FROM src.articles a, copies c""")
        con.execute("INSERT INTO entities SELECT * FROM src.entities")
        con.execute("INSERT INTO topics SELECT * FROM src.topics")
        con.execute(f"INSERT INTO mentions SELECT m.article_id {sfx}, m.entity_id, m.start_char, m.end_char, m.text, m.label "
                    "FROM src.mentions m, copies c")
        con.execute(f"INSERT INTO quotes SELECT q.article_id {sfx}, q.start_char, q.end_char, q.text, q.speaker_id, q.speaker_text, q.cue, "
                    f"q.article_key {key} FROM src.quotes q, copies c")
        con.execute(f"INSERT INTO article_topics SELECT x.article_id {sfx}, x.topic_id, x.score, x.article_key {key} "
                    "FROM src.article_topics x, copies c")
        con.execute(f"INSERT INTO search_pending (term, article_key) SELECT s.term, s.article_key {key} FROM src.search_postings s, copies c")
        search.compact(con, force=True)
        refresh_article_entities(con)
        daily.refresh(con)
        con.execute("CHECKPOINT")
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]


def pages(con, f: Filters, entity: str, article_id: str, series: list[tuple[str, str]] | None = None) -> dict[str, Callable[[], object]]:
    """The queries each page runs for the filters (sidebar lists excluded: they are cached, the data's date span
    among them, which the pages read from that cache: read here once, not timed)."""
    span = q.date_span(con)
    return {name: (lambda run=run: run(f)) for name, run in _pages(con, entity, article_id, series or [], span).items()}


def _volume_chart(con, f: Filters, span: tuple[date, date], grain: str = "week") -> object:
    """The Overview's volume chart: zero-filled top topics, shares, and the lead headline of the 3 highest peaks."""
    first, last = span
    volume = q.volume(con, f, grain)
    if volume.empty:
        return volume
    start = max(f.start, first) if f.start else None
    end = min(f.end, last) if f.end else None
    filled = charts.top_series(charts.fill_periods(charts.topic_series(volume), grain, start, end))
    series = charts.with_share(filled, q.period_counts(con, Filters(start=f.start, end=f.end, source=f.source), grain))
    windows = [(int(m.key), charts.period_start(m.period, grain).date(), charts.period_end(m.period, grain).date())
               for m in charts.peaks(series).itertuples()]
    q.stories_in_windows(con, f, "topic", windows, 1)
    return volume


def _rising(con, f: Filters, volume, span: tuple[date, date], grain: str = "week") -> object:
    """Rising topics and entities over the latest complete periods, each with the top 2 stories of its burst
    (the chart's weekly counts serve the topics when they reach back far enough, as on the page)."""
    _, last = span
    through = min(f.end, last) if f.end else last
    start, end = (d.date() for d in burst_window(through, grain))
    before = (start - timedelta(weeks=BASELINE_PERIODS)) if grain == "week" else start - timedelta(days=BASELINE_PERIODS)
    if f.start is not None and f.start > before:
        volume = q.volume(con, replace(f, start=before, end=end), grain)
    topics = rising(burst_scores(volume, grain, through=through)).head(5)
    q.stories_in_windows(con, f, "topic", [(int(t), start, end) for t in topics["topic_id"]], 2)
    people = q.entity_volume(con, replace(f, start=None, end=None), grain, before, start, end, 3, 40)
    names = rising(burst_scores(people, grain, through=through, key="entity_id")).head(5)["label"]
    q.stories_in_windows(con, f, "entity", [(str(n), start, end) for n in names], 2)
    return topics


def _compare(con, f: Filters, series: list[tuple[str, str]], span: tuple[date, date], grain: str = "week") -> object:
    """The Compare page: each series' articles per period within the sidebar's dates, the totals for shares, the span."""
    base = Filters(start=f.start, end=f.end)
    narrow = {"q": lambda v: replace(base, q=v), "entity": lambda v: replace(base, entities=(v,)),
              "topic": lambda v: replace(base, topics=(int(v),)), "source": lambda v: replace(base, source=v)}
    frames = [q.period_counts(con, narrow[kind](value), grain) for kind, value in series]
    return frames, q.period_counts(con, base, grain), span


def _pages(con, entity: str, article_id: str, series: list[tuple[str, str]],
           span: tuple[date, date]) -> dict[str, Callable[[Filters], object]]:
    return {
        "overview": lambda f: (q.headline(con, f), _rising(con, f, _volume_chart(con, f, span), span), q.top_entities(con, f, 12),
                               q.quotes(con, f, (), None, 8, True)),
        "topics": lambda f: (_volume_chart(con, f, span), q.top_entities(con, f, 12), q.quotes(con, f, (), None, 500), q.articles(con, f, 50, 0)),
        "entities": lambda f: _entity_page(con, entity, replace(f, entities=tuple(e for e in f.entities if e != entity))),
        "quotes": lambda f: (q.speakers(con, f), q.quotes(con, f, (), None, 500)),
        "articles": lambda f: (q.count_articles(con, f), q.articles(con, f, 50, 0), q.article(con, article_id), q.article_marks(con, article_id)),
        "compare": lambda f: _compare(con, f, series, span),
    }


def _entity_page(con, entity: str, others: Filters) -> tuple:
    """The entity page of `entity`; the other filters narrow it (the page's own entity is not one of them)."""
    neighbours = q.cooccurring(con, entity, others, 20)
    return (q.entity_timeline(con, entity, others, "week"), q.entity_topics(con, entity, others),
            q.pair_counts(con, entity, [entity, *neighbours["name"]], others), q.quotes(con, others, (entity,), None, 50))


def sidebar(con) -> None:
    q.topics(con), q.entity_choices(con), q.sources(con), q.date_span(con)


CPU: dict[str, float] = {}  # the last `timed` run's median CPU time (ms), all of the process's threads


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    """Median wall time (ms) of `fn`; its median CPU time goes to CPU["last"].

    The CPU time changes less with the load than the wall time, which on a busy shared machine
    grows with it (not nothing: the same run a quarter of an hour apart took up to 2-3x the CPU
    time when other jobs contended for the cores); on a quiet 2-core machine a page waits between
    half its CPU time (both cores busy) and all of it.
    """
    runs, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    CPU["last"] = statistics.median(cpu)
    return statistics.median(runs)


def report(db: Path | Lake) -> None:
    """Print the server time of every page for a few filter combinations."""
    with connect(db, read_only=True) as con:
        entity = con.execute("SELECT e.name FROM entities e JOIN mentions m ON m.entity_id = e.id GROUP BY e.name "
                             "ORDER BY count(*) DESC LIMIT 1 OFFSET 5").fetchone()[0]
        topic = con.execute("SELECT topic_id FROM article_topics GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        article_id = con.execute("SELECT id FROM articles WHERE duplicate_of IS NULL LIMIT 1").fetchone()[0]
        first, last = q.date_span(con)
        source = q.sources(con)[0]
        # Five series, one of each kind and two searches (a phrase and a prefix): the Compare page at its fullest.
        series = [("q", "oil prices"), ("q", "export*"), ("entity", entity), ("topic", str(topic)), ("source", source)]
        combos = {
            "no filter": Filters(),
            "topic": Filters(topics=(topic,)),
            "entity": Filters(entities=(entity,)),
            "dates (1 year)": Filters(start=date(first.year + 2, 1, 1), end=date(first.year + 2, 12, 31)),
            "search oil prices": Filters(q="oil prices"),
            "search said (common)": Filters(q="said"),
            "search export*": Filters(q="export*"),
            "topic+dates+source": Filters(topics=(topic,), start=date(first.year + 1, 1, 1), end=last, source="Reuters"),
        }
        sidebar_ms = timed(lambda: sidebar(con))
        print(f"sidebar lists (cached after the first view): {sidebar_ms:.0f} ms")
        print(f"entity page's summary line (cached per entity, whatever the filters): {timed(lambda: q.entity_summary(con, entity)):.0f} ms")
        print(f"compare: {' · '.join(f'{k}:{v}' for k, v in series)} (the sidebar's dates apply; its other filters do not)")
        print(f"{'filters':<22}" + "".join(f"{name:>11}" for name in pages(con, Filters(), entity, article_id, series)))
        worst = 0.0
        cpu: dict[str, list[float]] = {}
        for label, f in combos.items():
            times = {}
            for name, fn in pages(con, f, entity, article_id, series).items():
                times[name] = timed(fn)
                cpu.setdefault(label, []).append(CPU["last"])
            worst = max(worst, *times.values())
            print(f"{label:<22}" + "".join(f"{ms:>9.0f}ms" for ms in times.values()))
        print(f"slowest page (filter change): {worst:.0f} ms; first view of a page adds the sidebar lists: "
              f"{worst + sidebar_ms:.0f} ms. Peak memory {peak_memory_mb():.0f} MiB.")
        print("CPU time of each page (all threads: a quiet 2-core machine waits between half of it and all of it)")
        for label, row in cpu.items():
            print(f"{label:<22}" + "".join(f"{ms:>9.0f}ms" for ms in row))
        if isinstance(db, Lake):
            print("catalog queries of each page (DuckLake's round trips to PostgreSQL), and their total time")
            for label, f in combos.items():
                print(f"{label:<22}" + "".join(f"{n:>5} {ms:>4.0f}ms" for n, ms in
                                               (catalog_queries(con, fn) for fn in pages(con, f, entity, article_id, series).values())))


def catalog_queries(con, fn: Callable[[], object]) -> tuple[int, float]:
    """How many queries DuckLake sent its catalog while `fn` ran, and their time (ms)."""
    con.execute("CALL enable_logging('DuckLakeMetadata')")
    try:
        count = "SELECT count(*), coalesce(sum(elapsed_ms), 0) FROM duckdb_logs_parsed('DuckLakeMetadata')"
        before, before_ms = con.execute(count).fetchone()
        fn()
        after, after_ms = con.execute(count).fetchone()
        return after - before, after_ms - before_ms
    finally:
        con.execute("CALL disable_logging()")


# Run in a fresh process so that its peak memory is the export's alone (VmHWM: the high-water mark).
_EXPORT = """
import sys, time
from pathlib import Path
from dashboard.store import connect
from dashboard.store.exports import write_selection
from dashboard.store.queries import Filters
from datetime import date
db, out, fmt, year = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
f = Filters(start=date(int(year), 1, 1), end=date(int(year), 12, 31)) if year != "all" else Filters()
started = time.perf_counter()
with connect(db, read_only=True) as con:
    con.execute("SET enable_progress_bar = false")
    rows = write_selection(con, f, out, fmt)
seconds = time.perf_counter() - started
peak = next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1]
print(rows, seconds, int(peak) // 1024)
"""


def export_report(db: Path) -> None:
    """Time the export of every article (no filter: the largest selection) as CSV and as Parquet, and of one
    year's articles as CSV: the peak memory should not grow with the number of articles exported."""
    with connect(db, read_only=True) as con:
        first, _ = q.date_span(con)
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, year in (("csv", "all"), ("parquet", "all"), ("csv", str(first.year + 2))):
            out = Path(tmp) / f"all.{fmt}"
            done = subprocess.run([sys.executable, "-c", _EXPORT, str(db), str(out), fmt, year], capture_output=True, text=True,
                                  cwd=Path(__file__).resolve().parent.parent, check=True)
            rows, seconds, peak = done.stdout.strip().splitlines()[-1].split()  # after any progress bar
            what = "all" if year == "all" else f"the {year}"
            print(f"export of {what} {int(rows):,} articles as {fmt}: {float(seconds):.0f} s, "
                  f"{out.stat().st_size / 2**20:,.0f} MiB file, peak memory {peak} MiB")
            out.unlink()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source-db", help="an enriched Reuters database (built from the corpus when missing)")
    parser.add_argument("--copies", type=int, default=48)
    parser.add_argument("--db", help="time this database (a file or a lake address), already built, instead of building one")
    parser.add_argument("--engine", choices=("file", "lake"), default="file",
                        help="lake: also copy the database into a lake (a throwaway PostgreSQL catalog) and time it there, same run")
    parser.add_argument("--export-only", action="store_true", help="time only the full export")
    parser.add_argument("--no-export", action="store_true", help="time only the pages")
    parser.add_argument("--keep", metavar="FOLDER",
                        help="build the enriched Reuters and million-article databases in FOLDER once, and reuse them in later runs")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    if args.db:
        if not args.export_only:
            report(config.db_path(args.db))
        if not args.no_export:
            export_report(config.db_path(args.db))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        source = Path(args.source_db) if args.source_db else folder / "reuters.duckdb"
        if not source.exists():
            print("building an enriched Reuters database (a few minutes)…", flush=True)
            ingest([str(CORPORA / "reuters21578")], source, progress=False, report=lambda _: None)
            enrich(source, progress=False)
        target = folder / f"million-{args.copies}.duckdb"
        if target.exists():  # kept from an earlier run (--keep)
            with connect(target, read_only=True) as con:
                total = con.execute("SELECT count(*) FROM articles").fetchone()[0]
            print(f"reusing {target.name}: {total:,} articles ({target.stat().st_size / 2**30:.1f} GiB)")
        else:
            started = time.perf_counter()
            total = build(source, target.with_suffix(".building"), args.copies)
            target.with_suffix(".building").rename(target)
            print(f"built {total:,} articles in {time.perf_counter() - started:.0f} s ({target.stat().st_size / 2**30:.1f} GiB)")
        if not args.export_only:
            print("-- DuckDB file")
            report(target)
        if args.engine == "lake":
            with throwaway_postgres() as cluster:
                report_lake(target, cluster, Path(tmp) / "lake", total)
        if not args.no_export:
            export_report(target)


def report_lake(source: Path, cluster, data: Path, total: int) -> None:
    """Copy the file into a new lake (`migrate`), print what it takes per article, then time the pages on it."""
    lake = config.db_path(cluster.lake(data))
    started = time.perf_counter()
    copy(source, lake)
    seconds = time.perf_counter() - started
    files = list(data.rglob("*.parquet"))
    size = sum(f.stat().st_size for f in files)
    with connect(lake, read_only=True) as con:
        catalog = con.execute(f"SELECT * FROM postgres_query('{engine.LOCKS}', 'SELECT pg_database_size(current_database())')").fetchone()[0]
    print(f"-- DuckLake (PostgreSQL catalog, Parquet data): copied in {seconds:.0f} s; {len(files)} Parquet files, "
          f"{size / 2**30:.2f} GiB ({size / total:,.0f} bytes per article); catalog {catalog / 2**20:.1f} MiB "
          f"(file: {source.stat().st_size / total:,.0f} bytes per article)")
    report(lake)


if __name__ == "__main__":
    main()
