"""Property-based fuzzing of the pure functions that read strangers' text.

The unit test modules already throw arbitrary text at each function (test_dates, test_normalize,
test_match, test_score_rules, test_parse).  This module aims at the shapes that reach the hard
paths: date-like strings built from the pieces real feeds use, hostile URLs and markup, alias soup
with Traditional characters and exclusions, lexicon-heavy sentences.  Nothing may raise, and each
function keeps its invariants.  ``parse_feed`` gets text of every Unicode category (lone surrogates,
controls, bidi and zero-width characters included) in every field of every format, in the date and
in the response headers: whatever it returns can be stored.  Optionally atheris drives
``parse_feed`` for a bounded time.

The CI profile (``CI=true``, tests/conftest.py) derandomizes hypothesis.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import textwrap
import time
import unicodedata
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.config.core import BankConfig
from reportgen.ingest.dates import EARLIEST_PLAUSIBLE, normalize_published, parse_date
from reportgen.ingest.normalize import canonical_url, clean_text, html_to_text, normalize_whitespace
from reportgen.ingest.parse import parse_feed
from reportgen.models import Item, ParsedFeed
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
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=300))  # every category, Cs included
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


# --- hostile text through parse_feed, every field of every format ---------------------------------

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u180e"
# Every category, Cs (lone surrogates) included, plus the characters that matter most drawn often.
_char = st.one_of(
    st.characters(exclude_categories=()),
    st.sampled_from(BIDI + ZERO_WIDTH + "\x00\x01\x08\x0b\x1b\x7f\x85\x9b\x9f\ud800\udbff\udc00\udfff"
                    "\ufffd\ufffe\uffff\u2028\u2029\u3000\xa0\t\n\r"),
)
_word = st.sampled_from(["明川银行", "華信銀行", "ICBC", " ", "<b>", "&amp;", "&", "<", "]]>", "https://"])
_hostile_text = st.lists(st.one_of(_char, _word), max_size=16).map("".join)
# What reaches the XML parser as it is: character references to no character, stray markup,
# CESU-8 surrogates and bytes that are no UTF-8 at all.
_raw = st.sampled_from([b"&#xD800;", b"&#xdfff;", b"&#55296;", b"&#x110000;", b"&#99999999999999;", b"&#0;",
                        b"&#x1b;", b"&#x202E;", b"&bogus;", b"<![CDATA[", b"]]>", b"\xed\xa0\x80", b"\xff",
                        b"\xe6\x98"])
_xml_field = st.lists(st.one_of(_hostile_text, _raw), max_size=4)  # text is escaped, bytes go in as they are
_date_field = st.one_of(_date_like, _hostile_text, st.sampled_from([
    "0001-01-01T00:00:00", "9999-12-31T23:59:59+05:00", "9999-12-31T23:59:59-05:00", "2026-02-30",
    "2026-11-27T08:30:00+25:00", "2026-11-27T08:30:00+14:00", "Mon, 30 Feb 2026 08:00:00 +0800", "2026年2月30日",
    "Fri, 31 Dec 9999 23:00:00 -1400", "Sat, 01 Jan 0001 00:00:00 +1400"]))
_headers = st.dictionaries(
    st.one_of(st.sampled_from(["Content-Type", "content-type", "Content-Location", "Content-Language", "ETag"]),
              _hostile_text),
    st.one_of(st.sampled_from(["application/rss+xml", "application/atom+xml; charset=utf-8", "text/html",
                               "text/xml; charset=gb2312", "application/feed+json", "text/xml; charset=\x00",
                               "text/xml; charset=utf-8\ud800", "text/xml; charset=\u202e8-ftu"]),
              _hostile_text, _hostile_text.map(lambda t: f"application/rss+xml; charset={t}")),
    max_size=3)


def _xml_text(c: str) -> bytes:
    if c in "<>&":
        return {"<": b"&lt;", ">": b"&gt;", "&": b"&amp;"}[c]
    if unicodedata.category(c) == "Cs" or (c < " " and c not in "\t\n\r") or c in "\ufffe\uffff":
        return f"&#x{ord(c):X};".encode()  # no XML document may hold these, but producers write them
    return c.encode()


def _xml(pieces: list[str | bytes]) -> bytes:
    return b"".join(p if isinstance(p, bytes) else b"".join(_xml_text(c) for c in p) for p in pieces)


def _xml_feed(kind: str, f: dict[bytes, bytes]) -> bytes:
    if kind == "rss":
        return (b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>%(feed)s</title>'
                b"<link>https://feed.example/</link><item><title>%(title)s</title><link>%(link)s</link>"
                b"<guid>%(guid)s</guid><author>%(author)s</author><category>%(category)s</category>"
                b"<description>%(summary)s</description><pubDate>%(date)s</pubDate></item></channel></rss>") % f
    if kind == "atom":
        return (b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                b"<title>%(feed)s</title><entry><title type='html'>%(title)s</title><link href='%(link)s'/>"
                b"<id>%(guid)s</id><author><name>%(author)s</name></author><category term='%(category)s'/>"
                b"<content type='html'>%(summary)s</content><published>%(date)s</published></entry></feed>") % f
    return (b'<?xml version="1.0" encoding="utf-8"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
            b' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            b"<channel rdf:about='https://feed.example/'><title>%(feed)s</title><link>https://feed.example/</link>"
            b"</channel><item rdf:about='https://feed.example/1'><title>%(title)s</title><link>%(link)s</link>"
            b"<dc:creator>%(author)s</dc:creator><dc:subject>%(category)s</dc:subject>"
            b"<description>%(summary)s</description><dc:date>%(date)s</dc:date></item></rdf:RDF>") % f


def _parsed_texts(parsed: ParsedFeed) -> list[str]:
    found = [t for t in (parsed.feed_title, parsed.warning, parsed.error) if isinstance(t, str)]
    for item in parsed.items:
        for field in fields(item):
            value = getattr(item, field.name)
            found += [v for v in (value if isinstance(value, tuple | list) else (value,)) if isinstance(v, str)]
    return found


def _assert_storable(parsed: ParsedFeed) -> None:
    assert not (parsed.error or "").startswith("parse failed"), parsed.error  # our own code raised
    assert not (parsed.error and parsed.items)
    for text in _parsed_texts(parsed):
        text.encode("utf-8")  # what SQLite, PostgreSQL and the PDF need
        assert clean_text(text) == text, repr(text)  # no lone surrogate, no control but tab and newline
    for item in parsed.items:
        assert item.published_at.utcoffset() == timedelta(0)
        assert 1970 <= item.published_at.year <= 2100
        if not item.date_missing:
            assert EARLIEST_PLAUSIBLE <= item.published_at <= REFERENCE + timedelta(hours=1)


HOSTILE = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_LINKS = st.one_of(st.just(["https://bank.example/news/1.html"]), _xml_field)


@HOSTILE
@given(st.sampled_from(["rss", "atom", "rdf"]), _xml_field, _xml_field, _LINKS, _xml_field, _xml_field, _xml_field,
       _xml_field, _date_field, _headers)
def test_hostile_text_in_every_field_of_an_xml_feed_is_storable(kind: str, feed, title, link, guid, author, category,
                                                                summary, date: str, headers) -> None:
    pieces = {"feed": feed, "title": title, "link": link, "guid": guid, "author": author, "category": category,
              "summary": summary, "date": [date]}
    body = _xml_feed(kind, {key.encode(): _xml(value) for key, value in pieces.items()})
    _assert_storable(parse_feed("fuzz", body, headers, fetched_at=REFERENCE, base_url="https://feed.example/"))


@HOSTILE
@given(_hostile_text, _hostile_text, _hostile_text, _hostile_text, _hostile_text, _hostile_text, _date_field,
       _date_field, _headers, st.booleans())
def test_hostile_text_in_every_field_of_a_json_feed_is_storable(feed, title, url, guid, author, summary, published,
                                                                modified, headers, html: bool) -> None:
    item = {"id": guid, "url": url or "https://bank.example/1", "title": title, "tags": [title, summary],
            "content_html" if html else "content_text": summary, "summary": author, "date_published": published,
            "date_modified": modified, "authors": [{"name": author}], "external_url": url}
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": feed, "home_page_url": url, "items": [item]}
    body = json.dumps(doc, ensure_ascii=True).encode()  # lone surrogates travel as "\ud800" escapes
    parsed = parse_feed("fuzz", body, headers, fetched_at=REFERENCE, base_url="https://feed.example/")
    _assert_storable(parsed)
    if parsed.items and not html:  # bidi controls are kept: isolating them is the report's job
        kept = {c for c in title if c in BIDI}
        assert kept <= set(parsed.items[0].title)


@FUZZ
@given(_hostile_text)
def test_clean_text_leaves_nothing_unstorable_and_keeps_the_rest(text: str) -> None:
    cleaned = clean_text(text)
    cleaned.encode("utf-8")
    assert clean_text(cleaned) == cleaned
    assert not any(unicodedata.category(c) in ("Cs", "Cc") and c not in "\t\n" for c in cleaned)
    assert [c for c in cleaned if c != "\ufffd"] == [c for c in text if c != "\ufffd" and (
        unicodedata.category(c) not in ("Cs", "Cc") or c in "\t\n")]
    assert cleaned.count("\ufffd") == text.count("\ufffd") + sum(unicodedata.category(c) == "Cs" for c in text)


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
