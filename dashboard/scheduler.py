"""The app's own feed poller, for deploys without cron (Streamlit Community Cloud, one container).

With $NEWSDESK_POLL_MINUTES set, every app process runs a daemon thread that wakes when a poll
is due. A poll is due when the last one, by any process, started at least a period ago: the
start time is kept in `<db>.poll.json`, and it is read and written only under an advisory lock
(`<db>.poll.lock`, taken without waiting), so however many sessions, processes or replicas
share the database, each period sees one poll. The poll itself is `python -m dashboard poll` in
a child process, the same command as cron's: spaCy's memory and CPU stay out of the server
process, a crash there cannot take the server down, and the database is only held for the
short writes `poll` makes, during which pages show the answers from just before.

On a lake the replicas may run on different machines, with no file in common: the lock is a
PostgreSQL session advisory lock on the catalog (`pg_try_advisory_lock`, never waiting; a dead
process or a lost machine releases it with its connection) and the state is a row of the
catalog's `newsdesk_state` table (store/catalog.py), so each period still sees one poll.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dashboard import logs
from dashboard.ingest import IngestError
from dashboard.poll import Feed
from dashboard.store import catalog
from dashboard.store.engine import Lake, is_lake

log = logs.get("scheduler")
PACKAGE_ROOT = Path(__file__).resolve().parent.parent
POLL_TIMEOUT = 30 * 60.0  # seconds: a poll stuck longer than this is stopped, and the next one is due
_in_process = threading.Lock()  # lockf locks belong to the process: its threads need their own
_threads: dict[Path | Lake, tuple[threading.Thread, threading.Event]] = {}
_threads_lock = threading.Lock()


def state_path(db: Path) -> Path:
    return Path(f"{db}.poll.json")


def read_state(db: Path | Lake) -> dict[str, Any] | None:
    """The last poll: started, finished (ISO UTC), seconds, ok, result, errors, by; None before the first."""
    if is_lake(db):
        return catalog.read_state(db, "poll")
    try:
        return json.loads(state_path(db).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def _write_state(db: Path | Lake, state: dict[str, Any]) -> None:
    if is_lake(db):
        catalog.write_state(db, "poll", state)
        return
    target = state_path(db)
    partial = target.with_name(f"{target.name}.{os.getpid()}")
    partial.write_text(json.dumps(state), encoding="utf-8")
    os.replace(partial, target)  # readers see the old state or the new one, never half of one


def abandoned(state: dict[str, Any]) -> bool:
    """A poll marked running that started longer ago than any poll may last: its process died."""
    started = _started(state)
    return bool(state.get("running")) and started is not None and time.time() - started > POLL_TIMEOUT + 60


def _started(state: dict[str, Any] | None) -> float | None:
    if not state or not state.get("started"):
        return None
    return datetime.fromisoformat(state["started"]).timestamp()


def next_due(db: Path | Lake, period: float) -> float:
    """When the next poll is due (epoch seconds): a period after the last one started; 0 before the first."""
    started = _started(read_state(db))
    return 0.0 if started is None else started + period


@contextlib.contextmanager
def _poll_lock(db: Path | Lake) -> Iterator[bool]:
    """Yields whether this thread holds the poll lock; never waits for it."""
    if not _in_process.acquire(blocking=False):
        yield False
        return
    try:
        if is_lake(db):
            with catalog.try_lock(db, "poll") as held:
                yield held
            return
        db.parent.mkdir(parents=True, exist_ok=True)
        with open(f"{db}.poll.lock", "a+b") as handle:
            try:
                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.lockf(handle, fcntl.LOCK_UN)
    finally:
        _in_process.release()


def _toml(feeds: list[Feed]) -> str:
    # JSON strings are valid TOML basic strings: quotes, backslashes and control characters escaped.
    return "".join(f"[[feed]]\nurl = {json.dumps(f.url)}\n" + (f"name = {json.dumps(f.name)}\n" if f.name else "") + "\n"
                   for f in feeds)


def _run_poll(db: Path | Lake, feeds: list[Feed]) -> tuple[bool, str, list[str]]:
    """`python -m dashboard poll` on these feeds: (ok, its summary lines, its error lines)."""
    with tempfile.NamedTemporaryFile("w", suffix=".toml", encoding="utf-8") as listing:
        listing.write(_toml(feeds))
        listing.flush()
        try:
            done = subprocess.run([sys.executable, "-m", "dashboard", "poll", "--feeds", listing.name, "--db", str(db.resolve())],
                                  cwd=PACKAGE_ROOT, capture_output=True, text=True, timeout=POLL_TIMEOUT)
        except subprocess.TimeoutExpired:
            return False, "", [f"the poll took longer than {POLL_TIMEOUT:.0f} s and was stopped"]
    errors = [line for line in done.stderr.splitlines() if line.startswith(("error:", "Traceback"))]
    return done.returncode == 0, " / ".join(done.stdout.split("\n")).strip(" /"), errors


def poll_if_due(db: Path | Lake, period: float, feeds: Callable[[], list[Feed]]) -> dict[str, Any] | None:
    """Poll once if no process has polled within `period` seconds; the new state, or None when not this one's turn."""
    with _poll_lock(db) as held:
        if not held:
            return None
        if time.time() < next_due(db, period):
            return None
        now = datetime.now(UTC)
        state: dict[str, Any] = {"started": now.isoformat(), "by": f"{socket.gethostname()} pid {os.getpid()}"}
        _write_state(db, {**(read_state(db) or {}), **state, "running": True})
        log.info("poll started at %s by %s", state["started"], state["by"])  # the time recorded, which the next turn counts from
        try:
            listed = feeds()
        except IngestError as exc:
            ok, result, errors = False, "", [str(exc)]
        else:
            ok, result, errors = _run_poll(db, listed) if listed else (True, "no feeds listed", [])
        state |= {"finished": datetime.now(UTC).isoformat(), "seconds": round((datetime.now(UTC) - now).total_seconds(), 1),
                  "ok": ok, "result": result, "errors": errors[:10], "running": False}
        _write_state(db, state)
        (log.info if ok else log.warning)("poll finished in %.1f s: %s%s", state["seconds"], result or "nothing read",
                                           "; " + "; ".join(errors[:3]) if errors else "")
        return state


def _loop(db: Path | Lake, period: float, feeds: Callable[[], list[Feed]], stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            poll_if_due(db, period, feeds)
        except Exception:  # a poller that dies stops the feeds for good: log and try again next period
            log.exception("poll failed")
        # Wake when the next poll is due; a little jitter keeps processes from waking in lockstep.
        try:
            due = next_due(db, period)
        except Exception:  # a lake's catalog out of reach: try again in a period
            log.exception("cannot read when the next poll is due")
            due = time.time() + period
        wait = min(max(due - time.time(), 1.0), period) + random.uniform(0.0, 0.5)
        stop.wait(wait)


def start(db: Path | Lake, minutes: float, feeds: Callable[[], list[Feed]]) -> bool:
    """Start this process's poller for `db` unless it runs already; True when it was started now."""
    key = db.resolve()
    with _threads_lock:
        running = _threads.get(key)
        if running and running[0].is_alive():
            return False
        stop = threading.Event()
        thread = threading.Thread(target=_loop, args=(db, minutes * 60.0, feeds, stop), name="newsdesk-poller", daemon=True)
        _threads[key] = (thread, stop)
        thread.start()
    log.info("poller started: %s every %g minutes", db, minutes)
    return True


def stop(db: Path | Lake) -> None:
    """Stop this process's poller for `db` (it finishes a poll under way first)."""
    with _threads_lock:
        running = _threads.pop(db.resolve(), None)
    if running:
        running[1].set()
        running[0].join(timeout=POLL_TIMEOUT)
