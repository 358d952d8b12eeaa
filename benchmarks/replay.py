"""Replay Reuters-21578 in date order, as a poller would deliver it, and watch events become stories and topics.

    python benchmarks/replay.py [--grain month|day] [--fast]

The corpus (Feb-Oct 1987) is cut into one JSON Lines file per month or per day, and each
file goes through `python -m dashboard ingest` into one database, in order. After each
batch the script reads what the product stored and, for each event below, prints how many
batches it took from the event's first article until the event had its own story (5+
articles) and its own topic (10+), that story's and topic's purity, and the share of all
articles in "other" and in catch-all topics.

Events were found by reading the corpus's busiest days and headlines; each is picked by
a rule over title and first 600 characters of the body within a date range (below), so
the purity is measured against an independent, if rough, definition of the event.
Tuning used the March-April events; the June and October events (the 19 October 1987
crash, the US strikes on Iranian oil platforms, the Greenspan-Volcker handover) were held out.

A topic's purity is the share of its articles that the rule picks; "own topic" is a topic
other than "other" holding 10+ of the event's articles with purity >= 0.6; "own story"
the same with 5+. A catch-all topic is one whose most common Reuters label covers less than
a quarter of its labelled articles. `--fast` skips named entities and quotes (ingest
--no-enrich, then the topic step alone): the same topic code, minutes faster.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
from _common import CORPORA, ROOT, machine


@dataclass(frozen=True)
class Event:
    name: str
    first: date
    last: date
    rule: str  # a regular expression over the title and the start of the body (case-insensitive)
    held_out: bool


EVENTS = (
    Event("TWA bids for USAir", date(1987, 3, 1), date(1987, 3, 31),
          r"\b(twa|trans world)\b.*\b(usair|piedmont)\b|\b(usair|piedmont)\b.*\b(twa|trans world)\b", False),
    Event("Texaco's bond fight and bankruptcy", date(1987, 4, 1), date(1987, 4, 30), r"\btexaco\b", False),
    Event("Ecuador earthquake halts oil exports", date(1987, 3, 1), date(1987, 4, 30), r"\becuador", False),
    Event("US-Japan semiconductor sanctions", date(1987, 3, 15), date(1987, 4, 30),
          r"\b(semiconductor|microchip|chip)s?\b.*\b(japan|tariff|sanction|retaliat)"
          r"|\b(japan|tariff|sanction)\w*\b.*\b(semiconductor|microchip|chip)s?\b", False),
    Event("GenCorp takeover fight", date(1987, 3, 15), date(1987, 4, 30), r"\bgencorp\b", False),
    Event("Volcker leaves, Greenspan named to the Fed", date(1987, 6, 1), date(1987, 6, 30), r"\b(volcker|greenspan)\b", True),
    Event("19 October 1987 stock market crash", date(1987, 10, 19), date(1987, 10, 20),
          r"\b(stock|share|bourse|equit|dow|ftse|nikkei|hang seng|index)\w*\b.*"
          r"\b(fall|fell|drop|plung|crash|slump|tumbl|lower|down|record|los|panic|turmoil|rebound|suspend)", True),
    Event("US strikes on Iranian oil platforms in the Gulf", date(1987, 10, 19), date(1987, 10, 20),
          r"\b(iran|gulf|persian)\w*\b.*\b(attack|platform|rig|missile|tanker|navy|naval|warship|raid|destroy|retaliat)"
          r"|\b(attack|platform|missile|warship|raid)\w*\b.*\b(iran|gulf)", True),
)


def batches(db: Path, grain: str, out: Path) -> list[Path]:
    """One JSON Lines file per month or day of the stored corpus, in date order."""
    key = "strftime(published, '%Y-%m')" if grain == "month" else "strftime(published, '%Y-%m-%d')"
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(f"SELECT {key}, external_id, title, body, published, labels FROM articles "
                           "WHERE published IS NOT NULL ORDER BY published, id").fetchall()
    files: dict[str, list[dict]] = {}
    for period, ext, title, body, published, labels in rows:
        files.setdefault(period, []).append({"id": ext, "title": title, "text": body, "published": published.isoformat() + "Z",
                                             "source": "Reuters", "labels": labels})
    paths = []
    for period, records in files.items():
        path = out / f"reuters-{period}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        paths.append(path)
    return paths


def run_batch(db: Path, path: Path, fast: bool) -> float:
    started = time.perf_counter()
    command = [sys.executable, "-m", "dashboard", "ingest", str(path), "--db", str(db), "--quiet"]
    subprocess.run([*command, "--no-enrich"] if fast else command, cwd=ROOT, check=True, capture_output=True)
    if fast:
        code = ("import sys, datetime; from pathlib import Path; from dashboard.nlp import tracking; from dashboard.store import connect\n"
                "from dashboard.store import enrichment as s\n"
                "db = Path(sys.argv[1])\n"
                "with connect(db) as con:\n"
                "    ids = [r[0] for r in con.execute(s.PENDING_SQL).fetchall()]\n"
                "    s.mark_enriched(con, ids, datetime.datetime.now())\n"
                "tracking.step(db, ids)\n")
        subprocess.run([sys.executable, "-c", code, str(db)], cwd=ROOT, check=True)
    return time.perf_counter() - started


def event_articles(con: duckdb.DuckDBPyConnection, event: Event) -> set[str]:
    rule = re.compile(event.rule, re.IGNORECASE | re.DOTALL)
    rows = con.execute("SELECT id, coalesce(title, '') || ' ' || left(body, 600) FROM articles "
                       "WHERE duplicate_of IS NULL AND published::DATE BETWEEN ? AND ?", [event.first, event.last]).fetchall()
    return {aid for aid, text in rows if rule.search(text)}


def own_group(groups: dict[int, set[str]], wanted: set[str], minimum: int, exclude: int | None = None) -> tuple[int | None, float, int]:
    """The group holding most of the event's articles with purity >= 0.6 and `minimum` of them: (id, purity, size)."""
    best = (None, 0.0, 0)
    for gid, members in groups.items():
        hits = len(members & wanted)
        if gid == exclude or hits < minimum:
            continue
        purity = hits / len(members)
        if purity >= 0.6 and hits > best[2]:
            best = (gid, purity, hits)
    return best


def measure(db: Path) -> tuple[dict[str, tuple], float, float]:
    with duckdb.connect(str(db), read_only=True) as con:
        topics: dict[int, set[str]] = {}
        for aid, tid in con.execute("SELECT x.article_id, x.topic_id FROM article_topics x JOIN articles a ON a.id = x.article_id "
                                    "WHERE a.duplicate_of IS NULL").fetchall():
            topics.setdefault(tid, set()).add(aid)
        stories: dict[int, set[str]] = {}
        for aid, sid in con.execute("SELECT s.article_id, s.story_id FROM article_stories s JOIN articles a ON a.id = s.article_id "
                                    "WHERE a.duplicate_of IS NULL").fetchall():
            stories.setdefault(sid, set()).add(aid)
        labels = dict(con.execute("SELECT id, labels FROM articles WHERE duplicate_of IS NULL").fetchall())
        results = {}
        for event in EVENTS:
            wanted = event_articles(con, event)
            if not wanted:
                continue
            story = own_group(stories, wanted, min(5, len(wanted)))
            topic = own_group(topics, wanted, 10, exclude=0)
            results[event.name] = (len(wanted), story, topic)
    total = sum(len(m) for m in topics.values()) or 1
    catch_all = 0
    for tid, members in topics.items():
        counted = Counter(label for aid in members for label in labels.get(aid) or [])
        labelled = sum(1 for aid in members if labels.get(aid))
        if tid != 0 and labelled and counted.most_common(1)[0][1] < 0.25 * labelled:
            catch_all += len(members)
    return results, len(topics.get(0, ())) / total, catch_all / total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grain", choices=("month", "day"), default="month")
    parser.add_argument("--fast", action="store_true", help="topics only: skip entities and quotes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        whole = Path(tmp) / "whole.duckdb"
        subprocess.run([sys.executable, "-m", "dashboard", "ingest", str(CORPORA / "reuters21578"), "--db", str(whole), "--no-enrich",
                        "--quiet"], cwd=ROOT, check=True, capture_output=True)
        files = batches(whole, args.grain, Path(tmp))
        db = Path(tmp) / "replay.duckdb"
        first_seen: dict[str, int] = {}
        story_at: dict[str, tuple[int, float]] = {}
        topic_at: dict[str, tuple[int, float, bool]] = {}
        seconds = []
        for number, path in enumerate(files, 1):
            seconds.append(run_batch(db, path, args.fast))
            results, other, catch_all = measure(db)
            with duckdb.connect(str(db), read_only=True) as con:
                born = {r[0] for r in con.execute("SELECT id FROM topics WHERE created_at IS NOT NULL").fetchall()}
            for name, (_size, story, topic) in results.items():
                first_seen.setdefault(name, number)
                if story[0] is not None and name not in story_at:
                    story_at[name] = (number - first_seen[name], story[1])
                if topic[0] is not None and name not in topic_at:
                    topic_at[name] = (number - first_seen[name], topic[1], topic[0] in born)
            print(f"batch {number:3} {path.stem:<20} {seconds[-1]:6.1f} s   other {other:5.1%}   catch-all topics {catch_all:5.1%}",
                  flush=True)
        results, other, catch_all = measure(db)
    print(f"\nmachine: {machine()}; grain {args.grain}; {len(files)} batches; {sum(seconds):.0f} s in all"
          + (" (topics only)" if args.fast else ""))
    print(f"{'event':<48} {'set':<9} {'articles':>8} {'story after':>11} {'purity':>6} {'topic after':>11} {'purity':>6} born")
    for event in EVENTS:
        if event.name not in results:
            continue
        size = results[event.name][0]
        story = story_at.get(event.name)
        topic = topic_at.get(event.name)
        print(f"{event.name:<48} {'held out' if event.held_out else 'tuning':<9} {size:>8} "
              f"{(str(story[0]) + ' batches') if story else 'never':>11} {story[1] if story else 0:6.2f} "
              f"{(str(topic[0]) + ' batches') if topic else 'never':>11} {topic[1] if topic else 0:6.2f} {'yes' if topic and topic[2] else '-'}")
    print(f"end: other {other:.1%} of articles, catch-all topics {catch_all:.1%}")


if __name__ == "__main__":
    main()
