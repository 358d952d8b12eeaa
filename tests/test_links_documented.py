"""README's link tables name every parameter the app reads from a link, and nothing it does not read.

The link format is a public contract: a parameter missing from README is one a colleague cannot
know of, and one README names that the app ignores is a broken promise.
"""

from __future__ import annotations

import re

from dashboard.views import filters
from tests.conftest import ROOT


def _readme_link_parameters() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Links"):]
    section = section[:section.index("\n## ", 1)] if "\n## " in section[1:] else section
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    first_cells = [row.split(" | ")[0] for row in rows]
    return {name for cell in first_cells for name in re.findall(r"`(?:/\w+\?)?(\w+)=", cell)}


def _app_link_parameters() -> set[str]:
    view = {name for names in filters.VIEW_PARAMS.values() for name in names}
    return set(filters.PARAMS) | view | set(filters.OWN)


def test_every_link_parameter_is_documented_and_every_documented_one_is_read():
    documented, read = _readme_link_parameters(), _app_link_parameters()
    assert read, "the app names no link parameter"
    assert read - documented == set(), "read from links but missing from README's link tables"
    assert documented - read == set(), "in README's link tables but read by no page"
