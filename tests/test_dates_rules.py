"""The rules of ingest/dates.py one by one: which forms are dates, the order of day and month, and what a
date column reports. Each expected value is worked out by hand from the calendar and the rule it names.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from dashboard.ingest.dates import DateColumn, Numeric, numeric, parse_date, plausible, to_utc
from tests.test_dates import machine_zone

PLUS_8 = timezone(timedelta(hours=8))


@pytest.mark.parametrize(("text", "found"), [
    ("01/02/2003", Numeric(1, 2, False)),
    (" 13.02.03 ", Numeric(13, 2, True)),
    ("1-2-2003 10:30 PM", Numeric(1, 2, False)),
    ("01/02-2003", None),  # two separators: not one numeric date
    ("2003/02/01", None),  # year first
    ("January 5, 2003", None),
])
def test_a_numeric_date_and_its_separator(text, found):
    assert numeric(text) == found


@pytest.mark.parametrize(("first", "second", "dotted", "ambiguous"), [
    (1, 2, False, True),
    (12, 12, False, False),  # the same either way
    (12, 11, False, True),
    (13, 2, False, False),  # no 13th month: day first
    (2, 13, False, False),
    (1, 2, True, False),  # dotted dates are day first
])
def test_which_numeric_dates_are_ambiguous(first, second, dotted, ambiguous):
    assert Numeric(first, second, dotted).ambiguous is ambiguous


@pytest.mark.parametrize(("text", "dayfirst", "expected"), [
    ("05/06/2003", False, datetime(2003, 5, 6)),
    ("05/06/2003", True, datetime(2003, 6, 5)),
    ("05/13/2003", True, datetime(2003, 5, 13)),  # told day first, but no 13th month: month first
    ("05/12/2003", True, datetime(2003, 12, 5)),  # the 12th month is one
    ("12/05/2003", None, datetime(2003, 12, 5)),  # a 12 first may be a month: month first, as when nothing is known
    ("01 02 2003", True, datetime(2003, 2, 1)),  # not a numeric form the rules read: dateutil, told day first
    ("01 02 2003", None, datetime(2003, 1, 2)),
    ("12/05/2003", True, datetime(2003, 5, 12)),
    ("13/12/2003", False, datetime(2003, 12, 13)),
    ("2003-1-2", True, datetime(2003, 1, 2)),  # year first stays year, month, day
    ("2003/02/01 08:00", None, datetime(2003, 2, 1, 8)),
    ("1/2/03 21:05", None, datetime(2003, 1, 2, 21, 5)),
])
def test_the_order_of_day_and_month(text, dayfirst, expected):
    assert parse_date(text, dayfirst=dayfirst) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("2025年3月11日", datetime(2025, 3, 11)),
    ("2025 年 3 月 11 日 08：30：15", datetime(2025, 3, 11, 8, 30, 15)),
    ("2025年3月11日 8时30分", datetime(2025, 3, 11, 8, 30)),
    ("1741681800.5", datetime(2025, 3, 11, 8, 30, 0, 500000)),  # epoch seconds with a fraction
    ("174168180", datetime(1975, 7, 9, 20, 3)),  # nine digits: seconds (2,015 days and 72,180 s after 1970)
    ("174168180000", datetime(1975, 7, 9, 20, 3)),  # twelve digits: milliseconds
    ("17416818000", None),  # eleven digits: neither
    ("Jan 5 2003", datetime(2003, 1, 5)),  # six characters or more: read by dateutil
    ("5.1.03", datetime(2003, 1, 5)),
    ("2003-02-01Z garbage", None),
    ("March 2003", None),  # names no day
    ("2003", None),
    ("Jan 5", None),
    ("on Tuesday, January 5 2003, at noon, in a long sentence that goes on and on well past eighty chars", None),
])
def test_the_slower_forms(text, expected):
    assert parse_date(text) == expected


def test_an_rfc_822_zone_name_is_read():
    assert parse_date("Tue, 11 Mar 2025 09:30:00 EST") == datetime(2025, 3, 11, 14, 30)  # RFC 822: EST is UTC-5
    assert parse_date("Tue, 11 Mar 2025 09:30:00 GMT") == datetime(2025, 3, 11, 9, 30)


def test_a_bare_z_is_utc_in_every_form():
    assert parse_date("Jan 5 2003 10:00Z") == datetime(2003, 1, 5, 10)
    assert parse_date("Jan 5 2003 10:00:45Z") == datetime(2003, 1, 5, 10, 0, 45)  # the Z alone is cut, not the seconds
    assert parse_date("2003-01-05T10:00:00Z") == datetime(2003, 1, 5, 10)


def test_a_date_without_a_zone_is_read_in_the_zone_given():
    assert parse_date("2025-03-11 09:30", PLUS_8) == datetime(2025, 3, 11, 1, 30)
    assert parse_date("2025-03-11T09:30:00+01:00", PLUS_8) == datetime(2025, 3, 11, 8, 30)  # a zone of its own wins
    assert parse_date("2025年3月11日 09:30", PLUS_8) == datetime(2025, 3, 11, 1, 30)  # the slower forms too
    assert to_utc(datetime(2025, 3, 11, 9, 30), PLUS_8) == datetime(2025, 3, 11, 1, 30)
    assert plausible(datetime(2025, 3, 11, 9, 30), PLUS_8) == datetime(2025, 3, 11, 1, 30)


def test_a_date_that_cannot_be_moved_to_utc_is_no_date():
    assert plausible(datetime(1, 1, 1), PLUS_8) is None  # before year 1 in UTC: out of range, not a crash
    assert plausible(datetime.now(UTC).replace(tzinfo=None)) is not None


def test_the_column_settles_the_order_from_its_own_dates():
    column = DateColumn()
    column.learn(["01/02/2003", "25/03/2003", "nonsense"])
    assert column.dayfirst is True and column.told
    assert column.parse("01/02/2003") == datetime(2003, 2, 1) and column.ambiguous == 0
    column = DateColumn()
    column.learn(["01/02/2003", "03/25/2003"])
    assert column.dayfirst is False and column.told
    assert column.parse("01/02/2003") == datetime(2003, 1, 2) and column.notes("date") == []


@pytest.mark.parametrize(("texts", "dayfirst"), [(["13/02/2003"], True), (["02/13/2003"], False), (["12/05/2003", "05/12/2003"], None)])
def test_a_number_over_twelve_settles_the_order(texts, dayfirst):
    column = DateColumn()
    column.learn(texts)
    assert column.dayfirst is dayfirst and column.told is (dayfirst is not None)


@pytest.mark.parametrize("texts", [["01/02/2003"], ["13/02/2003", "02/13/2003"], ["13.02.2003"], []])
def test_a_column_whose_dates_do_not_say_leaves_the_order_open(texts):
    column = DateColumn()
    column.learn(texts)
    assert column.dayfirst is None and not column.told


def test_the_users_order_is_not_overruled():
    column = DateColumn(dayfirst=False)
    column.learn(["25/03/2003"])
    assert column.dayfirst is False and column.told


def test_a_column_reports_its_ambiguous_and_unreadable_values():
    column = DateColumn()
    assert [column.parse(t) for t in (" 01/02/2003 ", "05/06/2003", "13/02/2003", "someday", "x" * 50, "2003-01-02")] == [
        datetime(2003, 1, 2), datetime(2003, 5, 6), datetime(2003, 2, 13), None, None, datetime(2003, 1, 2)]
    assert (column.values, column.ambiguous, column.unreadable) == (6, 2, 2)
    assert column.notes("when") == [
        "2 dates in column 'when' such as '01/02/2003' could be day/month or month/day: read as month/day "
        "(use --dayfirst to read them as day/month)",
        "2 of 6 values in column 'when' are not dates or not possible ones (such as 'someday'): those stored undated"]


def test_a_column_of_no_dates_says_all_are_undated():
    column = DateColumn()
    column.parse("x" * 50)
    assert column.unreadable_example == "x" * 40
    assert column.notes("d") == [f"1 of 1 values in column 'd' are not dates or not possible ones (such as '{'x' * 40}'): "
                                 "all stored undated"]


def test_thousands_are_counted_with_separators():
    column = DateColumn(dayfirst=True)
    for _ in range(1200):
        column.parse("soon")
    assert column.notes("d") == ["1,200 of 1,200 values in column 'd' are not dates or not possible ones (such as 'soon'): "
                                 "all stored undated"]


def test_eighty_characters_may_be_a_date_and_more_is_a_sentence():
    def padded(width: int) -> str:
        return "January" + " " * (width - len("January5, 2003")) + "5, 2003"

    assert len(padded(80)) == 80 and parse_date(padded(80)) == datetime(2003, 1, 5)
    assert len(padded(81)) == 81 and parse_date(padded(81)) is None
    assert parse_date("5.1.03") == datetime(2003, 1, 5) and parse_date("5.1.3") is None  # six characters at least


@pytest.fixture
def far_west(monkeypatch):
    """The machine's clock set to UTC-12: epoch seconds are an instant, whatever the server's zone."""
    yield from machine_zone(monkeypatch, "Etc/GMT+12")


def test_epoch_seconds_are_utc_whatever_the_machines_zone(far_west):
    assert parse_date("1741681800") == datetime(2025, 3, 11, 8, 30)
    assert parse_date("1741681800000") == datetime(2025, 3, 11, 8, 30)


def test_a_date_without_a_zone_is_utc_whatever_the_machines_zone(far_west):
    assert parse_date("March 11, 2025 8:30 AM") == datetime(2025, 3, 11, 8, 30)
    assert parse_date("01/02/2003") == datetime(2003, 1, 2)


def test_iso_week_dates_which_only_the_iso_reader_knows():
    assert parse_date("2025-W11-2") == datetime(2025, 3, 11)  # the Tuesday of ISO week 11 of 2025
    assert parse_date("2025-W11-2T08:30Z") == datetime(2025, 3, 11, 8, 30)


@pytest.mark.parametrize(("text", "expected"), [
    ("Updated 10:05 GMT, 26 November 2026", datetime(2026, 11, 26, 10, 5)),  # a BBC-style date line
    ("Last updated on 26 Nov 2026 at 10:05", datetime(2026, 11, 26, 10, 5)),
    ("Posted: Thu 26 Nov 2026", datetime(2026, 11, 26)),
    ("Publié le 26 novembre 2026 à 10h05", datetime(2026, 11, 26, 10, 5)),
    ("Mis à jour le 26/11/2026 à 10:05", datetime(2026, 11, 26, 10, 5)),  # 26 is no month: day first
    ("Aktualisiert am 26.11.2026 um 10:05 Uhr", datetime(2026, 11, 26, 10, 5)),
    ("Stand: 03.02.2026", datetime(2026, 2, 3)),  # dotted: day first
    ("Actualizado el 26 de noviembre de 2026", datetime(2026, 11, 26)),
    ("Обновлено 26 ноября 2026", datetime(2026, 11, 26)),
    ("Le 26/11/2026 à 10h05", datetime(2026, 11, 26, 10, 5)),  # "on" a day, before a numeric date
    ("On 11/26/2026", datetime(2026, 11, 26)),
])
def test_a_date_line_with_its_label_is_read_as_its_date(text, expected):
    # scraped exports keep the page's label before the date; the label is read past, never taken for a zone or a month
    assert parse_date(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("November 26, 2026 / 10:05 AM / Updated 2 hours ago", datetime(2026, 11, 26, 10, 5)),  # the parts that read, together
    ("Published: 10:05 GMT, 26 November 2026 | Updated: 11:00 GMT, 27 November 2026", datetime(2026, 11, 26, 10, 5)),
    ("Thu 26 Nov 2026 • 10.05 GMT • Updated 27 Nov 2026", datetime(2026, 11, 26, 10, 5)),
])
def test_a_date_line_of_parts_is_read_as_its_first_date(text, expected):
    assert parse_date(text) == expected


def test_a_date_line_of_parts_is_read_from_its_longest_head_with_the_zone_and_day_order_given():
    # four parts: the head of two holds the time, the head of one the day alone (each head tried, longest first)
    assert parse_date("November 26, 2026 / 10:05 AM / Updated 2 hours ago / Politics") == datetime(2026, 11, 26, 10, 5)
    berlin = timezone(timedelta(hours=1))  # 26 November: CET, an hour ahead of UTC
    assert parse_date("26.11.2026 10:05 | Politik", berlin) == datetime(2026, 11, 26, 9, 5)
    assert parse_date("03/02/2026 | Politics", dayfirst=True) == datetime(2026, 2, 3)
    assert parse_date("03/02/2026 | Politics") == datetime(2026, 3, 2)


@pytest.mark.parametrize("text", ["News | Sport", "Politics / Europe / Updated", "12 / 5"])
def test_parts_without_a_date_are_still_no_date(text):
    assert parse_date(text) is None


@pytest.mark.parametrize("text", ["Updated", "Posted yesterday", "Published by Reuters", "Updated: soon"])
def test_a_label_without_a_date_is_still_no_date(text):
    assert parse_date(text) is None


def test_a_labelled_date_line_keeps_the_zone_and_the_day_order_it_is_read_with():
    berlin = timezone(timedelta(hours=1))  # 26 November: CET, an hour ahead of UTC
    assert parse_date("Stand: 26.11.2026, 10:05 Uhr", berlin) == datetime(2026, 11, 26, 9, 5)
    assert parse_date("Updated 03/02/2026", dayfirst=True) == datetime(2026, 2, 3)
    assert parse_date("Updated 03/02/2026") == datetime(2026, 3, 2)


# US zones named without their season: the clock of that city on that day (the offsets below are the
# calendar's: summer time from the second Sunday of March to the first Sunday of November).
EDT, EST, PDT, CDT, MST, MDT = (timezone(timedelta(hours=h)) for h in (-4, -5, -7, -5, -7, -6))


@pytest.mark.parametrize(("text", "clock"), [
    ("July 4, 2026 10:00 ET", datetime(2026, 7, 4, 10, tzinfo=EDT)),
    ("January 4, 2026 10:00 ET", datetime(2026, 1, 4, 10, tzinfo=EST)),
    ("Jul 4 2026 10:00 PM PT", datetime(2026, 7, 4, 22, tzinfo=PDT)),
    ("July 4, 2026 10:00 CT", datetime(2026, 7, 4, 10, tzinfo=CDT)),
    ("04.07.2026 10:00 MT", datetime(2026, 7, 4, 10, tzinfo=MDT)),
    ("December 1, 2025 9:15 MT", datetime(2025, 12, 1, 9, 15, tzinfo=MST)),
    ("July 4, 2026 at 10:05 p.m. ET", datetime(2026, 7, 4, 22, 5, tzinfo=EDT)),
    ("Updated 10:05 AM ET, July 4, 2026", datetime(2026, 7, 4, 10, 5, tzinfo=EDT)),
    ("July 4, 2026 10:00 Eastern Time", datetime(2026, 7, 4, 10, tzinfo=EDT)),
    ("2026-03-08 01:30 ET", datetime(2026, 3, 8, 1, 30, tzinfo=EST)),  # half an hour before the change
    ("2026-03-08 03:30 ET", datetime(2026, 3, 8, 3, 30, tzinfo=EDT)),  # an hour after it
])
def test_a_us_zone_without_its_season_is_that_citys_clock_on_that_day(text, clock):
    assert parse_date(text) == clock.astimezone(UTC).replace(tzinfo=None)


@pytest.mark.parametrize(("text", "expected"), [
    ("July 4, 2026 10:00 CET", datetime(2026, 7, 4, 9)),  # a zone of one offset stays that offset
    ("July 4, 2026 10:00 EDT", datetime(2026, 7, 4, 14)),
    ("4 juillet 2026 10:00", datetime(2026, 7, 4, 10)),
])
def test_other_zones_are_read_as_they_name_themselves(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(("text", "clock"), [
    ("Thu, 26 Nov 2026 10:05:00 GMT+0800", datetime(2026, 11, 26, 10, 5, tzinfo=PLUS_8)),  # ahead of UTC, as written
    ("2026-11-26 10:05:00 UTC+8", datetime(2026, 11, 26, 10, 5, tzinfo=PLUS_8)),
    ("2026-11-26 10:05 UTC-05:30", datetime(2026, 11, 26, 10, 5, tzinfo=timezone(-timedelta(hours=5, minutes=30)))),
    ("Thu Nov 26 2026 10:05:00 GMT+0800 (China Standard Time)", datetime(2026, 11, 26, 10, 5, tzinfo=PLUS_8)),  # JavaScript's
    ("2026-11-26T10:05:00+08:00[Asia/Shanghai]", datetime(2026, 11, 26, 10, 5, tzinfo=PLUS_8)),  # RFC 9557, Java's
    ("2026-11-26 10:05 Europe/Berlin", datetime(2026, 11, 26, 10, 5, tzinfo=timezone(timedelta(hours=1)))),  # CET in November
    ("2026-07-04 10:05 Europe/Berlin", datetime(2026, 7, 4, 10, 5, tzinfo=timezone(timedelta(hours=2)))),  # CEST in July
    ("2026-11-26 10:05 Etc/GMT+8", datetime(2026, 11, 26, 10, 5, tzinfo=timezone(timedelta(hours=-8)))),  # POSIX's sign, in its name
])
def test_an_offset_after_gmt_or_utc_and_an_iana_name_are_the_zone_they_say(text, clock):
    assert parse_date(text) == clock.astimezone(UTC).replace(tzinfo=None)


def test_a_word_with_a_slash_after_a_date_is_no_zone():
    assert parse_date("2026-11-26 10:05 Politics/Europe") is None  # neither read as a zone nor dropped for a guess
