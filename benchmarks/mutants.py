"""Mutation score per module, from the results `mutmut run` leaves in mutants/ (run by `make mutants`).

A mutant is one small change to the code (a `<` made `<=`, a string emptied, an argument dropped).
It is killed when a fast test that reaches the changed function fails. The score of a module is
killed / the mutants run; a mutant that no fast test reaches counts as not killed. Of views/filters.py only
the link builder counts (the Makefile's LINK_BUILDER), not its widgets. A module measured on a random
sample of its mutants gets the sample's 95 % margin; it meets the target when the margin's low end does. Some survivors
are equivalent by a rule that reads the change (EQUIVALENT below: the letter case of SQL, a zip's
`strict` guard, a faster route to the same rows); the last column leaves them out. Every other
survivor is printed with its change, and judged in benchmarks/mutants.md.

    python benchmarks/mutants.py             # the table
    python benchmarks/mutants.py --survivors # and each survivor's change
    python benchmarks/mutants.py --markdown  # the survivors no rule explains, by function, as benchmarks/mutants.md lists them
"""

from __future__ import annotations

import json
import math
import re
import sys
import tomllib
from collections import Counter

from _common import ROOT, machine

KILLED = {1, 3, 37}  # a failing test, a pytest error, a type check
# -24: the tests hit mutmut's CPU-time limit (an endless loop); counted apart, not as killed
LABELS = {0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", 35: "suspicious", 36: "timeout", -24: "timeout",
          None: "not run"}
_SQL = re.compile(r"\b(select|from|where|group by|order by|join|and|is (not )?null)\b", re.I)
_DATE_PART = re.compile(r"^unit = ")  # the date_trunc unit of a query
# SQL fragments that hold no keyword: table aliases, columns, TRUE
_SQL_NAMES = re.compile(r'on_rollup\(f, "[a-z]"\)|"article_entities x"|alias: str = "a"|\["TRUE"\]|Clause\("TRUE"|'
                        r'on_articles\(f, found, "[ab]"\)|"coalesce\(list_transform|"a\.labels", "a\.published"|"a\.published::VARCHAR"|'
                        r'article_sets\(.*, found, "x"\)|\("r\.key", found\)|return \("articles a", |'
                        r'Clause\("list_contains\(\$speaker_ids::INTEGER\[\], q\.speaker_id\)"|Clause\("contains\(lower\(q\.text\)|'
                        r'key_type, keys = "(INTEGER|VARCHAR)"')
# A key of the dict of a query's $name parameters (on a line that builds them or runs the query)
_KEY = re.compile(r'"\w+": ')
_PARAMETERS = re.compile(r"params|Clause\(|\$\w")
_LITERAL = re.compile(r'"([^"]*)"')
TARGET = 0.85
# (what the line held, what the mutant made of it, why the answers cannot change)
EQUIVALENT = [
    (r"strict=True", r"strict=(False|None)\)|, \)", "zip's strict only guards two lists the code builds the same length"),
    (r"extra \+= ", r"extra = ", "the first condition added to an empty string: = and += give the same"),
    (r'on_articles\((f|replace\(f, q=None\)), found, "a"\)', r"on_articles\((f|replace\(f, q=None\)), found, \)",
     "the alias a is on_articles' default"),
    (r'own = Clause\("TRUE", \{"limit": limit, "offset": offset\}\)|Clause\("TRUE", \{"limit": limit\}\)\)\.params', r'Clause\("(XXTRUEXX|true)", ',
     "a clause built only to carry $name parameters: only its .params are read, never its SQL"),
    (r"window, total = max\(10 \* limit, QUOTE_WINDOW\)|found = _quotes\(con, f, both\(\*extra\), limit, window|"
     r"_newest_first\(f, found, search_after\)|\*sel\.newest_first\(f, found, True\)", r".",
     "the newest-first window of the latest quotes (its size, the search applied in it or after it): a page it cannot fill is "
     "looked for in a window eight times larger, until it holds the selection: only speed changes"),
    (r"window \*= 8|if len\(found\) >= limit:|if window >= total:|total = count_articles\(con, f\) if total is None",
     r"window \*= 9|if len\(found\) > limit:|if window > total:|or True",
     "the latest quotes' window grown nine times, or once more than needed, or the selection counted again: the same page"),
    (r"_small_sets_first\(con, f, first is not None\)", r".", "how the query is planned (see _small_sets_first): only speed changes"),
    (r"^assert .* and .* is not None$", r"^assert .* or .* is not None$",
     "an assert that holds on every route made weaker: it only guards a programming error (and tells the type checker)"),
    (r"sets = None if|skip_first=True|if skip_first else", r".",
     "a faster route to the same rows (the articles table instead of article_entities, or the first entity's condition "
     "repeated): only speed changes"),
    (r"at_end=False", r"at_end=None",
     "nlp/quotes.py's bare_name reads at_end only for its truth, and None is as false as False"),
    (r'max\(LIST_WINDOW|if len\(page\) >= limit|if f\.q and found\.search is not None:|newest_first\(f, found, window is not None\)|'
     r'newest = "" if window is None|page = _articles\(con, f, found, limit, offset, window\)|'
     r'if f\.q and found\.search is not None and not sel\.sparse\(found, window, limit \+ offset\)|'
     r'if f\.q and not sel\.sparse\(sel\.lookup\(con, f\), window, limit\)',
     r"^(?!.*sparse\((found|sel\.lookup\(con, f\)), (None, |window, None\)))",
     "the newest-first window of a search's first page, or of the latest quotes (a page it cannot fill is looked for "
     "among all), and whether a lake's search is sparse enough to skip it: only speed changes"),
    (r'grain: str = "week"', r'grain: str = "(XXweekXX|WEEK)"', "_unit reads a grain it does not know as weeks, the default"),
    (r"sel\.lookup\(con, f, counting=True\)", r"sel\.lookup\(con, f, (counting=(None|False))?\)",
     "counting only lets a lake skip keeping a search's articles when term_counts counts them: the same counts, only speed"),
    (r"index=found\.index, dtype=object", r"index=None, dtype=object|\]\], dtype=object",
     "a frame fresh from a query has the index a new Series gets by default (0 to n - 1)"),
]


def link_builder() -> set[str]:
    """The functions of views/filters.py that `make mutants` mutates (the Makefile's LINK_BUILDER); its widgets are left out."""
    text = (ROOT / "Makefile").read_text()
    found = re.search(r"^LINK_BUILDER := ((?:.*\\\n)*.*)$", text, re.M)
    return set(found[1].replace("\\\n", " ").split()) if found else set()


def in_scope(path: str, name: str, builder: set[str]) -> bool:
    """Whether `make mutants` runs this mutant: all of a module, or the link builder of views/filters.py."""
    return not path.endswith("views/filters.py") or not builder or function_of(name)[0] in builder


def estimate(codes: dict[str, int | None], explained: set[str], leave_out: bool) -> tuple[float, float]:
    """The score over all mutants, and its 95 % margin, from a run that took some functions whole and a
    random sample of the other functions' mutants: the whole ones as they are, the rest at the sample's
    rate. With `leave_out`, the survivors equivalent by rule are left out (in the sample, their share)."""
    functions: dict[str, list[str]] = {}
    for name in codes:
        functions.setdefault(name.rpartition("__mutmut_")[0], []).append(name)
    whole = [n for names in functions.values() if all(codes[m] is not None for m in names) for n in names]
    part = [n for names in functions.values() if any(codes[m] is None for m in names) for n in names]
    run = [n for n in part if codes[n] is not None]
    killed_whole = sum(codes[n] in KILLED for n in whole)
    n_whole = len(whole) - (sum(n in explained for n in whole) if leave_out else 0)
    if not run:
        return (killed_whole / n_whole if n_whole else float("nan")), 0.0
    killed, sampled = sum(codes[n] in KILLED for n in run), len(run) - (sum(n in explained for n in run) if leave_out else 0)
    p, n_part = killed / sampled, len(part) * sampled / len(run)
    spread = 1.96 * math.sqrt(p * (1 - p) / sampled * (len(part) - len(run)) / max(len(part) - 1, 1)) if len(run) > 1 else 0.0
    return (killed_whole + n_part * p) / (n_whole + n_part), spread * n_part / (n_whole + n_part)


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
    if removed != added and removed.lower() == added.lower() and not re.search(r"\bre\.\w+\(", removed):  # a regex minds case
        changed = [a for a, b in zip(_LITERAL.findall(removed), _LITERAL.findall(added), strict=False) if a != b]
        if changed and (all(_SQL.search(text) for text in changed) or _DATE_PART.match(removed) or _SQL_NAMES.search(removed)):
            return "SQL keywords and names, and DuckDB's date parts, ignore case"
        if _PARAMETERS.search(removed) and _KEY.sub(lambda m: m[0].lower(), added) == removed:
            return "DuckDB's $name parameters ignore case"
    for before, after, reason in EQUIVALENT:
        if re.search(before, removed) and re.search(after, added):
            return reason
    return None


def function_of(name: str) -> tuple[str, str]:
    """(function, number) of a mutant: `_Resolver.adjacent`, `27` for `...xǁ_Resolverǁadjacent__mutmut_27`."""
    qualified, _, number = name.rpartition("__mutmut_")
    last = qualified.rpartition(".")[2]
    return (last[2:].replace("ǁ", ".") if last.startswith("xǁ") else last.removeprefix("x_")), number


def markdown(survivors: list[tuple[str, str, str]]) -> None:
    """Each survivor as a line under its module and function: the number, the line before and after."""
    by_function: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for name, removed, added in survivors:
        function, number = function_of(name)
        by_function.setdefault((name.rpartition("__mutmut_")[0].rpartition(".")[0], function), []).append((number, removed, added))
    for (module, function), found in by_function.items():
        print(f"#### {module.replace('.', '/')}.py `{function}` ({len(found)})")
        for number, removed, added in found:
            print(f"- {number}: `{removed[:110]}` → `{added[:110]}`")


def main(show: bool, as_markdown: bool = False) -> int:
    import os

    os.chdir(ROOT)
    print(f"Mutation score per module (mutmut, fast tests only) · {machine()}")
    print(f"{'module':34} {'mutants':>7} {'not run':>7} {'killed':>6} {'survived':>8} {'equiv.':>6} {'no test':>7} {'other':>5} "
          f"{'score':>6} {'± sample':>8} {'w/o equiv.':>10}")
    survivors: list[tuple[str, str, str]] = []
    below = 0
    builder = link_builder()
    for path in modules():
        codes = {name: code for name, code in results(path).items() if in_scope(path, name, builder)}
        counts = Counter("killed" if code in KILLED else LABELS.get(code, "other") for code in codes.values())
        equivalents: set[str] = set()
        for name, code in codes.items():
            if code == 0:
                removed, added = change(name, path)
                if equivalent(removed, added):
                    equivalents.add(name)
                else:
                    survivors.append((name, removed, added))
        total, explained = len(codes), len(equivalents)
        run = total - counts["not run"]
        score, plus = estimate(codes, equivalents, False) if run else (float("nan"), 0.0)
        adjusted, adjusted_plus = estimate(codes, equivalents, True) if run > explained else (float("nan"), 0.0)
        other = run - counts["killed"] - counts["survived"] - counts["no tests"]
        below += run > 0 and adjusted - adjusted_plus < TARGET
        print(f"{path:34} {total:7} {counts['not run']:7} {counts['killed']:6} {counts['survived']:8} {explained:6} {counts['no tests']:7} "
              f"{other:5} {score:6.0%} {f'±{plus:.0%}' if plus else '':>8} {adjusted:6.0%}{f' ±{adjusted_plus:.0%}' if adjusted_plus else '':>4}" if total else
              f"{path:34} {0:7}  (no mutants: only module-level constants, which mutmut does not change)")
    if as_markdown:
        markdown(survivors)
    elif show:
        print("\nSurvivors no rule explains (judged in benchmarks/mutants.md):")
        for name, removed, added in survivors:
            print(f"  {name}\n      - {removed}\n      + {added}")
    return 0 if not below else 1


if __name__ == "__main__":
    sys.exit(main("--survivors" in sys.argv, "--markdown" in sys.argv))
