"""The bank matcher: aliases, exclusions, English word boundaries, Traditional folding, zero-width characters."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reportgen.config.core import BankConfig
from reportgen.models import Item
from reportgen.score.match import Matcher, fold

BANKS = (
    BankConfig("icbc", "中国工商银行", ("工商银行", "工行", "ICBC", "Industrial and Commercial Bank of China"),
               (), "self"),
    BankConfig("boc", "中国银行", ("中行", "Bank of China", "BOC"),
               ("中国银行业协会", "中国银行保险监督管理委员会", "中国银行间市场交易商协会")),
    BankConfig("bocom", "交通银行", ("交行", "BOCOM")),
    BankConfig("ccb", "中国建设银行", ("建设银行", "建行", "CCB")),
)
MATCHER = Matcher(BANKS)


def banks_in(text: str) -> list[str]:
    return [m.bank_id for m in MATCHER.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("中国银行业协会发布2026年银行业服务报告", []),
        ("原中国银行保险监督管理委员会公布罚单", []),
        ("中国银行间市场交易商协会：债券发行规模创新高", []),
        ("中国银行保险产品热销，多地网点排队", ["boc"]),
        ("中国银行与中国银行业协会联合发布", ["boc"]),
        ("中国工商银行某支行被罚50万元", ["icbc"]),
        ("工行、建行、中行三家银行下调存款利率", ["icbc", "ccb", "boc"]),
        ("中國工商銀行香港分行公告", ["icbc"]),
        ("ICBC fined over anti-money-laundering lapses", ["icbc"]),
        ("icbc Asia and bank of china (hong kong)", ["icbc", "boc"]),
        ("BOCOM results beat estimates", ["bocom"]),  # BOC must not fire inside BOCOM
        ("ICBCX is not a bank; neither is ABOC", []),
        ("各地集中行动打击电信诈骗", []),
        ("外交行动与社交行为研究", []),
        ("修建行政中心大楼", []),
        ("招商引资", []),
    ],
)
def test_matches(text, expected):
    assert banks_in(text) == expected


def test_match_records_term_and_position():
    text = "据悉，工行已回应"
    (m,) = MATCHER.find(text)
    assert (m.bank_id, m.term, text[m.start:m.end]) == ("icbc", "工行", "工行")


def test_position_is_in_original_text_after_folding():
    text = "消息：中國銀行業協會與中國工商銀行"
    (m,) = MATCHER.find(text)
    assert m.bank_id == "icbc"
    assert text[m.start:m.end] == "中國工商銀行"


def test_mentions_per_item_and_field():
    now = datetime(2026, 11, 27, tzinfo=UTC)
    item = Item("id1", "src", "工行回应网点排队", "中国银行和工商银行均表示……", None, None, None, now, now)
    found = {m.bank_id: m for m in MATCHER.mentions(item)}
    assert set(found) == {"icbc", "boc"}
    assert found["icbc"].in_title and not found["boc"].in_title
    assert ("title", "工行", 0, 2) in found["icbc"].matches
    assert any(f == "summary" and term == "工商银行" for f, term, *_ in found["icbc"].matches)


def test_zero_width_characters_inside_a_word_do_not_hide_a_bank():
    text = "消息：招\u200d商银行被罚，中\u200b国\u2060工商银行回应\ufeff。"
    folded = fold(text)
    assert folded == "消息：招商银行被罚\u200d，中国工商银行回应\u200b\u2060\ufeff。"
    assert [i for i, c in enumerate(text) if c in "：，。"] == [i for i, c in enumerate(folded) if c in "：，。"]
    cmb = BankConfig("cmb", "招商银行")
    found = Matcher([*BANKS, cmb]).find(text)
    assert [(m.bank_id, m.term) for m in found] == [("cmb", "招商银行"), ("icbc", "中国工商银行")]
    assert [text[m.start:m.end] for m in found] == ["招\u200d商银行", "中\u200b国\u2060工商银行"]


def test_empty_matcher_and_empty_text():
    assert Matcher([]).find("中国工商银行") == []
    assert MATCHER.find("") == []


# --- properties ---


@given(st.text())
def test_fold_keeps_length(text):
    assert len(fold(text)) == len(text)


@given(st.text(alphabet=st.sampled_from("招商银行工行ICBC abc，。 !\n\u200b\u200c\u200d\u2060\ufeff"), max_size=60))
def test_fold_keeps_punctuation_and_spaces_in_place(text):
    folded = fold(text)
    assert [(i, c) for i, c in enumerate(text) if c in "，。 !\n"] == [
        (i, c) for i, c in enumerate(folded) if c in "，。 !\n"]
    assert "".join(c for c in folded if c not in "\u200b\u200c\u200d\u2060\ufeff") == \
        "".join(c for c in text if c not in "\u200b\u200c\u200d\u2060\ufeff").lower()


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_find_never_raises_and_spans_are_in_bounds(text):
    for m in MATCHER.find(text):
        assert 0 <= m.start < m.end <= len(text)


NOISE = st.text(alphabet="的了在是我有和人这中大为上个国不以会到说们要就出也时年得可下过子对生", max_size=20)


@given(NOISE, st.sampled_from(["工商银行", "中国工商银行", "工行", "中國工商銀行"]), NOISE)
def test_alias_found_in_any_chinese_context(before, alias, after):
    found = MATCHER.find(before + alias + after)
    # the alias may be the tail of a longer name (中国 + 工商银行 = 中国工商银行): it must be covered
    assert any(m.bank_id == "icbc" and m.start <= len(before) < m.end for m in found)


@given(NOISE, st.sampled_from(["中国银行业协会", "中国银行保险监督管理委员会", "中国银行间市场交易商协会"]), NOISE)
def test_exclusions_never_count_as_bank_of_china(before, phrase, after):
    text = before + phrase + after
    assert not any(m.bank_id == "boc" and len(before) <= m.start < len(before) + len(phrase)
                   for m in MATCHER.find(text))


@given(st.sampled_from(["ICBC", "icbc", "Icbc"]), st.sampled_from(["", " ", "，", "(", "-", "工"]),
       st.sampled_from(["", " ", "。", ")", "'s", "行"]))
def test_english_alias_case_insensitive_on_word_boundaries(alias, left, right):
    assert banks_in(f"{left}{alias}{right}") == ["icbc"]
    assert banks_in(f"x{alias}{right}") == []  # glued to a Latin letter: not the alias
    assert banks_in(f"{left}{alias}9") == []
