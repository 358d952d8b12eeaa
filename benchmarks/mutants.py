"""Mutation score per module, from the results `mutmut run` leaves in mutants/ (run by `make mutants`).

A mutant is one small change to the code (a `<` made `<=`, a string emptied, an argument dropped).
It is killed when a fast test that reaches the changed function fails. The score of a module is
killed / all its mutants; a mutant that no fast test reaches counts as not killed. Some survivors
are equivalent by a rule that reads the change (EQUIVALENT below: the letter case of SQL, a zip's
`strict` guard, a faster route to the same rows); the last column leaves them out. Every other
survivor is printed with its change, and judged in benchmarks/mutants.md.

    python benchmarks/mutants.py             # the table
    python benchmarks/mutants.py --survivors # and each survivor's change
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from collections import Counter

from _common import ROOT, machine

KILLED = {1, 3, 37}  # a failing test, a pytest error, a type check
# -24: the tests hit mutmut's CPU-time limit (an endless loop); counted apart, not as killed
LABELS = {0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", 35: "suspicious", 36: "timeout", -24: "timeout",
          None: "not run"}
_SQL = re.compile(r"\b(select|from|where|group by|order by|join|and)\b", re.I)
_DATE_PART = re.compile(r"^unit = ")  # the date_trunc unit of a query
# SQL fragments that hold no keyword: table aliases, columns, TRUE
_SQL_NAMES = re.compile(r'_rollup_where\(f, "[a-z]"\)|"article_entities x"|"x\.entity_id = \?"|alias: str = "a"|\["TRUE"\]|'
                        r'for condition, value in|_MENTIONS_ENTITY\.format|_where\(con, f, "a"\)|"coalesce\(list_transform|'
                        r'"a\.labels", "a\.published"|"a\.published::VARCHAR"')
_LITERAL = re.compile(r'"([^"]*)"')
TARGET = 0.85
# (what the line held, what the mutant made of it, why the answers cannot change)
EQUIVALENT = [
    (r"strict=True", r"strict=(False|None)\)|, \)\)?$", "zip's strict only guards two lists the code builds the same length"),
    (r"extra \+= ", r"extra = ", "the first condition added to an empty string: = and += give the same"),
    (r"search\.condition\(con, f\.q, alias\)", r"search\.condition\(con, f\.q, \)", "every caller's alias is the default, a"),
    (r'queries\._where\(con, f, "a"\)', r"queries\._where\(con, f, \)", "the alias a is _where's default"),
    (r"sets = None if|by_entity = _first_entity_rows|skip_first=True|if skip_first else|indexed = search\.lookup|if indexed is None", r".",
     "a faster route to the same rows (the "
     "articles table instead of article_entities or the search index, or the first entity's condition repeated): only speed changes"),
]


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


def equivalent(removed: str, added: str) -> str | None:
    """Why a surviving change cannot alter an answer, when a rule knows; else None."""
    if removed != added and removed.lower() == added.lower():
        changed = [a for a, b in zip(_LITERAL.findall(removed), _LITERAL.findall(added), strict=False) if a != b]
        if changed and (all(_SQL.search(text) for text in changed) or _DATE_PART.match(removed) or _SQL_NAMES.search(removed)):
            return "SQL keywords and names, and DuckDB's date parts, ignore case"
    for before, after, reason in EQUIVALENT:
        if re.search(before, removed) and re.search(after, added):
            return reason
    return None


def main(show: bool) -> int:
    import os

    os.chdir(ROOT)
    print(f"Mutation score per module (mutmut, fast tests only) · {machine()}")
    print(f"{'module':34} {'mutants':>7} {'not run':>7} {'killed':>6} {'survived':>8} {'equiv.':>6} {'no test':>7} {'other':>5} "
          f"{'score':>6} {'w/o equiv.':>10}")
    survivors: list[tuple[str, str, str]] = []
    below = 0
    for path in modules():
        codes = results(path)
        counts = Counter("killed" if code in KILLED else LABELS.get(code, "other") for code in codes.values())
        explained = 0
        for name, code in codes.items():
            if code == 0:
                removed, added = change(name, path)
                if equivalent(removed, added):
                    explained += 1
                else:
                    survivors.append((name, removed, added))
        total = len(codes)
        run = total - counts["not run"]  # the sidebar of views/filters.py is left out by `make mutants`
        score = counts["killed"] / run if run else float("nan")
        adjusted = counts["killed"] / (run - explained) if run > explained else float("nan")
        other = run - counts["killed"] - counts["survived"] - counts["no tests"]
        below += run > 0 and adjusted < TARGET
        print(f"{path:34} {total:7} {counts['not run']:7} {counts['killed']:6} {counts['survived']:8} {explained:6} {counts['no tests']:7} "
              f"{other:5} {score:6.0%} {adjusted:10.0%}" if total else
              f"{path:34} {0:7}  (no mutants: only module-level constants, which mutmut does not change)")
    if show:
        print("\nSurvivors no rule explains (judged in benchmarks/mutants.md):")
        for name, removed, added in survivors:
            print(f"  {name}\n      - {removed}\n      + {added}")
    return 0 if not below else 1


if __name__ == "__main__":
    sys.exit(main("--survivors" in sys.argv))
