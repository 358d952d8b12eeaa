"""Dates from feeds and files: the bounds of a plausible date and the malformed times of Reuters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from dashboard.ingest.dates import parse_date, plausible, to_utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("26-FEB-1987 23:58:59.01", datetime(1987, 2, 26, 23, 58, 59)),  # the last hour, minute and second that are times
        ("26-FEB-1987 07:08:09", datetime(1987, 2, 26, 7, 8, 9)),  # each part in its place
        ("26-feb-1987", datetime(1987, 2, 26)),  # no time: midnight
        ("26-FEB-1987 24:00:00", datetime(1987, 2, 26)),  # an hour past 23: the day still counts
        ("26-FEB-1987 10:60:00", datetime(1987, 2, 26)),  # a minute past 59
        ("26-FEB-1987 10:00:60", datetime(1987, 2, 26)),  # a second past 59
        ("26-FEB-1987 23:59:59", datetime(1987, 2, 26, 23, 59, 59)),
        ("  6-MAR-1987 1:02:03", datetime(1987, 3, 6, 1, 2, 3)),
        ("FEB-1987", None),
    ],
)
def test_reuters_dates_and_their_malformed_times(text, expected):
    assert parse_date(text) == expected


def test_the_earliest_plausible_date_is_1800():
    assert plausible(datetime(1800, 1, 1)) == datetime(1800, 1, 1)
    assert plausible(datetime(1799, 12, 31, 23, 59, 59)) is None
    assert parse_date("1800-01-01") == datetime(1800, 1, 1) and parse_date("1799-12-31") is None


def test_a_date_up_to_two_days_ahead_is_clock_skew_and_later_is_an_error():
    now = datetime.now(UTC).replace(tzinfo=None)
    assert plausible(now + timedelta(days=2) - timedelta(minutes=5)) == now + timedelta(days=2) - timedelta(minutes=5)
    assert plausible(now + timedelta(days=2, minutes=5)) is None
    assert plausible(None) is None


def test_aware_times_become_naive_utc():
    assert to_utc(datetime(2025, 3, 15, 10, tzinfo=timezone(timedelta(hours=-5)))) == datetime(2025, 3, 15, 15)
    assert to_utc(datetime(2025, 3, 15, 10)) == datetime(2025, 3, 15, 10)
    assert plausible(datetime(2025, 3, 15, 10, tzinfo=timezone(timedelta(hours=8)))) == datetime(2025, 3, 15, 2)


@pytest.mark.parametrize("text", [None, "", "   ", "not a date", "31-FOO-1987"])
def test_nothing_or_nonsense_is_no_date(text):
    assert parse_date(text) is None


def machine_zone(monkeypatch, zone: str):
    """The machine's clock set to `zone` for one test (a generator for a fixture to yield from)."""
    import time

    monkeypatch.setenv("TZ", zone)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def far_east(monkeypatch):
    """The machine's clock set to UTC+14 (the server's zone must not leak into stored dates)."""
    yield from machine_zone(monkeypatch, "Etc/GMT-14")


def test_utc_whatever_the_machines_time_zone(far_east):
    assert to_utc(datetime(2025, 3, 15, 10, tzinfo=timezone(timedelta(hours=-5)))) == datetime(2025, 3, 15, 15)
    assert parse_date("Fri, 14 Mar 2025 10:00:00 +0800") == datetime(2025, 3, 14, 2)
    now = datetime.now(UTC).replace(tzinfo=None)
    assert plausible(now + timedelta(days=2, hours=1)) is None  # 14 hours of zone are not clock skew
