"""Plain text, canonical URLs and stable ids."""

from __future__ import annotations

import hashlib
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reportgen.ingest import normalize
from reportgen.ingest.normalize import (
    canonical_url,
    clean_text,
    content_hash,
    html_to_text,
    is_trusted_guid,
    normalize_whitespace,
    stable_item_id,
    trusted_item_id,
)

# --- whitespace ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  明川银行\u3000\u3000发布公告  ", "明川银行 发布公告"),
        ("a\u00a0\u00a0b", "a b"),
        ("line1\r\n\r\n\tline2", "line1 line2"),
        ("招商\u200b银行", "招商银行"),  # zero-width space would split a bank name for the matcher
        ("\ufeff标题", "标题"),
        ("a\x00b\x07c", "abc"),
        ("", ""),
    ],
)
def test_normalize_whitespace(raw: str, expected: str) -> None:
    assert normalize_whitespace(raw) == expected


@given(st.text())
def test_normalize_whitespace_is_idempotent(text: str) -> None:
    once = normalize_whitespace(text)
    assert normalize_whitespace(once) == once
    assert "  " not in once and once == once.strip()


# --- html_to_text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>明川银行</p><p>发布公告</p>", "明川银行 发布公告"),
        ("华信<b>银行</b>", "华信银行"),  # inline tags do not split words
        ("<div>a<br/>b<br>c</div>", "a b c"),
        ("<p>x</p><script>alert('<p>no</p>')</script><style>p{}</style>y", "x y"),
        ("<SCRIPT type='text/javascript'>var a = 1 < 2;</SCRIPT>ok", "ok"),
        ("before<script>never closed", "before"),
        ("AT&amp;T &lt;tag&gt; &quot;q&quot; &#8220;引号&#x201D; &nbsp;end", 'AT&T <tag> "q" “引号” end'),
        ("<!-- comment --><p>text</p><!-- unclosed", "text"),
        ("<![CDATA[内容]]>", "内容"),
        ("1 < 2 and 3 > 2", "1 < 2 and 3 > 2"),  # not tags
        ("<img src='a.png' alt='图'>", ""),
        ("<table><tr><td>存款</td><td>贷款</td></tr></table>", "存款 贷款"),
        ("<p>unterminated <a href='x'", "unterminated"),
        ("plain text, no markup", "plain text, no markup"),
    ],
)
def test_html_to_text(html: str, expected: str) -> None:
    assert html_to_text(html) == expected


_TAGS = st.sampled_from(
    ["<p>", "</p>", "<br/>", "<div class='x'>", "</div>", "<script>", "</script>", "<style>", "<b>",
     "</b>", "<!--", "-->", "<a href=\"http://x/?a=1&b=2\">", "</a>", "<img src=x>", "<!DOCTYPE html>",
     "<?xml version='1.0'?>", "<![CDATA[", "]]>", "<li", "</span", "<x-y z=\"1\">", "<table>", "<td>"]
)
_TEXT = st.text(alphabet=st.characters(blacklist_characters="<&"), max_size=12)


@given(st.lists(st.one_of(_TAGS, _TEXT), max_size=30).map("".join))
def test_html_to_text_leaves_no_tags(soup: str) -> None:
    """Tag soup (text without "<" or "&") comes out with no markup at all, even unterminated."""
    text = html_to_text(soup)
    assert "<" not in text
    assert normalize_whitespace(text) == text


@given(st.text())
def test_html_to_text_never_raises(text: str) -> None:
    assert isinstance(html_to_text(text), str)


# --- canonical_url -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("https://bank.example/a?utm_source=rss&utm_medium=feed&id=7", None, "https://bank.example/a?id=7"),
        ("https://bank.example/a?id=7&UTM_Campaign=x&fbclid=1&gclid=2&spm=a.b", None,
         "https://bank.example/a?id=7"),
        ("https://bank.example/a?b=2&a=1&c", None, "https://bank.example/a?b=2&a=1&c"),  # order kept
        ("https://bank.example/a#section-2", None, "https://bank.example/a"),
        ("https://bank.example/a?utm_source=x#top", None, "https://bank.example/a"),
        ("HTTPS://Bank.EXAMPLE:443/News/A.html", None, "https://bank.example/News/A.html"),  # path case kept
        ("http://bank.example:80", None, "http://bank.example/"),
        ("http://bank.example:8080/x", None, "http://bank.example:8080/x"),
        ("/news/1.html", "https://bank.example/news/", "https://bank.example/news/1.html"),
        ("2.html", "https://bank.example/news/index.html", "https://bank.example/news/2.html"),
        ("//cdn.example/x", "https://bank.example/", "https://cdn.example/x"),
        ("  https://bank.example/x \n", None, "https://bank.example/x"),
        ("https://m.bank.example/#/news/detail?id=9", None, "https://m.bank.example/#/news/detail?id=9"),
        ("https://bank.example/#!/news/9", None, "https://bank.example/#!/news/9"),
        ("https://mp.example/s?__biz=MzA5&mid=26&idx=1&sn=ab", None, "https://mp.example/s?__biz=MzA5&mid=26&idx=1&sn=ab"),
        ("http://[2001:DB8::1]:80/x", None, "http://[2001:db8::1]/x"),
        ("javascript:void(0)", None, None),
        ("javascript:alert(1)", "https://bank.example/", None),
        ("mailto:ir@bank.example", None, None),
        ("ftp://bank.example/file", None, None),
        ("data:text/html,hi", None, None),
        ("relative/only.html", None, None),
        ("https:///nohost", None, None),
        ("http://bank.example:99999/", None, None),
        ("http://[::1", None, None),
        ("", None, None),
        (None, "https://bank.example/", None),
    ],
)
def test_canonical_url(url: str | None, base: str | None, expected: str | None) -> None:
    assert canonical_url(url, base) == expected


_urls = st.builds(
    lambda scheme, host, port, path, query, frag: f"{scheme}://{host}{port}{path}{query}{frag}",
    st.sampled_from(["http", "https", "HTTP", "Https"]),
    st.sampled_from(["bank.example", "WWW.Bank.Example", "[::1]", "xn--fiqs8s.example", "127.0.0.1"]),
    st.sampled_from(["", ":80", ":443", ":8080"]),
    st.text(alphabet="abc/._-~%20", max_size=15).map(lambda p: "/" + p),
    st.lists(st.sampled_from(["a=1", "utm_source=x", "spm=1", "b=", "c", "", "UTM_x=y", "id=%E4%B8%AD"]),
             max_size=5).map(lambda qs: "?" + "&".join(qs) if qs else ""),
    st.sampled_from(["", "#top", "#/route?id=1", "#!/x", "#"]),
)


@given(st.one_of(_urls, st.text(max_size=40)))
def test_canonical_url_is_idempotent(url: str) -> None:
    once = canonical_url(url)
    if once is not None:
        assert canonical_url(once) == once
        assert once.startswith(("http://", "https://"))
        assert "utm_" not in once.lower().split("#")[0].split("?", 1)[-1] or "?" not in once


# The shortcut for plain URLs gives what every step gives: URL-shaped strings built from the
# characters each step treats specially (case, ports, users, fragments, characters quote() encodes,
# whitespace and controls, non-ASCII), with and without a base.
_url_bits = st.sampled_from(["http", "https", "HTTP", "ftp", "://", ":", "/", "//", "///", "?", "#", "&", "=",
                             "@", "[", "]", "%", "%2F", "a", "Z", "0", "9", ".", "-", "_", "~", "!", "$", "'",
                             "(", "*", "+", ",", ";", "utm_x=1", "spm=2", "id=3", " ", "\t", "\n", "\x00",
                             "\x7f", "\x85", "\u3000", "中", "\ud800", '"', "<", ">", "\\", "^", "`", "{", "|",
                             "}", "bank.example", "B.Example", ":80", ":443", ":8080", ":99999", "user@"])
_url_like = st.one_of(
    _urls,
    st.lists(_url_bits, max_size=14).map("".join),
    st.tuples(st.sampled_from(["http://", "https://", "http:///", "HTTP://"]), st.lists(_url_bits, max_size=12))
    .map(lambda parts: parts[0] + "".join(parts[1])),
)


@given(_url_like, st.sampled_from([None, "", "https://bank.example/news/", "http://b.example/a?x=1#f"]))
def test_the_plain_url_shortcut_equals_every_step(url: str, base: str | None) -> None:
    assert canonical_url(url, base) == normalize._canonical_url(url, base) if url else canonical_url(url) is None


def test_the_plain_url_shortcut_is_taken() -> None:
    """Not a test that passes by never taking the shortcut: these are plain URLs."""
    for url in ("https://bench000.demo.invalid/news/20261128/00044.html", "http://bank.example",
                "https://bank.example/a?utm_source=x&id=1"):
        assert normalize._PLAIN_URL_RE.fullmatch(url) is not None
        assert canonical_url(url) == normalize._canonical_url(url, None)


# clean_text and normalize_whitespace skip their regex for printable text: the same result as
# always running it, on any text (the alphabet leans on controls, format characters, surrogates).
_any_text = st.text(st.one_of(st.characters(), st.sampled_from(
    "\x00\x08\t\n\x0b\x0e\x1b\x1c\x1f\x7f\x84\x85\x86\x9f\xa0\u200b\u200e\u2028\u2060\u3000\ufeff\ud800\udfff a中")))


@given(_any_text)
def test_clean_text_equals_its_regex(text: str) -> None:
    expected = re.sub("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]",
                      lambda m: "\ufffd" if m.group() >= "\ud800" else "", text)
    assert clean_text(text) == expected


@given(_any_text)
def test_normalize_whitespace_equals_its_regex(text: str) -> None:
    expected = " ".join(re.sub("[\u200b\u2060\ufeff\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]", "", text).split())
    assert normalize_whitespace(text) == expected


# --- hashes and ids ------------------------------------------------------------------------------


def test_content_hash_ignores_whitespace_differences() -> None:
    assert content_hash("明川银行  公告", "正文\n") == content_hash("明川银行 公告", " 正文")
    assert content_hash("a", "b") != content_hash("ab", "")
    assert content_hash("a", None) == content_hash("a", "")
    assert len(content_hash("x")) == 64


@pytest.mark.parametrize(
    ("guid", "trusted"),
    [("hx-20261127-001", True), ("12345", True), ("https://bank.example/a/1", True), ("", False),
     ("   ", False), (None, False), ("x" * 512, True), ("x" * 513, False), ("0", False), ("null", False),
     (" undefined ", False)],
)
def test_is_trusted_guid(guid: str | None, trusted: bool) -> None:
    assert is_trusted_guid(guid) is trusted


def test_stable_item_id_prefers_guid_then_url_then_content() -> None:
    url = "https://bank.example/a"
    by_guid = stable_item_id("src", "g-1", url, "t", "s")
    assert by_guid == stable_item_id("src", "g-1", "https://other.example/", "other", "other")
    assert by_guid != stable_item_id("other-src", "g-1", url, "t", "s")  # guids are per feed
    assert len(by_guid) == 24 and int(by_guid, 16) >= 0
    assert by_guid == hashlib.sha256(b"guid\0src\0g-1").hexdigest()[:24]

    by_url = stable_item_id("src", None, url, "t", "s")
    assert by_url == stable_item_id("other-src", "   ", url, "t2", "s2")  # URLs are global
    assert by_url != by_guid

    by_content = stable_item_id("src", None, None, "明川银行 公告", "正文")
    assert by_content == stable_item_id("src", "", None, "明川银行  公告", "正文 ")
    assert by_content != stable_item_id("other-src", None, None, "明川银行 公告", "正文")
    assert by_content != stable_item_id("src", None, None, "明川银行 公告", "另一正文")


_short_text = st.text(max_size=20)


@given(_short_text, st.none() | _short_text, st.none() | _short_text, _short_text, _short_text)
def test_stable_item_id_is_deterministic(source: str, guid: str | None, url: str | None, title: str,
                                        summary: str) -> None:
    first = stable_item_id(source, guid, url, title, summary)
    assert first == stable_item_id(source, guid, url, title, summary)
    assert len(first) == 24 and all(c in "0123456789abcdef" for c in first)


_spaced_text = st.text(st.one_of(st.characters(), st.sampled_from([" ", "\n", "\u3000", "\u200b"])), max_size=20)


@given(st.none() | _spaced_text, st.none() | _spaced_text)
def test_content_hash_of_two_parts_is_the_general_one(title: str | None, summary: str | None) -> None:
    """Two parts take a shortcut (no list); it hashes what the general join hashes."""
    joined = "\x1f".join([normalize_whitespace(p) if p else "" for p in (title, summary)])
    assert content_hash(title, summary) == hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()
    assert content_hash(title, summary, None) != content_hash(title, summary)  # three parts: another join


@given(_short_text, st.none() | st.sampled_from(["", " ", "null", "g-1", " g-2 ", "x" * 513]) | _short_text,
       st.none() | st.sampled_from(["", "https://bank.example/a"]), _short_text, _short_text)
def test_trusted_item_id_is_stable_item_id(source: str, guid: str | None, url: str | None, title: str,
                                           summary: str) -> None:
    """build_items checks the guid and hashes the content once, and hands both to trusted_item_id."""
    trusted = guid if is_trusted_guid(guid) else None
    assert trusted_item_id(source, trusted, url, content_hash(title, summary)) \
        == stable_item_id(source, guid, url, title, summary)
