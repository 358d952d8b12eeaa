"""What the user tells the readers about their inputs: column names, time zone, date order."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FIELDS = ("title", "body", "url", "published", "source", "id", "labels", "author")
_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.I)


class OptionError(ValueError):
    """An option the user gave cannot be understood; the message says why, in one line."""


@dataclass(frozen=True)
class ReadOptions:
    """Per-ingest reading options; the defaults read every input as it comes."""

    columns: Mapping[str, str] = field(default_factory=dict)  # field -> column name in the file
    timezone: tzinfo = UTC  # the zone of dates that name none
    dayfirst: bool | None = None  # 01/02/2003: None = month first, reported when ambiguous


def parse_map(values: list[str]) -> dict[str, str]:
    """`published=Date,body=Subject` (repeatable), or the path of a file of `field = "Column"` lines."""
    mapping: dict[str, str] = {}
    for value in values:
        path = Path(value)
        pairs = _map_file(path) if "=" not in value and path.is_file() else _map_pairs(value)
        mapping.update(pairs)
    return mapping


def _map_pairs(value: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for part in value.split(","):
        name, sep, column = part.partition("=")
        if not sep or not column.strip():
            raise OptionError(f"--map {value!r}: expected FIELD=COLUMN pairs, e.g. published=Date,body=Subject")
        pairs[_field(name)] = column.strip()
    return pairs


def _map_file(path: Path) -> dict[str, str]:
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise OptionError(f"--map {path}: not a mapping file of `field = \"Column\"` lines ({exc})") from exc
    pairs = {}
    for name, column in table.items():
        if not isinstance(column, str) or not column.strip():
            raise OptionError(f"--map {path}: {name} must name a column as a string")
        pairs[_field(name)] = column.strip()
    return pairs


def _field(name: str) -> str:
    name = name.strip().lower()
    if name == "text":
        name = "body"
    if name == "date":
        name = "published"
    if name not in FIELDS:
        raise OptionError(f"--map: unknown field {name!r} (fields: {', '.join(FIELDS)})")
    return name


def parse_timezone(value: str) -> tzinfo:
    """An IANA zone name (Europe/Paris), UTC, or a fixed offset (+08:00, -0500, UTC+8)."""
    text = value.strip()
    if text.upper() in ("UTC", "GMT", "Z"):
        return UTC
    match = _OFFSET.match(text)
    if match:
        sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
        if hours > 14 or minutes > 59:
            raise OptionError(f"--timezone {value!r}: offset out of range")
        offset = timedelta(hours=hours, minutes=minutes)
        return timezone(-offset if sign == "-" else offset)
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise OptionError(f"--timezone {value!r}: not a time zone (use a name like Asia/Shanghai or an offset like +08:00)") from exc
