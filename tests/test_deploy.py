"""Deploys without cron or Docker in the loop: the app's own feed poller across processes,
README's settings against the code, and the Dockerfile's steps run as they are written."""

from __future__ import annotations

import contextlib
import fnmatch
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from dashboard import scheduler
from dashboard.poll import Feed
from tests.conftest import ROOT, _free_port, rows

PERIOD_MINUTES = 0.15  # 9 s; the first poll here (a fresh Python, fetch, ingest, spaCy) takes 10-35 s on 2 busy cores
WINDOW = 180.0  # seconds the two app processes may run (they stop after three polls): the first poll took over 70 s at a load of 10-13
FEED_DELAY = 1.0  # each feed answers after a second, so polls last and overlap with page views


def _feed(name: str, number: int) -> bytes:
    """An RSS feed of `number` items."""
    items = "".join(f"<item><title>{name} story {n}: the council met on harbour walls</title><guid>{name}-{n}</guid>"
                    f"<pubDate>Tue, 11 Mar 2025 09:{n:02d}:00 GMT</pubDate><description>The council of {name} met "
                    f"again about the harbour wall, meeting number {n}, and the mayor spoke.</description></item>"
                    for n in range(1, number + 1))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>{items}</channel></rss>'.encode()


@pytest.fixture
def feeds_server():
    """Two feeds on 127.0.0.1, each with a new item at the first and the third fetch and "not modified"
    (ETag) in between; yields (base URL, fetches as (path, time))."""
    fetches: list[tuple[str, float]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            fetches.append((self.path, time.time()))
            time.sleep(FEED_DELAY)
            count = sum(1 for path, _ in fetches if path == self.path)
            version = 1 if count < 3 else 2
            if self.headers.get("If-None-Match") == f'"v{version}"':
                self.send_response(304)
                self.end_headers()
                return
            body = _feed(self.path.strip("/").split(".")[0], version)
            self.send_response(200)
            self.send_header("ETag", f'"v{version}"')
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", fetches
    server.shutdown()
    server.server_close()


def test_two_app_processes_poll_each_feed_once_per_period(tmp_path, enriched_seed_db, feeds_server):
    db = tmp_path / "news.duckdb"
    shutil.copy(enriched_seed_db, db)
    two_apps_poll_each_feed_once_per_period(db, tmp_path, feeds_server, WINDOW)


def two_apps_poll_each_feed_once_per_period(db: Path | str, tmp_path: Path, feeds_server, window: float) -> None:
    """Two app processes on `db` for up to `window` seconds: polls at least a period apart whichever process
    ran them, each feed fetched once per poll, the state written, and every page rendered meanwhile."""
    base, fetches = feeds_server
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nurl = "{base}/north.rss"\n\n[[feed]]\nurl = "{base}/south.rss"\n')
    env = {**os.environ, "NEWSDESK_DB": str(db), "NEWSDESK_POLL_MINUTES": str(PERIOD_MINUTES), "NEWSDESK_FEEDS": str(feeds)}
    env.pop("NEWSDESK_ADMIN_SECRET", None)
    stop = tmp_path / "stop"
    files = [(tmp_path / f"app{n}.out", tmp_path / f"app{n}.err") for n in range(2)]
    apps = []
    for out, err in files:
        with out.open("w") as stdout, err.open("w") as stderr:
            apps.append(subprocess.Popen([sys.executable, "-m", "tests.app_process", str(window), str(stop)], cwd=ROOT,
                                         env=env, stdout=stdout, stderr=stderr))
    deadline = time.monotonic() + window
    while time.monotonic() < deadline and not _enough(files):
        time.sleep(1)
    stop.touch()  # the apps stop once three polls have finished and ten pages rendered, or at the end of the window
    for app in apps:
        app.wait(timeout=180)
    outputs = [(out.read_text(), err.read_text()) for out, err in files]
    period = PERIOD_MINUTES * 60

    logs = "".join(err for _, err in outputs)
    # the start each poll recorded (the log line comes after the state's write, which a busy catalog delays)
    starts = sorted(datetime.fromisoformat(stamp).timestamp() for stamp in re.findall(r"INFO newsdesk.scheduler poll started at (\S+) by", logs))
    assert len(starts) >= 3, logs  # the poller ran again and again
    assert min(b - a for a, b in itertools.pairwise(starts)) >= period, starts  # whichever process polled, never twice a period
    for path in ("/north.rss", "/south.rss"):
        assert sum(1 for p, _ in fetches if p == path) == len(starts), (path, fetches)  # each poll fetched each feed once
    state = scheduler.read_state(db)
    assert state and state["ok"], state
    assert rows(db, "SELECT count(*) FROM articles WHERE title LIKE 'north story%'")[0][0] == 2

    renders = [json.loads(line) for out, _ in outputs for line in out.splitlines() if line.startswith("{")]
    assert len(renders) >= 10 and all(r["ok"] for r in renders), [r for r in renders if not r["ok"]]
    during = [r for r in renders if any(t <= r["start"] <= t + FEED_DELAY + 3 for _, t in fetches)]
    assert during, "no page was rendered while a poll was under way"


def _enough(files: list[tuple[Path, Path]]) -> bool:
    """Three polls finished and ten pages rendered, by the two app processes together."""
    polls = sum(err.read_text().count("newsdesk.scheduler poll finished") for _, err in files)
    renders = sum(line.startswith("{") for out, _ in files for line in out.read_text().splitlines())
    return polls >= 3 and renders >= 10


def test_a_poll_is_due_once_a_period_has_passed(tmp_path):
    due_once_a_period_has_passed(tmp_path / "news.duckdb")


def due_once_a_period_has_passed(db: Path | str, within: Callable[[dict], None] = lambda first: None) -> None:
    """A poll runs at once, not again within its one-second period (`within` checks the first's state
    then), and again once the period has passed."""
    polled: list[float] = []

    def feeds() -> list[Feed]:
        polled.append(time.time())
        return []

    first = scheduler.poll_if_due(db, 1.0, feeds)
    assert first and first["ok"] and first["result"] == "no feeds listed"
    assert scheduler.poll_if_due(db, 1.0, feeds) is None  # within the period
    within(first)
    time.sleep(1.05)
    assert scheduler.poll_if_due(db, 1.0, feeds) is not None
    assert len(polled) == 2


def test_a_poll_waits_its_turn_while_another_holds_the_lock(tmp_path):
    db = tmp_path / "news.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, sys, time; h = open(sys.argv[1], 'a+b'); "
                               "fcntl.lockf(h, fcntl.LOCK_EX); print('held', flush=True); time.sleep(30)", f"{db}.poll.lock"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert scheduler.poll_if_due(db, 1.0, list) is None
        assert scheduler.read_state(db) is None
    finally:
        holder.kill()
        holder.wait()
    assert scheduler.poll_if_due(db, 1.0, list) is not None


def test_a_bad_feed_list_is_recorded_as_a_failed_poll(tmp_path):
    from dashboard.poll import read_feeds

    db = tmp_path / "news.duckdb"
    state = scheduler.poll_if_due(db, 60.0, lambda: read_feeds(tmp_path / "missing.toml"))
    assert state and not state["ok"] and "no such feeds file" in state["errors"][0]


# README's deploy section names every setting, and every setting the code reads is named there.
SETTING = re.compile(r"\bNEWSDESK_[A-Z_]+\b")


def deploy_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("\n## Deploying for a team")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def settings_in(files: list[Path]) -> set[str]:
    return {name for path in files for name in SETTING.findall(path.read_text(encoding="utf-8"))}


PRODUCT = [*(ROOT / "dashboard").rglob("*.py"), ROOT / "app.py", ROOT / "Dockerfile", ROOT / "Makefile"]
CHECKS = [*(ROOT / "tests").glob("*.py"), ROOT / ".ci" / "run"]  # CI's own switches, named in the deploy section too


def test_readme_deploy_section_names_exactly_the_settings_the_code_reads():
    named = set(SETTING.findall(deploy_section()))
    assert named, "README's deploy section names no setting"
    assert named - settings_in(PRODUCT + CHECKS) == set(), "named in README but read nowhere"
    assert settings_in(PRODUCT) - named == set(), "read by the code but missing from README's deploy section"


def dockerfile_steps() -> list[tuple[str, str]]:
    """(instruction, argument) for each line of the Dockerfile, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    return [tuple(line.split(None, 1)) for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _docker_ignored(folder: str, names: list[str], patterns: list[str]) -> set[str]:
    """The names in `folder` that .dockerignore keeps out of the build context (and caches)."""
    relative = Path(folder).relative_to(ROOT)
    return {name for name in names if name == "__pycache__"
            or any(fnmatch.fnmatch(str(relative / name), pattern.strip("/")) for pattern in patterns)}


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("NEWSDESK_TEST_DOCKERFILE") != "1", reason="set NEWSDESK_TEST_DOCKERFILE=1 (CI does)")
def test_the_dockerfile_steps_run_in_a_fresh_venv(tmp_path):
    """The Dockerfile's steps, in order, without Docker: COPY as copies (minus .dockerignore), RUN
    in a shell (apt-get lines excepted: they install make, which CI has), ENV into the
    environment, HEALTHCHECK and CMD as written, on another port. The image's /app is a temporary folder."""
    app = tmp_path / "app"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSDESK_", "VIRTUAL_ENV"))}
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if ".venv" not in p)
    ignored = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines() if line.strip() and not line.startswith("#")]
    steps = dockerfile_steps()
    assert steps[0][0] == "FROM" and "python:3.11" in steps[0][1]
    port = str(_free_port())
    health = cmd = None
    for instruction, argument in steps[1:]:
        argument = argument.replace("/app", str(app))
        if instruction == "WORKDIR":
            Path(argument).mkdir(parents=True, exist_ok=True)
        elif instruction == "COPY" and argument.split()[:-1] == ["."]:
            shutil.copytree(ROOT, app, dirs_exist_ok=True, ignore=lambda folder, names: _docker_ignored(folder, names, ignored))
        elif instruction == "COPY":
            for name in argument.split()[:-1]:
                shutil.copy2(ROOT / name, app / name)
        elif instruction == "RUN" and not argument.startswith("apt-get"):
            subprocess.run(argument, shell=True, cwd=app, env=env, check=True, timeout=900)
        elif instruction == "ENV":
            key, value = argument.split("=", 1)
            env[key] = value
        elif instruction == "HEALTHCHECK":
            health = json.loads(argument.split("CMD", 1)[1])
        elif instruction == "CMD":
            cmd = json.loads(argument)
    assert health and cmd
    cmd = [c.replace("8501", port) for c in cmd]
    health = [c.replace("8501", port) for c in health]
    env["NEWSDESK_ADMIN_SECRET"] = "dockerfile-test"
    server = subprocess.Popen(cmd, cwd=app, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            check = subprocess.run(health, cwd=app, env=env, capture_output=True, text=True)
            if check.returncode == 0:
                break
            time.sleep(1)
        if check.returncode != 0:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, 15)
            pytest.fail(f"{check.stdout}{check.stderr}the server said:\n{server.communicate(timeout=60)[0][-4000:]}")
        assert Path(env["NEWSDESK_DB"]).exists()
    finally:
        with contextlib.suppress(ProcessLookupError):  # gone already when it failed to start
            os.killpg(server.pid, 15)
        server.wait(timeout=30)


def test_admins_see_the_last_poll_on_the_ingest_page(tmp_path, enriched_seed_db, monkeypatch, http_server):
    from tests.conftest import FIXTURES, Route
    from tests.test_app import app, texts

    base, routes, _ = http_server
    routes["/feed.rss"] = Route((FIXTURES / "feed.rss").read_bytes())
    db = tmp_path / "news.duckdb"
    shutil.copy(enriched_seed_db, db)
    state = scheduler.poll_if_due(db, 3600.0, lambda: [Feed(f"{base}/feed.rss"), Feed(f"{base}/missing.rss")])
    assert state and not state["ok"] and "HTTP 404" in state["errors"][0]
    monkeypatch.setenv("NEWSDESK_POLL_MINUTES", "60")
    monkeypatch.setenv("NEWSDESK_FEEDS", str(tmp_path / "feeds.toml"))
    try:
        at = app(db, "ingest", secret="poll-admin")
        assert "Last poll" not in texts(at)  # viewers: no
        at.text_input(key="admin_key").set_value("poll-admin").run()
        shown = texts(at)
        assert "polls its feeds every 60 minutes" in shown
        assert f"Last poll {state['started'][:19]} UTC" in shown and "new 2" in shown
        assert any("HTTP 404" in t.value for t in at.text)
    finally:
        scheduler.stop(db)


def test_feeds_listed_in_the_apps_secrets_are_polled(tmp_path, enriched_seed_db, monkeypatch, http_server):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import FIXTURES, Route

    base, routes, hits = http_server
    routes["/feed.rss"] = Route((FIXTURES / "feed.rss").read_bytes())
    db = tmp_path / "news.duckdb"
    shutil.copy(enriched_seed_db, db)
    monkeypatch.setenv("NEWSDESK_DB", str(db))
    monkeypatch.setenv("NEWSDESK_POLL_MINUTES", "60")
    monkeypatch.setenv("NEWSDESK_FEEDS", str(tmp_path / "no-feeds-file.toml"))  # the secrets win over the file
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.secrets["feed"] = [{"url": f"{base}/feed.rss", "name": "Harbour Gazette"}]
    try:
        at.run()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (scheduler.read_state(db) or {}).get("finished"):
            time.sleep(0.5)
        state = scheduler.read_state(db)
        assert state and state["ok"] and "new 2" in state["result"], state
        assert [path for path, _ in hits] == ["/feed.rss"]
        assert rows(db, "SELECT count(*) FROM articles WHERE source = 'Harbour Gazette'")[0][0] == 2
    finally:
        scheduler.stop(db)


def test_the_readiness_probe_starts_a_fresh_deploy_before_any_visitor(tmp_path, monkeypatch, http_server):
    """With Streamlit's script check on (as in the Dockerfile), the first probe builds the
    database and starts the poller; without it the server waits for a first visitor."""
    from dashboard import ready
    from tests.conftest import FIXTURES, Route
    from tests.test_browser import run_streamlit

    base, routes, hits = http_server
    routes["/feed.rss"] = Route((FIXTURES / "feed.rss").read_bytes())
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nurl = "{base}/feed.rss"\n')
    monkeypatch.setenv("NEWSDESK_SEED", "0")
    monkeypatch.setenv("NEWSDESK_POLL_MINUTES", "60")
    monkeypatch.setenv("NEWSDESK_FEEDS", str(feeds))

    waiting = tmp_path / "waiting.duckdb"
    for url in run_streamlit(waiting):
        assert ready.main(["--url", url, "--db", str(waiting), "--wait", "1"]) == 1
        assert not waiting.exists() and not hits

    monkeypatch.setenv("STREAMLIT_SERVER_SCRIPT_HEALTH_CHECK_ENABLED", "true")
    db = tmp_path / "news.duckdb"
    for url in run_streamlit(db):
        assert ready.main(["--url", url, "--db", str(db)]) == 0
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (scheduler.read_state(db) or {}).get("finished"):
            time.sleep(0.5)
        assert (scheduler.read_state(db) or {}).get("ok"), scheduler.read_state(db)
        assert [path for path, _ in hits] == ["/feed.rss"]
        assert rows(db, "SELECT count(*) FROM articles")[0][0] == 2
