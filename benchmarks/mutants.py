"""Mutation score per module, from the results `mutmut run` leaves in mutants/ (run by `make mutants`).

A mutant is one small change to the code (a `<` made `<=`, a string emptied, an argument dropped).
It is killed when a fast test that reaches the changed function fails. The score of a module is
killed / all its mutants; a mutant that no test reaches counts as not killed. Survivors whose only
change is the letter case of an SQL statement are equivalent (DuckDB reads `select` as `SELECT`)
and are shown apart; every other survivor is printed with its change, to be judged in
benchmarks/mutants.md.

    python benchmarks/mutants.py            # the table
    python benchmarks/mutants.py --survivors # and each survivor's change
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

from _common import ROOT, machine

KILLED = {1, 3, 37}  # a failing test, a pytest error, a type check
LABELS = {0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", 35: "suspicious", 36: "timeout", None: "not run"}
_SQL = re.compile(r"\b(select|from|where|group by|order by|join)\b", re.I)
TARGET = 0.85


def modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    return config["only_mutate"]


def results(path: str) -> dict[str, int | None]:
    meta = ROOT / "mutants" / (path + ".meta")
    return json.loads(meta.read_text())["exit_code_by_key"] if meta.exists() else {}


def change(name: str, path: str) -> tuple[str, str]:
    """The first line the mutant removes and the line it puts instead."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    lines = get_diff_for_mutant(name, path=path).splitlines()
    removed = next((line[1:].strip() for line in lines if line.startswith("-") and not line.startswith("---")), "")
    added = next((line[1:].strip() for line in lines if line.startswith("+") and not line.startswith("+++")), "")
    return removed, added


def sql_case_only(removed: str, added: str) -> bool:
    return removed != added and removed.lower() == added.lower() and bool(_SQL.search(removed))


def main(show: bool) -> int:
    import os

    os.chdir(ROOT)
    print(f"Mutation score per module (mutmut, fast tests only) · {machine()}")
    print(f"{'module':34} {'mutants':>7} {'killed':>6} {'survived':>8} {'SQL case':>8} {'no test':>7} {'other':>5} {'score':>6} {'w/o equiv.':>10}")
    survivors: list[tuple[str, str, str]] = []
    below = 0
    for path in modules():
        codes = results(path)
        counts = Counter("killed" if code in KILLED else LABELS.get(code, "other") for code in codes.values())
        equivalent = 0
        for name, code in codes.items():
            if code == 0:
                removed, added = change(name, path)
                if sql_case_only(removed, added):
                    equivalent += 1
                else:
                    survivors.append((name, removed, added))
        total = len(codes)
        score = counts["killed"] / total if total else float("nan")
        adjusted = counts["killed"] / (total - equivalent) if total > equivalent else float("nan")
        other = total - counts["killed"] - counts["survived"] - counts["no tests"]
        below += total > 0 and adjusted < TARGET
        print(f"{path:34} {total:7} {counts['killed']:6} {counts['survived']:8} {equivalent:8} {counts['no tests']:7} {other:5} "
              f"{score:6.0%} {adjusted:10.0%}" if total else f"{path:34} {0:7}  (no mutants: only module-level constants, which mutmut does not change)")
    if show:
        print("\nSurvivors (not SQL case):")
        for name, removed, added in survivors:
            print(f"  {name}\n      - {removed}\n      + {added}")
    return 0 if not below else 1


if __name__ == "__main__":
    sys.exit(main("--survivors" in sys.argv))
