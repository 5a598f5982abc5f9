"""``--log-json``: one JSON object per log line, for log collectors (journald, Loki, ELK).

Only the CLI installs it; the library just logs.  Extra fields passed with ``extra=`` (the run
summary is one) become keys of the object.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

# Attributes every LogRecord has; anything else on a record came in through ``extra=``.
_STANDARD = set(vars(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = value
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def json_line(message: str, *, level: int = logging.INFO, logger: str = "reportgen", **fields: Any) -> str:
    """One JSON object, as the formatter writes a log record, for what the CLI prints on stderr
    itself (the fatal error and its hint, a command's note), so that with ``--log-json`` every
    stderr line is one object.  ``fields`` become keys (``error``, ``hint``, ``exit_code``...)."""
    record = logging.LogRecord(logger, level, __file__, 0, message, None, None)
    for key, value in fields.items():
        setattr(record, key, value)
    return JsonFormatter().format(record)
