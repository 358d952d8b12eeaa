from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from dashboard.cli import main
from dashboard.store import connect, engine
from dashboard.store.engine import Lake

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPORA = ROOT.parent / "shared" / "corpora"
SYNTHETIC = Path(__file__).resolve().parent / "synthetic" / "articles.jsonl"
# Runs the CLI, then prints the process's peak resident memory from its own memory map
# (ru_maxrss would carry over the size of the pytest process that forked it).
_MEASURED = ("import sys\nfrom dashboard.cli import main\ncode = main(sys.argv[1:])\n"
             "print('PEAK', next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])\nsys.exit(code)")
TABLES = ("articles", "signatures", "entities", "mentions", "quotes", "topics", "article_topics", "enriched")


@contextlib.contextmanager
def _reader(db: Path | Lake) -> Iterator[duckdb.DuckDBPyConnection]:
    """A plain read-only connection to a file (no upgrade on the way), or a cursor of a lake."""
    if isinstance(db, Lake):
        with connect(db, read_only=True) as con:
            yield con
        return
    with duckdb.connect(str(db), read_only=True) as con:
        yield con


def table_counts(db: Path | Lake) -> dict[str, int]:
    """Rows in every table of a database (an empty dict if it does not exist yet)."""
    if not isinstance(db, Lake) and not db.exists():
        return {}
    with _reader(db) as con:
        tables = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables "
                                                "WHERE table_catalog = current_database()").fetchall()}
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES if t in tables}


def rows(db: Path | Lake, sql: str, params: list | None = None) -> list[tuple]:
    with _reader(db) as con:
        return con.execute(sql, params or []).fetchall()


def cli(*args: str | Path) -> int:
    return main([str(a) for a in args])


def cli_measured(*args: str | Path) -> tuple[subprocess.CompletedProcess, int]:
    """The CLI in a fresh process: its result and its peak resident memory in KiB."""
    result = subprocess.run([sys.executable, "-c", _MEASURED, *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    return result, int(result.stdout.split("PEAK")[1]) if "PEAK" in result.stdout else -1


def reuters_with_text(paths: list[Path]) -> int:
    """Records with a title or a body in Reuters SGML files, counted independently of the reader."""
    return sum(1 for path in paths for block in path.read_text(encoding="latin-1").split("</REUTERS>")
               if "<REUTERS" in block and ("<TITLE>" in block or "<BODY>" in block))


def corpus(name: str) -> Path:
    path = CORPORA / name
    if not path.exists():
        pytest.skip(f"corpus {name} not present beside the repository")
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "news.duckdb"


# A throwaway PostgreSQL for the lake: Debian's binaries (apt-get install postgresql), one
# cluster per test session on a free loopback port, a fresh database per lake, stopped at the end.
PG_BIN = Path(os.environ.get("NEWSDESK_PG_BIN", "/usr/lib/postgresql/15/bin"))


class Postgres:
    """A running throwaway cluster: `lake(folder)` makes an empty lake in a database of its own."""

    def __init__(self, port: int, user: str) -> None:
        self.port, self.user, self._made = port, user, 0

    def address(self, dbname: str, data_path: Path | None = None) -> str:
        where = f" data_path={data_path}/" if data_path else ""
        return f"ducklake:postgres:dbname={dbname} host=127.0.0.1 port={self.port} user={self.user}{where}"

    def lake(self, data_path: Path) -> Lake:
        self._made += 1
        name = f"lake{os.getpid()}_{self._made}"
        subprocess.run([PG_BIN / "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, name],
                       check=True, capture_output=True, timeout=60)
        return engine.parse(self.address(name, data_path))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def postgres(tmp_path_factory) -> Iterator[Postgres]:
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL binaries not found in {PG_BIN} (apt-get install postgresql): the lake tests need them")
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: run the cluster as Debian's postgres user
        shutil.chown(folder, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run([*as_user, PG_BIN / "initdb", "-D", folder / "data", "-A", "trust", "-U", "postgres"],
                   check=True, capture_output=True, timeout=120)
    options = f"-k {folder} -c listen_addresses=127.0.0.1 -p {port} -c max_connections=200 -c fsync=off"
    subprocess.run([*as_user, PG_BIN / "pg_ctl", "-D", folder / "data", "-o", options, "-l", folder / "log", "-w", "start"],
                   check=True, capture_output=True, timeout=120)
    try:
        yield Postgres(port, "postgres")
    finally:
        subprocess.run([*as_user, PG_BIN / "pg_ctl", "-D", folder / "data", "-m", "immediate", "stop"], capture_output=True, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def lake(postgres: Postgres, tmp_path: Path) -> Lake:
    """An empty lake: a fresh catalog database, data in a folder of the test's own."""
    return postgres.lake(tmp_path / "lake")


@pytest.fixture(params=["file", "lake"])
def store(request, tmp_path: Path) -> Path | Lake:
    """An empty store of each engine: the same test runs on a DuckDB file and on a lake."""
    if request.param == "file":
        return tmp_path / "news.duckdb"
    return request.getfixturevalue("lake")


@pytest.fixture
def seed_db(db: Path) -> Path:
    assert cli("ingest", SEEDS, "--db", db, "--no-enrich", "--quiet") == 0
    return db


class Route:
    """A canned HTTP response for the local test server."""

    def __init__(self, body: bytes = b"", status: int = 200, headers: dict[str, str] | None = None, delay: float = 0.0,
                 trickle: float = 0.0, declare_length: bool = True):
        self.body, self.status, self.headers, self.delay = body, status, headers or {}, delay
        self.trickle = trickle  # seconds between 1-byte writes: a server that never finishes
        self.declare_length = declare_length


@pytest.fixture
def http_server():
    """A local HTTP server on 127.0.0.1 serving `routes` (path -> Route); yields (base_url, routes, hits)."""
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    routes: dict[str, Route] = {}
    hits: list[tuple[str, dict[str, str]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append((self.path, dict(self.headers)))
            route = routes.get(self.path, Route(b"not found", 404))
            if route.delay:
                time.sleep(route.delay)
            etag = route.headers.get("ETag")
            if etag and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(route.status)
            for key, value in route.headers.items():
                self.send_header(key, value)
            if route.declare_length:
                self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                if not route.trickle:
                    self.wfile.write(route.body)
                for index in range(len(route.body) if route.trickle else 0):
                    self.wfile.write(route.body[index : index + 1])
                    self.wfile.flush()
                    time.sleep(route.trickle)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", routes, hits
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def enriched_seed_db(tmp_path_factory) -> Path:
    """The seed, ingested and enriched, plus one article with hostile HTML in it."""
    db = tmp_path_factory.mktemp("seed-db") / "news.duckdb"
    assert cli("ingest", SEEDS, FIXTURES / "hostile.jsonl", "--db", db, "--quiet") == 0
    return db


@pytest.fixture(scope="session")
def reuters_db(tmp_path_factory) -> Path:
    """Two Reuters-21578 files (2,000 records), ingested and enriched."""
    folder = corpus("reuters21578")
    return built_once("reuters", tmp_path_factory,
                      lambda db: cli("ingest", folder / "reut2-000.sgm", folder / "reut2-001.sgm", "--db", db, "--quiet"))


def built_once(name: str, tmp_path_factory, build: Callable[[Path], int]) -> Path:
    """A database `build` writes (its exit code 0), built once per test run even when pytest-xdist runs the
    suite in several workers: the first worker to ask builds it under a lock in the folder the workers share,
    and each worker gets a copy of its own (a DuckDB file opened for writing in one process locks out the
    others). Building Reuters' 2,000 records takes 90 s, which two workers would otherwise both spend."""
    mine = tmp_path_factory.mktemp(f"{name}-db") / f"{name}.duckdb"
    if "PYTEST_XDIST_WORKER" not in os.environ:
        assert build(mine) == 0
        return mine
    shared = tmp_path_factory.getbasetemp().parent / f"built-{name}"
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if the build fails
        if not (shared / "done").exists():
            assert build(shared / f"{name}.duckdb") == 0
            (shared / "done").touch()
    shutil.copy(shared / f"{name}.duckdb", mine)
    return mine


_BUILT: dict[str, Path] = {}  # per process: a mutation tester's forked runs reuse the database built before the fork


def _remove_when_done(folder: Path) -> None:
    owner = os.getpid()  # a forked child leaves it to the process that built it
    atexit.register(lambda: os.getpid() == owner and shutil.rmtree(folder, ignore_errors=True))


@pytest.fixture(scope="session")
def synthetic_db(tmp_path_factory) -> Path:
    """The synthetic corpus (tests/synthetic), ingested and enriched once: open it read-only, or copy it to change it."""
    if "PYTEST_XDIST_WORKER" in os.environ:
        return built_once("synthetic", tmp_path_factory, lambda db: cli("ingest", SYNTHETIC, "--db", db, "--quiet"))
    if "synthetic" not in _BUILT or not _BUILT["synthetic"].exists():
        folder = Path(tempfile.mkdtemp(prefix="newsdesk-synthetic-"))
        _remove_when_done(folder)
        db = folder / "synthetic.duckdb"
        assert cli("ingest", SYNTHETIC, "--db", db, "--quiet") == 0
        _BUILT["synthetic"] = db
    return _BUILT["synthetic"]


# Under mutation testing (make mutants), a changed function outside the link builder is judged by the
# fast tests that call it directly: the app tests reach nearly every query and chart, and would run in
# full, a minute or more, for each change that survives. mutmut names the change in MUTANT_UNDER_TEST.
_APP_TESTS = ("test_links.py", "test_pages.py", "test_app.py", "test_browser.py")
_APP_MUTANTS = ("dashboard.views.",)


# A change to the rules of quotes, names and topics is judged by the tests of those rules (given text, given
# mentions, the model on a sentence, small matrices), and a change to the selection export by its tests on a
# tiny database written row by row, not by the tests that ingest and enrich a corpus to reach them.
_NLP_MUTANTS = ("dashboard.nlp.quotes.", "dashboard.nlp.quotes_intl.", "dashboard.nlp.names.", "dashboard.nlp.topics.", "dashboard.store.exports.")
_NLP_TESTS = ("test_quotes.py", "test_quotes_speakers.py", "test_names_rules.py", "test_entities.py", "test_names.py", "test_topics.py", "test_topics_units.py",
              "test_export_selection.py", "test_selection_export.py", "test_export.py", "test_export_rules.py", "test_quote_rules.py",
              "test_quotes_intl.py")
_CORPUS_FIXTURES = {"db", "enriched_seed", "seed_db", "synthetic_db", "corpus_db"}


def _deselect(config, items, unwanted) -> None:
    dropped = [item for item in items if unwanted(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not unwanted(item)]


# `make test` runs the suite in two pytest-xdist workers (`--dist loadgroup`): each module runs whole in one
# worker, and the modules that race processes against deadlines (a browser, app servers, pollers, writers
# killed mid-batch) all run in the same one, one at a time as they would alone, so they share the cores only
# with the other worker's in-process tests.
_LIVE_MODULES = frozenset({"test_browser.py", "test_browser_analyst.py", "test_browser_charts.py", "test_concurrency.py",
                           "test_crash.py", "test_deploy.py", "test_deploy_compose.py", "test_deploy_lake.py", "test_first_run.py",
                           "test_first_run_browser.py", "test_lake_writers.py", "test_languages.py"})


def _group_for_workers(items) -> None:
    for item in items:
        name = item.path.name
        item.add_marker(pytest.mark.xdist_group("live" if name in _LIVE_MODULES else name))


def pytest_collection_modifyitems(config, items):
    if "PYTEST_XDIST_WORKER" in os.environ:
        _group_for_workers(items)
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if "__mutmut_" not in mutant or mutant.startswith(_APP_MUTANTS):
        return
    if mutant.startswith(_NLP_MUTANTS):
        _deselect(config, items, lambda item: item.path.name not in _NLP_TESTS
                  or bool(_CORPUS_FIXTURES & set(getattr(item, "fixturenames", ()))))
        return
    _deselect(config, items, lambda item: item.path.name in _APP_TESTS)
