"""Soak: ingest Reuters-21578 in batches of 500 while a browser opens every page in a loop.

    python benchmarks/soak.py [--batches N] [--no-enrich]

Prints pages served, errors (must be 0), p50/p95 page time, and the final row counts
against the counts expected from the corpus. Needs Debian's Chromium (make test installs it).
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import duckdb
from _common import CORPORA, ROOT, machine

PAGES = ("", "topics", "entities", "quotes", "articles")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def batches(folder: Path, size: int, out: Path) -> list[Path]:
    """The corpus cut into files of `size` records each."""
    paths, records = [], []
    for sgm in sorted(folder.glob("reut2-*.sgm")):
        records += [b[b.index("<REUTERS"):] + "</REUTERS>\n" for b in sgm.read_text(encoding="latin-1").split("</REUTERS>") if "<REUTERS" in b]
    for start in range(0, len(records), size):
        path = out / f"batch-{start // size:03d}.sgm"
        path.write_text("".join(records[start : start + size]), encoding="latin-1")
        paths.append(path)
    return paths


def expected_articles(paths: list[Path]) -> int:
    return sum(1 for p in paths for block in p.read_text(encoding="latin-1").split("</REUTERS>")
               if "<REUTERS" in block and ("<TITLE>" in block or "<BODY>" in block))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, help="only the first N batches of 500")
    parser.add_argument("--no-enrich", action="store_true")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        db = tmp_path / "soak.duckdb"
        subprocess.run([sys.executable, "-m", "dashboard", "ingest", str(ROOT / "seeds"), "--db", str(db), "--quiet"], cwd=ROOT, check=True,
                       capture_output=True)
        parts = batches(CORPORA / "reuters21578", 500, tmp_path)[: args.batches or None]
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
                                   "--server.port", str(port), "--server.address", "127.0.0.1"], cwd=ROOT,
                                  env={**os.environ, "NEWSDESK_DB": str(db)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        done = threading.Event()
        ingest_failures: list[str] = []

        def writer() -> None:
            for part in parts:
                command = [sys.executable, "-m", "dashboard", "ingest", str(part), "--db", str(db), "--quiet"]
                result = subprocess.run(command + (["--no-enrich"] if args.no_enrich else []), cwd=ROOT, capture_output=True, text=True)
                if result.returncode != 0:
                    ingest_failures.append(result.stdout + result.stderr)
            done.set()

        thread = threading.Thread(target=writer)
        started = time.monotonic()
        thread.start()
        times, errors = [], []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page()
            while not done.is_set():
                for path in PAGES:
                    began = time.monotonic()
                    try:
                        page.goto(f"{base}/{path}")
                        page.get_by_test_id("stMainBlockContainer").get_by_role("heading").first.wait_for(timeout=60_000)
                        page.wait_for_load_state("networkidle")
                        shown = page.get_by_test_id("stException").or_(page.get_by_test_id("stAlertContentError"))
                        if shown.count():
                            errors.append(f"/{path}: " + shown.first.inner_text()[:300])
                    except Exception as exc:  # a page that does not answer is what a soak test counts
                        errors.append(f"/{path}: {exc!r}"[:200])
                    times.append((time.monotonic() - began) * 1000)
            browser.close()
        thread.join()
        server.terminate()
        seconds = time.monotonic() - started
        with duckdb.connect(str(db), read_only=True) as con:
            stored, enriched = con.execute("SELECT count(*), (SELECT count(*) FROM enriched) FROM articles").fetchone()
        expected = expected_articles(parts) + 5  # the seed's five
    print(f"machine: {machine()}")
    print(f"{len(parts)} batches of 500 in {seconds:.0f} s; ingest failures: {len(ingest_failures)}")
    print(f"pages served {len(times):,}, errors {len(errors)}")
    if times:
        q = statistics.quantiles(times, n=20) if len(times) > 1 else [times[0]] * 19
        print(f"page time p50 {statistics.median(times):.0f} ms, p95 {q[18]:.0f} ms (browser load + server work)")
    print(f"articles stored {stored:,} (expected {expected:,}); enriched {enriched:,}")
    for line in (errors + ingest_failures)[:5]:
        print("  " + re.sub(r"\s+", " ", line)[:300])


if __name__ == "__main__":
    main()
