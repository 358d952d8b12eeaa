"""Never a traceback: every CLI command, given every test input in every role it takes (a file to
ingest in each format, a --db, a --feeds file, a --map file, an --out path), ends with a
documented exit code and one line naming the input, and prints no Python traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.cli import main
from dashboard.ingest.detect import FORMATS
from dashboard.store.exports import EXPORT_FIELDS
from tests.bad_inputs.make import make, small_files
from tests.conftest import FIXTURES

DOCUMENTED_CODES = {0, 1, 2}  # 3 is an internal error: a bug this test is here to find
FIXTURE_NAMES = sorted(p.name for p in FIXTURES.iterdir() if p.is_file())
SPECIAL = ["symlink_loop", "dangling_link.jsonl", "fifo.jsonl"]
INPUTS = sorted(small_files()) + SPECIAL + [f"fixtures/{name}" for name in FIXTURE_NAMES] + ["<folder of all>"]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """The bad-input corpus and a copy of every fixture (commands may write to what they are given)."""
    folder = make(tmp_path_factory.mktemp("inputs"))
    shutil.copytree(FIXTURES, folder / "fixtures")
    return folder


def _commands(target: str, db: Path, good_db: Path) -> list[list[str]]:
    ingest = ["ingest", target, "--db", str(db), "--no-enrich", "--quiet"]
    return [
        ingest,
        *[[*ingest, "--format", fmt] for fmt in FORMATS if fmt != "auto"],
        [*ingest, "--map", "body=Subject,published=Date", "--timezone", "Asia/Shanghai", "--dayfirst"],
        ["ingest", str(FIXTURES / "export_cr_only.csv"), "--map", target, "--db", str(db), "--no-enrich", "--quiet"],
        ["poll", "--feeds", target, "--db", str(db), "--no-enrich"],
        ["check", "--db", target],
        *[["export", what, "--db", target] for what in sorted(EXPORT_FIELDS)],
        ["export", "articles", "--db", str(good_db), "--out", f"{target}/sub/out.jsonl"],
        ["enrich", "--db", target, "--quiet"],
    ]


@pytest.mark.parametrize("name", INPUTS)
def test_every_command_on_every_input(inputs, tmp_path, capsys, name):
    target = str(inputs) if name == "<folder of all>" else str(inputs / name)
    good_db = tmp_path / "good.duckdb"
    assert main(["ingest", str(FIXTURES / "feed.rss"), "--db", str(good_db), "--no-enrich", "--quiet"]) == 0
    capsys.readouterr()
    for argv in _commands(target, tmp_path / "news.duckdb", good_db):
        code = main(argv)
        out = capsys.readouterr()
        command = " ".join(argv)
        assert "Traceback" not in out.err + out.out, command
        assert code in DOCUMENTED_CODES, f"{command}: exit {code}: {out.err}"
        if code and name != "<folder of all>":
            assert Path(name).name in out.err or target in out.err, f"{command}: the input is not named: {out.err}"


@pytest.mark.parametrize("address", ["ducklake:mysql:dbname=x password=hunter2", "ducklake:postgres:host=x password=hunter2"])
def test_readiness_names_a_bad_address_without_its_password(address, capsys):
    from dashboard.ready import main as ready

    assert ready(["--db", address]) == 1
    out = capsys.readouterr().out
    assert out.startswith("not ready: ducklake:") and "password=***" in out
    assert "hunter2" not in out and "Traceback" not in out


def test_a_failed_export_leaves_the_output_file_as_it_was(tmp_path, capsys):
    fresh, kept = tmp_path / "fresh.csv", tmp_path / "kept.csv"
    kept.write_text("yesterday's export\n")
    for out in (fresh, kept):
        assert main(["export", "articles", "--db", str(tmp_path / "missing.duckdb"), "--format", "csv", "--out", str(out)]) == 2
        assert "missing.duckdb" in capsys.readouterr().err
    assert not fresh.exists()
    assert kept.read_text() == "yesterday's export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.csv"]  # no partial file left beside it


def test_a_whole_export_replaces_the_output_file(tmp_path, capsys):
    db, out = tmp_path / "news.duckdb", tmp_path / "articles.jsonl"
    assert main(["ingest", str(FIXTURES / "feed.rss"), "--db", str(db), "--no-enrich", "--quiet"]) == 0
    out.write_text("old\n")
    assert main(["export", "articles", "--db", str(db), "--out", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert len(lines) == 2 and all(line.startswith("{") for line in lines)
