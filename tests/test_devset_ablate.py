"""devset/ablate.py: variants of the bank head judged on the count-only halves (is the model family saturated?)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

pytest.importorskip("sklearn", reason="devset/ablate.py needs scikit-learn (the ml extra)")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"devset_{name}", ROOT / "devset" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_missing_devset_files_are_named_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _module("ablate").main(["--dir", str(tmp_path), "--variants", "base"]) == 2
    err = capsys.readouterr().err
    assert "train.jsonl" in err and "pool-b.jsonl" in err and "devset/build.py" in err


def test_an_unknown_variant_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _joined(tmp_path)
    assert _module("ablate").main(["--dir", str(folder), "--variants", "base,nope"]) == 2
    assert "unknown variant(s) nope" in capsys.readouterr().err


def _joined(tmp_path: Path) -> Path:
    if not (SHARED / "data").is_dir():
        pytest.skip(f"{SHARED / 'data'} not found: the devset texts live in ../shared/data, which a fresh clone lacks")
    folder = tmp_path / "out"
    folder.mkdir()
    for name, rows in _module("build").build(SHARED).items():
        with (folder / f"{name}.jsonl").open("w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    assert _module("pool").main(["--shared", str(SHARED), "--out", str(folder)]) == 0
    return folder


def test_the_rules_line_agrees_with_reportgen_eval_and_the_base_beats_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from click.testing import CliRunner

    from reportgen.cli.app import cli

    folder = _joined(tmp_path)
    capsys.readouterr()  # what building the files printed
    assert _module("ablate").main(["--dir", str(folder), "--variants", "rules,base", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    for split in ("pool-b", "titles-b"):
        res = CliRunner().invoke(cli, ["eval", "--data", str(folder / f"{split}.jsonl"), "--json"])
        assert res.exit_code == 0, res.output
        neg = json.loads(res.stdout)["bank_negative"]
        assert got["rules"][split] == pytest.approx([neg["precision"], neg["recall"], neg["f1"]], abs=1e-4)
    # the shipped recipe, trained without the count-only halves, beats the rules on the forum half it never saw
    assert got["base"]["pool-b"][2] >= got["rules"]["pool-b"][2] + 0.03, got
    assert got["base"]["titles-b"][2] >= 0.78, got
    assert 0.7 <= got["base"]["cv_f1"] <= 0.9, got
