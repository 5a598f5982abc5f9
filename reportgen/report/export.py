"""Writers for ``reportgen export``: JSON Lines, CSV (safe to open in Excel) and Parquet.

The rows come from :func:`reportgen.aggregate.export_rows`, one per item × bank with
``EXPORT_FIELDS``.  Feed titles are written by strangers: in CSV a cell that starts with ``=``,
``+``, ``-`` or ``@`` (or a tab or carriage return, per OWASP) would run as a formula in Excel or
LibreOffice, so it is prefixed with a single quote.  The CSV starts with a UTF-8 byte order mark:
without one, Excel reads a UTF-8 file as the local code page (GBK on a Chinese Windows) and shows
mojibake.  JSON Lines and Parquet keep the text as is.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from datetime import datetime
from typing import IO, Any, TextIO

from reportgen.insight.aggregate import EXPORT_FIELDS

FORMATS = ("jsonl", "csv", "parquet")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # UTF-8 byte order mark: Excel then opens the CSV as UTF-8


def neutralize_cell(value: object) -> object:
    """``'=HYPERLINK(...)`` instead of ``=HYPERLINK(...)``: a formula shown as text, not run."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_jsonl(rows: Sequence[dict[str, Any]], fh: TextIO) -> None:
    for row in rows:
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_csv(rows: Sequence[dict[str, Any]], fh: TextIO) -> None:
    fh.write(BOM)
    writer = csv.DictWriter(fh, fieldnames=list(EXPORT_FIELDS), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: neutralize_cell(v) for k, v in row.items()} for row in rows)


def write_parquet(rows: Sequence[dict[str, Any]], sink: str | IO[bytes], *, timezone: str) -> None:
    """One column per export field: numbers as doubles (a missing one as null, where CSV has an
    empty cell), ``published_at`` as a timestamp in ``timezone`` (the report zone), the rest text."""
    import pyarrow as pa  # heavy: pyarrow, only for --format parquet
    import pyarrow.parquet as pq  # heavy: pyarrow, only for --format parquet

    columns: dict[str, Any] = {name: _column(pa, [r[name] for r in rows]) for name in EXPORT_FIELDS}
    times = [datetime.fromisoformat(r["published_at"]) for r in rows]
    columns["published_at"] = pa.array(times, pa.timestamp("us", tz=timezone))
    pq.write_table(pa.table(columns), sink)


def _column(pa: Any, values: list[Any]) -> Any:
    present = [v for v in values if v is not None and v != ""]
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return pa.array([None if v is None or v == "" else float(v) for v in values], pa.float64())
    return pa.array([None if v is None else str(v) for v in values], pa.string())
