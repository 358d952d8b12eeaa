"""Fetch every feed listed in feeds.toml once, with conditional GETs (ETag / Last-Modified).

feeds.toml:

    [[feed]]
    url = "https://example.org/rss.xml"
    name = "Example News"      # optional: the source name; else the feed's title
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dashboard.ingest import IngestError, Input
from dashboard.ingest.sources import fetch
from dashboard.load import Summary, ingest_inputs
from dashboard.store import connect, transaction


@dataclass(frozen=True)
class Feed:
    url: str
    name: str | None = None


def read_feeds(path: Path) -> list[Feed]:
    """The feeds a feeds.toml lists; IngestError when it is missing or malformed."""
    if path.exists() and not path.is_file():
        raise IngestError(f"{path}: not a regular file")  # a folder, or a pipe that would block
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise IngestError(f"{path}: no such feeds file") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, ValueError) as exc:
        raise IngestError(f"{path}: not valid TOML: {str(exc).splitlines()[0] if str(exc) else exc}") from exc
    except OSError as exc:
        raise IngestError(f"{path}: cannot read the feeds file: {exc.strerror or exc}") from exc
    entries = config.get("feed", [])
    if not isinstance(entries, list):
        raise IngestError(f"{path}: feeds are listed as [[feed]] tables")
    feeds = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str) or not entry["url"].startswith(("http://", "https://")):
            raise IngestError(f"{path}: every [[feed]] needs an http(s) url")
        name = entry.get("name")
        feeds.append(Feed(url=entry["url"], name=name if isinstance(name, str) and name.strip() else None))
    return feeds


def _state(db: Path, url: str) -> dict[str, str]:
    with connect(db) as con:
        row = con.execute("SELECT etag, last_modified FROM feed_state WHERE url = ?", [url]).fetchone()
    headers = {}
    if row and row[0]:
        headers["If-None-Match"] = row[0]
    if row and row[1]:
        headers["If-Modified-Since"] = row[1]
    return headers


def _save_state(db: Path, url: str, headers: dict[str, str], status: str) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    with connect(db) as con, transaction(con):  # replace, not upsert: a lake has no keys for ON CONFLICT
        con.execute("DELETE FROM feed_state WHERE url = ?", [url])
        con.execute("INSERT INTO feed_state VALUES (?, ?, ?, ?, ?)", [url, headers.get("etag"), headers.get("last-modified"), now, status])


def poll(feeds: list[Feed], db: Path, report: Callable[[str], None] | None = None) -> Summary:
    """Fetch each feed once and ingest what is new; a failing feed never stops the others."""
    say = report or (lambda line: print(line, file=sys.stderr))
    total = Summary()
    for feed in feeds:
        try:
            data, headers = fetch(feed.url, headers=_state(db, feed.url))
        except IngestError as exc:
            if "HTTP 304" in str(exc):
                say(f"{feed.url}: not modified")
                continue
            total.failed.append((feed.url, str(exc)))
            say(f"error: {feed.url}: {exc}")
            continue
        item = Input(name=feed.url, data=data, source=feed.name, content_type=headers.get("content-type"))
        summary = ingest_inputs([item], db, "rss", False, say)
        if not summary.failed:
            _save_state(db, feed.url, headers, "ok")
        say(f"{feed.url}: {summary.line()}")
        _merge(total, summary)
    return total


def _merge(total: Summary, part: Summary) -> None:
    for name in ("read", "new", "duplicates", "unchanged", "rejected", "malformed", "seconds"):
        setattr(total, name, getattr(total, name) + getattr(part, name))
    total.failed.extend(part.failed)
    total.skipped.extend(part.skipped)
    total.new_ids.extend(part.new_ids)
