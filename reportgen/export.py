"""Writers for ``reportgen export``: JSON Lines, CSV (safe to open in Excel) and Parquet.

The rows come from :func:`reportgen.aggregate.export_rows`, one per item × bank with
``EXPORT_FIELDS``.  Feed titles are written by strangers: in CSV a cell that starts with ``=``,
``+``, ``-`` or ``@`` (or a tab or carriage return, per OWASP) would run as a formula in Excel or
LibreOffice, so it is prefixed with a single quote.  JSON Lines and Parquet keep the text as is.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from datetime import datetime
from typing import IO, Any, TextIO

from .aggregate import EXPORT_FIELDS

FORMATS = ("jsonl", "csv", "parquet")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize_cell(value: object) -> object:
    """``'=HYPERLINK(...)`` instead of ``=HYPERLINK(...)``: a formula shown as text, not run."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_jsonl(rows: Sequence[dict[str, Any]], fh: TextIO) -> None:
    for row in rows:
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_csv(rows: Sequence[dict[str, Any]], fh: TextIO) -> None:
    writer = csv.DictWriter(fh, fieldnames=list(EXPORT_FIELDS), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: neutralize_cell(v) for k, v in row.items()} for row in rows)


def write_parquet(rows: Sequence[dict[str, Any]], sink: str | IO[bytes]) -> None:
    """One string column per export field, except ``published_at``: a timestamp in the report zone."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    zone = None
    times = []
    for row in rows:
        when = datetime.fromisoformat(row["published_at"])
        zone = zone or str(when.tzinfo)
        times.append(when)
    columns: dict[str, Any] = {f: pa.array([r[f] for r in rows], pa.string())
                               for f in EXPORT_FIELDS if f != "published_at"}
    columns["published_at"] = pa.array(times, pa.timestamp("us", tz=zone or "UTC"))
    table = pa.table({f: columns[f] for f in EXPORT_FIELDS})
    pq.write_table(table, sink)
