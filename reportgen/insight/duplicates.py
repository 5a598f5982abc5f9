"""Near-duplicate events: one story that the reprint clustering kept as two.

The clustering (:mod:`reportgen.insight.events`) errs on the side of keeping stories apart: a copy
whose body was rewritten, or that arrived in another run, can start an event of its own, and the
hot-events table then shows the same headline twice.  The report folds such events into one row
by a deliberately narrow rule.  Two events are the same story when all of these hold:

- they name a common configured bank and carry the same judgement (negative, neutral, positive);
- they share a risk category, or neither has one;
- they were first published within :data:`WITHIN_HOURS` of each other;
- their headlines, with tags such as 【独家】 and punctuation removed, have a character-bigram
  Jaccard similarity of at least :data:`MIN_TITLE_SIMILARITY`;
- their headlines carry the same numbers (储户50万元 and 储户18万元 are two incidents).

The merged row keeps the id, headline and first source of the earliest event.

A wider rule then folds the stories of one *incident* (:func:`incident_groups`): the first report
of an outage, the bank's statement on it and the social posts about it ("#工行App崩了#…") are one
thing for the reader, shown once with its timeline, not three rows that contradict each other on
whether the bank has responded.  Stories are one incident when all of these hold:

- they name the same configured banks, and share a risk category;
- both are negative, or one of them is the bank's response (回应, 声明, 致歉 … in its headline);
- each was first published within :data:`INCIDENT_HOURS` of the incident's first story;
- their headlines do not contradict each other: where both carry numbers, one in common; where
  both name a city or province, one in common (two branches fined, two customers' losses, are two
  incidents);
- they are about the same thing: the headlines share at least :data:`LINK_BIGRAMS` two-character
  sequences once the banks' names and generic words are taken out ("工商银行回应手机银行故障" and
  "工商银行手机银行突发故障" share 手机, 机银, 故障), or the shared category is one that is, for one
  bank on one day, a single incident (:data:`ONE_AT_A_TIME`: an outage of its systems).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING

from reportgen.insight.events import places_in
from reportgen.models import EventSummary

if TYPE_CHECKING:
    import numpy as np

WITHIN_HOURS = 24.0  # a day: later copies of one story, not next week's similar story
MIN_TITLE_SIMILARITY = 0.6  # headlines that differ by a tag or a few words, not by the branch named
_TAG = re.compile(r"[【\[［(（#][^】\]］)）#]{0,12}[】\]］)）#]")
_NOT_WORD = re.compile(r"[\W_]+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")

INCIDENT_HOURS = WITHIN_HOURS  # from an incident's first story: the statement, the posts of that day
LINK_BIGRAMS = 2
ONE_AT_A_TIME = frozenset({"outage"})  # a bank's systems are down once at a time: one incident
# Incidents kept open per banks and category: a 100,000-item day has at most 56 opened within a day
# of each other; a feed flooding one headline with a counter (工商银行系统故障 1 … 100000), each its
# own incident, made every story compare with all before it (n², hours for 100,000).
OPEN_INCIDENTS = 128
RESPONSE_TERMS = ("回应", "回复", "声明", "致歉", "道歉", "澄清", "情况说明", "辟谣", "公告",
                  "respond", "response", "statement", "apolog", "clarif")
# words that say nothing about what happened: left out of 热词 and of the topic links
STOP_TERMS = frozenset({"银行", "分行", "支行", "中国", "发布", "推出", "支持", "表示", "称", "近日", "相关", "公司",
                        "有限", "股份", "回应", "声明", "公告", "客户", "用户", "网友", "记者", "消息", "报道"})
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


def _clean(title: str) -> str:
    """The headline as the similarity reads it: tags and punctuation removed, lower case."""
    return _NOT_WORD.sub("", _TAG.sub("", title)).lower()


def _bigrams(title: str) -> frozenset[str]:
    text = _clean(title)
    return frozenset(text[i:i + 2] for i in range(len(text) - 1)) or frozenset({text})


def title_similarity(a: str, b: str) -> float:
    """Character-bigram Jaccard similarity of two headlines, tags and punctuation ignored."""
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / len(x | y) if x | y else 0.0


def same_story(a: EventSummary, b: EventSummary) -> bool:
    """The rule in the module docstring."""
    return _Story(a).like(_Story(b))


class _Story:
    """An event with its headline's bigrams and numbers worked out once."""

    __slots__ = ("event", "bigrams", "numbers")

    def __init__(self, event: EventSummary) -> None:
        self.event = event
        self.bigrams = _bigrams(event.title)
        self.numbers = _NUMBER.findall(event.title)

    def like(self, other: _Story) -> bool:
        a, b = self.event, other.event
        if not set(a.bank_ids) & set(b.bank_ids) or a.label != b.label:
            return False
        if (a.categories or b.categories) and not set(a.categories) & set(b.categories):
            return False
        if abs(_hours(a.first_published_at, b.first_published_at)) > WITHIN_HOURS or self.numbers != other.numbers:
            return False
        union = self.bigrams | other.bigrams
        return bool(union) and len(self.bigrams & other.bigrams) / len(union) >= MIN_TITLE_SIMILARITY


def near_duplicate_groups(events: Sequence[EventSummary]) -> dict[str, str]:
    """Each event's representative: the earliest event of its group of near-duplicates.

    Groups are closed under the rule (A like B and B like C puts all three together).  Events
    that stand alone map to themselves.  Only the pairs that :func:`_candidate_pairs` finds can be
    alike are compared by the rule; a group's representative is its earliest member whatever the
    order its pairs are found in, so the groups are those of comparing every pair.
    """
    ordered = sorted(events, key=attrgetter("first_published_at", "event_id"))
    parent: dict[int, int] = {}  # an event of a group → an earlier one of it; a group's earliest has none

    def root(x: int) -> int:
        while x in parent:
            up = parent.get(parent[x])
            if up is not None:  # path halving: a flood's long chains stay short
                parent[x] = up
            x = parent[x]
        return x

    stories: dict[int, _Story] = {}  # only the events of a candidate pair: most events have none

    def story(i: int) -> _Story:
        found = stories.get(i)
        if found is None:
            found = stories[i] = _Story(ordered[i])
        return found

    for i, j in _candidate_pairs(ordered):
        ri, rj = root(i), root(j)
        if ri != rj and story(i).like(story(j)):
            parent[max(ri, rj)] = min(ri, rj)
    ids = [e.event_id for e in ordered]
    out = dict(zip(ids, ids, strict=True))
    for x in parent:
        out[ids[x]] = ids[root(x)]
    return out


# --- candidate pairs -----------------------------------------------------------------------------
#
# A busy day has tens of thousands of events, and their headlines a million bigrams: every step
# below works on arrays of (story, bigram) entries, sorted, never on one story or one pair at a time.
# Integer keys are packed into one int64 where they fit (one sort instead of a lexsort).

_SHORT = 1 << 42  # a headline of fewer than two characters is its own text (see _bigrams), not a bigram
_SLACK_SECONDS = 1.0  # the time filter errs on the side of a candidate: the rule itself decides
# Of the stories that share a bank, a judgement, the headline's numbers and a prefix bigram, each is
# paired with the next NEIGHBOURS of them within the day only.  A real day's such runs are short (the
# groups of a 100,000-item day, a monitored year's weeks and the demo are the same with 2); a feed
# flooding one headline with a counter (工商银行 条目 1 … 100000) made every pair of it a candidate,
# n² pairs: 24 GB for 100,000 items.  Near-identical headlines still group: each joins the next ones.
NEIGHBOURS = 16
_COMMON_CHUNK = 1 << 21  # bigrams counted at a time (see _common): ~16 MB an array


def _candidate_pairs(stories: Sequence[EventSummary]) -> list[tuple[int, int]]:
    """The pairs ``(i, j)``, ``i < j``, of ``stories`` (in time order) that can be alike: every pair
    the rule holds for, and few others.

    A pair is a candidate when its events share a bank and a judgement, their headlines carry the
    same numbers, they lie within :data:`WITHIN_HOURS` of each other, and share two bigrams among
    each one's rarest, each story meeting the next :data:`NEIGHBOURS` at most of those that share
    one (so the candidates are at most ``NEIGHBOURS`` × the prefix bigrams × the banks of each
    story, however alike a flood of headlines is).  This is
    prefix filtering (Bayardo et al., "Scaling up all pairs similarity search"; with two tokens in
    common, Wang et al., "Can we beat the prefix filtering?"): if two sets share at least α elements,
    then with every set's elements in one order (here: rarest bigram first), the first |x| − α + ℓ of
    x and the first |y| − α + ℓ of y share ℓ elements, for any ℓ ≤ α (the ℓ-th element they have in
    common is among them in both).  Jaccard ≥ t needs α ≥ ⌈t·|x|⌉ of either set's |x| bigrams, and
    α ≥ 2 unless both headlines are one bigram (ℓ = 1 then).  A bigram of one headline only is
    shared with none and never makes a candidate.  Of the candidates, the pairs whose bigram counts,
    or whose bigrams in common, already rule out the similarity are dropped, exactly (with a margin
    for rounding: the rule itself is applied to what is left).
    """
    count = len(stories)
    if count < 2:
        return []
    # ~16 MB and ~0.15 s: not for every `reportgen fetch`, whose rolling window often has no two events
    import numpy as np

    t = MIN_TITLE_SIMILARITY
    story, code = _bigram_entries([_clean(title) for title in map(attrgetter("title"), stories)])
    # each story's bigrams once, and each bigram's number of stories (its rarity)
    code, story = _sort2(code, story)
    fresh = _changes(code) | _changes(story)
    code, story = code[fresh], story[fresh]
    starts = np.flatnonzero(_changes(code))
    bigram = np.cumsum(_changes(code)) - 1  # dense ids, in code order
    frequency = np.diff(np.append(starts, len(code)))
    # one total order of the bigrams, rarest first: each story's bigrams in that order
    _, by_rarity = _sort2(frequency, np.arange(len(frequency)))
    rank = np.empty_like(by_rarity)
    rank[by_rarity] = np.arange(len(by_rarity))
    story, ranked = _sort2(story, rank[bigram])
    size = np.bincount(story, minlength=count)
    first = np.cumsum(size) - size
    position = np.arange(len(story)) - first[story]
    # |x| − ⌈t·|x|⌉ + 2; the 1e-9 keeps a product such as 0.6 × 5 = 3.0000000000000004 from shortening it
    prefix = size - np.ceil(t * size - 1e-9).astype(np.int64) + 2
    keep = (position < prefix[story]) & (frequency[by_rarity[ranked]] >= 2)
    bits = max(count.bit_length(), 1)
    pair, token = _sharing(stories, story[keep], ranked[keep], len(frequency), bits)
    # the bigrams each pair has in common among those prefixes (two are enough to know)
    pair, token = _sort2(pair, token)
    pair = pair[_changes(pair) | _changes(token)]
    starts = np.flatnonzero(_changes(pair))
    in_common = np.diff(np.append(starts, len(pair)))
    pair = pair[starts]
    i, j = pair >> bits, pair & ((1 << bits) - 1)
    enough = (in_common >= 2) | ((size[i] == 1) & (size[j] == 1))
    # Jaccard ≤ min(|x|, |y|) / max(|x|, |y|)
    enough &= np.minimum(size[i], size[j]) >= t * np.maximum(size[i], size[j]) - 1e-6
    i, j = i[enough], j[enough]
    # a few million bigrams at a time: a flood's candidates are many, and each side is their bigrams
    chunk = max(1, _COMMON_CHUNK // max(int(size.max()), 1))
    common = np.concatenate([np.zeros(0, dtype=np.int64)] + [
        _common(i[lo:lo + chunk], j[lo:lo + chunk], ranked, first, size) for lo in range(0, len(i), chunk)])
    alike = common >= t * (size[i] + size[j] - common) - 1e-6
    return list(zip(i[alike].tolist(), j[alike].tolist(), strict=True))


def _bigram_entries(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(story, bigram code) for every bigram of every text, repeats included: a code is the two
    characters' code points; a text of fewer than two characters has one code, of the text itself."""
    import numpy as np  # only with two events or more to compare (see _candidate_pairs)

    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    chars = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    owner = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    inside = np.ones(max(len(chars) - 1, 0), dtype=bool)  # a bigram of two characters of one text
    ends = np.cumsum(lengths)[lengths > 0] - 1
    inside[ends[ends < len(inside)]] = False
    codes = ((chars[:-1] << 21) | chars[1:])[inside]
    story = owner[:-1][inside]
    short = np.flatnonzero(lengths < 2)
    if len(short):
        own = [_SHORT | (ord(texts[k]) + 1 if texts[k] else 0) for k in short.tolist()]
        codes = np.concatenate([codes, np.array(own, dtype=np.int64)])
        story = np.concatenate([story, short])
    return story, codes


def _sharing(stories: Sequence[EventSummary], story: np.ndarray, ranked: np.ndarray,
             vocabulary: int, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """(earlier story << ``bits`` | later story, bigram) for each bigram of ``ranked`` that two
    stories have in common with a bank, a judgement and their headlines' numbers, within the time
    window of each other, each story with the next :data:`NEIGHBOURS` of a bigram's stories at most;
    of the bigrams a pair meets at one distance, two at most (all the count needs: a flood's
    headlines share every bigram)."""
    import numpy as np  # only with two events or more to compare (see _candidate_pairs)

    # the judgement and the headline's numbers: stories that differ in either are never alike
    kinds = [(s.label, tuple(_NUMBER.findall(s.title))) for s in stories]
    kind_number: dict[tuple[str, tuple[str, ...]], int] = {}
    kind = np.fromiter((kind_number.setdefault(k, len(kind_number)) for k in kinds), dtype=np.int64,
                        count=len(stories))
    named = list(map(attrgetter("bank_ids"), stories))
    bank_number = {b: k for k, b in enumerate(dict.fromkeys(chain.from_iterable(named)))}
    n_banks = np.fromiter(map(len, named), dtype=np.int64, count=len(stories))
    banks = np.fromiter(map(bank_number.__getitem__, chain.from_iterable(named)), dtype=np.int64,
                        count=int(n_banks.sum()))
    bank_first = np.cumsum(n_banks) - n_banks
    # one entry per (story, prefix bigram) × each bank of the story
    repeat = n_banks[story]
    entry = np.repeat(np.arange(len(story)), repeat)
    nth = np.arange(len(entry)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    member = story[entry]
    block = _dense_ids(kind[member] * max(len(bank_number), 1) + banks[bank_first[member] + nth])
    group = block * vocabulary + ranked[entry]
    group, member = _sort2(group, member)
    seconds = np.fromiter(map(datetime.timestamp, map(attrgetter("first_published_at"), stories)),
                          dtype=np.float64, count=len(stories))
    limit = WITHIN_HOURS * 3600 + _SLACK_SECONDS
    pairs, tokens = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    a = np.arange(len(group))
    step = 1
    while len(a) and step <= NEIGHBOURS:  # the stories of a group are in time order: each pairs with the next few
        a = a[a + step < len(group)]
        b = a + step
        near = (group[a] == group[b]) & (member[a] != member[b]) & (seconds[member[b]] - seconds[member[a]] <= limit)
        a = a[near]
        pair, token = _sort2((member[a] << bits) | member[b[near]], group[a] % vocabulary)
        fresh = _changes(pair) | _changes(token)
        pair, token = pair[fresh], token[fresh]
        runs = np.flatnonzero(_changes(pair))
        second = runs + 1
        second = second[second < len(pair)]
        second = second[pair[second] == pair[second - 1]]
        kept = np.sort(np.concatenate([runs, second]))
        pairs.append(pair[kept])
        tokens.append(token[kept])
        step += 1
    return np.concatenate(pairs), np.concatenate(tokens)


def _common(i: np.ndarray, j: np.ndarray, ranked: np.ndarray, first: np.ndarray, size: np.ndarray) -> np.ndarray:
    """The number of bigrams the stories of each pair ``(i[k], j[k])`` have in common.

    Each story's bigrams are ``ranked[first[s]:first[s] + size[s]]``, ascending: tagged with the
    pair's number, both sides are sorted, and one binary search of the one in the other counts them.
    """
    import numpy as np  # only with two events or more to compare (see _candidate_pairs)

    k_bits = max(int(len(i)).bit_length(), 1)
    r_bits = max(int(ranked.max()).bit_length(), 1) if len(ranked) else 1
    if k_bits + r_bits > 62:  # too many to pack: one pair at a time
        return np.array([len(np.intersect1d(ranked[first[x]:first[x] + size[x]], ranked[first[y]:first[y] + size[y]]))
                         for x, y in zip(i.tolist(), j.tolist(), strict=True)], dtype=np.int64)

    def side(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pair = np.repeat(np.arange(len(s)), size[s])
        nth = np.arange(len(pair)) - np.repeat(np.cumsum(size[s]) - size[s], size[s])
        return pair, (pair << r_bits) | ranked[first[s][pair] + nth]

    _, left = side(i)
    pair, right = side(j)
    found = np.searchsorted(left, right)
    hit = left[np.minimum(found, len(left) - 1)] == right
    return np.bincount(pair[hit], minlength=len(i))


def _sort2(major: np.ndarray, minor: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both arrays (non-negative integers) sorted by (major, minor): one sort of packed keys where
    they fit in 63 bits, a lexsort where not."""
    import numpy as np  # only with two events or more to compare (see _candidate_pairs)

    if not len(major):
        return major, minor
    bits = max(int(minor.max()).bit_length(), 1)
    if int(major.max()).bit_length() + bits <= 63:
        packed = np.sort((major << bits) | minor)
        return packed >> bits, packed & ((1 << bits) - 1)
    order = np.lexsort((minor, major))
    return major[order], minor[order]


def _dense_ids(values: np.ndarray) -> np.ndarray:
    """Non-negative integers numbered 0, 1, … in their order (equal values, equal numbers): the
    packed keys built on them then stay far below 63 bits."""
    import numpy as np  # only with two events or more to compare (see _candidate_pairs)

    order = np.argsort(values, kind="stable")
    dense = np.empty(len(values), dtype=np.int64)
    dense[order] = np.cumsum(_changes(values[order])) - 1
    return dense


def _changes(values: np.ndarray) -> np.ndarray:
    """Where a sorted array starts a new run of equal values."""
    import numpy as np  # only with two events or more to compare (see _candidate_pairs)

    out = np.ones(len(values), dtype=bool)
    out[1:] = values[1:] != values[:-1]
    return out


def _hours(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() / 3600


# --- incidents ---------------------------------------------------------------------------------


def has_response_word(title: str) -> bool:
    """Whether a headline is a response: 回应, 声明, 致歉 … (:data:`RESPONSE_TERMS`)."""
    lowered = title.lower()
    return any(t.lower() in lowered for t in RESPONSE_TERMS)


def topic_bigrams(title: str, bank_terms: Sequence[str]) -> set[str]:
    """The two-character CJK sequences of ``title`` once the banks' names and aliases (``bank_terms``,
    longest first) are taken out, generic words (:data:`STOP_TERMS`) left out."""
    for name in bank_terms:
        title = title.replace(name, " ")
    return {run[i:i + 2] for run in _CJK_RUN.findall(title) for i in range(len(run) - 1)} - STOP_TERMS


def bank_terms_of(names: Sequence[Sequence[str]]) -> tuple[str, ...]:
    """Every bank's name and aliases, longest first, as :func:`topic_bigrams` takes them out."""
    return tuple(sorted({t for terms in names for t in terms}, key=lambda t: (-len(t), t)))


class _Incident:
    __slots__ = ("first", "ids", "bigrams", "numbers", "places")

    def __init__(self, event: EventSummary, bigrams: set[str], numbers: frozenset[str],
                 places: frozenset[str]) -> None:
        self.first = event
        self.ids = [event.event_id]
        # its stories' distinct sets of numbers and of places, the empty ones left out: a flood of
        # stories with one headline is one set to check, not one per story
        self.bigrams, self.numbers, self.places = set(bigrams), {numbers} - {frozenset()}, {places} - {frozenset()}

    def contradicted(self, numbers: frozenset[str], places: frozenset[str]) -> bool:
        """Whether a story with these numbers and places contradicts one of the incident's."""
        return bool(numbers) and any(numbers.isdisjoint(n) for n in self.numbers) \
            or bool(places) and any(places.isdisjoint(p) for p in self.places)

    def join(self, event: EventSummary, bigrams: set[str], numbers: frozenset[str], places: frozenset[str]) -> None:
        self.ids.append(event.event_id)
        self.bigrams |= bigrams
        if numbers:
            self.numbers.add(numbers)
        if places:
            self.places.add(places)


def incident_groups(events: Sequence[EventSummary], bank_terms: Sequence[str]) -> dict[str, str]:
    """Each event's incident: the id of the incident's earliest event (the rule in the module
    docstring).  ``bank_terms``: :func:`bank_terms_of` the configured banks.  Events that are no
    incident's part (positive or neutral news, no risk category) map to themselves.

    Events are taken in publication order; each joins the open incident (same banks, a shared
    category, its first story within :data:`INCIDENT_HOURS`, among the latest
    :data:`OPEN_INCIDENTS` of those banks and that category) that it links to and whose stories'
    headlines it contradicts in none, or opens one."""
    ordered = sorted(events, key=attrgetter("first_published_at", "event_id"))
    out = {e.event_id: e.event_id for e in ordered}
    window = INCIDENT_HOURS * 3600
    open_: dict[tuple[frozenset[str], str], list[_Incident]] = {}  # (banks, category) → incidents, oldest first
    for event in ordered:
        responds = has_response_word(event.title)
        if not event.categories or not event.bank_ids or (event.label != "negative" and not responds):
            continue
        banks = frozenset(event.bank_ids)
        at = event.first_published_at.timestamp()
        bigrams = topic_bigrams(event.title, bank_terms)
        numbers = frozenset(_NUMBER.findall(event.title))
        places = places_in(event.title)
        joined: _Incident | None = None
        seen: set[int] = set()
        for category in event.categories:
            incidents = open_.get((banks, category))
            if not incidents:
                continue
            while incidents and at - incidents[0].first.first_published_at.timestamp() > window:
                del incidents[0]  # its first story is too long ago for this and every later event
            for incident in incidents:
                if id(incident) in seen:
                    continue
                seen.add(id(incident))
                shared = set(event.categories) & set(incident.first.categories)
                if not shared & ONE_AT_A_TIME and len(bigrams & incident.bigrams) < LINK_BIGRAMS:
                    continue
                if incident.contradicted(numbers, places):
                    continue
                joined = incident
                break
            if joined is not None:
                break
        if joined is None:
            incident = _Incident(event, bigrams, numbers, places)
            for category in event.categories:
                incidents = open_.setdefault((banks, category), [])
                incidents.append(incident)
                if len(incidents) > OPEN_INCIDENTS:
                    del incidents[0]  # a flood: the most recent incidents are the likeliest to go on
            continue
        joined.join(event, bigrams, numbers, places)
        out[event.event_id] = joined.first.event_id
    return out
