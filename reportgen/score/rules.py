"""The default scorer: explainable rules over the project's own lexicon.

How one item is judged for one bank:

1. Title and body are folded (Traditional → Simplified, lower case) and cut into sentences
   (。！？；) and clauses (，、：…).  A title identical to the body is read once, as body.
2. One Aho–Corasick pass finds lexicon terms, negators, degree words, bystander cues, category
   terms and the words of cue…object patterns (:mod:`.terms`); English words are looked up in
   VADER's lexicon plus finance terms.  A cue followed within a few characters of its clause by
   its object (存款…被转走, 信用卡…被盗刷) stands for the object, with its own weight, categories
   and the reason ``cue…object``; a neutralising pair (逾期…冻结, 年费…全免) takes the object's
   weight away.
3. Each sentiment term contributes ``weight × degree × negation × place``, where *place* says how
   much the clause is about this bank: 1.0 in a clause that names the bank, 0.6 elsewhere in the
   same sentence (unless that clause names another bank), 0.25 elsewhere, where a long text's
   unfavourable terms add up to ``AMBIENT_CAP`` at most; the title counts twice.
   A short text that names no other bank (a post, a hot-search title) is about the bank
   throughout and counts like a title; a customer's own post of up to ``lx.POST_TEXT`` characters
   about one bank counts its other sentences at ``PLACE_POST_ELSEWHERE``.  After a response
   frame next to the name (某行回应…, 网曝某行…) the rest of the sentence is the bank's clause,
   but for a clause that names another bank only (某行被罚，乙行获评优秀).  A bank named alone in
   a list (某行、乙行、丙行因…被罚) shares the clause that ends the list.
   Terms inside an entity's own name (an entity called 诈骗平台 …) do not count.
4. A bank named in a bystander role (存管银行, 托管方, 冒充…银行, 骗取…银行贷款), or only in a
   hashtag or an @-mention, does not carry that sentence's bad news unless the sentence blames
   it (难辞其咎, 勾结): its unfavourable terms count at ``BYSTANDER_DAMPING``.  So do crime words
   in a warning or campaign sentence (反诈宣传) or beside a police freeze (公安冻结; not the crime
   of the bank's own staff), and a bank reads creditor words (冻结, 逾期) as its own routine.  A
   sentence that names the bank's own failing (系统漏洞, 审核不严, 未履行) blames it.
5. ``score = tanh(sum / SCALE)``; ≤ ``NEGATIVE_AT`` (-0.4) is negative, ≥ ``POSITIVE_AT`` (0.2)
   positive.  The largest contributions are the reasons.  Risk categories fire from terms in the
   clauses that count for the bank, and attach only to a negative judgement, except results
   (performance) and personnel changes, which are tagged whatever the label.  A post of up to
   ``lx.POST_TEXT`` characters that names no other bank gives the bank the risk categories of any
   of its sentences (a complaint names the fee or the product a sentence after the bank), and a
   fee or rate noun tags ``fee_rate`` beside a complaint (``lx.WITH_COMPLAINT``).

The lexicon is written as word families (synonyms, informal and degree-marked variants: 很低 is
低 after 效率), not as the wording of the posts it was checked on.
"""

from __future__ import annotations

import bisect
import functools
import gc
import hashlib
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import compress, count
from operator import attrgetter, itemgetter

import ahocorasick

from reportgen.score import CategoryHit, Judgement, Reason, ScoreInput, Target, clamp
from reportgen.score import lexicon as lx
from reportgen.score.categories import DEFAULT_CATEGORIES, NEUTRAL_CATEGORIES, Category
from reportgen.score.match import fold
from reportgen.score.terms import (
    ANY_LATIN,
    BYS,
    CJK_BYTES,
    CUE,
    DEG,
    LATIN_WORD,
    NEG,
    POST,
    SENT,
    Entry,
    build_table,
    enc,
    is_latin_word,
    paired,
)

SHORT_BYTES = lx.SHORT_TEXT * CJK_BYTES
POST_BYTES = lx.POST_TEXT * CJK_BYTES

RULES_VERSION = "6"  # bump on any change to the logic below (the lexicon is hashed in)

TITLE_FACTOR = 2.0
PLACE_CLAUSE = 1.0
PLACE_SENTENCE = 0.6
PLACE_ELSEWHERE = 0.25
PLACE_UNNAMED = 0.0  # the target is named only inside a longer entity name (钱宝 in 钱宝网): not its news
SCALE = 4.0
NEGATIVE_AT = -0.4
POSITIVE_AT = 0.2
MAX_REASONS = 5
NEGATED_CAP = 0.5
# A long text's sentences that do not name the bank (a platform's collapse told at length, a digest's
# other items) add at most this much unfavourable weight in all: about what just reaches NEGATIVE_AT
# (4·atanh 0.4 ≈ 1.69), so a heap of other parties' bad news can tip a bank only when nothing else is
# said of it, and any favourable word in its own sentences outweighs it.  Chosen on devset train and
# on FinNSP train's bank pairs outside the devset (1.0–2.0 give the same train figures).
AMBIENT_CAP = 1.7
HEDGED = "hedged by"  # the note on a term after a hedge (lx.HEDGES)

PLACE_SHORT_SENTENCE = 1.0  # a short text naming only this bank (lx.SHORT_TEXT): its other clauses
PLACE_SHORT_ELSEWHERE = 1.0
SHORT_FACTOR = 1.5  # and a short text is all headline: it counts like a title
# a customer's own post (first person) of up to lx.POST_TEXT characters naming only this bank (a forum
# complaint told in a few sentences): its other sentences count nearly as much as the rest of the bank's
# own sentence (below PLACE_SENTENCE: a bank named only as a bystander stays one), and the ambient cap
# does not apply
PLACE_POST_ELSEWHERE = 0.5

# every boundary is one byte (ASCII) or three (CJK punctuation, …): a three-byte one starts with a
# lead byte no ASCII boundary shares, so a slice of three at a boundary tells which it is
_SENTENCE_BYTE = frozenset(c for c in lx.SENTENCE_ENDS if len(enc(c)) == 1)
_SENTENCE_CHARS = frozenset(enc(c) for c in lx.SENTENCE_ENDS if len(enc(c)) == 3)
_ANAPHORA = tuple(enc(fold(a)) for a in lx.ANAPHORA)
_BANK_ANAPHORA = tuple(enc(fold(a)) for a in lx.BANK_ANAPHORA)
_NO_CLAUSES: frozenset[int] = frozenset()
_BOUNDARIES = frozenset(lx.SENTENCE_ENDS + lx.CLAUSE_ENDS)
_TRIM = lx.SENTENCE_ENDS + lx.CLAUSE_ENDS + " \u3000\xa0\t"
_CLAUSE_RE = re.compile("|".join(re.escape(enc(c)) for c in lx.SENTENCE_ENDS + lx.CLAUSE_ENDS))
assert all(len(enc(c)) in (1, 3) for c in lx.SENTENCE_ENDS + lx.CLAUSE_ENDS), "see _SENTENCE_CHARS"
# an @-handle runs from @ to the first space or punctuation (@某银行信用卡中心)
_HANDLE_STOP = re.compile(r"[\s@＠#" + re.escape(lx.SENTENCE_ENDS + lx.CLAUSE_ENDS) + "]")
_HANDLE_BYTES = 16 * CJK_BYTES
_FULLWIDTH_AT = enc("＠")
# a headline of the bank's name and one channel word: the words, and what is dropped around them
_BARE_WORDS = {fold(w): w for w in lx.BARE_HEADLINES}
_BARE_BYTES = 40 * CJK_BYTES
_BARE_DROP = re.compile("[" + re.escape(lx.SENTENCE_ENDS + lx.CLAUSE_ENDS + " \u3000\xa0\t") + "]")
_OWN_SENTENCE = lx.OWN_SENTENCE_CATEGORIES
_OBJECT_CUES = frozenset(fold(c) for c in lx.OBJECT_CUES)
_ADJACENT_CUES = frozenset(fold(c) for c in lx.ADJACENT_CUES)
_REBUTTALS = frozenset(fold(c) for c in lx.REBUTTALS)
_LIST_MARK = enc("、")
_LISTED_BYTES = lx.LISTED_CLAUSE * CJK_BYTES
_NAME_BYTES = 12 * CJK_BYTES  # a list item: a name, maybe with its branch
_PASSIVE_MARKS = tuple(enc(m) for m in lx.PASSIVE_MARKS)
# right before an impersonation cue, the passive makes the bank its object (某行被冒充, 被人冒充); a passive
# further back belongs to another act (存款被人用伪造的签名取走: the bank paid out on a forged signature)
_PASSIVE_BEFORE_CUE = _PASSIVE_MARKS + tuple(m + enc("人") for m in _PASSIVE_MARKS)
_QUESTION_MARK = enc("？")  # (forum posts also show a lost emoji as ?: for an outcome, only the full-width one)
_FULLWIDTH_SHOUT = enc("！")
_YOU = enc("你")
_NOT_ASKED = tuple(enc(fold(w)) for w in lx.NOT_ASKED)
_ASK_ON = tuple(enc(fold(w)) for w in lx.ASK_ON)
_SHARED = tuple(enc(fold(w)) for w in lx.SHARED_OPENERS)
_NOT_PROMISED = enc("不是说")
# 这不是…吗 affirms (这不是浪费时间吗？ 岂不是…吗): the negator is rhetorical, the term the writer's claim (a bare
# …不是记仇吗？ may ask)
_RHETORICAL_NOT = frozenset(fold(w) for w in ("不是", "难道不是"))
_RHETORICAL_LEADS = frozenset(enc(c) for c in "这那岂还道")
_QUESTION_END = enc("吗")
# a question about what may happen (用了会黑屋吗？ 会被起诉吗？): 会 before the term, in no word that only
# contains it (会员, 银监会), and not a demanding question (怎么会被降额？ is the grievance)
_WILL = enc("会")
_NOT_WILL = tuple(enc(w) for w in ("会员", "机会", "社会", "监会", "委员会", "协会", "开会", "学会", "会计", "会议",
                                   "理会"))
_DEMANDING = tuple(enc(w) for w in ("怎么", "为什么", "为啥", "咋", "凭什么", "凭啥", "居然", "竟然", "又"))
# a question that is the writer's claim: rhetorical (有这么坑的吗, 还有比这更…, 难道) or a demand (还让不让人活)
_RHETORICAL = tuple(enc(w) for w in lx.RHETORICAL_QUESTIONS)
# the notes of a term that is no claim of the writer's: only the largest of them counts
_UNCLAIMED = ("told flatly", HEDGED, "a supposition", "a question", "asked of another poster", "a quoted word")
_ASKABLE = lx.HEDGE_WEAKENS | {"fee_rate"}
# what tells that a forecast came true (lx.FORECAST_CAME_TRUE)
_CAME_TRUE = tuple(enc(fold(w)) for w in lx.FORECAST_CAME_TRUE)
_ANY_CAME_TRUE = re.compile("|".join(re.escape(fold(w)) for w in lx.FORECAST_CAME_TRUE))  # (in the characters)
_QUOTE_OPEN = enc("“")
_QUOTE_CLOSE = enc("”")
# a short quotation right before a question mark: “某词”？ (a word the poster picks up, not their own claim)
_QUOTED = re.compile(re.escape(enc("“")) + "(?:(?!" + re.escape(enc("”")) + f").){{1,{lx.QUOTED_WORD * CJK_BYTES}}}"
                     + re.escape(enc("”")) + "(?:" + re.escape(enc("？")) + "|\\?)", re.DOTALL)
_SUPPOSING_WORDS = tuple(enc(w) for w in lx.SUPPOSITIONS)
_SUPPOSING = re.compile("|".join(re.escape(w) for w in _SUPPOSING_WORDS))
# most texts have none: one search of the folded characters first (a word is in the UTF-8 bytes exactly where
# it is in the characters, and the engine skips ahead on the words' few first characters), not one per word
_ANY_SUPPOSING = re.compile("|".join(re.escape(w) for w in lx.SUPPOSITIONS))
_ANY_FIRST_PERSON = re.compile("|".join(re.escape(w) for w in lx.FIRST_PERSON))
_NOT_IF = enc("要")  # 要不是
_PAST_IF = tuple(enc(w) for w in lx.PAST_SUPPOSITIONS)
_HAPPENED_IF = tuple(enc(w) for w in lx.HAPPENED_SUPPOSITIONS)
_THEN = enc("就")
_THEN_NOT = tuple(enc(w) for w in ("是", "算", "这样", "会被"))  # 就是坑, 就算, 就这样: no consequence
# a degree adverb or suffix with a plain judgement (太坑, 抠的一批): the register of posts too
_JUDGED = frozenset(a + w for a in lx.DEGREE_ADVERBS.split() for w in lx.PLAIN_JUDGEMENTS.split()) | frozenset(
    w + x for w in lx.PLAIN_JUDGEMENTS.split() for x in lx.DEGREE_SUFFIXES.split())
_START = itemgetter(0)
_new_tuple = tuple.__new__
_ENTRY = itemgetter(2)
_SPECIAL = attrgetter("special")


# One lexicon hit: start, end, entry, clause index, sentence index (tuples: this is the hot path).
_Hit = tuple[int, int, Entry, int, int]
# A sentiment term after negation and degree: start, clause, sentence, value, negated, notes, entry.
# Negation and degree depend on the text only, so they are worked out once per item, not per bank.
_Term = tuple[int, int, int, float, bool, str, Entry]


@dataclass(slots=True)
class _Part:
    """One analysed field (title or body); shared by every target the item is judged for."""

    where: str
    text: str  # original
    folded: str  # folded, as characters
    data: str  # folded, as UTF-8 bytes (enc): every position refers to this
    hits: list[_Hit]
    hit_starts: list[int]
    cues: list[_Hit]  # bystander cues
    frames: list[_Hit]  # response frames (回应, 网曝 …)
    denied: frozenset[int]  # sentences with a denial (辟谣, …纯属谣言)
    aware: frozenset[int]  # warning and campaign sentences (lx.AWARENESS)
    first_person: bool  # a customer's own story (lx.FIRST_PERSON)
    handles: frozenset[int]  # hits inside an @-handle (@某某经济犯罪侦查): a name, not a claim
    accused: frozenset[int]  # sentences that blame someone (lx.ACCUSATIONS): no bystander there
    clause_ends: list[int]  # positions of the clause boundaries
    sentence_ends: list[int]  # positions of the sentence boundaries
    tags: bool  # has # or @: a name in it may be a hashtag or a handle
    bank_sensitive: bool  # reads differently when a bank is the target (lx.BANK_VIEW, banks-only patterns)
    police: frozenset[int] = frozenset()  # of ``aware``, the sentences marked by a police or court freeze only
    questions: frozenset[int] = frozenset()  # sentences that end in a full-width question mark
    shouts: frozenset[int] = frozenset()  # sentences that end in an exclamation mark
    asked: frozenset[int] = frozenset()  # questions put to another poster (你…吗？): lx.ASKED
    quoted: tuple[tuple[int, int], ...] = ()  # a short quotation questioned (“某词”？): a word mentioned, not said
    # sentence → the span of a supposition and its consequence (要是…，我就…)
    supposed: Mapping[int, tuple[int, int]] = field(default_factory=dict)
    terms_cache: dict[tuple[frozenset[int], bool, tuple[tuple[int, int], ...]], list[_Term]] = field(
        default_factory=dict)
    mask_cache: dict[tuple[str, ...], tuple[frozenset[int], tuple[tuple[int, int], ...]]] = field(
        default_factory=dict)
    clause_cache: dict[int, str] = field(default_factory=dict)
    place_cache: dict[int, tuple[int, int]] = field(default_factory=dict)
    span_cache: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    came_true_at: int | None = None  # where the last word that tells a forecast came true starts (-1: none)

    # A clause (sentence) is identified by where it ends: the position of the first clause
    # (sentence) boundary at or after a position.  Only the few positions that matter are looked
    # up, which is much cheaper than cutting every text into clauses.

    def place_of(self, pos: int) -> tuple[int, int]:
        """(clause, sentence) of a position, memoised: targets of one item share their names."""
        found = self.place_cache.get(pos)
        if found is None:
            found = self.place_cache[pos] = (self.clause_ends[bisect.bisect_left(self.clause_ends, pos)],
                                             self.sentence_ends[bisect.bisect_left(self.sentence_ends, pos)])
        return found

    def spans(self, names: Iterable[str]) -> list[tuple[int, int]]:
        """Where ``names`` occur in ``data``, name by name (a new list): each name is searched for once per part,
        though the targets of an item, their co-mentions and the masks all look their names up."""
        cache = self.span_cache
        out: list[tuple[int, int]] = []
        for name in names:
            found = cache.get(name)
            if found is None:
                found = cache[name] = _spans(self.data, (name,))
            out += found
        return out

    def clause_of(self, pos: int) -> int:
        return self.place_of(pos)[0]

    def sentence_of(self, pos: int) -> int:
        return self.sentence_ends[bisect.bisect_left(self.sentence_ends, pos)]

    def clause_text(self, clause: int) -> str:
        """The clause that ends at ``clause``, as written (not folded), trimmed for display."""
        text = self.clause_cache.get(clause)
        if text is None:
            data = self.data
            end = len(data[:clause].encode("latin-1").decode("utf-8", "replace"))
            ends = self.clause_ends
            i = bisect.bisect_left(ends, clause)
            if i < len(ends) and ends[i] == clause:
                # the boundary before it is the previous clause end: characters from there counted, not walked
                start = end - len(data[ends[i - 1]:clause].encode("latin-1").decode("utf-8", "replace")) if i else -1
            else:
                start = end - 1
                while start >= 0 and self.folded[start] not in _BOUNDARIES:
                    start -= 1
            text = self.clause_cache[clause] = self.text[start + 1:end].strip(_TRIM)[:80]
        return text

    def unfavourable_between(self, start: int, end: int) -> bool:
        """Does an unfavourable term start in [start, end)?"""
        i = bisect.bisect_left(self.hit_starts, start)
        while i < len(self.hits) and self.hits[i][0] < end:
            entry = self.hits[i][2]
            if entry.kind == SENT and entry.value < 0:
                return True
            i += 1
        return False

    def masked(self, names: tuple[str, ...]) -> tuple[frozenset[int], tuple[tuple[int, int], ...]]:
        """Hits inside any entity's name (诈骗平台 as a name is not a fraud report), and the names'
        spans, which a cue…object pattern reads across.  Same for every target."""
        found = self.mask_cache.get(names)
        if found is None:
            spans = self.spans(names)
            found = self.mask_cache[names] = (frozenset(self.masked_hits(spans)), tuple(sorted(spans)))
        return found

    def masked_hits(self, spans: Iterable[tuple[int, int]]) -> set[int]:
        """Indexes of the hits that overlap any of ``spans`` (an entity's own name)."""
        out: set[int] = set()
        starts = self.hit_starts
        for s, e in spans:
            i = max(bisect.bisect_left(starts, s) - 1, 0)
            while i < len(starts) and starts[i] < e:
                hit_start, hit_end, entry = self.hits[i][:3]
                # a pattern cue that runs on past the name is the next word's (行员 in 工行员工): kept
                if hit_end > s and not (entry.kind == CUE and (hit_start < s or hit_end > e)):
                    out.add(i)
                i += 1
        return out


class RulesScorer:
    """Lexicon rules with negation, degree, clause targeting and bystander roles."""

    name = "rules"

    def __init__(self, categories: Sequence[Category] = DEFAULT_CATEGORIES, *,
                 extra_terms: Mapping[str, float] | None = None) -> None:
        with _collector_paused():
            self._build(categories, extra_terms or {})

    # --- building ---

    def _build(self, categories: Sequence[Category], extra_terms: Mapping[str, float]) -> None:
        self.categories = tuple(categories)
        entries = build_table(self.categories, extra_terms)
        self._automaton = ahocorasick.Automaton()
        self._latin: dict[str, Entry] = {}
        for key, entry in entries.items():
            if is_latin_word(key):
                self._latin[key] = entry
            elif key:
                self._automaton.add_word(enc(key), (len(enc(key)) - 1, entry))
        self._automaton.make_automaton()
        digest = hashlib.sha256(json.dumps(
            [RULES_VERSION, TITLE_FACTOR, SHORT_FACTOR, PLACE_CLAUSE, PLACE_SENTENCE, PLACE_ELSEWHERE,
             PLACE_SHORT_SENTENCE, PLACE_SHORT_ELSEWHERE, SCALE, NEGATIVE_AT, POSITIVE_AT, lx.SHORT_TEXT,
             lx.FRAME_WINDOW, lx.FRAMES, lx.PRE_FRAMES, lx.PATTERNS, lx.FALLBACK_CATEGORY, AMBIENT_CAP,
             PLACE_POST_ELSEWHERE, lx.POST_TEXT,
             sorted(lx.HEDGE_WEAKENS), sorted(lx.HEDGE_SPARES), sorted(lx.HEDGE_DROPS), sorted(lx.FORECASTS),
             lx.FORECAST_CAME_TRUE, sorted(lx.FORECAST_MISTAKEN),
             sorted(lx.OBJECT_CUES), lx.PASSIVE_MARKS, lx.SECOND_PERSON, lx.OWN_TAG_REST, lx.TAG_JOINERS,
             lx.ANAPHORA, lx.BANK_ANAPHORA, lx.LISTED_CLAUSE, lx.LIST_LEAD, lx.FACT_DAMPING, lx.FACT_MARK,
             lx.ASKED_DAMPING, lx.NOT_ASKED, lx.RHETORICAL_QUESTIONS, sorted(lx.SWEARS),
             lx.ASK_ON, lx.QUOTED_WORD, lx.SUPPOSITIONS, lx.PAST_SUPPOSITIONS,
             lx.HAPPENED_SUPPOSITIONS, lx.SUPPOSED_DAMPING, lx.PLAIN_GRIEVANCE,
             lx.STRONG_GRIEVANCE, sorted(lx.POST_REGISTER),
             sorted(lx.OUTCOMES), sorted(lx.EXASPERATION), sorted(lx.DENIALS),
             [(k, e.kind, e.value, e.categories, e.context_only, e.cue_of, e.object_of, e.frame, e.awareness,
               e.bank_value, e.rumour, e.shield, e.weak, e.negation, e.fact)
              for k, e in sorted(entries.items(), key=itemgetter(0))]],  # keys are unique: sorted by key alone
            ensure_ascii=False, default=str).encode()).hexdigest()
        self.version = f"rules-{RULES_VERSION}-{digest[:10]}"

    # --- scoring ---

    def score(self, inp: ScoreInput) -> Judgement:
        return self._judge(self._analyse(inp.title, inp.text), inp.target, inp.others)

    def score_many(self, inputs: Sequence[ScoreInput]) -> list[Judgement]:
        cache: dict[tuple[str, str], tuple[_Part, ...]] = {}
        keys = [(inp.title, inp.text) for inp in inputs]
        # each text's analysis is freed right after its last target is judged (not all at the end),
        # so the next item's tuples reuse memory still in the CPU's cache
        last = {key: i for i, key in enumerate(keys)}
        out = []
        with _collector_paused():
            for i, inp in enumerate(inputs):
                key = keys[i]
                parts = cache.get(key)
                if parts is None:
                    parts = cache[key] = self._analyse(inp.title, inp.text)
                out.append(self._judge(parts, inp.target, inp.others))
                if last[key] == i:
                    del cache[key]
                    del parts
        return out

    def _analyse(self, title: str, text: str) -> tuple[_Part, ...]:
        title = title or ""
        text = text or ""
        fields = [("title", title), ("body", text)]
        if title.strip() and title.strip() == text.strip():
            fields = [("body", text)]
        return tuple(self._part(where, value) for where, value in fields if value)

    def _part(self, where: str, text: str) -> _Part:
        folded = fold(text)
        data = enc(folded)
        size = len(data)
        clause_ends = [m.start() for m in _CLAUSE_RE.finditer(data)]
        # sentence ends are the clause ends that end a sentence: no second scan of the text
        sentence_ends = [i for i in clause_ends if data[i] in _SENTENCE_BYTE or data[i:i + 3] in _SENTENCE_CHARS]
        quoted = tuple((m.start(), m.end()) for m in _QUOTED.finditer(data)) if _QUOTE_OPEN in data else ()
        if quoted:  # (“免年费”？照样扣了: the quotation questioned and what answers it are one sentence)
            marks = {end - (1 if data[end - 1] == "?" else CJK_BYTES) for _, end in quoted}
            sentence_ends = [i for i in sentence_ends if i not in marks]
        clause_ends.append(size)
        sentence_ends.append(size)
        find = bisect.bisect_left
        latin = ([(m.start(), m.end(), self._latin[m.group()]) for m in LATIN_WORD.finditer(data)
                  if m.group() in self._latin] if self._latin and ANY_LATIN.search(data) else None)
        hits: list[_Hit]
        if latin:
            raw = sorted([(end_index - last, end_index + 1, entry)
                          for end_index, (last, entry) in self._automaton.iter_long(data)] + latin, key=itemgetter(0))
            hits = [(s, e, entry, clause_ends[find(clause_ends, s)], sentence_ends[find(sentence_ends, s)])
                    for s, e, entry in raw]
        else:  # one pass, no list of bare spans first (the automaton's value holds length - 1)
            hits = [(s, end_index + 1, entry, clause_ends[find(clause_ends, s)], sentence_ends[find(sentence_ends, s)])
                    for end_index, (last, entry) in self._automaton.iter_long(data) for s in (end_index - last,)]
        # the few hits with a role looked up per text, found by C iterators over the many
        special = [(i, hits[i]) for i in compress(count(), map(_SPECIAL, map(_ENTRY, hits)))]
        denied = frozenset(h[4] for _, h in special if h[2].kind == POST or h[2].rumour
                           or (h[2].kind == NEG and h[2].term in lx.DENIALS))
        aware = frozenset(h[4] for i, h in special if h[2].awareness and not (  # 没警惕 is no warning
            i and hits[i - 1][2].kind == NEG and hits[i - 1][1] == h[0]) and not _faulted(hits, i))
        police = frozenset(h[4] for _, h in special if h[2].awareness == 2) if aware else frozenset()
        if police:
            police -= {h[4] for _, h in special if h[2].awareness == 1}
        questions, shouts, asked = _moods(data, folded, sentence_ends)
        return _Part(where, text, folded, data, hits, list(map(_START, hits)),
                     [h for _, h in special if h[2].kind == BYS],
                     [h for _, h in special if h[2].frame], denied, aware, _ANY_FIRST_PERSON.search(folded) is not None,
                     _handle_hits(data, hits) if "@" in data else frozenset(),
                     frozenset(h[4] for _, h in special if h[2].term in lx.ACCUSATIONS), clause_ends, sentence_ends,
                     "@" in data or "#" in data or _FULLWIDTH_AT in data,
                     any(h[2].bank_sensitive for _, h in special), police & aware, questions, shouts, asked, quoted,
                     _suppositions(data, clause_ends, sentence_ends)
                     if _ANY_SUPPOSING.search(folded) is not None else {})

    def _judge(self, parts: Sequence[_Part], target: Target, others: Sequence[Target]) -> Judgement:
        names, other_names, all_names, is_bank, containing = _names(
            target, others if type(others) is tuple else tuple(others))
        total = 0.0
        ambient = 0.0  # unfavourable weight counted from sentences that do not name the bank
        # contribution, term, part, clause, notes: Reasons are built only for the largest few
        contributions: list[tuple[float, str, _Part, int, str]] = []
        cat_hits: dict[str, tuple[list[str], _Part, int, bool]] = {}  # code → terms, part, clause, strong
        named_anywhere = tagged_anywhere = any_bystanders = named_in_title = False
        grievance: bool | None = None  # does any other unfavourable word show a grievance (lx.OUTCOMES)?
        flat = 0.0  # the largest outcome told flatly so far: flat outcomes do not add up (还在审核，没动静)
        plain: tuple[str, _Part, int] | None = None  # a post's grievance word of no category (吃相难看, 真坑)
        analysed = []
        for part in parts:
            found = _occurrences(part, names, containing) if names else []
            # a bank named as a hashtag or an @-handle only (#某平台暴雷# @某银行) is not the subject there
            own = [o for o in found if not _tagged(part, o)] if found and is_bank and part.tags else found
            masked, named = part.masked(all_names) if all_names else (frozenset(), ())
            if is_bank and part.handles:
                masked = masked | part.handles
            bystanders: AbstractSet[int] = self._bystander_clauses(part, own) if own and part.cues else _NO_CLAUSES
            analysed.append((part, own, masked, bystanders, named))
            if found:
                named_anywhere = True
                tagged_anywhere = tagged_anywhere or len(own) < len(found)
                any_bystanders = any_bystanders or bool(bystanders)
                # a headline that names the bank makes the body's risk terms the bank's (for categories)
                named_in_title = named_in_title or (bool(own) and part.where == "title")
        # named only in bystander roles (存管银行…, hashtags, @): no clause of the item is its bad news
        everywhere_bystander = named_anywhere and (tagged_anywhere or any_bystanders) and all(
            not own or {part.clause_of(s) for s, _ in own} <= bystanders for part, own, _, bystanders, _ in analysed)
        for part, own, masked, bystander_clauses, named in analysed:
            # the headline counts double when it names the bank; otherwise it is one more clause
            factor = TITLE_FACTOR if part.where == "title" and (own or not names) else 1.0
            if own:
                places = [part.place_of(s) for s, _ in own]
                own_clauses: AbstractSet[int] = {c for c, _ in places}
                if is_bank and other_names and _LIST_MARK in part.data:  # 某行、乙行…被罚
                    own_clauses = own_clauses | _listed(part, own, own_clauses, _named_clauses(part, all_names))
                own_sentences: AbstractSet[int] = {n for _, n in places}
                named_sentences: AbstractSet[int] = {n for c, n in places if c not in bystander_clauses}
            else:  # not named in this part (a headline that names another entity): no sets to build
                own_clauses = own_sentences = named_sentences = _NO_CLAUSES
            bystander_sentences = ({part.sentence_of(c) for c in bystander_clauses} - named_sentences
                                   if bystander_clauses else _NO_CLAUSES)
            all_bystander = everywhere_bystander or (bool(own_clauses) and own_clauses <= bystander_clauses)
            # a short text naming no other bank is about this bank throughout (posts, hot-search titles)
            # a post about this bank alone: its risk terms anywhere are the bank's (for categories)
            about_it = (is_bank and bool(own) and len(part.data) <= POST_BYTES
                        and not any(o in part.data for o in other_names))
            short = about_it and len(part.data) <= SHORT_BYTES
            if short and part.where != "title":
                factor *= SHORT_FACTOR
            framed: dict[int, int] = {}  # sentence → position after a response frame (回应…)
            framing = [o for o in own if part.clause_of(o[0]) not in bystander_clauses] \
                if own and part.frames and not all_bystander else None
            if framing:
                for value, term, clause in _frames(part, framing, framed):
                    total += value * factor
                    contributions.append((value * factor, term, part, clause, "frame"))
            if short and own and len(part.data) <= _BARE_BYTES:
                # a trending title that is the bank and one of its channels only (某行App, 某行 系统)
                word = _bare_headline(part.data, own)
                if word is not None:
                    clause = part.clause_of(own[0][0])
                    total += lx.BARE_HEADLINE_WEIGHT * factor
                    contributions.append((lx.BARE_HEADLINE_WEIGHT * factor, word, part, clause,
                                          "the bank and its channel only"))
                    cat_hits.setdefault(lx.BARE_HEADLINE_CATEGORY, ([word], part, clause, True))
            in_sentence = PLACE_SHORT_SENTENCE if short else PLACE_SENTENCE
            # a customer's own story of this bank (first person) is the bank's from end to end
            story = about_it and part.first_person
            elsewhere = PLACE_SHORT_ELSEWHERE if short else PLACE_POST_ELSEWHERE if story else PLACE_ELSEWHERE
            # a clause that names another bank, and not this one, is that bank's (中信降额 beside 招商提额)
            theirs = ({part.clause_of(s) for s, _ in part.spans(other_names)} - own_clauses
                      if is_bank and other_names and own else _NO_CLAUSES)
            if theirs and _LIST_MARK in part.data:  # what another list shares, this bank not in it (保留乙行、丙行，…)
                theirs = theirs | (_listed(part, part.spans(other_names), own_clauses,
                                           _named_clauses(part, all_names), own_clauses) - own_clauses)
            modified = _modified_terms(part, masked, is_bank and part.bank_sensitive, named)
            body_of_title = named_in_title and part.where == "body"
            # the place of every term when the target has no names, or is not named in the item
            fixed_place = PLACE_CLAUSE if not names else None if named_anywhere else PLACE_UNNAMED
            aware = part.aware
            size = len(part.data)
            for start, clause, sentence, value, negated, notes, entry in modified:
                if entry.weak and not short:
                    continue
                if fixed_place is not None:
                    place = fixed_place
                elif clause in own_clauses or (framed and start >= framed.get(sentence, size)
                                               and clause not in theirs):  # 某行被罚，乙行获评优秀
                    place = PLACE_CLAUSE
                elif sentence in own_sentences and clause not in theirs:
                    place = in_sentence
                else:
                    place = elsewhere
                # (every damping below is of an unfavourable term: tested once, not in every branch)
                if value < 0:
                    bystander = (clause in bystander_clauses or sentence in bystander_sentences
                                 or (all_bystander and place < PLACE_SENTENCE) or (everywhere_bystander and not own))
                    if bystander:
                        value *= lx.BYSTANDER_DAMPING
                        notes = _join(notes, "bystander role")
                    elif sentence in aware and is_bank and not (
                            sentence in part.police and entry.term.partition("…")[0] in lx.STAFF_WORDS):
                        # (a police freeze does not make the bank's own people's crime someone else's case)
                        bystander = True
                        value *= lx.BYSTANDER_DAMPING
                        notes = _join(notes, "warning, campaign or police step")
                    elif part.supposed and _supposed(part, sentence, start):
                        # (要是明年扣我年费我就投诉: a threat about what has not happened)
                        bystander = True
                        value *= lx.SUPPOSED_DAMPING
                        notes = _join(notes, "a supposition")
                    elif is_bank and sentence in part.questions and _wondered(entry) \
                            and _may_happen(part, sentence, start):
                        value *= lx.ASKED_DAMPING  # (会被封卡吗？ 用了会黑屋吗？: a worry, no claim)
                        notes = _join(notes, "a question about what may happen")
                    elif is_bank and clause == sentence and sentence in part.questions \
                            and clause not in own_clauses and part.where != "title" and not entry.fact \
                            and _asked_about(entry) and not negated and "×" not in notes \
                            and _plain_question(part, sentence, start):
                        # (收费高吗？ 封卡只是因为这个吗？: the poster asks, and claims nothing; not a question
                        # whose subject is the bank, 甲银行还值得信任吗？, which insinuates, nor an outcome, told
                        # flatly below)
                        value *= lx.ASKED_DAMPING
                        notes = _join(notes, "a question")
                    elif is_bank and (sentence in part.asked or (
                            part.quoted and part.where != "title" and _quoted(part, start))):
                        # (a headline's “被办卡”？ reports what customers say: only a poster picks a word up)
                        # (你没有协商吗？ / “某词”？: another poster's matter, a word picked up)
                        value *= lx.ASKED_DAMPING
                        notes = _join(notes, "asked of another poster" if sentence in part.asked else "a quoted word")
                    elif entry.fact and is_bank and "×" not in notes and part.where != "title":
                        # (又降额: a degree word resents it; a headline's 秒拒 reports many customers' outcome, only a
                        # poster tells their own)
                        if grievance is None:  # worked out once, for the first outcome word
                            grievance = any(_grieves(_modified_terms(p, m, is_bank and p.bank_sensitive, n))
                                            for p, _, m, _, n in analysed)
                        if sentence in part.questions or not (grievance or part.shouts):
                            value *= lx.FACT_DAMPING
                            notes = _join(notes, "an outcome told flatly")
                else:
                    bystander = False
                    if value > 0:
                        if negated and sentence in part.questions:
                            value = 0.0  # (有没有乱扣费？ 算不算欺诈？ asks: no reassurance)
                        elif is_bank and part.quoted and _quoted(part, start):
                            value = 0.0  # (“秒批”？ “尊享服务”？: praise picked up to be mocked is no praise)
                            notes = _join(notes, "a quoted word")
                contribution = value * place * factor
                if contribution < 0 and notes and (
                        "told flatly" in notes or (is_bank and any(n in notes for n in _UNCLAIMED))):
                    # (two outcomes told flatly are still no grievance, nor a rule told with its two steps, 轻则降额，
                    # 重则封卡: of what is told flatly, wondered, supposed or asked, only the largest counts)
                    contribution, flat = min(0.0, contribution + flat), max(flat, -contribution)
                elif (plain is None and about_it and entry.value <= -lx.PLAIN_GRIEVANCE and not entry.categories
                      and (entry.term in lx.POST_REGISTER or entry.term in _JUDGED)
                      and place >= in_sentence and not negated and not bystander):
                    plain = (entry.term, part, clause)
                if contribution < 0 and place == elsewhere and is_bank and not (short or story):
                    # bad news told at length away from the bank's sentences counts up to a cap only
                    taken = min(-contribution, max(0.0, AMBIENT_CAP - ambient))
                    ambient += taken
                    contribution = -taken
                if contribution:
                    total += contribution
                    contributions.append((contribution, entry.term, part, clause, notes))
                if entry.categories and not negated and not bystander and (
                        (counts := not names or place >= PLACE_SENTENCE or body_of_title) or about_it):
                    for code in entry.categories:
                        if not counts and code in NEUTRAL_CATEGORIES:
                            continue  # results and appointments elsewhere in a post are not the bank's
                        if code in lx.HEDGE_DROPS and notes.startswith(HEDGED):
                            continue  # 是不是诈骗？ wonders about a crime, and reports none
                        if (code in _OWN_SENTENCE and names and not body_of_title
                                and (sentence not in own_sentences or clause in theirs)
                                and entry.term not in lx.ACCUSATIONS and "…" not in entry.term):
                            continue  # a crime a sentence away (a platform's, a fraudster's) is not the bank's
                        strong = not entry.context_only and (entry.value <= 0 or code in NEUTRAL_CATEGORIES)
                        terms, first_part, first_clause, was_strong = cat_hits.get(code, ([], part, clause, False))
                        if entry.term not in terms:
                            terms.append(entry.term)
                        cat_hits[code] = (terms, first_part, first_clause, was_strong or strong)
        score = clamp(math.tanh(total / SCALE))
        label = "negative" if score <= NEGATIVE_AT else "positive" if score >= POSITIVE_AT else "neutral"
        if len(contributions) > 1:
            contributions.sort(key=lambda c: -abs(c[0]))
        categories = self._categories(cat_hits, label, contributions, label == "negative" and any(
            part.first_person and len(part.data) <= SHORT_BYTES for part, own, _, _, _ in analysed if own), plain)
        # tuple.__new__: a named tuple's own __new__ is one more Python call per reason
        reasons = tuple([_new_tuple(Reason, (term, round(value, 3), part.where, part.clause_text(clause), notes))
                         for value, term, part, clause, notes in contributions[:MAX_REASONS]])
        return Judgement(label, round(score, 4), tuple(categories), reasons, self.name, self.version)

    def _categories(self, cat_hits: Mapping[str, tuple[list[str], _Part, int, bool]], label: str,
                    contributions: Sequence[tuple[float, str, _Part, int, str]],
                    first_person: bool, plain: tuple[str, _Part, int] | None = None) -> list[CategoryHit]:
        """Risk categories attach only to bad news for the bank; results and personnel changes are
        tagged whatever the label (shared/LABELLING.md).  A category needs one of its own terms;
        one that only a context term (客服, 监管, 行长) names fires only when no other does."""
        negative = label == "negative"
        if not cat_hits and not negative:
            return []
        strong = {code for code, hit in cat_hits.items() if hit[3] and code not in NEUTRAL_CATEGORIES}
        out = []
        for cat in self.categories:
            found = cat_hits.get(cat.code)
            if found is None:
                continue
            if cat.code in NEUTRAL_CATEGORIES:
                fires = found[3]
            else:
                fires = negative and (found[3] or not strong
                                      or (cat.code in lx.WITH_COMPLAINT and strong <= {lx.FALLBACK_CATEGORY}))
            if fires:
                out.append(CategoryHit(cat.code, tuple(found[0]), found[1].clause_text(found[2])))
        if negative and lx.FALLBACK_CATEGORY and not any(c.code not in NEUTRAL_CATEGORIES for c in out):
            # bad news no category names: a grievance about the bank (complaint) unless results
            # or an executive's fate already say what it is
            top = next((c for c in contributions if c[0] < 0), None)
            fallback = next((c for c in self.categories if c.code == lx.FALLBACK_CATEGORY), None)
            if top is not None and fallback is not None and not out:
                out.append(CategoryHit(fallback.code, (top[1],), top[2].clause_text(top[3])))
        elif negative and (first_person or (plain and all(c.code in lx.GRIEVANCES or c.code in NEUTRAL_CATEGORIES
                                                          for c in out))) and lx.FALLBACK_CATEGORY not in {
                c.code for c in out}:
            # a customer's own fee, mis-selling or loss story is a grievance too, and so is one told with a
            # grievance word of no category beside it (年费照样扣，吃相难看)
            story = next((c for c in out if c.code in lx.GRIEVANCES), None)
            fallback = next((c for c in self.categories if c.code == lx.FALLBACK_CATEGORY), None)
            if story is not None and fallback is not None:
                out.insert(0, CategoryHit(fallback.code, story.terms, story.clause) if first_person or plain is None
                           else CategoryHit(fallback.code, (plain[0],), plain[1].clause_text(plain[2])))
        return out

    def _bystander_clauses(self, part: _Part, own: Sequence[tuple[int, int]]) -> set[int]:
        """Clauses where a bystander cue sits next to one of the target's own occurrences."""
        if not own or not part.cues:
            return set()
        found: set[int] = set()
        cues = part.cues
        if not cues:
            return found
        for start, end in own:
            clause, sentence = part.place_of(start)
            if clause in found or sentence in part.accused:
                continue  # blamed in the same sentence: 存管方某行难辞其咎
            for cue_start, cue_end, entry, cue_clause, _sentence in cues:
                if cue_clause != clause:
                    continue
                gap = start - cue_end if cue_end <= start else max(cue_start - end, 0)  # 0: the cue overlaps the name
                if gap <= lx.BYSTANDER_WINDOW * CJK_BYTES and not (
                        entry.term in _OBJECT_CUES and cue_start >= end
                        and not part.data[end:cue_start].endswith(_PASSIVE_BEFORE_CUE)) and not (
                        entry.term in _ADJACENT_CUES and (gap or cue_start >= end)):  # 我换甲行, not 我换掉甲行
                    # (冒充, 骗取 … after the name is the bank's own act: 某行员工伪造签名; 某行被冒充 is not)
                    found.add(clause)
                    break
        return found


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Building the tables and judging a batch make many small tuples that outlive a pass of the
    cyclic garbage collector, and no reference cycles: its passes over them were a fifth of the
    scorer's time in a fetch.  Paused meanwhile (it is process-wide: another thread's cycles
    wait for the next pass after), and resumed only if it was running."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


def _occurrences(part: _Part, names: Sequence[str], containing: Sequence[str]) -> list[tuple[int, int]]:
    """Spans of the target's names, minus those inside a longer name of another entity
    (``containing``: those names, see _containing)."""
    found = part.spans(names)
    if not containing:
        return found
    covered = part.spans(containing)
    if not covered:
        return found
    return [(start, end) for start, end in found if not any(s <= start and end <= e for s, e in covered)]


@functools.lru_cache(maxsize=1024)
def _is_bank(target: Target) -> bool:
    """Banks are bystanders in hashtags and @-mentions and run awareness campaigns (shared/LABELLING.md);
    a platform's own hashtag (#某平台#) or a warning that names it is bad news for it, as FinNSP labels it."""
    return any("银行" in n or "bank" in n.lower() for n in target.names)


def _tagged(part: _Part, occurrence: tuple[int, int]) -> bool:
    """Is this occurrence of a name a hashtag or an @-handle only?  (#某平台暴雷# @某银行.)

    A hashtag that says something bad next to the name (#某行合伙诈骗#) is an accusation, not a tag.
    A post whose first handle is the bank's and that speaks to it (@某行 你们…, 贵行) or opens with its
    only handle, or one that opens with the bank's own hashtag (#某行# …), is addressed to it or filed
    under it: the bank is its subject."""
    start, end = occurrence
    data = part.data
    window = data[max(0, start - _HANDLE_BYTES):start]
    at = max(window.rfind("@"), window.rfind(_FULLWIDTH_AT))
    if at >= 0 and not _HANDLE_STOP.search(window[at + 1:].encode("latin-1").decode("utf-8", "ignore")):
        opening = start - len(window) + at
        if _first_handle(data) == opening and (_addressed(part) or (
                not data[:opening].strip() and data.count("@") + data.count(_FULLWIDTH_AT) == 1)):
            return False  # the post's addressee: @某行 你们…, or its one handle up front
        handle_end = _HANDLE_STOP.search(data, end)
        return not part.unfavourable_between(opening, handle_end.start() if handle_end else len(data))
    line = data.rfind("\n", 0, start) + 1
    if data.count("#", line, start) % 2:
        opening = data.rfind("#", line, start)
        closing = data.find("#", end)
        if closing >= 0 and "\n" not in data[end:closing]:
            if not data[:opening].strip() and _own_tag(data[opening + 1:start] + data[end:closing]):
                return False  # filed under the bank's own hashtag: #某行# …
            return not part.unfavourable_between(opening, closing)
    return False


def _moods(data: str, folded: str, sentence_ends: Sequence[int]) -> tuple[frozenset[int], ...]:
    """The sentences that end in a full-width question mark, those that end in an exclamation mark, and the
    questions put to another poster: a question with 你 in it (你没有协商吗？), not one to the bank (你们, 贵行)
    nor a rhetorical one (你敢信吗), and a question that goes on from one (…吗？还是他们不同意？)."""
    # every mark is a sentence end (lx.SENTENCE_ENDS): found by C searches, not a walk over every sentence
    full = _positions(data, _QUESTION_MARK)
    questions = set(full) | set(_positions(data, "?")) if "?" in data else set(full)
    shouts = _positions(data, _FULLWIDTH_SHOUT) + _positions(data, "!")
    asked: list[int] = []
    if questions and "你" in folded:
        previous = 0
        previous_end = -1
        for end in sentence_ends:
            sentence = data[previous:end]
            goes_on = bool(asked) and asked[-1] == previous_end and sentence.lstrip().startswith(_ASK_ON)
            if asked and asked[-1] == previous_end and sentence.lstrip().startswith(_SHARED):
                asked.pop()  # 你有遇到…吗？我今天就碰上了: the writer's own like story follows (lx.SHARED_OPENERS)
            elif end in questions and (goes_on or (_YOU in sentence and not any(w in sentence for w in _NOT_ASKED))):
                asked.append(end)
            previous_end = end
            previous = end + (1 if end < len(data) and data[end] < "\x80" else 3)
    if full and _NOT_PROMISED in data:  # 不是说…吗？ a promise thrown back shows the grievance, as 「！」 does
        shouts.append(full[0])
    return frozenset(full), frozenset(shouts), frozenset(asked)


def _suppositions(data: str, clause_ends: Sequence[int], sentence_ends: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Suppositions and their consequences (要是明年扣我年费我就投诉, 如果甲行敢扣年费，我就销卡): by sentence, the span
    from the opener to the end of the clause where the consequence (就, not 就是) is told, in the opener's clause or
    the next.  Not a counterfactual about the past (要不是, 如果不是, 早知道…就不办了) nor a supposition that says it
    happened already (要是再这样): those tell a grievance."""
    out: dict[int, tuple[int, int]] = {}
    for m in _SUPPOSING.finditer(data):
        at = m.start()
        sentence = sentence_ends[bisect.bisect_left(sentence_ends, at)]
        if sentence in out or data[max(0, at - CJK_BYTES):at] == _NOT_IF:
            continue
        i = bisect.bisect_left(clause_ends, at)
        reach = clause_ends[min(i + 1, len(clause_ends) - 1)] if clause_ends[i] < sentence else clause_ends[i]
        rest = data[m.end():min(reach, sentence)]
        if rest.startswith(_PAST_IF) or any(w in rest for w in _HAPPENED_IF):
            continue
        then = rest.find(_THEN)
        while then >= 0 and rest.startswith(_THEN_NOT, then + CJK_BYTES):
            then = rest.find(_THEN, then + CJK_BYTES)
        if then >= 0:
            out[sentence] = (at, clause_ends[bisect.bisect_left(clause_ends, m.end() + then)])
    return out


def _supposed(part: _Part, sentence: int, start: int) -> bool:
    span = part.supposed.get(sentence)
    return span is not None and span[0] <= start < span[1]


def _plain_question(part: _Part, sentence: int, start: int) -> bool:
    """Is the question that ends at ``sentence`` a plain one about the term at ``start`` (收费高吗？ 那么难提额？),
    not a demanding one (怎么又降额？ 凭什么拒我？) nor one that shows the writer's view (你觉得…合理吗？)?"""
    i = bisect.bisect_left(part.sentence_ends, sentence)
    begin = part.sentence_ends[i - 1] if i > 0 else 0
    asked = part.data[begin:sentence]
    return not any(w in asked for w in _DEMANDING) and not any(w in asked for w in _NOT_ASKED) \
        and not any(w in asked for w in _RHETORICAL)


def _may_happen(part: _Part, sentence: int, start: int) -> bool:
    """Does the question that ends at ``sentence`` ask whether the term at ``start`` will happen (…会…吗？)?"""
    i = bisect.bisect_left(part.sentence_ends, sentence)
    begin = part.sentence_ends[i - 1] if i > 0 else 0
    before = part.data[begin:start]
    if _WILL not in before:
        return False
    for word in _NOT_WILL:
        before = before.replace(word, "")
    return _WILL in before and not any(w in part.data[begin:sentence] for w in _DEMANDING)


def _positions(data: str, mark: str) -> list[int]:
    out = []
    at = data.find(mark)
    while at >= 0:
        out.append(at)
        at = data.find(mark, at + 1)
    return out


def _quoted(part: _Part, start: int) -> bool:
    return any(s < start < e for s, e in part.quoted)


def _grieves(terms: Sequence[_Term]) -> bool:
    """Is there an unfavourable term, not an outcome (lx.OUTCOMES), heavy enough to show a grievance?"""
    return any((value <= -lx.FACT_MARK or entry.term in lx.EXASPERATION) and not negated and not entry.fact
               for _start, _clause, _sentence, value, negated, _notes, entry in terms)


def _faulted(hits: Sequence[_Hit], i: int) -> bool:
    """Is the warning word at ``i`` found wanting right after it (风险提示不到位, 提醒不足)?  Then its
    sentence reports the bank's failing, not a warning."""
    if i + 1 >= len(hits) or hits[i][2].awareness != 1:
        return False
    after = hits[i + 1]
    entry = after[2]
    # (防范个人信息泄露, 警惕诈骗: the incident warned of is no failing of the warning)
    return (entry.kind == SENT and entry.value < 0 and 0 <= after[0] - hits[i][1] <= CJK_BYTES
            and lx.WARNED_OF.isdisjoint(entry.categories))


def _listed(part: _Part, own: Sequence[tuple[int, int]], own_clauses: AbstractSet[int], named: AbstractSet[int],
            members: AbstractSet[int] = _NO_CLAUSES) -> set[int]:
    """The clause a list of names shares (某行、乙行、丙行因…被罚): when the bank's own clause is its name
    alone, ending in 、, the short clauses after it in its sentence that end in 、 (the list), and the
    first that does not (what is said of them all), are the bank's too.  A list whose last name stands alone
    before a comma (甲行、丁行，额度都太低) shares the clause after it, when that clause names no one; and so does a
    list of names alone after a verb (注销甲行、丁行，…).  ``named``: the clauses that name an entity; a list with
    one of ``members`` among its names is skipped (the other lists' clauses, for a bank not in them)."""
    out: set[int] = set()
    ends = part.clause_ends
    data = part.data
    for start, end in own:
        clause, sentence = part.place_of(start)
        if data[clause:clause + 3] != _LIST_MARK:
            continue
        i = bisect.bisect_left(ends, clause)
        lead = (clause - _after(data, ends[i - 1]) if i else clause) - (end - start)
        led = lead > CJK_BYTES
        if led and (end != clause or lead > lx.LIST_LEAD * CJK_BYTES):
            continue  # more than the name (租用某行、乙行账户…): not a list of names
        found: set[int] = set()
        while i + 1 < len(ends) and ends[i + 1] <= sentence:
            i += 1
            size = ends[i] - _after(data, ends[i - 1])
            alone = size <= _NAME_BYTES and ends[i] in named
            if size > _LISTED_BYTES or (led and not alone):
                break
            found.add(ends[i])
            # the list goes on through names alone (乙行、丙行、); what follows them is said of all
            if data[ends[i]:ends[i] + 3] != _LIST_MARK or size > _NAME_BYTES:
                if (alone and ends[i] < sentence and i + 1 < len(ends) and ends[i + 1] not in named
                        and ends[i + 1] - _after(data, ends[i]) <= _LISTED_BYTES):
                    found.add(ends[i + 1])  # 甲行、丁行，额度都太低
                break
        if not (members and found & members):
            out |= found
    return out - set(own_clauses)


def _named_clauses(part: _Part, names: Sequence[str]) -> set[int]:
    return {part.clause_of(s) for s, _ in part.spans(names)}


def _after(data: str, boundary: int) -> int:
    """Where the clause after the boundary at ``boundary`` begins (boundaries are one byte or three)."""
    return boundary + (1 if data[boundary] < "\x80" else 3)


def _first_handle(data: str) -> int:
    found = [i for i in (data.find("@"), data.find(_FULLWIDTH_AT)) if i >= 0]
    return min(found) if found else -1


def _addressed(part: _Part) -> bool:
    """Does a post speak to the bank it tags (你们的客服, 贵行)?"""
    return any(w in part.folded for w in lx.SECOND_PERSON)


def _own_tag(rest: str) -> bool:
    """Is a hashtag the bank's own (#某行#, #某行信用卡#): its name and a few characters, no second party?"""
    text = rest.encode("latin-1").decode("utf-8", "replace")
    return len(text) <= lx.OWN_TAG_REST and not any(c in text for c in lx.TAG_JOINERS)


def _bare_headline(data: str, own: Sequence[tuple[int, int]]) -> str | None:
    """The channel word when a text is the bank's name and that word only (招商银行App, #某行 系统#)."""
    rest = []
    last = 0
    for start, end in sorted(own):
        rest.append(data[last:start])
        last = max(last, end)
    rest.append(data[last:])
    return _BARE_WORDS.get(_BARE_DROP.sub("", "".join(rest).encode("latin-1").decode("utf-8", "replace")))


def _handle_hits(data: str, hits: Sequence[_Hit]) -> frozenset[int]:
    """Indexes of the hits that sit inside an @-handle (from @ to the next space or punctuation)."""
    spans = []
    at = data.find("@")
    while at >= 0:
        stop = _HANDLE_STOP.search(data, at + 1)
        end = stop.start() if stop else len(data)
        spans.append((at, end))
        at = data.find("@", at + 1)
    return frozenset(i for i, (s, e, *_rest) in enumerate(hits) if any(a < s and e <= b for a, b in spans))


def _frames(part: _Part, own: Sequence[tuple[int, int]], framed: dict[int, int]) -> list[tuple[float, str, int]]:
    """Response frames next to the bank's name (某行回应…, 网曝某行…): record in ``framed`` where the
    rest of the sentence becomes the bank's clause, and return each frame's own contribution."""
    fired = []
    for f_start, f_end, entry, f_clause, f_sentence in part.frames:
        for start, end in own:
            gap = f_start - end if entry.frame == 1 else start - f_end
            if not 0 <= gap <= lx.FRAME_WINDOW * CJK_BYTES or part.place_of(start)[1] != f_sentence:
                continue
            tail = max(f_end, end)
            if f_sentence - tail < 2 * CJK_BYTES:  # nothing follows: 某行声明, 新行长回应
                continue
            framed[f_sentence] = min(framed.get(f_sentence, tail), tail)
            weight = (lx.FRAMES if entry.frame == 1 else lx.PRE_FRAMES).get(entry.term, 0.0)
            if weight and f_sentence not in part.denied:
                fired.append((weight, entry.term + "…", f_clause))
            break
    return fired


@functools.lru_cache(maxsize=4096)
def _containing(names: tuple[str, ...], others: tuple[str, ...]) -> tuple[str, ...]:
    """The other entities' names that contain one of the target's names (钱宝网 contains 钱宝)."""
    return tuple(o for o in others if any(n in o and n != o for n in names))


def _spans(folded: str, names: Iterable[str]) -> list[tuple[int, int]]:
    out = []
    for name in names:
        start = folded.find(name)
        while start >= 0:
            out.append((start, start + len(name)))
            start = folded.find(name, start + 1)
    return out


def _modified_terms(part: _Part, masked: frozenset[int], bank: bool,
                    named: tuple[tuple[int, int], ...] = ()) -> list[_Term]:
    """The part's sentiment terms with negation, degree and patterns applied, entity names masked
    out; ``bank``: a bank is the target (lx.Pattern.banks_only); ``named``: the entities' names,
    which a pattern's window does not count (存在某某银行某支行的钱…被转走)."""
    cached = part.terms_cache.get((masked, bank, named))
    if cached is not None:
        return cached
    out: list[_Term] = []
    negator: _Hit | None = None
    degree: _Hit | None = None
    cues: dict[str, tuple[int, int, int]] = {}  # pattern cue → (end, clause, sentence) of its last occurrence
    for index, hit in enumerate(part.hits):
        if index in masked:
            continue
        start, end, entry, clause, sentence = hit
        if entry.object_of and cues:
            pair = paired(entry, start, clause, sentence, cues, bank, part.data, named)
            if entry.cue_of and (negator is None or negator[1] != start or negator[2].value > 0):
                for role in entry.cue_of:  # 没逾期 is no arrears; 通常存款 (a hedge) is still a deposit
                    cues[role] = (end, clause, sentence)
            if pair is not None:
                entry = pair  # the pair stands for its object: 存款…被转走
        elif entry.cue_of and (negator is None or negator[1] != start or negator[2].value > 0):
            for role in entry.cue_of:
                cues[role] = (end, clause, sentence)
        kind = entry.kind
        if kind != SENT:
            if kind == NEG:
                if negator is not None and negator[2].term in _REBUTTALS and _negates(negator, start, clause, sentence):
                    negator = None  # 谁说…不乱收费: the rebuttal takes the negation back
                    continue
                negator = hit
            elif kind == DEG:
                degree = hit
            elif kind == POST:
                _negate_backwards(out, hit, part.data)
            continue
        value = entry.value if entry.bank_value is None or not bank else entry.bank_value
        if not value:  # a category-only or neutral phrase: it neither counts nor uses up a negator
            if entry.categories:
                out.append((start, clause, sentence, 0.0, False, "", entry))
            continue
        notes = ""
        negated = False
        if entry.negation:
            negator = None  # the pattern is the negation: 不…告诉
        elif negator is not None and negator[2].term in _RHETORICAL_NOT and _QUESTION_END in part.data[end:sentence] \
                and part.data[negator[0] - CJK_BYTES:negator[0]] in _RHETORICAL_LEADS \
                and _negates(negator, start, clause, sentence):
            negator = None  # 这不是浪费时间吗: 不是…吗 affirms
        elif negator is not None and (negator[2].value <= 0 or (_wondered(entry) and (
                value < 0 or negator[2].term not in lx.FORECASTS) and not (
                negator[2].term in lx.FORECASTS and negator[2].term not in lx.FORECAST_MISTAKEN
                and _came_true(part, end)))) \
                and _negates(negator, start, clause, sentence):
            # "no leak happened" is reassurance, not good news: a negated bad term stays mild
            value = min(value * negator[2].value, NEGATED_CAP) if value < 0 else value * negator[2].value
            if negator[2].value > 0:  # a hedge (lx.HEDGES: 是不是, 估计) damps without turning
                notes = f"{HEDGED} {negator[2].term}"
            else:
                negated = True
                notes = f"negated by {negator[2].term}"
            if len(negator[2].term) == 1:
                negator = None  # 不 negates one word; 避免 covers every term in its window (避免诈骗损失)
        if degree is not None and degree[3] == clause and 0 <= start - degree[1] <= lx.DEGREE_WINDOW * CJK_BYTES:
            value *= degree[2].value
            notes = _join(notes, f"×{degree[2].value:g} ({degree[2].term})")
            degree = None
        out.append((start, clause, sentence, value, negated, notes, entry))
    part.terms_cache[(masked, bank, named)] = out
    return out


def _came_true(part: _Part, end: int) -> bool:
    """Does the text go on, after a forecast's term ending at ``end``, to tell that it happened (甲行通常三天到账，
    这次十天还没到; 往往降额最狠，我就被降了; 就怕乱扣费，果然又扣了)?  Then the forecast is the grievance's
    setting, not advice or a worry."""
    last = part.came_true_at
    if last is None:  # where the last of the words starts, once per part: not a slice and every word per term
        # (most texts hold none of the words: one search of the characters says so)
        last = part.came_true_at = -1 if _ANY_CAME_TRUE.search(part.folded) is None else max(
            part.data.rfind(w) for w in _CAME_TRUE)
    return last >= end


def _negates(negator: _Hit, start: int, clause: int, sentence: int) -> bool:
    n_start, n_end, entry, n_clause, n_sentence = negator
    gap = start - n_end
    if gap < 0:
        return False
    if entry.term in lx.DENIALS:
        return n_sentence == sentence and gap <= lx.DENIAL_WINDOW * CJK_BYTES
    if n_clause != clause:
        return False
    if entry.term.isascii():
        return gap <= lx.EN_NEGATION_WINDOW
    return gap <= (lx.NEGATION_WINDOW_SHORT if len(entry.term) == 1 else lx.NEGATION_WINDOW) * CJK_BYTES


def _negate_backwards(out: list[_Term], post: _Hit, data: str) -> None:
    """A trailing denial (…消息不实) takes back the bad terms just before it in its clause, and in a quotation
    that ends right before it (“倒闭”传闻：纯属谣言: the quotation is the rumour's wording)."""
    p_start, _end, entry, p_clause, _sentence = post
    quotation = p_start - CJK_BYTES if data[p_start - CJK_BYTES:p_start] == _QUOTE_CLOSE else -1
    for index in range(len(out) - 1, -1, -1):
        start, clause, sentence, value, negated, notes, term = out[index]
        if (clause != p_clause and clause != quotation) or start < p_start - lx.POST_NEGATION_WINDOW * CJK_BYTES:
            break
        if value < 0 and not negated:
            out[index] = (start, clause, sentence, min(value * entry.value, NEGATED_CAP), True,
                          _join(notes, f"negated by {entry.term}"), term)


def _wondered(entry: Entry) -> bool:
    """Is this a term a hedge weakens (lx.HEDGE_WEAKENS: 是不是诈骗？, 估计额度很低), rather than an
    insinuation it leaves whole (是否违规放贷, 会不会暴雷)?"""
    return lx.HEDGE_WEAKENS.issuperset(entry.categories) and entry.term not in lx.HEDGE_SPARES


def _asked_about(entry: Entry) -> bool:
    """Is this a term a plain question weakens: a grievance or a fee (收费高吗？), not an insinuation?"""
    return _ASKABLE.issuperset(entry.categories) and entry.term not in lx.HEDGE_SPARES \
        and entry.term not in lx.EXASPERATION and entry.term not in lx.SWEARS  # (我特么…过高？ shows the feeling)


def _join(notes: str, note: str) -> str:
    return f"{notes}; {note}" if notes else note


@functools.lru_cache(maxsize=4096)
def _folded_names(names: tuple[str, ...]) -> list[str]:
    return [enc(fold(n)) for n in names if n]


# the target's names (with 该行 … when no other entity is named), the other entities' names (longest
# first), all of them (sorted), whether the target is a bank, and the other names containing one of its own
_Names = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], bool, tuple[str, ...]]


@functools.lru_cache(maxsize=4096)
def _names(target: Target, others: tuple[Target, ...]) -> _Names:
    """What a judgement needs of its target and co-mentions' names: the same for every item that
    names the same entities (each bank's items in a fetch), so worked out once."""
    names = tuple(_folded_names(target.names))
    other_names = tuple(sorted({n for o in others for n in _folded_names(o.names)}, key=len, reverse=True))
    is_bank = _is_bank(target)
    if names and not other_names:
        names += _ANAPHORA + _BANK_ANAPHORA if is_bank else _ANAPHORA  # 该行 is this bank when no other is named
    return (names, other_names, tuple(sorted({*names, *other_names})), is_bank,
            _containing(names, other_names))
