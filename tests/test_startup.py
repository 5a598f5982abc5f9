"""Cheap start-up: the cron commands load the heavy libraries only for the step that needs them.

``reportgen fetch`` runs every few minutes; importing pandas, matplotlib, WeasyPrint or the model's
code costs it seconds and tens of megabytes for nothing.  Each check runs in a fresh interpreter
(this one has imported everything already) and reads what was imported, not how long it took.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# The modules a fetch must not load: the report's (pandas, matplotlib, WeasyPrint) and the model's.
HEAVY = ("pandas", "matplotlib", "weasyprint", "reportgen.score.model", "reportgen.score.train", "sklearn")


def _imported(code: str) -> list[str]:
    """The HEAVY modules in ``sys.modules`` after ``code`` runs in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_importing_the_cli_loads_none_of_the_heavy_modules() -> None:
    assert _imported("import reportgen.cli") == []


@pytest.mark.parametrize("command", ["fetch", "run", "report", "send"])
def test_a_commands_help_loads_none_of_the_heavy_modules(command: str) -> None:
    code = ("import sys\nfrom reportgen.cli import main\nsys.argv = ['reportgen', '" + command + "', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass")
    assert _imported(code) == []


def test_importtime_of_fetch_help_names_none_of_the_heavy_modules() -> None:
    """The check the issue names: ``python -X importtime -m reportgen.cli fetch --help``."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "reportgen.cli", "fetch", "--help"],
                          capture_output=True, text=True, timeout=120, check=True)
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "reportgen.cli.app" in imported  # the probe sees the imports at all
    assert sorted(m for m in imported if m.split(".")[0] in {h.split(".")[0] for h in HEAVY[:3]}
                  or m in HEAVY) == []
