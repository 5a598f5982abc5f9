"""The briefing's PDF, rendered for real by WeasyPrint and read back with poppler and pypdf:
page 1 holds the executive summary and nothing else, the fonts are embedded CJK subsets, the
outline lists the sections, links are clickable, the metadata is fixed by the report date, and the
same data gives the same text.  Each PDF is rendered once per module (a second or two each).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from briefing_data import SELF, make_report

from reportgen.report.render import render_report

pypdf = pytest.importorskip("pypdf")

needs_poppler = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdffonts", "pdftotext", "pdftoppm", "pdfinfo")),
    reason="poppler-utils (pdffonts, pdftotext, pdftoppm, pdfinfo) not installed",
)
ZH_SECTIONS = ["舆情概况", "舆情走势", "媒体分布", "同业对比", "热点事件", "负面舆情", "事件研判与脉络", "热词",
               "正面传播", "预警与处置建议", "风险类别分布",
               "数据来源状态", "口径说明"]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("briefing")
    made = {
        "zh": render_report(make_report("zh"), out)["pdf"],
        "en": render_report(make_report("en"), out)["pdf"],
        "weekly": render_report(make_report("zh", "weekly"), out)["pdf"],
    }
    again = tmp_path_factory.mktemp("again")
    made["zh-again"] = render_report(make_report("zh"), again, formats=("pdf",))["pdf"]
    return made


def text(pdf: Path, first: int | None = None, last: int | None = None, layout: bool = False) -> str:
    args = ["pdftotext"] + (["-layout"] if layout else [])
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


@needs_poppler
def test_page_count(pdfs: dict[str, Path]) -> None:
    assert 3 <= pages(pdfs["zh"]) <= 8
    assert 3 <= pages(pdfs["en"]) <= 8
    assert pages(pdfs["weekly"]) >= pages(pdfs["zh"])


@needs_poppler
def test_page_one_is_the_executive_summary(pdfs: dict[str, Path]) -> None:
    first = text(pdfs["zh"], 1)
    compact = re.sub(r"\s+", "", first)
    for label in ("舆情概况", "本行信息量", "负面", "声量占比", "预警级别", "二级", "本行预警", "重点事件与处置建议"):
        assert label in compact, label
    assert f"本期共监测到涉及{SELF}的信息7条" in compact  # the overview paragraph
    for title in ("工商银行客户经理涉嫌倒卖客户个人信息被立案", "多地储户投诉网点排队时间过长",
                  "工行、农行下调部分期限存款挂牌利率"):
        assert title in compact, title  # the top three events
    # each with its action line (the bank responded to the leak at 13:00: the line follows the response)
    assert "处置建议" in compact and "已于13:00回应" in compact and "配合公安机关调查" in compact
    assert "舆情走势" not in compact  # nothing of section 2 on page 1


@needs_poppler
def test_page_two_starts_with_the_trend(pdfs: dict[str, Path]) -> None:
    lines = [line.strip() for line in text(pdfs["zh"], 2, layout=True).splitlines() if line.strip()]
    # the running header (title, period, organisation), then section 2
    assert lines[0].startswith("银行舆情日报") and "2024年5月20日" in lines[0] and "品牌与舆情管理部" in lines[0]
    assert lines[1] == "二、舆情走势"


@needs_poppler
def test_running_footer_on_every_page(pdfs: dict[str, Path]) -> None:
    n = pages(pdfs["zh"])
    for page in (1, n):
        body = text(pdfs["zh"], page, layout=True)
        assert "内部资料 注意保密" in body
        assert re.search(rf"\b{page}\s*/\s*{n}\s*$", body.rstrip(), re.M), body[-300:]


@needs_poppler
def test_fonts_are_embedded_cjk_subsets_one_face(pdfs: dict[str, Path]) -> None:
    for key in ("zh", "en"):
        out = subprocess.run(["pdffonts", str(pdfs[key])], capture_output=True, text=True, check=True).stdout
        rows = [line.split() for line in out.splitlines()[2:]]
        names = [r[0] for r in rows]
        assert names and all("NotoSansCJK" in n.replace("-", "") for n in names), out
        assert all(re.match(r"[A-Z]{6}\+", n) for n in names), out  # subsets
        assert all(r[-5] == "yes" and r[-4] == "yes" for r in rows), out  # embedded, subset
        # one face only: a bold CJK face would add ~80 KB (see the print rules in report.css)
        assert not any("Bold" in n for n in names), out


def test_outline_lists_the_sections(pdfs: dict[str, Path]) -> None:
    reader = pypdf.PdfReader(pdfs["zh"])
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert [re.sub(r"^\S+、", "", t) for t in titles] == ZH_SECTIONS
    first = reader.outline[0]
    assert reader.get_destination_page_number(first) == 0
    trend = reader.outline[1]
    assert reader.get_destination_page_number(trend) == 1


def test_metadata_is_fixed_by_the_report_date(pdfs: dict[str, Path]) -> None:
    meta = pypdf.PdfReader(pdfs["zh"]).metadata
    assert meta.title == "银行舆情日报 2024-05-20"
    assert meta.author == "品牌与舆情管理部"
    # the end of the covered window, not the time of rendering
    assert meta["/CreationDate"] == "D:20240521000000+08'00"
    weekly = pypdf.PdfReader(pdfs["weekly"]).metadata
    assert weekly.title == "银行舆情周报 2024-W21"
    assert weekly["/CreationDate"] == "D:20240527000000+08'00"


def test_links_are_clickable_and_only_http(pdfs: dict[str, Path]) -> None:
    reader = pypdf.PdfReader(pdfs["zh"])
    uris = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and action.get("/S") == "/URI":
                uris.append(str(action["/URI"]))
    assert "https://news.example.com/a/0.html" in uris
    assert uris and all(u.startswith("https://") for u in uris), uris  # the javascript: one is plain text


@needs_poppler
def test_same_data_same_text(pdfs: dict[str, Path]) -> None:
    assert text(pdfs["zh"], layout=True) == text(pdfs["zh-again"], layout=True)


@needs_poppler
def test_english_pdf(pdfs: dict[str, Path]) -> None:
    first = text(pdfs["en"], 1)
    assert "Executive summary" in first and "Mentions of us" in first and "Level 2" in first
    assert "INTERNAL · CONFIDENTIAL" in text(pdfs["en"], 2)


@needs_poppler
def test_page_one_and_a_chart_page_rasterize(pdfs: dict[str, Path], tmp_path: Path) -> None:
    for page in (1, 2):
        subprocess.run(["pdftoppm", "-r", "60", "-gray", "-f", str(page), "-l", str(page), "-png", str(pdfs["zh"]),
                        str(tmp_path / f"p{page}")], check=True)
    for png in sorted(tmp_path.glob("p*.png")):
        data = png.read_bytes()
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert abs(width - 496) <= 2 and abs(height - 702) <= 2, (width, height)  # A4 at 60 dpi
        assert len(data) > 15_000, png  # a page with content, not a blank render
