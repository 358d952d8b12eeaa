"""Cached reads for the pages: each opens a short read-only connection, runs one query, closes.

Results are cached per (database version, arguments); the version is the database file's
modification stamp, or a lake's snapshot id, so an ingest by any process (or, on a lake, any
machine) shows up on the next rerun.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from dashboard import config
from dashboard.store import StoreError, connect
from dashboard.store import queries as q
from dashboard.store.db import Store, snapshot
from dashboard.store.engine import is_lake
from dashboard.store.queries import Filters

T = TypeVar("T")
READ_WAIT = 5.0  # seconds to wait for a writer (an ingest) to let go of the file


def db_path() -> Store:
    return config.db_path()


_version: tuple[float, str, tuple[int, int]] | None = None  # (when, store, version) of the last look
VERSION_TTL = 0.25  # seconds: a page's queries share one look at a lake's snapshot (10-40 ms each); a file's is a stat


def version() -> tuple[int, int]:
    """Changes whenever the store changes: a file's (and its log's) modification time, a lake's snapshot id."""
    global _version
    store = db_path()
    now = time.monotonic()
    if is_lake(store) and _version is not None and _version[1] == str(store) and now - _version[0] < VERSION_TTL:
        return _version[2]
    try:
        stamp = snapshot(store)
    except StoreError:
        stamp = (0, 0)  # the read that follows reports what is wrong
    _version = (now, str(store), stamp)
    return stamp


def _read(fn: Callable[..., T], *args: Any) -> T:
    with connect(db_path(), read_only=True, wait=READ_WAIT) as con:
        return fn(con, *args)


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(name: str, stamp: tuple[int, int], args: tuple) -> Any:
    return _read(getattr(q, name), *args)


# The last good answer to each recent query, served while a writer (an ingest) holds the file
# for longer than READ_WAIT: the page shows the data from just before the ingest.
_last_good: OrderedDict[tuple[str, str], Any] = OrderedDict()
LAST_GOOD_ENTRIES = 512


def _fetch(name: str, stamp: tuple[int, int], args: tuple) -> Any:
    key = (name, repr(args))
    if st.session_state.get("stale") and key in _last_good:
        return _last_good[key]  # found busy once this run: do not wait again for every query
    try:
        value = _cached(name, stamp, args)
    except StoreError:
        if key not in _last_good:
            raise
        st.session_state["stale"] = True
        return _last_good[key]
    _last_good[key] = value
    _last_good.move_to_end(key)
    while len(_last_good) > LAST_GOOD_ENTRIES:
        _last_good.popitem(last=False)
    return value


def get(name: str, *args: Any) -> Any:
    """queries.<name>(con, *args), cached until the database changes."""
    return _fetch(name, version(), args)


def available() -> str | None:
    """None when the database can be read, else a message for the page."""
    try:
        get("date_span")
    except StoreError as exc:
        return str(exc)
    return None


def write(fn: Callable[..., T], *args: Any) -> T:
    """Run a write (admin actions) in its own short transaction, then drop cached reads."""
    from dashboard.store import transaction

    with connect(db_path()) as con, transaction(con):
        result = fn(con, *args)
    st.cache_data.clear()
    return result


__all__ = ["Filters", "available", "db_path", "get", "pd", "write"]


def export_selection(f: Filters, fmt: str, undated_only: bool = False) -> bytes:
    """Every article of the selection (or its undated ones only) as a CSV or Parquet file's bytes.

    DuckDB writes the file in bounded memory (see store.exports.write_selection); Streamlit then
    serves it from memory, so the page offers a large selection in parts (exports.DOWNLOAD_ARTICLES).
    """
    import tempfile

    from dashboard.store.exports import SelectionFile, parts

    with tempfile.TemporaryDirectory(prefix="newsdesk-export-") as folder:
        path = Path(folder) / f"selection.{fmt}"
        out = SelectionFile(path, fmt)
        try:
            for part, undated in [(f, True)] if undated_only else _read(parts, f):  # a connection per run: an ingest can write in between
                _read(out.append, part, undated)
        finally:
            out.close()
        return path.read_bytes()


def find_entities(text: str, limit: int = 8) -> pd.DataFrame:
    """Entities like `text` (typos and accents forgiven), from the cached pool of the most mentioned."""
    return q.rank_entities(get("entity_choices", q.LOOKUP_POOL), text, limit)


def read(fn: Callable[..., T], *args: Any) -> T:
    """fn(con, *args) on a short read-only connection, uncached (for admin lists that must be current)."""
    return _read(fn, *args)
