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
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import datetime

from reportgen.models import EventSummary

WITHIN_HOURS = 24.0  # a day: later copies of one story, not next week's similar story
MIN_TITLE_SIMILARITY = 0.6  # headlines that differ by a tag or a few words, not by the branch named
_TAG = re.compile(r"[【\[［(（#][^】\]］)）#]{0,12}[】\]］)）#]")
_NOT_WORD = re.compile(r"[\W_]+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _bigrams(title: str) -> frozenset[str]:
    text = _NOT_WORD.sub("", _TAG.sub("", title)).lower()
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
    that stand alone map to themselves.  Only events that share a bank and a judgement, and lie
    within the time window of each other, are compared.
    """
    ordered = sorted(events, key=lambda e: (e.first_published_at, e.event_id))
    rank = {e.event_id: i for i, e in enumerate(ordered)}
    parent = {e.event_id: e.event_id for e in ordered}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in _candidates([_Story(event) for event in ordered]):
        if a.like(b):
            ra, rb = root(a.event.event_id), root(b.event.event_id)
            if ra != rb:
                keep, drop = (ra, rb) if rank[ra] < rank[rb] else (rb, ra)
                parent[drop] = keep
    return {event_id: root(event_id) for event_id in parent}


def _candidates(stories: Sequence[_Story]) -> Iterator[tuple[_Story, _Story]]:
    """The pairs of ``stories`` (in time order, the earlier first) that can be alike: a bank and the
    judgement in common, within the time window, and sharing a bigram among each one's rarest.

    Prefix filtering (Bayardo et al., "Scaling up all pairs similarity search"): two sets with
    Jaccard ≥ t share at least ⌈t·|x|⌉ of the |x| bigrams of either, so with every set's bigrams
    in one order (rarest first), they share one of the first |x| − ⌈t·|x|⌉ + 1 of each.  A busy
    day's tens of thousands of events are then compared with a handful of others each, not with
    every event of the day; the groups are the same, since only pairs that cannot be alike are skipped.
    Bigrams, banks and judgements are numbered, so the (bank, judgement, bigram, story) keys are
    integers, which sort several times faster than tuples of strings.
    """
    ids: dict[str, int] = {}
    numbered = [[ids.setdefault(bigram, len(ids)) for bigram in story.bigrams] for story in stories]
    frequency = Counter(bigram for bigrams in numbered for bigram in bigrams)
    vocabulary, count = len(ids), len(stories)
    rarest_first = [frequency[i] * vocabulary + i for i in range(vocabulary)]  # one total order
    groups: dict[tuple[str, str], int] = {}  # (bank, judgement) → its number
    keyed: list[int] = []  # ((group × vocabulary) + bigram) × stories + story, sorted below
    for j, story in enumerate(stories):
        bigrams = sorted(numbered[j], key=rarest_first.__getitem__)
        # the 1e-9 keeps a product such as 0.6 × 5 = 3.0000000000000004 from shortening the prefix
        prefix = bigrams[:len(bigrams) - math.ceil(MIN_TITLE_SIMILARITY * len(bigrams) - 1e-9) + 1]
        for bank in set(story.event.bank_ids):
            group = groups.setdefault((bank, story.event.label), len(groups)) * vocabulary
            keyed.extend((group + bigram) * count + j for bigram in prefix)
    keyed.sort()
    pairs: set[tuple[int, int]] = set()
    run = 0  # keyed[run:k] share a bank, a judgement and a bigram; their stories in time order
    for k in range(1, len(keyed) + 1):
        if k < len(keyed) and keyed[k] // count == keyed[run] // count:
            continue
        for x in range(run, k - 1):
            i = keyed[x] % count
            a = stories[i].event.first_published_at
            for y in range(x + 1, k):
                if _hours(a, stories[keyed[y] % count].event.first_published_at) > WITHIN_HOURS:
                    break
                pairs.add((i, keyed[y] % count))
        run = k
    for i, j in sorted(pairs):
        yield stories[i], stories[j]


def _hours(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() / 3600
