"""Dates from any source, as naive UTC datetimes (None when absent or implausible)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

EARLIEST = datetime(1800, 1, 1)
# Clock skew between a feed and us is normal; a story dated weeks ahead is an error.
FUTURE_SLACK = timedelta(days=2)
_REUTERS = re.compile(r"^\s*(\d{1,2}-[A-Za-z]{3}-\d{4})(?:\s+(\d{1,2}):(\d{2}):(\d{2})(?:\.\d+)?)?")


def to_utc(value: datetime) -> datetime:
    """Naive UTC from an aware or naive (assumed UTC) datetime."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def plausible(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    value = to_utc(value)
    if value < EARLIEST or value > datetime.now(UTC).replace(tzinfo=None) + FUTURE_SLACK:
        return None
    return value


def parse_date(text: str | None) -> datetime | None:
    """Parse Reuters (26-FEB-1987 15:01:01.79), RFC 822 or ISO 8601 dates; None if unparseable."""
    if not text or not text.strip():
        return None
    text = text.strip()
    for parser in (_parse_iso, _parse_rfc822, _parse_reuters):
        try:
            value = parser(text)
        except (ValueError, TypeError, OverflowError, IndexError):
            continue
        if value is not None:
            return plausible(value)
    return None


def _parse_iso(text: str) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)


def _parse_rfc822(text: str) -> datetime | None:
    return parsedate_to_datetime(text)


def _parse_reuters(text: str) -> datetime | None:
    match = _REUTERS.match(text)
    if not match:
        return None
    day = datetime.strptime(match.group(1).title(), "%d-%b-%Y")
    hour, minute, second = (int(g) if g else 0 for g in match.group(2, 3, 4))
    if hour > 23 or minute > 59 or second > 59:
        return day  # a malformed time (e.g. "605:12:19") still gives a good day
    return day.replace(hour=hour, minute=minute, second=second)
