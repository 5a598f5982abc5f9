"""Property-based fuzzing of the pure functions that read strangers' text.

The unit test modules already throw arbitrary text at each function (test_dates, test_normalize,
test_match, test_score_rules, test_parse).  This module aims at the shapes that reach the hard
paths: date-like strings built from the pieces real feeds use, hostile URLs and markup, alias soup
with Traditional characters and exclusions, lexicon-heavy sentences.  Nothing may raise, and each
function keeps its invariants.  Optionally atheris drives ``parse_feed`` for a bounded time.

The CI profile (``CI=true``, tests/conftest.py) derandomizes hypothesis.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.config.core import BankConfig
from reportgen.ingest.dates import EARLIEST_PLAUSIBLE, normalize_published, parse_date
from reportgen.ingest.normalize import canonical_url, html_to_text, normalize_whitespace
from reportgen.models import Item
from reportgen.report.render import safe_url
from reportgen.score import LABELS, ScoreInput, Target
from reportgen.score.categories import DEFAULT_CATEGORIES
from reportgen.score.match import Matcher, fold
from reportgen.score.rules import MAX_REASONS, NEGATIVE_AT, POSITIVE_AT, RulesScorer

from .conftest import REPO

SHANGHAI = ZoneInfo("Asia/Shanghai")
REFERENCE = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- dates ----------------------------------------------------------------------------------------

_num = st.integers(min_value=0, max_value=99).map(str) | st.sampled_from(["00", "000", "9999", "99999", "٣", "０８"])
_year = st.sampled_from(["2026", "1970", "0001", "9999", "26", "10000", "1899", "２０２６"]) | _num
_month = st.sampled_from(["Jan", "February", "sept", "Dec.", "13", "0", "十一"]) | _num
_sep = st.sampled_from(["-", "/", ".", " ", "年", "月", "日", "T", ",", ", ", "", ":", "：", "時", "点", "分", "秒"])
_time = st.sampled_from(["", "08:30", "8:30:59", "23:59:60", "24:00", "08:30:00.123456", "08时30分", "下午3点",
                         "3:30 PM", "12 a.m.", "凌晨 0:05", "8点半"])
_zone = st.sampled_from(["", "Z", "+0800", "+08:00", "-14:00", "+25:00", "GMT+8", "UTC-99", "CST", "BJT", "PDT",
                         "XYZ", "北京时间", "(北京时间)", "+8", "-0", "EST5EDT"])
_word = st.sampled_from(["", "Mon, ", "星期五 ", "周日", "今天", "昨天", "前天", "刚刚", "3小时前", "5分钟前",
                         "2天前", "1年前", "99999999天前", "发布于", "updated:", "(", ")"])
_date_like = st.lists(st.one_of(_year, _month, _num, _sep, _time, _zone, _word), min_size=1, max_size=9).map("".join)


@FUZZ
@given(_date_like, st.sampled_from([SHANGHAI, ZoneInfo("America/New_York"), UTC]), st.booleans())
def test_dates_never_raise_and_always_come_back_aware_and_re_readable(text: str, zone, with_reference: bool) -> None:
    value = parse_date(text, zone, reference=REFERENCE if with_reference else None)
    if value is None:
        return
    assert value.utcoffset() is not None
    assert parse_date(value.isoformat(), zone) == value  # whatever is read can be written and read back
    published, missing, capped = normalize_published(value, fetched_at=REFERENCE)
    assert published.utcoffset() == timedelta(0)
    assert not (missing and capped)
    assert EARLIEST_PLAUSIBLE <= published <= REFERENCE + timedelta(hours=1)
    if missing or capped:
        assert published == REFERENCE


@FUZZ
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_dates_of_any_length_and_script(text: str) -> None:
    value = parse_date(text * 3, SHANGHAI, reference=REFERENCE)
    assert value is None or value.utcoffset() is not None


# --- URLs -----------------------------------------------------------------------------------------

_scheme = st.sampled_from(["http", "https", "HTTP", "hTTps", "javascript", "JaVaScRiPt", "data", "file", "ftp",
                           "vbscript", "mailto", "", " http", "\thttps", "http\n", "java\tscript"])
_host = st.sampled_from(["bank.example", "WWW.Bank.Example", "[::1]", "[::1", "xn--fiqs8s.example", "127.0.0.1",
                         "工商银行.中国", "user:pass@bank.example", "@evil.example", "", "a b.example",
                         "bank.example:99999", "bank.example:0", "bank.example:abc", "%00.example"])
_path = st.text(alphabet="/abc._-~%20?#&=:;@!$'()*+,\"<> \t\n\\中", max_size=20)
_query = st.lists(st.sampled_from(["utm_source=x", "UTM_Medium=y", "spm=1", "fbclid=2", "id=7", "a", "", "=",
                                   "q=%22%3E%3Cscript%3E", "key=secret", "utm_=1"]), max_size=5).map("&".join)
_fragment = st.sampled_from(["", "#", "#top", "#/news/1", "#!/x", "#javascript:alert(1)"])
_hostile_url = st.builds(lambda s, h, p, q, f: f"{s}://{h}{p}" + (f"?{q}" if q else "") + f,
                         _scheme, _host, _path, _query, _fragment)
_base = st.sampled_from([None, "", "http://base.example/feed/", "https://base.example/a/b?x=1#y", "javascript:x",
                         "file:///etc/", "not a url", "http://[::1"])


@FUZZ
@given(st.one_of(_hostile_url, st.text(max_size=60)), _base, _base)
def test_canonical_url_only_yields_http_and_is_a_fixed_point(url: str, base, other_base) -> None:
    once = canonical_url(url, base)
    if once is None:
        return
    parts = urlsplit(once)
    assert parts.scheme in ("http", "https") and parts.hostname
    assert canonical_url(once) == once  # idempotent
    assert canonical_url(once, other_base) == once  # an absolute URL ignores any base
    keys = [k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)]
    assert not any(k.startswith("utm_") or k in ("fbclid", "spm") for k in keys)
    assert parts.fragment == "" or parts.fragment[0] in "/!"
    shown = safe_url(once)
    assert shown is None or shown == once  # render either links exactly this URL or none at all


@FUZZ
@given(st.one_of(_hostile_url, st.text(max_size=80)))
def test_safe_url_never_lets_anything_but_http_through(url: str) -> None:
    shown = safe_url(url)
    if shown is None:
        return
    assert urlsplit(shown).scheme.lower() in ("http", "https") and urlsplit(shown).hostname
    assert not any(ord(c) <= 0x20 or ord(c) == 0x7F for c in shown)


# --- HTML → text ----------------------------------------------------------------------------------

_HIDDEN = ["script", "style", "noscript", "template", "iframe", "object", "svg", "math", "title", "SCRIPT", "Style"]
_ATTRS = st.sampled_from(["", " src=x", ' onerror="alert(1)"', " type='text/javascript'", " a=>", " x=\"<b>\"",
                          " / ", "\n", ' style="background:url(http://x/)"'])
_noise = st.sampled_from(["<p>", "</div>", "<br/>", "<b>", "<!-- c -->", "<![CDATA[", "]]>", "&amp;", "&lt;b&gt;",
                          "&#x3C;script&#x3E;", "工商银行", "  ", "\u3000", "\u200b", "\x00", "<img src=x onerror=y>",
                          "<a href='javascript:alert(1)'>", "</a>", "text", "<", ">", "&"])


@FUZZ
@given(st.lists(_noise, max_size=12).map("".join), st.sampled_from(_HIDDEN), _ATTRS,
       st.lists(_noise, max_size=12).map("".join))
def test_hidden_element_content_never_reaches_the_text(before: str, tag: str, attrs: str, after: str) -> None:
    soup = f"{before}<{tag}{attrs}>HIDDEN-MARKER alert(1)</{tag.lower()}>{after}"
    text = html_to_text(soup)
    assert "HIDDEN-MARKER" not in text
    assert normalize_whitespace(text) == text
    assert "\u200b" not in text and "\x00" not in text
    assert not re.search(r"<(?:script|img|a|style|iframe)\b[^>]*>", text, re.I) or "&" in before + after


@pytest.mark.parametrize("soup", [
    "<p " * 50_000, "<!--" * 50_000, "<script>" * 30_000, "<a href='" * 30_000, "<" * 200_000,
    "&" * 200_000, "<![CDATA[" * 20_000, "<style" + " x" * 100_000,
], ids=["open-tags", "open-comments", "open-scripts", "open-attrs", "angles", "ampersands", "cdata", "long-tag"])
def test_html_to_text_is_linear_on_adversarial_soup(soup: str) -> None:
    started = time.perf_counter()
    text = html_to_text(soup)
    assert time.perf_counter() - started < 2.0
    assert normalize_whitespace(text) == text


# --- the matcher ----------------------------------------------------------------------------------

BANKS = (
    BankConfig("icbc", "中国工商银行", ("工商银行", "工行", "ICBC"), (), "self"),
    BankConfig("boc", "中国银行", ("中行", "BOC"), ("中国银行业协会", "中国银行保险监督管理委员会"), "competitor"),
    BankConfig("bocom", "交通银行", ("交行", "BOCOM"), (), "competitor"),
    BankConfig("ccb", "中国建设银行", ("建设银行", "建行", "CCB"), (), "competitor"),
)
MATCHER = Matcher(BANKS)
_pieces = st.sampled_from(["中国工商银行", "工商银行", "工行", "中國工商銀行", "中国银行", "中國銀行", "中国银行业协会",
                           "中国银行保险监督管理委员会", "中行", "集中行动", "交行", "BOCOM", "BOC", "boc", "ICBCX",
                           "icbc", "ＩＣＢＣ", "CCB", "建行", "新建行政楼", "İ", "ß", "\u0130CBC", " ", "，", "的",
                           "中", "国", "银", "行", "a", "_", "1"])
_alias_soup = st.lists(_pieces, max_size=25).map("".join)


@FUZZ
@given(_alias_soup)
def test_matches_are_real_ordered_spans_of_the_text(text: str) -> None:
    found = MATCHER.find(text)
    terms = {t for bank in BANKS for t in bank.terms}
    last_end = 0
    for m in found:
        assert m.term in terms and m.bank_id in {b.id for b in BANKS}
        assert 0 <= last_end <= m.start < m.end <= len(text)  # sorted, never overlapping
        assert fold(text[m.start:m.end]) == fold(m.term)  # the span is the alias, in the original text
        if m.term.isascii():
            assert not (m.start > 0 and text[m.start - 1].isascii() and text[m.start - 1].isalnum())
        last_end = m.end
    assert not any(m.bank_id == "boc" and "银行业协会" in text[m.start:m.start + 7] for m in found)


@FUZZ
@given(_alias_soup, _alias_soup)
def test_mentions_agree_with_find(title: str, summary: str) -> None:
    now = datetime(2026, 11, 28, tzinfo=UTC)
    item = Item("id", "src", title, summary, None, None, None, now, now)
    mentions = MATCHER.mentions(item)
    assert len({m.bank_id for m in mentions}) == len(mentions)
    expected = {m.bank_id for m in MATCHER.find(title)} | {m.bank_id for m in MATCHER.find(summary)}
    assert {m.bank_id for m in mentions} == expected
    for mention in mentions:
        assert mention.in_title == any(f == "title" for f, *_ in mention.matches)
        for field, term, start, end in mention.matches:
            assert fold((title if field == "title" else summary)[start:end]) == fold(term)


# --- the scorer -----------------------------------------------------------------------------------

SCORER = RulesScorer()
CATEGORY_CODES = {c.code for c in DEFAULT_CATEGORIES}
_lexical = st.sampled_from(["工商银行", "工行", "建设银行", "违规", "罚款", "被罚", "不", "未", "否认", "并未", "严重",
                            "非常", "存管", "托管方", "冒充", "骗取", "贷款", "增长", "下降", "暴雷", "挤兑", "投诉",
                            "辟谣", "不实", "该行", "，", "。", "！", "；", "：", " ", "not", "good", "fraud", "loss",
                            "ICBC", "\u3000", "中國工商銀行", "違規", "罰款"])
_sentences = st.lists(_lexical, max_size=40).map("".join)


@FUZZ
@given(_sentences, _sentences, st.sampled_from([(), (Target("ccb", ("建设银行", "建行")),)]))
def test_scores_stay_in_range_and_labels_follow_the_thresholds(title: str, body: str, others) -> None:
    target = Target("icbc", ("中国工商银行", "工商银行", "工行", "ICBC"))
    judgement = SCORER.score(ScoreInput(title, body, target, others))
    assert math.isfinite(judgement.score) and -1.0 <= judgement.score <= 1.0
    assert judgement.label in LABELS
    assert (judgement.label == "negative") == (judgement.score <= NEGATIVE_AT)
    assert (judgement.label == "positive") == (judgement.score >= POSITIVE_AT)
    assert len(judgement.reasons) <= MAX_REASONS
    assert all(r.where in ("title", "body") and math.isfinite(r.weight) for r in judgement.reasons)
    assert set(judgement.category_codes) <= CATEGORY_CODES
    assert SCORER.score(ScoreInput(title, body, target, others)) == judgement  # deterministic


@FUZZ
@given(st.lists(st.tuples(_sentences, _sentences), min_size=1, max_size=6))
def test_scoring_a_batch_equals_scoring_one_by_one(texts) -> None:
    target = Target("icbc", ("工商银行", "工行"))
    inputs = [ScoreInput(t, b, target) for t, b in texts * 2]  # repeats exercise the batch's cache
    assert SCORER.score_many(inputs) == [SCORER.score(i) for i in inputs]


# --- optional: atheris over parse_feed ------------------------------------------------------------

ATHERIS_HARNESS = textwrap.dedent('''
    import sys
    from datetime import UTC, datetime
    import atheris

    with atheris.instrument_imports():
        from reportgen.ingest.parse import parse_feed

    NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
    TYPES = ["application/rss+xml", "text/html", "application/feed+json", "text/xml; charset=gb2312", ""]

    def one_input(data: bytes) -> None:
        fdp = atheris.FuzzedDataProvider(data)
        headers = {"content-type": TYPES[fdp.ConsumeIntInRange(0, len(TYPES) - 1)]}
        parsed = parse_feed("fuzz", fdp.ConsumeBytes(fdp.remaining_bytes()), headers, fetched_at=NOW)
        if parsed.error and parsed.error.startswith("parse failed"):
            raise AssertionError(parsed.error)  # parse_feed caught an exception of our own code
        for item in parsed.items:
            assert item.published_at.utcoffset() is not None
            assert item.url is None or item.url.startswith(("http://", "https://"))

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
''')


def test_atheris_over_parse_feed_for_a_bounded_time(tmp_path: Path) -> None:
    pytest.importorskip("atheris", reason="atheris is optional (pip install atheris); hypothesis covers parse_feed "
                                          "in tests/test_parse.py::test_never_raises")
    seconds = int(os.environ.get("REPORTGEN_ATHERIS_SECONDS", "5"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for fixture in sorted((REPO / "tests" / "feeds").iterdir()):
        if fixture.suffix in (".xml", ".json", ".rdf", ".html", ".txt"):
            (corpus / fixture.name).write_bytes(b"\x00" + fixture.read_bytes()[:4096])
    harness = tmp_path / "harness.py"
    harness.write_text(ATHERIS_HARNESS, encoding="utf-8")
    done = subprocess.run([sys.executable, str(harness), f"-max_total_time={seconds}", "-rss_limit_mb=2048",
                           "-timeout=10", str(corpus)], capture_output=True, text=True, timeout=seconds + 120,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-4000:]
    runs = re.search(r"Done (\d+) runs", done.stderr)
    assert runs and int(runs.group(1)) > 10, done.stderr[-2000:]
