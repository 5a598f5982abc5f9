"""The ``reportgen`` command: click commands only, each a thin shell over one library call.

``app`` holds the group, the shared options and the error handling; each command lives in a module
of its own (``cron``: fetch, run, send; ``report``, ``export``, ``events``, …), which the group
imports only when that command runs (:data:`reportgen.cli.app.COMMANDS`), so ``reportgen fetch``
loads neither the report's nor the demo's code.
"""

from reportgen.cli.app import cli, main

__all__ = ["cli", "main"]
