"""The README's main job: `reportgen demo` produces a real PDF over the real pipeline."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli.app import cli

needs_poppler = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdffonts", "pdftotext", "pdftoppm")),
    reason="poppler-utils (pdffonts, pdftotext, pdftoppm) not installed",
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(cli, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    paths = dict(re.findall(r"^(\w+):\s+(\S+)$", result.stdout, flags=re.M))
    return result, paths


def test_demo_runs_the_real_path(demo):
    result, paths = demo
    m = re.search(r"demo: (\d+) sources ok, (\d+) failed, (\d+) items stored, (\d+) mention a bank", result.stdout)
    assert m, result.stdout
    ok, failed, stored, matched = map(int, m.groups())
    assert ok >= 10 and failed == 0
    assert stored > 500 and 0 < matched < stored  # some generated news names no bank
    assert paths["pdf"].endswith(".pdf") and paths["html"].endswith(".html")
    weekly = dict(re.findall(r"^weekly-(\w+):\s+(\S+)$", result.stdout, flags=re.M))
    assert re.search(r"weekly-\d{4}-W\d{2}\.pdf$", weekly["pdf"]) and weekly["html"].endswith(".html")


def test_demo_pushes_an_alert_to_a_local_receiver(demo):
    """The fetch raises the last 24 hours' alerts and pushes them; the demo prints what the receiver got."""
    result, _ = demo
    assert re.search(r"^push: +\d+ alert message\(s\) to json://127\.0\.0\.1:\d+/duty, ", result.stdout, flags=re.M)
    listed = re.findall(r"^  \d\d-\d\d \d\d:\d\d  (【.+)$", result.stdout, flags=re.M)
    assert any("一级（红色）" in title for title in listed), listed
    pushed = result.stdout.split("as received at")[1]
    assert re.search(r"【舆情预警(·升级)?】.*一级（红色）", pushed)
    for label in ("事件：", "类别：", "热度：", "首发：", "处置建议：", "预警编号：", "reportgen alerts ack "):
        assert label in pushed


def test_demo_pdf_is_small_enough_to_mail(demo):
    _, paths = demo
    size = Path(paths["pdf"]).stat().st_size
    assert size <= 400 * 1024, f"the demo day's PDF is {size / 1024:.0f} KB, over the 400 KB budget"


@needs_poppler
def test_demo_pdf_embeds_cjk_fonts_and_names_the_banks(demo, tmp_path):
    _, paths = demo
    fonts = subprocess.run(["pdffonts", paths["pdf"]], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "NotoSansCJK" in line.replace("-", "")]
    assert cjk, fonts
    assert all(re.search(r"\byes\s+yes\b", line) for line in cjk)  # embedded, subset
    assert all(re.match(r"^[A-Z]{6}\+", line) for line in cjk)  # subset tag
    text = subprocess.run(["pdftotext", paths["pdf"], "-"], capture_output=True, text=True, check=True).stdout
    for name in ("中国工商银行", "中国建设银行", "招商银行", "数据来源状态", "内部资料", "舆情概况", "预警级别"):
        assert name in text
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", paths["pdf"], str(tmp_path / "p")],
                   check=True)
    (png,) = tmp_path.glob("p*.png")
    assert png.stat().st_size > 10_000  # a page with content, not a blank render


def test_demo_keep_leaves_a_workspace_the_printed_commands_run_against(tmp_path):
    """``--keep``: the config, store and fetched feeds stay, and every command the demo prints works."""
    runner = CliRunner()
    result = runner.invoke(cli, ["demo", "--out", str(tmp_path), "--keep", "--lang", "en"])
    assert result.exit_code == 0, result.output
    workspace = tmp_path / "demo-workspace"
    assert (workspace / "sources.toml").is_file() and (workspace / "demo.db").stat().st_size > 0
    assert len(list((workspace / "feeds").iterdir())) >= 10
    commands = re.findall(r"^  reportgen --config (\S+) (.+)$", result.stdout, flags=re.M)
    assert {c.split()[0] for _, c in commands} == {"report", "events", "alerts", "export"}
    for config, command in commands:
        args = command.replace("-o demo.csv", f"-o {tmp_path / 'demo.csv'}").split()
        ran = runner.invoke(cli, ["--config", config, *args])
        assert ran.exit_code == 0, (command, ran.output)
    assert (tmp_path / "demo.csv").read_text(encoding="utf-8").count("\n") > 100


def test_demo_without_keep_leaves_no_workspace(demo, tmp_path):
    result, paths = demo
    assert "kept:" not in result.stdout
    assert not (Path(paths["pdf"]).parent / "demo-workspace").exists()
