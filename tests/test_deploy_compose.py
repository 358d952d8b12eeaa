"""deploy/compose.yaml and deploy/nginx.conf checked without a Docker engine: the services are
wired as README says, nginx sends every browser to one of both replicas and keeps it there,
every setting the file sets is documented, and every Newsdesk command line the file declares
(the poller's loop, the replicas', the migration in its header) runs as a process, with the
service's environment, against a throwaway lake and a local feed."""

from __future__ import annotations

import ipaddress
import os
import re
import shlex
import subprocess
import sys
import time
import urllib.request
from typing import Any

import pytest
import yaml

from dashboard.store import engine
from tests.conftest import FIXTURES, ROOT, Route, cli, rows
from tests.test_browser import free_port

DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
NGINX = DEPLOY / "nginx.conf"
WORKDIR = "/app"  # the image's WORKDIR (Dockerfile)
_VARIABLE = re.compile(r"\$\$|\$\{(\w+)(?::([-?])([^}]*))?\}")
_DASHBOARD = re.compile(r"\.venv/bin/python -m dashboard ([^;&|\n']+)")


def _interpolate(value: Any, env: dict[str, str]) -> Any:
    """Compose's variable substitution: ${NAME}, ${NAME:-default}, ${NAME:?error}, and $$ for a literal $."""
    if isinstance(value, dict):
        return {key: _interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [_interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def one(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.groups()
        if env.get(name):
            return env[name]
        if op == "?":
            raise AssertionError(f"compose refuses to start without {name}: {arg}")
        return arg if op == "-" else ""

    return _VARIABLE.sub(one, value)


def compose(env: dict[str, str] | None = None) -> dict[str, Any]:
    """The compose file as `docker compose config` would resolve it (anchors merged, variables set)."""
    document = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return _interpolate(document, env or {"CATALOG_PASSWORD": "catalog-secret", "NEWSDESK_ADMIN_SECRET": "admin-secret",
                                          "FEEDS_FILE": "../feeds.toml"})


def _newsdesk(services: dict[str, Any]) -> dict[str, Any]:
    """The services that run the Newsdesk image."""
    return {name: s for name, s in services.items() if s.get("image", "").startswith("newsdesk")}


def _replicas(services: dict[str, Any]) -> dict[str, Any]:
    return {name: s for name, s in _newsdesk(services).items() if "streamlit" in " ".join(s["command"])}


def _port(command: list[str]) -> str:
    return command[command.index("--server.port") + 1]


def test_the_services_are_a_catalog_a_poller_two_replicas_and_a_proxy_on_one_lake():
    services = compose()["services"]
    assert services["catalog"]["image"].startswith("postgres:")
    assert services["proxy"]["image"].startswith("nginx:")
    assert len(_replicas(services)) == 2
    assert set(_newsdesk(services)) == {"poller", *_replicas(services)}
    catalog = services["catalog"]["environment"]
    for name, service in _newsdesk(services).items():
        lake = engine.parse(service["environment"]["NEWSDESK_DB"])  # a lake address this version accepts
        keywords = dict(pair.split("=", 1) for pair in lake.catalog.split())
        assert keywords["host"] == "catalog", name  # the catalog service, by its name on compose's network
        assert (keywords["dbname"], keywords["user"]) == (catalog["POSTGRES_DB"], catalog["POSTGRES_USER"]), name
        assert service["environment"]["PGPASSWORD"] == catalog["POSTGRES_PASSWORD"], name
        mounts = {volume.split(":")[1].rstrip("/") for volume in service["volumes"] if volume.startswith("lake:")}
        assert lake.data_path.rstrip("/") in mounts, name  # the data path is the shared volume, in every container
        assert "catalog" in service["depends_on"], name
    assert "lake" in compose()["volumes"]


def test_nginx_sends_each_browser_to_one_of_both_replicas():
    services = compose()["services"]
    text = NGINX.read_text(encoding="utf-8")
    (name, upstream), = re.findall(r"upstream\s+(\w+)\s*\{([^}]*)\}", text)
    servers = set(re.findall(r"^\s*server\s+(\S+);", upstream, re.M))
    assert servers == {f"{replica}:{_port(s['command'])}" for replica, s in _replicas(services).items()}
    assert re.search(r"^\s*(ip_hash|hash \$\S+ consistent|sticky\b[^;]*);", upstream, re.M)  # a session stays on its replica
    assert re.search(rf"proxy_pass\s+http://{name};", text)
    assert re.search(r"proxy_set_header\s+Upgrade\s+\$http_upgrade;", text)  # Streamlit's WebSocket goes through
    assert re.search(r'proxy_set_header\s+Connection\s+"upgrade";', text)
    proxy = services["proxy"]
    assert f"./{NGINX.name}:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]
    assert set(_replicas(services)) <= set(proxy["depends_on"])


def test_each_replica_keeps_one_address_so_nginx_finds_it_after_a_restart():
    """nginx resolves its upstream names once: a replica restarted at a new address got 502s for
    every visitor in a podman-compose rehearsal (deploy/rehearse.sh), so each has a fixed one
    on the network's subnet, outside the range the engine hands the other containers."""
    document = compose({"CATALOG_PASSWORD": "x", "FEEDS_FILE": "feeds.toml", "NETWORK_PREFIX": "10.7.7"})
    (pool,) = document["networks"]["default"]["ipam"]["config"]
    subnet, dynamic = ipaddress.ip_network(pool["subnet"]), ipaddress.ip_network(pool["ip_range"])
    assert dynamic.subnet_of(subnet) and subnet == ipaddress.ip_network("10.7.7.0/24")
    addresses = [ipaddress.ip_address(s["networks"]["default"]["ipv4_address"]) for s in _replicas(document["services"]).values()]
    assert len(set(addresses)) == 2
    assert all(address in subnet and address not in dynamic for address in addresses), addresses


def test_the_poller_runs_under_an_init_so_a_stop_ends_it():
    """The poller's loop is a shell; as PID 1 it ignores SIGTERM, and every `stop` of the rehearsal
    (deploy/rehearse.sh) waited podman's 10 s and killed it (exit 137). Under an init it ends on SIGTERM."""
    poller = compose()["services"]["poller"]
    assert poller["command"][:2] == ["sh", "-c"] and poller.get("init") is True


def test_nginx_moves_the_browsers_of_a_gone_replica_in_seconds():
    """A stopped replica's address does not refuse a connection: in the podman rehearsal nginx's
    default 60 s connect timeout held its visitors 38.6 s before the other replica took them, and
    each worker found out for itself. A 5 s connect timeout and a shared zone: 5 s, once."""
    text = NGINX.read_text(encoding="utf-8")
    (upstream,) = re.findall(r"upstream\s+\w+\s*\{([^}]*)\}", text)
    assert re.search(r"^\s*zone\s+\w+\s+\d+k;", upstream, re.M)
    (timeout,) = re.findall(r"^\s*proxy_connect_timeout\s+(\d+)s;", text, re.M)
    assert int(timeout) <= 10


def _readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_the_compose_file_sets_is_documented():
    settings = set(re.findall(r"^\| `(NEWSDESK_[A-Z_]+)` \|", _readme(), re.M))  # README's settings table
    services = compose()["services"]
    for name, service in _newsdesk(services).items():
        for key in service["environment"]:
            if key.startswith("NEWSDESK_"):
                assert key in settings, (name, key)
            else:  # the catalog's password (libpq's own variable) and the poller's period
                assert f"`{key}`" in _readme(), (name, key)
    variables = set(re.findall(r"\$\{(\w+)", COMPOSE.read_text(encoding="utf-8")))
    assert variables >= {"CATALOG_PASSWORD", "NEWSDESK_ADMIN_SECRET"}
    section = _readme().split("### From one file to a lake", 1)[1].split("\n### ", 1)[0]
    for variable in variables:  # what a team may set when it starts the file, named where the deployment is
        assert variable in settings or f"`{variable}`" in section, variable


def _commands(services: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """(service, arguments) of every `python -m dashboard ...` the file declares, header comments first."""
    header = "".join(line.lstrip("# ") for line in COMPOSE.read_text(encoding="utf-8").splitlines(keepends=True)
                     if line.startswith("#"))
    found = [("header", shlex.split(m.group(1))) for m in _DASHBOARD.finditer(header.replace("\\\n", " "))]
    for name, service in _newsdesk(services).items():
        found += [(name, shlex.split(m.group(1))) for part in service["command"] for m in _DASHBOARD.finditer(part)]
    return found


def _local(argument: str, env: dict[str, str], paths: dict[str, str]) -> str:
    """An argument as the container's shell would pass it, with container paths mapped to local ones."""
    argument = re.sub(r"\$(\w+)|\$\{(\w+)\}", lambda m: env.get(m.group(1) or m.group(2), ""), argument)
    return paths.get(argument, argument)


def test_every_dashboard_command_the_compose_file_declares_runs_against_a_lake(postgres, http_server, tmp_path):
    base, routes, _ = http_server
    routes["/feed.rss"] = Route((FIXTURES / "feed.rss").read_bytes())
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nurl = "{base}/feed.rss"\n')
    imported = tmp_path / "import.duckdb"  # the header's migration brings an existing file along
    assert cli("ingest", FIXTURES / "articles.jsonl", "--db", imported, "--no-enrich", "--quiet") == 0
    lake = postgres.lake(tmp_path / "lake")
    services = compose({"CATALOG_PASSWORD": "unused-here", "NEWSDESK_ADMIN_SECRET": "compose-test", "FEEDS_FILE": "feeds.toml"})["services"]
    paths = {f"{WORKDIR}/feeds.toml": str(feeds), "/import.duckdb": str(imported)}

    commands = _commands(services)
    assert [name for name, _ in commands] == ["header", "poller"]
    assert [args[0] for _, args in commands] == ["migrate", "poll"]
    for name, args in commands:
        service = services["poller"]  # the header's command runs in the poller's container (`compose run ... poller`)
        env = {**os.environ, **service["environment"], "NEWSDESK_DB": str(lake)}
        argv = [_local(a, env, paths) for a in args]
        done = subprocess.run([sys.executable, "-m", "dashboard", *argv], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, (name, argv, done.stdout[-2000:], done.stderr[-2000:])
    (polled,) = rows(lake, "SELECT count(*) FROM articles WHERE origin LIKE ?", [f"{base}%"])[0]
    (moved,) = rows(imported, "SELECT count(*) FROM articles")[0]
    assert polled > 0 and rows(lake, "SELECT count(*) FROM articles")[0][0] == moved + polled
    loop = " ".join(services["poller"]["command"])
    assert '"$POLL_SECONDS"' in loop and services["poller"]["environment"]["POLL_SECONDS"] == "900"

    replicas = []
    try:
        for name, service in _replicas(services).items():
            command = service["command"]
            assert command[:3] == [".venv/bin/streamlit", "run", "app.py"], name
            port = str(free_port())
            argv = [a if a != _port(command) else port for a in command[3:]]
            env = {**os.environ, **service["environment"], "NEWSDESK_DB": str(lake)}
            replicas.append((name, port, subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", *argv,
                                                           "--server.address", "127.0.0.1"], cwd=ROOT, env=env,
                                                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)))
        for name, port, process in replicas:
            deadline, healthy = time.monotonic() + 90, False
            while not healthy and time.monotonic() < deadline and process.poll() is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                        healthy = response.status == 200
                except OSError:
                    time.sleep(0.3)
            assert healthy, (name, process.stdout.read1().decode(errors="replace") if process.poll() is not None else "")
    finally:
        for _, _, process in replicas:
            process.terminate()
            process.wait(timeout=30)


def test_the_compose_file_refuses_to_start_without_the_catalog_password_or_the_feeds_list():
    with pytest.raises(AssertionError, match="CATALOG_PASSWORD"):
        compose({"NEWSDESK_ADMIN_SECRET": "x", "FEEDS_FILE": "feeds.toml"})
    # an engine would mount an empty folder at a feeds file that does not exist: every poll would fail
    with pytest.raises(AssertionError, match="FEEDS_FILE"):
        compose({"CATALOG_PASSWORD": "x"})
