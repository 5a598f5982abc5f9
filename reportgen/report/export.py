"""Writers for ``reportgen export``: JSON Lines, CSV (safe to open in Excel) and Parquet.

The rows come from :func:`reportgen.aggregate.export_rows`, one per item × bank with
``EXPORT_FIELDS``.  Feed titles are written by strangers: in CSV a cell that starts with ``=``,
``+``, ``-`` or ``@`` (or a tab or carriage return, per OWASP) would run as a formula in Excel or
LibreOffice, so it is prefixed with a single quote.  The CSV starts with a UTF-8 byte order mark:
without one, Excel reads a UTF-8 file as the local code page (GBK on a Chinese Windows) and shows
mojibake.  JSON Lines and Parquet keep the text as is.

A file (``-o``) is written beside its final name and renamed over it once complete: a full disk or
an I/O error leaves the previous export whole (or none), never a truncated file under the name.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import os
import re
import stat
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, Any, TextIO

from reportgen.errors import ReportgenError
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


def write_export_file(rows: Sequence[dict[str, Any]], fmt: str, path: Path, *, timezone: str) -> None:
    """Write ``rows`` as ``fmt`` to the file ``path``, whole or not at all.

    The rows go to a temporary file in the same folder, which is flushed to disk and renamed over
    ``path``; if anything fails (no space left, a quota, an I/O error) the temporary file is
    removed, whatever ``path`` held before is left as it was, and a :class:`ReportgenError` says why.
    A ``path`` that is not a regular file (``/dev/null``, a named pipe), or that names one of this
    process's open files (``/dev/stdout``), is written in place: it cannot be replaced, and a reader
    may be waiting on it.
    """
    # /dev/stdout, /dev/fd/N and /proc/self/fd/N name an open file of this process (a pipe, or the file a
    # shell redirected to, appending perhaps): write to it, never replace whatever it links to
    special = re.match(r"/dev/(?:stdout|stderr|fd/)|/proc/(?:self|\d+)/fd/", os.path.abspath(path)) is not None
    try:
        special = special or not stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise _unwritable(path, exc) from None
    if special:
        try:
            with path.open("ab") as sink:  # appending: what a shell redirected with >> stays
                _write(rows, fmt, sink, timezone)
        except OSError as exc:
            raise _unwritable(path, exc) from None
        return
    target = Path(os.path.realpath(path))  # through a symbolic link: replace the file, keep the link
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as sink:
            _write(rows, fmt, sink, timezone)
            sink.flush()
            os.fsync(sink.fileno())
        try:  # the replaced file's permissions (a 0600 export stays private), else as open() would make it
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp_name, mode)  # mkstemp's file is private
        os.replace(tmp_name, target)
    except OSError as exc:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
        raise _unwritable(path, exc) from None


def _write(rows: Sequence[dict[str, Any]], fmt: str, sink: IO[bytes], timezone: str) -> None:
    if fmt == "parquet":
        write_parquet(rows, sink, timezone=timezone)
        return
    text = io.TextIOWrapper(sink, encoding="utf-8", newline="", write_through=True)
    try:
        (write_jsonl if fmt == "jsonl" else write_csv)(rows, text)
        text.flush()
    finally:
        text.detach()  # the caller closes the file


def _unwritable(path: Path, exc: OSError) -> ReportgenError:
    full = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
    return ReportgenError(
        f"-o {path}: cannot write it: {exc.strerror or exc}",
        hint=(f"free some space in {path.parent}" if full else f"check that {path.parent} is writable")
        + ", or give -o a file elsewhere, or leave -o out to write to stdout; a file already under that name "
          "was left as it was")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
