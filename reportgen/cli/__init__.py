"""The ``reportgen`` command: click commands only, each a thin shell over one library call.

``app`` holds the group, the shared options and the error handling; the other modules add their
commands to the group when imported, which this package does, so ``reportgen.cli:main`` sees them all.
"""

from reportgen.cli import events as _events  # noqa: F401  (registers `events` and `alerts`)
from reportgen.cli import label as _label  # noqa: F401  (registers `label`)
from reportgen.cli import push as _push  # noqa: F401  (registers `push`)
from reportgen.cli import score as _score  # noqa: F401  (registers `score`, `eval` and `model`)
from reportgen.cli.app import cli, main

__all__ = ["cli", "main"]
