"""The one exception tree of reportgen.

::

    ReportgenError                 exit 1   anything reportgen itself reports cleanly
    ├── ConfigError                exit 2   sources.toml missing, unreadable or invalid
    ├── StoreError                 exit 3   the database cannot be opened, migrated or written
    ├── RenderError                exit 4   templates or WeasyPrint failed to produce the report
    ├── DataError                  exit 5   a request the data cannot answer (bad date, empty window)
    ├── DeliveryError              exit 8   a mail could not be composed or handed to the SMTP server
    ├── LockBusy                   exit 9   another run holds the run lock and did not finish in time
    └── Terminated                 exit 143 SIGTERM: fetching stopped, what was stored kept, lock released

A single bad feed is *not* an exception: fetch and parse return it as data
(:class:`reportgen.models.FetchResult` with ``status=failed``, :class:`ParsedFeed` with
``error``) and the run goes on.  The CLI turns a :class:`ReportgenError` into a message and its
``exit_code``; tracebacks are shown only with ``--debug``.
"""

from __future__ import annotations


class ReportgenError(Exception):
    """Base of every error reportgen raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\n  hint: {self.hint}"
        return self.message


class ConfigError(ReportgenError):
    """The configuration file is missing, unreadable, or fails validation."""

    exit_code = 2

    def __init__(self, problems: list[str] | str, *, hint: str | None = None) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems), hint=hint)


class StoreError(ReportgenError):
    """The database cannot be opened, migrated or written."""

    exit_code = 3


class RenderError(ReportgenError):
    """The report could not be rendered to HTML or PDF."""

    exit_code = 4


class DataError(ReportgenError):
    """The request cannot be answered from the data (bad date, unknown bank, ...)."""

    exit_code = 5


class DeliveryError(ReportgenError):
    """A mail could not be composed or handed over (SMTP down, refused, TLS, auth, too large).

    Inside a run this is recorded in the outbox and the report stays queued; only
    ``reportgen send --test`` lets it reach the CLI directly.
    """

    exit_code = 8


class LockBusy(ReportgenError):
    """Another ``run`` or ``send`` held the run lock for longer than ``run.lock_timeout_s``."""

    exit_code = 9


class Terminated(ReportgenError):
    """The process was asked to stop (SIGTERM from systemd, ``timeout`` or ``kill``).

    Raised in the main thread by the handler :func:`reportgen.flow.runner.stop_on_sigterm`
    installs, so every ``with`` block unwinds: fetching stops, sources already stored stay stored,
    the run's row is closed as ``interrupted`` and the run lock is released.  128 + 15, as a shell
    reports a process killed by SIGTERM, but reached only after that cleanup.
    """

    exit_code = 143
