"""The rules scorer's lexicon, compiled: one entry per automaton key, and the cue…object patterns.

:mod:`.lexicon` holds the words and weights the project wrote; this module turns them, with the
risk categories' terms, into the table the scorer's Aho–Corasick automaton is built from.  Each
entry says what a key is (a sentiment term, a negator, a degree word, a bystander cue, a pattern
word) and the roles it plays besides: a response frame (回应), a warning or campaign word (宣传),
a word a bank reads differently (冻结: the bank as creditor), a rumour word, a pattern word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import ahocorasick

from reportgen.score import lexicon as lx
from reportgen.score.categories import CONTEXT_ONLY, Category
from reportgen.score.match import fold

SENT, NEG, DEG, BYS, POST, CUE = 1, 2, 3, 4, 5, 6  # what a key is

CJK_BYTES = 3  # windows are in characters; positions are in UTF-8 bytes (see enc)


def enc(text: str) -> str:
    """UTF-8 bytes as a ``str`` of code points 0–255.

    pyahocorasick walks the trie's children linearly, and a lexicon has hundreds of different
    first characters, so matching on characters costs ~100 comparisons per input character.  In
    UTF-8 a CJK character starts with one of a handful of lead bytes, so the same automaton over
    bytes is about ten times faster.  UTF-8 is self-synchronising: an encoded term or boundary can
    only match at a character boundary.  Every position in the rules scorer is a byte offset.
    """
    return text.encode("utf-8").decode("latin-1")


ANY_LATIN = re.compile(r"[a-z]")
LATIN_WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")
# pattern words, and the patterns each object word can complete
PATTERN_WORDS: tuple[str, ...] = tuple(dict.fromkeys(fold(w) for p in lx.PATTERNS for w in (*p.cues, *p.objects)))
CUE_WORDS = frozenset(fold(w) for p in lx.PATTERNS for w in p.cues)
BY_OBJECT: dict[str, list[lx.Pattern]] = {}
for _p in sorted(lx.PATTERNS, key=lambda p: p.weight != 0):  # a neutraliser (逾期…冻结) wins
    for _w in _p.objects:
        BY_OBJECT.setdefault(fold(_w), []).append(_p)
_CUE_SETS = {p: frozenset(fold(c) for c in p.cues) for p in lx.PATTERNS}
# objects of the patterns that apply to banks only: a text without one reads the same for every target
BANKS_ONLY_OBJECTS = frozenset(fold(o) for p in lx.PATTERNS if p.banks_only for o in p.objects)
LIST_MARK = enc("、")
NEGATOR_WORDS = frozenset(fold(w) for w in lx.NEGATORS)
# how a pattern word that denies its inner term starts (催收…没逾期: unpaired, 没逾期 is no arrears)
_NEGATED_STARTS = ("不", "没", "未", "无", "从没", "从来没", "从未", "都没", "也没", "都不", "也不", "并没", "还没")


@dataclass(frozen=True, slots=True)
class Entry:
    """What one automaton key is (``kind``) and every role it plays."""

    term: str
    kind: int
    value: float  # sentiment weight, negation factor or degree factor
    categories: tuple[str, ...] = ()
    context_only: bool = False
    cue_of: tuple[str, ...] = ()  # the pattern cues (lx.PATTERNS) this term is or contains
    object_of: tuple[str, ...] = ()  # the pattern objects this term is or contains
    frame: int = 0  # 1: a response frame after the bank (回应), 2: before it (网曝)
    awareness: int = 0  # marks a warning or campaign sentence (1, lx.AWARENESS) or a police freeze (2, lx.POLICE_STEPS)
    bank_value: float | None = None  # the weight when a bank is the target (lx.BANK_VIEW)
    rumour: bool = False  # makes a response frame a rebuttal (lx.RUMOURS)
    shield: bool = False  # a neutral phrase that swallows a bad word (公安冻结): no pattern turns it bad
    weak: bool = False  # counts only in a short text about one bank (lx.Pattern.weak)
    negation: bool = False  # a pattern whose cue is the negator itself (不…告诉): not negated again
    fact: bool = False  # an application's or a limit's outcome (lx.OUTCOMES): a grievance only where one shows
    special: bool = False  # any role the scorer looks up per text (bystander, frame, denial, campaign …)
    bank_sensitive: bool = False  # reads differently for a bank (bank_value, object of a banks-only pattern)
    # the patterns this term can complete as an object (see _pairs): derived from the fields above
    pairs: tuple[Pair, ...] = field(default=(), compare=False, repr=False)


# A pattern an object word can complete: the word (role), the pattern, its cues and its window in bytes.
Pair = tuple[str, lx.Pattern, frozenset[str], int]


def build_table(categories: Sequence[Category], extra: Mapping[str, float]) -> dict[str, Entry]:
    """Every key of the automaton: the general and English lexicons, the team's ``extra`` terms,
    negators, degree words, bystander cues, the categories' terms, frames, campaign and rumour
    words, the bank's view of creditor words, and the pattern words with the roles they play."""
    table: dict[str, Entry] = {}
    for word, valence in _vader_lexicon().items():
        table[word] = Entry(word, SENT, valence / 1.5)
    for word, valence in lx.EN_FINANCE.items():
        table[word] = Entry(word, SENT, valence / 1.5)
    for word in lx.ZH_NEUTRAL:
        table[fold(word)] = Entry(word, SENT, 0.0)
    for word, weight in {**lx.ZH_MARKET, **lx.ZH_NEGATIVE, **lx.ZH_POSITIVE, **extra}.items():
        table[fold(word)] = Entry(word, SENT, float(weight))
    for word, factor in lx.NEGATORS.items():
        table[fold(word)] = Entry(word, NEG, factor)
    for word, factor in lx.HEDGES.items():
        table[fold(word)] = Entry(word, NEG, factor)
    for word, factor in lx.POST_NEGATORS.items():
        table[fold(word)] = Entry(word, POST, factor)
    for word in lx.EN_NEGATORS:
        table[word] = Entry(word, NEG, -0.6)
    for word, factor in lx.DEGREE.items():
        table[fold(word)] = Entry(word, DEG, factor)
    for word, boost in _vader_boosters().items():
        table.setdefault(word, Entry(word, DEG, 1.0 + boost))
    for cue in lx.BYSTANDER_CUES:
        key = fold(cue)
        if key not in table or (table[key].kind == SENT and not table[key].value):
            table[key] = Entry(cue, BYS, 0.0)
    by_term: dict[str, list[str]] = {}
    weights: dict[str, float] = {}
    known = {cat.code for cat in categories}
    for cat in categories:
        for term in cat.terms:
            key = fold(term)
            by_term.setdefault(key, []).append(cat.code)
            weights.setdefault(key, cat.weight)
    for key, codes in by_term.items():
        old = table.get(key)
        if old is not None and old.kind == SENT:
            table[key] = Entry(old.term, SENT, old.value, tuple(codes), key in CONTEXT_ONLY)
        elif old is None or old.kind == BYS:
            weight = 0.0 if key in CONTEXT_ONLY else weights[key]
            strongest = inner_term(table, key) if weight < 0 else None
            if strongest is not None and strongest.value < weight:  # 涉嫌诈骗 is at least as bad as 诈骗
                weight = strongest.value
            table[key] = Entry(key, SENT, weight, tuple(codes), key in CONTEXT_ONLY)
    # A longer unfavourable phrase belongs to the categories of the terms inside it: 违规放贷
    # and 被罚 are 监管处罚 because 违规 and 罚 … are.  (Not context-only terms: 客服 in
    # 客服态度差 does not make a complaint; the phrase's own category terms do.)
    # (One automaton finds the terms inside each key, not every term searched for in every key;
    # the terms' order, as configured, is kept by their position.)
    inner = _finder({key: (rank, key, codes) for rank, (key, codes) in enumerate(by_term.items())
                     if len(key) >= 2 and key not in CONTEXT_ONLY})
    for key, entry in list(table.items()):
        if entry.kind != SENT or entry.value >= 0 or entry.categories:
            continue
        found = sorted(hit for _end, hit in inner.iter(key) if hit[1] != key)
        inherited = tuple(dict.fromkeys(c for _rank, _term, codes in found for c in codes))
        if inherited:
            table[key] = Entry(entry.term, SENT, entry.value, inherited)
    # the lexicon's own phrases of a category (a transaction failing, an account opened unchecked)
    for word, (weight, phrase_codes) in lx.CATEGORY_PHRASES.items():
        key = fold(word)
        old = table.get(key)
        if old is None or (old.kind == SENT and not old.categories):
            table[key] = Entry(word, SENT, old.value if old is not None and old.value else weight,
                               tuple(c for c in phrase_codes if c in known), key in CONTEXT_ONLY)
    # response frames (回应 …) and warning or campaign words keep whatever else they are; a new
    # word takes the weight of the strongest term inside it (非法吸收 is still 非法)
    for words, flag in ((lx.FRAMES, {"frame": 1}), (lx.PRE_FRAMES, {"frame": 2}),
                        (lx.AWARENESS, {"awareness": 1}),
                        (lx.POLICE_STEPS, {"awareness": 2}), (lx.RUMOURS, {"rumour": True}), (PATTERN_WORDS, {})):
        for word in words:
            key = fold(word)
            old = table.get(key)
            if old is None and not (words is PATTERN_WORDS and key.startswith(_NEGATED_STARTS)):
                # (a negated pattern word, 没逾期 or 都没逾期, is not the arrears inside it: unpaired it is nothing)
                old = inner_term(table, key)
            table[key] = replace(old, **flag) if old is not None else Entry(word, CUE, 0.0, **flag)
    for word, value in lx.BANK_VIEW.items():
        key = fold(word)
        if key in table:
            table[key] = replace(table[key], bank_value=value)
    for word in lx.OUTCOMES:
        key = fold(word)
        if key in table and table[key].kind == SENT:
            table[key] = replace(table[key], fact=True)
    # pattern words (lx.PATTERNS): a term that contains one plays its part (被盗刷 is 盗刷); a
    # one-character word only as itself (收 is not in 收入)
    for key in map(fold, lx.ZH_NEUTRAL):
        swallowed = inner_term(table, key)
        if swallowed is not None and swallowed.value < 0 and table[key].kind == SENT and not table[key].value:
            table[key] = replace(table[key], shield=True)
    words = _finder({w: (rank, w) for rank, w in enumerate(PATTERN_WORDS)})
    for key, entry in list(table.items()):
        if is_latin_word(key):
            if key in words:  # 只给3k: a Latin pattern word plays its part as itself
                table[key] = replace(entry, cue_of=(key,) if key in CUE_WORDS else (),
                                     object_of=(key,) if key in BY_OBJECT else ())
            continue
        inside = sorted({hit for _end, hit in words.iter(key)})
        if not inside:
            continue
        # the longest word first: 门槛提高 is a threshold raised (fee_rate) before 提高 is a rate rise
        roles = sorted((w for _rank, w in inside if len(w) > 1 or w == key or _adverb_form(key, w)),
                       key=len, reverse=True)
        if roles:
            # (a negated word is not the cue inside it: 我没逾期 is no arrears that makes 催收 a creditor's step)
            table[key] = replace(entry, cue_of=tuple(w for w in roles if w in CUE_WORDS and (
                                     w == key or not key.startswith(_NEGATED_STARTS) or w.startswith(_NEGATED_STARTS))),
                                 object_of=tuple(w for w in roles if w in BY_OBJECT))
    for key, entry in list(table.items()):
        sensitive = entry.bank_value is not None or not BANKS_ONLY_OBJECTS.isdisjoint(entry.object_of)
        if (sensitive or entry.kind in (BYS, POST) or entry.frame or entry.rumour or entry.awareness
                or (entry.kind == NEG and entry.term in lx.DENIALS) or entry.term in lx.ACCUSATIONS):
            entry = table[key] = replace(entry, special=True, bank_sensitive=sensitive)
        if entry.object_of:
            table[key] = replace(entry, pairs=_pairs(entry))
    return table


def _pairs(entry: Entry) -> tuple[Pair, ...]:
    """The patterns an object term can complete, in the order :func:`paired` tries them, less those
    it never completes whatever the text: a pattern never turns a term the other way (不良率下降
    stays good news after 利润), nor a phrase listed as neutral (公安冻结) into bad news, nor
    neutralises the bank's own failing (未及时止付 is no creditor's 止付 after 诈骗) or a strong grievance that
    holds the object (暴力催收 after 逾期)."""
    return tuple((role, pattern, _CUE_SETS[pattern], pattern.window * CJK_BYTES)
                 for role in entry.object_of for pattern in BY_OBJECT.get(role, ())
                 if not ((entry.kind == SENT and entry.value * pattern.weight < 0)
                         or (entry.shield and pattern.weight)
                         or (not pattern.weight and entry.term in lx.ACCUSATIONS)
                         # a strong grievance that only contains the object (暴力催收 holds 催收) is no creditor's step
                         or (not pattern.weight and entry.term not in pattern.objects
                             and entry.value <= -lx.STRONG_GRIEVANCE)))


# 很低, 太慢, 这么难: a degree adverb before a one-character pattern word is still that word
_ADVERBS = frozenset("很 太 好 真 超 挺 贼 巨 极 更 非常 特别 这么 那么 如此 越来越 有点 有些".split())


def _adverb_form(key: str, word: str) -> bool:
    return key.endswith(word) and key[:-len(word)] in _ADVERBS


def _finder(words: Mapping[str, tuple[Any, ...]]) -> ahocorasick.Automaton:
    """An automaton that finds every one of ``words`` inside a key (``iter``: overlapping matches
    too), with its value; ``in`` says whether a key is one of them."""
    finder = ahocorasick.Automaton()
    for word, value in words.items():
        finder.add_word(word, value)
    if words:
        finder.make_automaton()
    return finder


def inner_term(table: Mapping[str, Entry], key: str) -> Entry | None:
    """The strongest sentiment term inside a new key, standing for the key; of two as strong, the
    longer, then the later one (被停职 is 停职, personnel, not 被停: the same every run, where a
    set's order once chose, and the scorer's version changed from one process to the next)."""
    best: Entry | None = None
    rank = (0.0, 0, 0)
    size = len(key)
    for length in range(2, size):
        for start in range(size - length + 1):
            entry = table.get(key[start:start + length])
            if entry is not None and entry.kind == SENT and entry.value and (abs(entry.value), length, start) > rank:
                best, rank = entry, (abs(entry.value), length, start)
    if best is None:
        return None
    return Entry(key, SENT, best.value, best.categories, best.context_only)


def paired(entry: Entry, start: int, clause: int, sentence: int,
            cues: Mapping[str, tuple[int, int, int]], bank: bool, data: str,
            named: Sequence[tuple[int, int]] = ()) -> Entry | None:
    """The pattern this object completes with a cue shortly before it in its clause (or its
    sentence, for patterns that reach across clauses, but not across a list: 存款、理财、保险), if
    any.  A pattern never turns a term the other way (不良率下降 stays good news after 利润), nor
    a phrase listed as neutral (公安冻结) into bad news (``entry.pairs`` leaves those out).  An
    entity's name between cue and object (``named``: spans) does not count towards the window:
    存款在某某银行某支行被冒领."""
    # Of the patterns one role completes, a neutraliser in reach wins (逾期…冻结); else the one whose cue
    # is nearest the object: 存款被某行员工转走 is the employee's act (员工…转走), not only money gone.
    chosen: tuple[int, str, str, lx.Pattern] | None = None
    for role, pattern, wanted, window in entry.pairs:
        if chosen is not None and role != chosen[2]:
            break
        if pattern.banks_only and not bank:
            continue
        # the nearest cue in reach (a set intersection: a long text has seen many cues)
        best: tuple[int, str] | None = None
        for cue in (cues if len(cues) <= 8 else wanted.intersection(cues)):
            if cue not in wanted:
                continue
            seen = cues[cue]
            gap = start - seen[0]
            if (gap > window and named
                    and (seen[1] == clause or (pattern.across and seen[2] == sentence))):
                gap -= _named_between(named, seen[0], start)
            if (0 <= gap <= window
                    and (seen[1] == clause
                         or (pattern.across and seen[2] == sentence and LIST_MARK not in data[seen[0]:start]))
                    and (best is None or (seen[0], cue) > best)):
                best = (seen[0], cue)
        if best is not None:
            if not pattern.weight:
                chosen = (best[0], best[1], role, pattern)
                break
            if chosen is None or best[0] > chosen[0]:
                chosen = (best[0], best[1], role, pattern)
    if chosen is None:
        return None
    return pattern_entry(chosen[3], chosen[1], chosen[2], entry.value if entry.kind == SENT else 0.0,
                         entry.fact or not (entry.kind == SENT and entry.value <= -lx.FACT_MARK))


def _named_between(named: Sequence[tuple[int, int]], begin: int, end: int) -> int:
    """How many bytes of [begin, end) lie inside the names' spans."""
    return sum(min(e, end) - max(s, begin) for s, e in named if s < end and e > begin)


@functools.lru_cache(maxsize=2048)
def pattern_entry(pattern: lx.Pattern, cue: str, obj: str, value: float = 0.0, plain: bool = True) -> Entry:
    """The pair as one term.  An unfavourable pattern never weakens an object that is worse on its
    own (理财经理…诱导 is at least 诱导): it adds the reading, and its categories, not a discount.  An outcome
    pattern (lx.Pattern.fact) is an outcome only where its object shows no grievance of its own (``plain``):
    提额…很慢 does, 已经…注销 does not."""
    worse = pattern.weight < 0 and value < 0  # (nor makes it count in short texts only: weak)
    weight = min(pattern.weight, value) if worse else pattern.weight
    return Entry(f"{cue}…{obj}", SENT, weight, pattern.categories, weak=pattern.weak and not worse,
                 negation=fold(cue) in NEGATOR_WORDS, fact=pattern.fact and plain)


def is_latin_word(key: str) -> bool:
    return bool(key) and key.isascii() and LATIN_WORD.fullmatch(key) is not None


@functools.cache
def _vader_lexicon() -> dict[str, float]:
    # heavy: VADER's 7,500-word lexicon, only for English text
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    # two-letter chat abbreviations (wd, qq, ty, xd) are pinyin initials or app names in Chinese posts
    return {w: v for w, v in SentimentIntensityAnalyzer().lexicon.items() if is_latin_word(w) and len(w) > 2}


@functools.cache
def _vader_boosters() -> dict[str, float]:
    from vaderSentiment.vaderSentiment import BOOSTER_DICT  # heavy: VADER's 7,500-word lexicon, only for English text

    return {w: v for w, v in BOOSTER_DICT.items() if is_latin_word(w)}
