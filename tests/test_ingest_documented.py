"""README's "Using it" section names every command-line option and every --format the CLI accepts."""

from __future__ import annotations

import argparse
import re

from dashboard.cli import _parser
from dashboard.ingest.detect import FORMATS
from tests.conftest import ROOT


def using_it() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("\n## Using it")
    return text[start : text.index("\n## ", start + 1)]


def subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def usage_lines() -> dict[str, str]:
    """command -> its usage in the section's first code block (indented lines continue the one above)."""
    block = using_it().split("```sh\n", 1)[1].split("```", 1)[0]
    usage: dict[str, str] = {}
    command = ""
    for line in block.splitlines():
        if line.startswith("python -m dashboard "):
            command = line.split()[3]
            usage[command] = line
        elif line.startswith(" ") and command:
            usage[command] += " " + line.strip()
    return usage


def test_every_option_of_every_command_is_in_its_usage_line():
    usage = usage_lines()
    missing = []
    for name, parser in subcommands().items():
        assert name in usage, f"no usage line for {name}"
        line = usage[name] + " "
        for action in parser._actions:
            for option in (o for o in action.option_strings if o.startswith("--") and o != "--help"):
                # an optional one in brackets; a required one (migrate --from, --to) bare
                shown = f" {option} " in line if action.required else f"[{option}" in line
                if not shown:
                    missing.append(f"{name} {option}")
    assert missing == []


def test_every_new_ingest_option_is_explained_below_the_usage():
    prose = using_it().split("```", 2)[2]
    for option in ("--map", "--timezone", "--dayfirst", "--quiet", "--no-enrich"):
        assert option in prose, option


def test_every_input_format_is_documented():
    section = using_it()
    assert "|".join(FORMATS) in section


def column_table() -> dict[str, set[str]]:
    """field -> the column names README's table of understood columns gives it, as `column_key` reads them."""
    from dashboard.ingest.tabular import column_key

    text = using_it()
    table = text[text.index("| field | column names understood |"):].split("\n\n", 1)[0]
    names: dict[str, set[str]] = {}
    for line in table.splitlines()[2:]:
        field, *cells = (cell.strip() for cell in line.strip().strip("|").split("|"))
        words = re.sub(r"\([^)]*\)|summaries last:", "", ", ".join(cells))
        names[field] = {column_key(word) for word in re.split(r"[,;]", words) if word.strip()}
    return names


def test_every_column_name_understood_is_in_the_readme():
    from dashboard.ingest.tabular import ALIAS_KEYS

    documented = column_table()
    assert set(documented) == set(ALIAS_KEYS)
    assert {field: sorted(set(keys) - documented[field]) for field, keys in ALIAS_KEYS.items()} == {field: [] for field in ALIAS_KEYS}
    assert {field: sorted(documented[field] - set(keys)) for field, keys in ALIAS_KEYS.items()} == {field: [] for field in ALIAS_KEYS}
