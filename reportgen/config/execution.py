"""The ``[execution]`` section of ``sources.toml``: where the heavy stages run.

::

    [execution]
    engine = "local"                  # local (default) | dask
    workers = 4                       # local: processes; dask: LocalCluster size, or workers to wait for
    scheduler = "tcp://10.0.0.5:8786" # dask only: a running `dask scheduler`; unset: a LocalCluster here

``local`` keeps everything in this host's processes (``--workers N`` / ``workers`` spreads parsing,
matching, storing and scoring over a process pool).  ``dask`` sends fetch → parse → match → score,
one partition of sources per task, to Dask distributed workers; clustering and the report stay on
the driver.  Validated by the same collector as the rest of the file.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reportgen.config.validator import Validator

ENGINES = ("local", "dask")
MAX_WORKERS = 256
_SCHEDULER_RE = re.compile(r"^(tcp|tls|ucx|inproc|ws|wss)://[^\s/?#]+(:\d{1,5})?/?$")


@dataclass(frozen=True, slots=True)
class ExecutionSettings:
    engine: str = "local"
    scheduler: str | None = None  # dask: the scheduler's address; None: start a LocalCluster
    workers: int | None = None  # None: local 1 process; dask LocalCluster: one per CPU; scheduler: 1

    @property
    def distributed(self) -> bool:
        return self.engine == "dask"


def validate_execution(v: Validator, data: Mapping[str, Any]) -> ExecutionSettings:
    t = v.table(data, "execution", {"engine", "scheduler", "workers"}, "execution")
    engine = v.get(t, "engine", str, "execution", "local")
    if engine not in ENGINES:
        v.problem("execution.engine", f"one of {', '.join(ENGINES)}", engine)
        engine = "local"
    scheduler = v.get(t, "scheduler", str, "execution", None)
    if scheduler is not None:
        if not _SCHEDULER_RE.match(scheduler.strip()):
            v.problem("execution.scheduler", "a Dask scheduler address such as 'tcp://10.0.0.5:8786'", scheduler)
            scheduler = None
        elif engine != "dask":
            v.problem("execution.scheduler", 'engine = "dask" alongside a scheduler', f"engine = {engine!r}",
                      'set engine = "dask", or remove scheduler to run locally')
            scheduler = None
        else:
            scheduler = scheduler.strip()
    workers = v.get(t, "workers", int, "execution", None)
    if workers is not None and not 1 <= workers <= MAX_WORKERS:
        v.problem("execution.workers", f"an integer from 1 to {MAX_WORKERS}", workers)
        workers = None
    if engine == "dask" and importlib.util.find_spec("distributed") is None:
        v.warnings.append(f"{v.path}: [execution] engine = \"dask\" but dask.distributed is not installed "
                          "(pip install 'reportgen[dask]'): runs will fail until it is")
    return ExecutionSettings(engine, scheduler, workers)
