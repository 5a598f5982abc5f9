"""Which configured banks does a text mention?

One Aho–Corasick automaton holds every bank's name and aliases *and* every exclusion term.
Matches are taken leftmost-longest and non-overlapping, so an exclusion that starts at (or
before) an alias and is longer than it swallows it: ``中国银行业协会`` is an industry body, not
Bank of China, while ``中国银行保险产品热销`` still names the bank, because no exclusion covers it.

Text is folded before matching, keeping every character at its offset so positions stay valid:

- Traditional → Simplified, character by character, with OpenCC's own ``TSCharacters`` table
  (HK and Taiwan sources write 中國工商銀行);
- Latin letters are lower-cased, and Latin aliases must sit on word boundaries (``ICBC`` must not
  fire inside ``ICBCX``; ``BOC`` must not fire inside ``BOCOM``);
- zero-width characters (U+200B/C/D, U+2060, U+FEFF) inside a word are moved to the word's end, so
  ``招<U+200D>商银行`` reads ``招商银行``: a copied or deliberately obfuscated title still names the bank.
  Moving, not deleting, keeps the length, and every punctuation mark and space at its offset;
  ``find`` maps a match back to its span as written.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

import ahocorasick

from reportgen.config.validator import ZERO_WIDTH
from reportgen.models import Item, Match, Mention

if TYPE_CHECKING:  # config imports events, which imports fold from here
    from reportgen.config.core import BankConfig

log = logging.getLogger(__name__)

# Short aliases such as 中行 / 建行 / 交行 also occur inside ordinary words.  These words are
# treated as exclusions for every bank, so 集中行动 does not become a Bank of China mention.
# A user adds more per bank with ``exclude``.
COMMON_FALSE_POSITIVES: tuple[str, ...] = (
    "集中行", "空中行", "途中行", "其中行", "暗中行", "高中行", "初中行", "心中行", "手中行",
    "外交行", "社交行", "提交行", "移交行", "成交行",
    "修建行", "新建行", "在建行", "兴建行", "创建行", "组建行", "筹建行", "重建行", "自建行", "扩建行",
    "构建行", "基建行", "土建行", "房建行", "援建行", "共建行", "搭建行", "承建行", "改建行", "营建行",
    "化工行", "施工行", "加工行", "员工行", "职工行", "竣工行", "开工行", "复工行", "分工行",
    "手工行", "务农行", "招行人",
)

_LATIN_RE = re.compile(r"[A-Za-z0-9]")
_ZERO_WIDTH_SET = frozenset(ZERO_WIDTH)
_ZERO_WIDTH_RE = re.compile(f"[{ZERO_WIDTH}]")
# a word (letters, digits, ideographs) with zero-width characters anywhere in it
_WORD_WITH_ZERO_WIDTH_RE = re.compile(rf"[\w{ZERO_WIDTH}]*[{ZERO_WIDTH}][\w{ZERO_WIDTH}]*")


@dataclass(frozen=True, slots=True)
class _Term:
    bank_id: str | None  # None for an exclusion
    term: str  # as configured, for explanations
    latin: bool  # needs word boundaries


@functools.cache
def _t2s_table() -> dict[int, str]:
    """OpenCC's Traditional→Simplified single-character table as a ``str.translate`` map."""
    table: dict[int, str] = {}
    text = (resources.files("opencc") / "dictionary" / "TSCharacters.txt").read_text("utf-8")
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) != 2 or len(parts[0]) != 1:
            continue
        target = parts[1].split(" ")[0]
        if len(target) == 1:  # keep offsets: only one-to-one characters
            table[ord(parts[0])] = target
    return table


@functools.cache
def _traditional_chars() -> frozenset[str]:
    return frozenset(chr(c) for c in _t2s_table())


@functools.cache
def _traditional_in_gb2312() -> re.Pattern[str]:
    """The few Traditional characters GB2312 can encode (乾, 於, 後 …), as a character class."""
    return re.compile("[" + "".join(re.escape(c) for c in sorted(_traditional_chars()) if _in_gb2312(c)) + "]")


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


_GB2312_FROM = 24  # characters: a shorter text (a name, a title) is looked up one by one, faster there
_GB2312_TRIES = 4  # characters outside GB2312 looked up one at a time before the rest is
# punctuation of Chinese text that Python's GB2312 codec does not encode (it maps those code points
# to ・ and ―): no Traditional characters, so dropped before the codec sees the text
_GB2312_GAPS = ("·", "—")


def _simplified_only(text: str) -> bool:
    """Does ``text`` lack every Traditional character of the table?

    GB2312 is a Simplified character set: its C codec passes most Chinese text in a fraction of
    the time a set lookup per character takes (each one a new one-character ``str``).  What it
    lets through is checked for the few Traditional characters it also holds.  A character it cannot
    encode (an emoji, a rare or a Traditional one) is looked up, and the codec goes on after it; after
    a few such characters the rest is checked one by one."""
    traditional = _traditional_chars()
    if len(text) < _GB2312_FROM:
        return traditional.isdisjoint(text)
    for gap in _GB2312_GAPS:
        if gap in text:
            text = text.replace(gap, "")
    start = 0
    for _ in range(_GB2312_TRIES):
        try:
            text[start:].encode("gb2312")
        except UnicodeEncodeError as exc:
            if not traditional.isdisjoint(exc.object[exc.start:exc.end]):
                return False
            start += exc.end
            continue
        return _traditional_in_gb2312().search(text) is None
    return traditional.isdisjoint(text[start:]) and _traditional_in_gb2312().search(text, 0, start) is None


def fold(text: str) -> str:
    """Traditional→Simplified, lower-case, zero-width characters out of words, never changing the
    length of ``text``."""
    if _has_zero_width(text):
        text = _WORD_WITH_ZERO_WIDTH_RE.sub(_zero_width_to_end, text)
    # Most feed text is Simplified: a check is much cheaper than translating every character.
    folded = text if _simplified_only(text) else text.translate(_t2s_table())
    lowered = folded.lower()
    if len(lowered) != len(folded):  # e.g. 'İ'.lower() has two code points: fold per character
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)
    return lowered


def _has_zero_width(text: str) -> bool:
    # one scan for a class of five characters: cheaper than a set over the text, and than five
    # substring searches through a generator (fold runs ~16,000 times in a fetch of 2,000 items)
    return _ZERO_WIDTH_RE.search(text) is not None


def _zero_width_to_end(word: re.Match[str]) -> str:
    """``招<U+200D>商银行`` → ``招商银行<U+200D>``: the word joined up, its length kept."""
    text = word.group()
    return "".join(c for c in text if c not in _ZERO_WIDTH_SET) + "".join(c for c in text if c in _ZERO_WIDTH_SET)


def _zero_width_offsets(text: str) -> list[int] | None:
    """Where each character of ``fold(text)`` stands in ``text``, when fold moved zero-width
    characters (None when it did not: then every position is its own)."""
    if not _has_zero_width(text):
        return None
    offsets = list(range(len(text)))
    for word in _WORD_WITH_ZERO_WIDTH_RE.finditer(text):
        positions = range(*word.span())
        offsets[word.start():word.end()] = ([i for i in positions if text[i] not in _ZERO_WIDTH_SET]
                                            + [i for i in positions if text[i] in _ZERO_WIDTH_SET])
    return offsets


class Matcher:
    """Finds bank mentions in text.  Build once per run; ``find`` is thread-safe."""

    def __init__(self, banks: Sequence[BankConfig],
                 common_exclusions: Iterable[str] = COMMON_FALSE_POSITIVES) -> None:
        self.banks = tuple(banks)
        self._automaton = ahocorasick.Automaton()
        entries: dict[str, list[_Term]] = {}
        for bank in self.banks:
            for term in bank.terms:
                entries.setdefault(fold(term), []).append(_Term(bank.id, term, _is_latin(term)))
        exclusions = [e for bank in self.banks for e in bank.exclude] + list(common_exclusions)
        for term in exclusions:
            key = fold(term)
            if key in entries and any(t.bank_id for t in entries[key]):
                log.warning("exclusion %r is also an alias; the alias wins", term)
                continue
            entries.setdefault(key, []).append(_Term(None, term, _is_latin(term)))
        for key, terms in entries.items():
            if key:
                self._automaton.add_word(key, (key, tuple(terms)))
        if entries:
            self._automaton.make_automaton()
        self._empty = not entries

    def find(self, text: str) -> list[Match]:
        """Every bank alias occurrence in ``text``, in order, exclusions removed."""
        if self._empty or not text:
            return []
        folded = fold(text)
        moved = _zero_width_offsets(text)
        found: list[Match] = []
        for end_index, (key, terms) in self._automaton.iter_long(folded):
            start = end_index - len(key) + 1
            end = end_index + 1
            for t in terms:
                if t.bank_id is None:
                    continue  # an exclusion took this span
                if t.latin and not _on_word_boundary(folded, start, end):
                    continue
                if moved:  # the span in the text as written, zero-width characters inside it included
                    found.append(Match(t.bank_id, t.term, moved[start], moved[end - 1] + 1))
                else:
                    found.append(Match(t.bank_id, t.term, start, end))
        return found

    def mentions(self, item: Item) -> list[Mention]:
        """One :class:`Mention` per bank named in the item's title or summary."""
        by_bank: dict[str, list[tuple[str, str, int, int]]] = {}
        for field_name, text in (("title", item.title), ("summary", item.summary)):
            for m in self.find(text):
                by_bank.setdefault(m.bank_id, []).append((field_name, m.term, m.start, m.end))
        return [
            Mention(item.item_id, bank_id, any(f == "title" for f, *_ in evidence), tuple(evidence))
            for bank_id, evidence in by_bank.items()
        ]


def _is_latin(term: str) -> bool:
    return bool(_LATIN_RE.search(term))


def _on_word_boundary(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (_is_word_char(before) or _is_word_char(after))


def _is_word_char(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c == "_")
