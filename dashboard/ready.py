"""Readiness: `python -m dashboard.ready [--db FILE] [--url URL]`, for a container HEALTHCHECK or a probe.

Streamlit's own /_stcore/health says the server answers, not that there is anything to show:
this says the database can be read (it exists, it is a Newsdesk database, a query answers
within --wait seconds), and with --url that the server answers too. One line; exit 0 when
ready, 1 when not, 2 on bad usage. A fresh deploy is therefore not ready until its first-run
database is in place, and a replica whose volume is gone stops getting traffic.
"""

from __future__ import annotations

import argparse
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence

from dashboard import config
from dashboard.store import StoreError, connect


def problem(db_file: str | None = None, url: str | None = None, wait: float = 10.0) -> str | None:
    """Why the app is not ready, or None when it is."""
    if url:
        try:
            with urllib.request.urlopen(url.rstrip("/") + "/_stcore/health", timeout=wait) as response:
                if response.status != 200:
                    return f"{url}: the server answers HTTP {response.status}"
        except (urllib.error.URLError, OSError) as exc:
            return f"{url}: the server does not answer: {exc}"
    db = config.db_path(db_file)
    try:
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
    print(f"not ready: {reason}" if reason else f"ready: {config.db_path(args.db)}")
    return 1 if reason else 0


if __name__ == "__main__":
    sys.exit(main())
