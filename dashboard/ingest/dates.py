"""Dates from any source, as naive UTC datetimes (None when absent or implausible).

The common forms (ISO 8601, RFC 822, Reuters' 26-FEB-1987) go through the standard library
first: Reuters-21578's 21,578 dates parse in well under a second that way. Only what those
miss (`1-Jan-96`, `01/02/2003`, `January 5, 2003`, epoch seconds, `2025年3月15日`) reaches the
slower rules and python-dateutil. Last comes dateparser, which knows month names in other
languages (`11 septembre 2001`, `11. September 2001, 14:46 Uhr`) and zone names the others
drop silently (`CET`, `BST`, `JST`: dateutil reads `10:00 CET` as 10:00 UTC). It takes
2-80 ms a date (the rest take microseconds), so it only sees a text that names a zone or
holds a word and a four-digit year, and each distinct text once. The US zones named without their
season (`10:05 a.m. ET`) are read before all of them, as that city's clock on that day.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import dateparser
from dateutil import parser as dateutil_parser

EARLIEST = datetime(1800, 1, 1)
# Clock skew between a feed and us is normal; a story dated weeks ahead is an error.
FUTURE_SLACK = timedelta(days=2)
_REUTERS = re.compile(r"^\s*(\d{1,2}-[A-Za-z]{3}-\d{4})(?:\s+(\d{1,2}):(\d{2}):(\d{2})(?:\.\d+)?)?")
_EPOCH = re.compile(r"^\d{9,10}(?:\.\d+)?$|^\d{12,13}$")  # seconds (1973-2286), or milliseconds
_NUMERIC = re.compile(
    r"^(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})"
    r"(?:[ T,]+(?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:[AaPp][Mm])?))?(?P<rest>.*)$"
)
_CJK = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:(\d{1,2})[:：时](\d{2})(?:[:：分](\d{2}))?)?")
_YEAR_FIRST = re.compile(r"^\d{4}\D")
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))  # a date that gives no day, month or year differs between the two
_ZONE_WORD = re.compile(r"\s\(?(?!(?:UTC|GMT|UT|Z|AM|PM)\b)([A-Z]{2,5})\)?$")  # a zone named by letters, but UTC
_ENDS_IN_A_WORD = re.compile(r"[^\W\d_]\.?\)?$")  # "... 10:00 CET", "... 8:30 PM", "... 8:30 p.m."
_WORDY = re.compile(r"[^\W\d_]{3}.*\b\d{4}\b|\b\d{4}\b.*[^\W\d_]{3}")  # a word and a year: a month's name?
# Where dateparser looks: month names of the languages Newsdesk reads, absolute dates with day, month and year only.
_LANGUAGES = ["en", "fr", "de", "es", "it", "pt", "nl", "ru"]
_SETTINGS = {"PARSERS": ["absolute-time"], "REQUIRE_PARTS": ["day", "month", "year"]}
# A label before a page's date line ("Updated 10:05 GMT, 26 November 2026", "Publié le 26 novembre 2026",
# "Stand: 26.11.2026"), as scraped exports keep it: read once the date alone does not parse.
_LABEL = re.compile(
    r"^(?:(?:last|first)\s+)?(?:updated|modified|published|posted|released|dated?)(?:\s+(?:on|at))?\b"
    r"|^(?:mis\s+à\s+jour|publié|modifié)(?:\s+le)?\b|^(?:aktualisiert|veröffentlicht|zuletzt\s+aktualisiert)(?:\s+am)?\b|^stand\b"
    r"|^(?:actualizado|publicado|atualizado)(?:\s+(?:el|em))?\b|^(?:aggiornato|pubblicato)(?:\s+il)?\b"
    r"|^(?:bijgewerkt|gepubliceerd)(?:\s+op)?\b|^(?:обновлено|опубликовано)"
    r"|^(?:on|le|am|el|il|em|op)(?=\s+\d)",  # "Le 26/11/2026": on a day
    re.IGNORECASE,
)
# The parts of a date line ("November 26, 2026 / 10:05 AM / Updated 2 hours ago", "Published: 10:05 GMT, 26 November
# 2026 | Updated: 11:00 GMT, 26 November 2026"): its longest head that reads is its date, the first one given.
_PARTS = re.compile(r"\s+[|/•·]\s+")
# A US zone named without its season, after a clock ("10:00 a.m. ET", "8 PM Pacific Time"): that place's clock on
# that day, summer time included. Read as a zone name, ET was EST all year (an hour off from March to November)
# and CT no zone at all (read as UTC).
_US_ZONES = {"E": "America/New_York", "C": "America/Chicago", "M": "America/Denver", "P": "America/Los_Angeles"}
_US_WALL_CLOCK = re.compile(r"(?<=[\d.mM])\s*(?:\b(?P<code>[ECMP])T|(?P<word>(?i:eastern|central|mountain|pacific))\s+(?i:time))\b\.?")
# "GMT+0800", "UTC+8": ahead of UTC, as JavaScript's dates and people write it (dateutil reads UTC+8 as eight
# hours behind, POSIX's sign, and drops GMT+0800): rewritten as the offset "+0800" every parser reads alike.
_OFFSET_NAMED = re.compile(r"\b(?:GMT|UTC|UT)\s*(?P<sign>[+-])(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?\b")
_IANA = re.compile(r"\s*\[?\b(?P<name>[A-Z][A-Za-z_]+(?:/[A-Za-z0-9_+-]+)+)\]?$")  # "… Europe/Berlin", "…+08:00[Asia/Shanghai]"
_AT_CLOCK = re.compile(r"\s+(?:at|à|um|a\s+las|alle|às|om|в)\s+(?=\d{1,2}[:.h]\d{2})", re.IGNORECASE)  # "26 Nov 2026 at 10:05"


def to_utc(value: datetime, zone: tzinfo = UTC) -> datetime:
    """Naive UTC from an aware datetime, or from a naive one read in `zone` (UTC unless told)."""
    if value.tzinfo is None:
        if zone is UTC:
            return value
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC).replace(tzinfo=None)


def plausible(value: datetime | None, zone: tzinfo = UTC) -> datetime | None:
    if value is None:
        return None
    try:
        value = to_utc(value, zone)
    except (OverflowError, ValueError):
        return None
    if value < EARLIEST or value > datetime.now(UTC).replace(tzinfo=None) + FUTURE_SLACK:
        return None
    return value


@dataclass(frozen=True)
class Numeric:
    """A numeric date such as 01/02/2003 and which orders of day and month it allows."""

    first: int
    second: int
    dotted: bool

    @property
    def ambiguous(self) -> bool:
        return not self.dotted and self.first <= 12 and self.second <= 12 and self.first != self.second


def numeric(text: str) -> Numeric | None:
    match = _NUMERIC.match(text.strip())
    if not match:
        return None
    return Numeric(int(match["a"]), int(match["b"]), match["sep"] == ".")


def parse_date(text: str | None, zone: tzinfo = UTC, dayfirst: bool | None = None) -> datetime | None:
    """Parse a date in any common form; None if unparseable or implausible.

    `zone` is the time zone of dates that name none. `dayfirst` orders 01/02/2003 (None: month
    first, as when nothing else is known; day first when the first number is over 12; a dotted
    01.02.2003 is always day first).
    """
    if not text or not text.strip():
        return None
    text, zone = _named_zone(text.strip(), zone)
    value = _parse_line(text, zone, dayfirst)
    if value is None:
        parts = _PARTS.split(text)
        heads = (" ".join(parts[:end]) for end in range(len(parts) - 1, 0, -1))
        value = next((found for head in heads if (found := _parse_line(head, zone, dayfirst)) is not None), None)
    return value


def _named_zone(text: str, zone: tzinfo) -> tuple[str, tzinfo]:
    """The text as the parsers read it right, and the zone it names where they would not read it (else `zone`):
    a US zone without its season, an IANA name; an offset written after GMT or UTC becomes a plain offset."""
    if (wall := _US_WALL_CLOCK.search(text)) is not None:
        return _without(text, wall), ZoneInfo(_US_ZONES[(wall["code"] or wall["word"])[0].upper()])
    if (iana := _IANA.search(text)) is not None:
        try:
            return _without(text, iana), ZoneInfo(iana["name"])  # an offset also given ("+08:00[Asia/Shanghai]") decides
        except (KeyError, ValueError):  # not a zone ("Politics/Europe"): ZoneInfoNotFoundError is a KeyError
            pass
    offset = _OFFSET_NAMED.sub(lambda m: f" {m['sign']}{int(m['hours']):02d}{m['minutes'] or '00'}", text)
    return offset.strip(), zone


def _without(text: str, match: re.Match[str]) -> str:
    return f"{text[: match.start()]} {text[match.end() :]}".strip()


def _parse_line(text: str, zone: tzinfo, dayfirst: bool | None) -> datetime | None:
    """A date, or a date line after its label ("Updated 10:05 GMT, 26 November 2026")."""
    value = _parse(text, zone, dayfirst)
    if value is None and (label := _LABEL.match(text)):
        value = _parse(_AT_CLOCK.sub(" ", text[label.end() :]).strip(" :：-–—,"), zone, dayfirst)
    return value


def _parse(text: str, zone: tzinfo, dayfirst: bool | None) -> datetime | None:
    for parser in (_parse_iso, _parse_rfc822, _parse_reuters):
        try:
            value = parser(text)
        except (ValueError, TypeError, OverflowError, IndexError):
            continue
        if value is not None:
            return plausible(value, zone)
    if _ZONE_WORD.search(text) and (value := _dateparser(text)) is not None:
        return plausible(value, zone)
    value = _parse_other(text, dayfirst)
    if value is None and len(text) <= 80 and _WORDY.search(text):
        value = _dateparser(text)
    return plausible(value, zone)


def _parse_other(text: str, dayfirst: bool | None) -> datetime | None:
    try:
        if _EPOCH.match(text):
            seconds = float(text) / (1000 if len(text) >= 12 and "." not in text else 1)
            return datetime.fromtimestamp(seconds, UTC)
        if cjk := _CJK.match(text):
            return datetime(*(int(g) for g in cjk.groups() if g is not None))  # type: ignore[misc]
        if (found := numeric(text)) is not None:
            day_first = found.dotted or found.first > 12 or (bool(dayfirst) and found.second <= 12)
            return _dateutil(text, dayfirst=day_first)
        return _dateutil(text, dayfirst=bool(dayfirst))
    except (ValueError, TypeError, OverflowError, IndexError):
        return None


def _dateutil(text: str, dayfirst: bool) -> datetime | None:
    if not any(ch.isdigit() for ch in text) or len(text) < 6 or len(text) > 80:
        return None  # "yesterday", "5", a sentence: not dates
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"  # dateutil would read a bare Z as local time
    yearfirst = bool(_YEAR_FIRST.match(text))  # 2003/02/01 is year, month, day whatever the order
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unknown zone names (CST) are read as no zone
        first, second = (dateutil_parser.parse(text, default=d, dayfirst=dayfirst and not yearfirst, yearfirst=yearfirst)
                         for d in _DEFAULTS)
    return first if first.date() == second.date() else None  # "FEB-1987" names no day: no date rather than a guessed one


def _parse_iso(text: str) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)


def _parse_rfc822(text: str) -> datetime | None:
    value = parsedate_to_datetime(text)
    if value.tzinfo is None and _ENDS_IN_A_WORD.search(text):
        return None  # a zone it does not know (CET), or PM, would be dropped: left to the others
    return value


@lru_cache(maxsize=4096)
def _dateparser(text: str) -> datetime | None:
    """dateparser's reading of a date in another language or with a zone name; aware only when it names a zone."""
    try:
        return dateparser.parse(text, languages=_LANGUAGES, settings=_SETTINGS)
    except (ValueError, TypeError, OverflowError, OSError):
        return None


def _parse_reuters(text: str) -> datetime | None:
    match = _REUTERS.match(text)
    if not match:
        return None
    day = datetime.strptime(match.group(1).title(), "%d-%b-%Y")
    hour, minute, second = (int(g) if g else 0 for g in match.group(2, 3, 4))
    if hour > 23 or minute > 59 or second > 59:
        return day  # a malformed time (e.g. "605:12:19") still gives a good day
    return day.replace(hour=hour, minute=minute, second=second)


class DateColumn:
    """The dates of one input's date field: parsed in one order of day and month, with a report.

    The order of 01/02/2003 comes from the user (--dayfirst), else from the input itself (a
    13/02/2003 among its dates means day first; 02/13/2003 month first), else month first, and
    then the ambiguous dates are counted and reported rather than guessed silently.
    """

    def __init__(self, zone: tzinfo = UTC, dayfirst: bool | None = None) -> None:
        self.zone = zone
        self.dayfirst = dayfirst
        self.told = dayfirst is not None
        self.values = 0
        self.unreadable = 0
        self.unreadable_example: str | None = None
        self.ambiguous = 0
        self.ambiguous_example: str | None = None

    def learn(self, texts: list[str]) -> None:
        """Settle the day/month order from a sample of the input's dates, unless the user did."""
        if self.told:
            return
        found = [n for n in map(numeric, texts) if n is not None and not n.dotted]
        day_first = any(n.first > 12 for n in found)
        month_first = any(n.second > 12 for n in found)
        if day_first != month_first:
            self.dayfirst = day_first
            self.told = True

    def parse(self, text: str) -> datetime | None:
        self.values += 1
        found = numeric(text)
        if found is not None and found.ambiguous and not self.told:
            self.ambiguous += 1
            self.ambiguous_example = self.ambiguous_example or text.strip()
        value = parse_date(text, self.zone, self.dayfirst)
        if value is None:
            self.unreadable += 1
            self.unreadable_example = self.unreadable_example or text.strip()[:40]
        return value

    def notes(self, column: str) -> list[str]:
        out = []
        if self.ambiguous:
            out.append(f"{self.ambiguous:,} dates in column {column!r} such as {self.ambiguous_example!r} could be "
                       "day/month or month/day: read as month/day (use --dayfirst to read them as day/month)")
        if self.unreadable:
            stored = "all stored undated" if self.unreadable == self.values else "those stored undated"
            out.append(f"{self.unreadable:,} of {self.values:,} values in column {column!r} are not dates or not possible ones "
                       f"(such as {self.unreadable_example!r}): {stored}")
        return out
