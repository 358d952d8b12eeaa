"""Readiness: `python -m dashboard.ready [--db FILE] [--url URL]`, for a container HEALTHCHECK or a probe.

Streamlit's own /_stcore/health says the server answers, not that there is anything to show:
this says the database can be read (it exists, it is a Newsdesk database, a query answers
within --wait seconds), and with --url that the server answers too (running the app once,
where the server allows it: see server_problem). One line; exit 0 when
ready, 1 when not, 2 on bad usage. A fresh deploy is therefore not ready until its first-run
database is in place, and a replica whose volume is gone stops getting traffic.
"""

from __future__ import annotations

import argparse
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence

from dashboard import config
from dashboard.store import StoreError, connect

HEALTH = "/_stcore/health"
SCRIPT_CHECK = "/_stcore/script-health-check"
SCRIPT_WAIT = 60.0  # seconds: Streamlit's own limit for the script check; a first start builds its database meanwhile


def server_problem(url: str, wait: float) -> str | None:
    """Why the server at `url` does not answer, or None when it does.

    Where the server enables Streamlit's script health check (STREAMLIT_SERVER_SCRIPT_HEALTH_CHECK_ENABLED,
    set in the Dockerfile), that endpoint runs the app once as a visitor would: a fresh deploy
    builds its database and starts its feed poller at the first probe, before anyone opens a
    page. Elsewhere it answers 404 and /_stcore/health is asked instead.
    """
    for path in SCRIPT_CHECK, HEALTH:
        try:
            with urllib.request.urlopen(url.rstrip("/") + path, timeout=max(wait, SCRIPT_WAIT if path == SCRIPT_CHECK else 0)):
                return None
        except urllib.error.HTTPError as exc:
            if path == SCRIPT_CHECK and exc.code == 404:
                continue
            return f"{url}{path}: the server answers HTTP {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            return f"{url}: the server does not answer: {exc}"
    return None


def problem(db_file: str | None = None, url: str | None = None, wait: float = 10.0) -> str | None:
    """Why the app is not ready, or None when it is."""
    if url and (trouble := server_problem(url, wait)):
        return trouble
    try:
        db = config.db_path(db_file)
        with connect(db, read_only=True, wait=wait) as con:
            con.execute("SELECT count(*) FROM articles").fetchone()
    except StoreError as exc:
        return str(exc)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.ready", description="Exit 0 when the dashboard can serve its data.")
    parser.add_argument("--db", help="DuckDB file (default: $NEWSDESK_DB or data/newsdesk.duckdb)")
    parser.add_argument("--url", help="also check the Streamlit server at this address answers, e.g. http://127.0.0.1:8501")
    parser.add_argument("--wait", type=float, default=10.0, help="seconds to wait for a writer to let go of the file (default 10)")
    args = parser.parse_args(argv)
    reason = problem(args.db, args.url, args.wait)
    print(f"not ready: {reason}" if reason else f"ready: {os.fspath(config.db_path(args.db))}")  # a lake's password hidden
    return 1 if reason else 0


if __name__ == "__main__":
    sys.exit(main())
