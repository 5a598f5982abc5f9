"""The [execution] section: defaults, the Dask engine, and every problem with its line, key path
and hint, like the rest of sources.toml; and the executor each setting gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.config.core import load_config
from reportgen.config.execution import ExecutionSettings
from reportgen.errors import ConfigError
from reportgen.flow.execution import Executor, PoolExecutor, open_executor

BANKS = '[[banks]]\nid = "icbc"\nname = "中国工商银行"\nrole = "self"\n'


def load(tmp_path: Path, text: str):
    path = tmp_path / "sources.toml"
    path.write_text(text + BANKS, encoding="utf-8")
    return load_config(path)


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as exc:
        load(tmp_path, text)
    return exc.value.problems[1:]


def test_local_by_default(tmp_path):
    assert load(tmp_path, "").execution == ExecutionSettings("local", None, None)


def test_a_dask_section(tmp_path):
    cfg = load(tmp_path, '[execution]\nengine = "dask"\nscheduler = "tcp://10.0.0.5:8786"\nworkers = 8\n')
    assert cfg.execution == ExecutionSettings("dask", "tcp://10.0.0.5:8786", 8)
    assert cfg.execution.distributed


def test_every_problem_with_line_key_and_hint(tmp_path):
    found = problems(tmp_path, '[execution]\nengine = "spark"\nscheduler = "10.0.0.5:8786"\nworkers = 0\n'
                               'worker = 2\n')
    text = "\n".join(found)
    assert len(found) == 4, found
    assert "sources.toml:2: execution.engine: expected one of local, dask, found 'spark'" in text
    assert "sources.toml:3: execution.scheduler: expected a Dask scheduler address" in text
    assert "sources.toml:4: execution.workers: expected an integer from 1 to 256, found 0" in text
    assert "execution.worker: expected one of the known keys" in text and "did you mean 'workers'?" in text


def test_a_scheduler_needs_the_dask_engine(tmp_path):
    [problem] = problems(tmp_path, '[execution]\nscheduler = "tcp://10.0.0.5:8786"\n')
    assert "execution.scheduler" in problem and 'set engine = "dask"' in problem


def test_the_section_name_is_checked(tmp_path):
    [problem] = problems(tmp_path, '[executon]\nengine = "dask"\n')
    assert "did you mean 'execution'?" in problem


def test_local_executors(tmp_path):
    with open_executor(ExecutionSettings()) as serial:
        assert type(serial) is Executor and serial.workers == 1
        assert list(serial.map_unordered(abs, [-1, -2])) == [1, 2]
    with open_executor(ExecutionSettings(workers=1), workers=2) as pool:  # --workers overrides the file
        assert isinstance(pool, PoolExecutor)
        assert sorted(pool.map_unordered(abs, [-3, -1, -2])) == [1, 2, 3]
