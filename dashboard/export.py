"""Write a table out as JSON Lines or CSV, streamed one record per line."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from dashboard.store import connect
from dashboard.store.exports import EXPORT_FIELDS, EXPORT_SQL

FETCH = 5000
LIST_SEPARATOR = "; "


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat() + "Z"
    if isinstance(value, date):
        return value.isoformat()
    return value


def _csv_value(value: Any) -> Any:
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return _json_value(value) if value is not None else ""


def export(db: Path, what: str, out: TextIO, fmt: str = "jsonl") -> int:
    """Write every record of `what` to `out`; returns how many were written."""
    fields = EXPORT_FIELDS[what]
    writer = csv.writer(out, lineterminator="\n") if fmt == "csv" else None
    if writer:
        writer.writerow(fields)
    count = 0
    with connect(db, read_only=True) as con:
        result = con.execute(EXPORT_SQL[what])
        while rows := result.fetchmany(FETCH):
            for row in rows:
                if writer:
                    writer.writerow([_csv_value(v) for v in row])
                else:
                    record = {k: _json_value(v) for k, v in zip(fields, row, strict=True)}
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    return count
