"""The Overview's "Dates" figure: short enough to be shown whole, and never wrong about the span."""

from datetime import date, datetime

import pytest

from dashboard.views.widgets import span


@pytest.mark.parametrize(("first", "last", "shown"), [
    (datetime(2025, 3, 15, 9), datetime(2025, 3, 15, 18), "15 Mar 2025"),
    (date(2025, 3, 10), date(2025, 3, 15), "10–15 Mar 2025"),
    (date(1987, 2, 26), date(1987, 10, 19), "Feb–Oct 1987"),
    (date(1987, 12, 31), date(1988, 1, 1), "1987–1988"),
    (date(2001, 1, 1), date(2011, 12, 31), "2001–2011"),
])
def test_a_span_names_its_first_and_last_day_month_or_year(first, last, shown):
    assert span(first, last) == shown
    assert len(shown) <= 14  # a quarter of the page at a laptop's width shows about 14 characters of a metric


def test_no_dates_says_so():
    assert span(None, None) == "no dates"
