"""A throwaway PostgreSQL for the lake benchmarks: Debian's binaries, a free loopback port, removed after."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_BIN = Path(os.environ.get("NEWSDESK_PG_BIN", "/usr/lib/postgresql/15/bin"))


class Cluster:
    def __init__(self, port: int) -> None:
        self.port, self._made = port, 0

    def lake(self, data_path: Path) -> str:
        """A new empty lake: its address (a fresh catalog database, data under `data_path`)."""
        self._made += 1
        name = f"bench{self._made}"
        subprocess.run([PG_BIN / "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name], check=True)
        return f"ducklake:postgres:dbname={name} host=127.0.0.1 port={self.port} user=postgres data_path={data_path}/"


@contextmanager
def throwaway_postgres() -> Iterator[Cluster]:
    if not (PG_BIN / "initdb").exists():
        raise SystemExit(f"PostgreSQL binaries not found in {PG_BIN} (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-bench-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root
        shutil.chown(folder, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    subprocess.run([*as_user, PG_BIN / "initdb", "-D", folder / "data", "-A", "trust", "-U", "postgres"], check=True, capture_output=True)
    options = f"-k {folder} -c listen_addresses=127.0.0.1 -p {port} -c max_connections=200"
    subprocess.run([*as_user, PG_BIN / "pg_ctl", "-D", folder / "data", "-o", options, "-l", folder / "log", "-w", "start"],
                   check=True, capture_output=True)
    try:
        yield Cluster(port)
    finally:
        subprocess.run([*as_user, PG_BIN / "pg_ctl", "-D", folder / "data", "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
