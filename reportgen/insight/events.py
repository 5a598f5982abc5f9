"""Reprints → events: near-duplicate clustering with MinHash LSH over character shingles, and heat.

Chinese news is syndicated heavily: one story appears thirty times across portals with an edited
headline, a different lead (据××消息，), an editor's note or a truncated body.  An executive wants
it once, with 转载 30 次.

How two items are judged the same story:

1. *Normalise*: fold (繁→简, lower case), drop a bracketed headline tag (【独家】) and a trailing
   column name after 丨 / ｜ / —— (丨财经早知道), keep CJK, letters and digits only.
2. *Shingle*: overlapping 3-character pieces of the normalised title + the first
   ``body_chars`` characters of the body, hashed to 64 bits (vectorised with numpy; a batch of
   up to ``PLAIN_ITEMS`` items with the same arithmetic in plain Python, sparing numpy's import).
3. *MinHash*: ``num_perm`` multiply-shift hashes, the minimum of each over the shingles.
4. *LSH*: the signature is cut into ``bands`` bands of ``rows`` rows; items sharing any band
   are candidates.  With 20 × 2 an item pair with Jaccard 0.35 is a candidate 93 % of the time.
5. *Verify* each candidate pair on the exact shingle sets: Jaccard ≥ ``min_jaccard`` and overlap
   (intersection over the smaller set, which forgives truncation and added notes) ≥
   ``min_overlap``.
6. *Same facts, same days*: a new item joins an event only if it tells the same story as *every*
   member, not just the one it resembles most (see :func:`_compatible`): no member names banks
   that are neither a subset nor a superset of its banks, or another figure of the same kind
   (11月26日 against 11月27日, 1.55% against 1.25%), another branch or another place; and the
   event, with it, spans at most ``window_hours`` from its first copy to its last.  Wording alone
   never joins two stories: "邮储、交行下调存款利率 三年期降至1.55%" (11-26) and "交行、建行下调存款利率
   三年期降至1.25%" (11-27) read alike, and a chain of such look-alikes, each like the previous
   day's, is four stories, not one.
7. *Assign* each new item, in publication order, to the matching event it resembles most, never
   merging two events that already exist.  The event is named after its earliest item.

Everything is deterministic: no Python ``hash()``, no randomness without a fixed seed (the
permutations are numpy's draws from a fixed seed, written out).
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import ahocorasick

from reportgen.config.defaults import EventSettings
from reportgen.score.match import fold

if TYPE_CHECKING:
    import numpy as np

MASK64 = (1 << 64) - 1
SHINGLE_PRIME, SHINGLE_MIX = 0x100000001B3, 0xBF58476D1CE4E5B9  # shingle hashing's multipliers

HEAT_SCALE = 100.0
MAX_CANDIDATES = 5  # items compared exactly per new item, most LSH votes first
BUCKET_CAP = 4  # members kept per LSH bucket  # one online article from a weight-1 source = 30 heat


@dataclass(frozen=True, slots=True)
class ClusterItem:
    item_id: str
    title: str
    summary: str
    published_at: datetime
    event_id: str | None = None  # set for items clustered in an earlier run
    bank_ids: frozenset[str] = frozenset()  # the configured banks the item names
    event_first_at: datetime | None = None  # with event_id: the event's first copy, when it is earlier than the context


@dataclass(frozen=True, slots=True)
class Assignment:
    item_id: str
    event_id: str
    similarity: float  # to the item it joined through (1.0 for an event's first item)


_TAG_RE = re.compile(r"^\s*(【[^】]{1,8}】|\[[^\]]{1,8}\]|(突发|重磅|最新|快讯|独家|关注)[！!：:]\s*)+")
_COLUMN_RE = re.compile(r"\s*(丨|｜|\||——|--)\s*[^丨｜|—]{1,12}$")
_KEEP_RE = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff]+")


def normalise(title: str, summary: str, body_chars: int = 150) -> str:
    """The text two reprints share: headline tags, column names and punctuation removed."""
    return _prepare(ClusterItem("", title, summary, datetime.min), body_chars)[0]


class _Shingled:
    """Every item's shingle hashes in one array (vectorised: no per-item numpy calls)."""

    def __init__(self, texts: Sequence[str], k: int) -> None:
        import numpy as np  # ~16 MB: only to cluster, not in every fetch that reads item_heat

        joined = "\x00".join(texts)
        codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
        lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        starts = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]]) if len(texts) else np.zeros(0, np.int64)
        n = max(codes.size - k + 1, 0)
        h = np.zeros(n, dtype=np.uint64)
        # in place, no temporaries (a fetch's peak RSS is made here): polynomial combination, the
        # uint64 arithmetic wrapping on purpose
        for i in range(k):
            h *= np.uint64(SHINGLE_PRIME)
            h += codes[i:i + n]
            h += np.uint64(i + 1)
        h ^= h >> np.uint64(29)
        h *= np.uint64(SHINGLE_MIX)
        h ^= h >> np.uint64(32)
        # shingles of item j start at starts[j] .. starts[j] + len - k: none crosses a separator
        # (a mask of one byte a shingle, not an index of eight and its temporaries: a fetch's
        # peak RSS is made here)
        counts = np.maximum(lengths - k + 1, 0)
        keep = np.ones(n, dtype=bool)
        separators = starts[1:] - 1
        for i in range(k):
            crossing = separators - i
            keep[crossing[(crossing >= 0) & (crossing < n)]] = False
        self.hashes = h[keep]
        del h, keep
        self.offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self._sets: dict[int, np.ndarray] = {}

    def similarity(self, i: int, j: int, settings: EventSettings) -> float | None:
        return _similarity(self.set_of(i), self.set_of(j), settings)

    def set_of(self, i: int) -> np.ndarray:
        found = self._sets.get(i)
        if found is None:
            found = self._sets[i] = _sorted_unique(self.hashes[self.offsets[i]:self.offsets[i + 1]])
        return found


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)``, without the numpy.ma it imports (1.3 MB of a fetch's peak RSS)."""
    import numpy as np  # only to cluster (see _Shingled.__init__)

    ordered = np.sort(values)
    if ordered.size < 2:
        return ordered
    keep = np.empty(ordered.size, dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


# Up to this many items (new and context together) are clustered in plain Python, with the same
# arithmetic and the same events: numpy's import costs a fetch ~0.1 s and ~20 MB of RSS, more than
# a few dozen items take (~1 ms an item of 180 characters: a cron run that finds a few new items
# in a quiet store).
PLAIN_ITEMS = 64


class _PlainShingled:
    """:class:`_Shingled`'s hashes, item by item, in plain Python (a few items: see PLAIN_ITEMS)."""

    def __init__(self, texts: Sequence[str], k: int) -> None:
        self.hashes = [_plain_hashes(text, k) for text in texts]
        self._sets: dict[int, set[int]] = {}

    def similarity(self, i: int, j: int, settings: EventSettings) -> float | None:
        a, b = self.set_of(i), self.set_of(j)
        if not a or not b:
            return None
        small = a if len(a) <= len(b) else b
        common = len(a & b)
        if not common:
            return None
        jaccard = common / (len(a) + len(b) - common)
        overlap = common / len(small)
        if jaccard < settings.min_jaccard or overlap < settings.min_overlap:
            return None
        return overlap

    def set_of(self, i: int) -> set[int]:
        found = self._sets.get(i)
        if found is None:
            found = self._sets[i] = set(self.hashes[i])
        return found


def _plain_hashes(text: str, k: int) -> list[int]:
    """:class:`_Shingled`'s uint64 arithmetic on one text, modulo 2**64 by hand."""
    codes = [ord(c) for c in text]
    out = []
    for start in range(len(codes) - k + 1):
        h = 0
        for i in range(k):
            h = (h * SHINGLE_PRIME + codes[start + i] + i + 1) & MASK64
        h ^= h >> 29
        h = (h * SHINGLE_MIX) & MASK64
        out.append(h ^ (h >> 32))
    return out


def _plain_band_keys(shingled: _PlainShingled, settings: EventSettings) -> list[list[int]]:
    """:func:`_band_keys` in plain Python (the default number of permutations, written out)."""
    rows = settings.num_perm // settings.bands
    salt = [band * 0xD6E8FEB86659FD93 & MASK64 for band in range(settings.bands)]
    mix = [0x9E3779B97F4A7C15 * (r + 1) & MASK64 for r in range(rows)]
    permutations = list(zip(_MULTIPLIERS, _OFFSETS, strict=True))
    out = []
    for hashes in shingled.hashes:
        # the least (a·h + b) mod 2**64 has the least top half: the shift after the minimum
        signature = ([min([(a * h + b) & MASK64 for h in hashes]) >> 32 for a, b in permutations] if hashes
                     else [MASK64] * settings.num_perm)
        out.append([(sum(signature[band * rows + r] * mix[r] for r in range(rows)) & MASK64) ^ salt[band]
                    for band in range(settings.bands)])
    return out


def _plain_dense(band_keys: list[list[int]]) -> tuple[list[list[int]], int]:
    """Each distinct band key numbered (:func:`_dense`'s numbers need not be these: only which
    keys are equal counts), and how many there are."""
    number: dict[int, int] = {}
    rows = [[number.setdefault(key, len(number)) for key in row] for row in band_keys]
    return rows, len(number)


MINHASH_SEED = 20261129
# The multiply-shift permutations (a odd, b) that numpy's default_rng(MINHASH_SEED) draws for the
# default 40, written out: numpy.random would add 6.6 MB to a fetch's peak RSS for 80 numbers
# (tests/test_events.py checks that they are still those draws).
_MULTIPLIERS: tuple[int, ...] = (
    2036335147045116559, 1475096432939639867, 2516932412789678909, 7856581689191952733,
    6433141536578244283, 5660382300638286547, 4230513032706179721, 4786723619287680779,
    6923620130693127627, 356449315764551861, 5012459821229792987, 6625918798291562101,
    1288639445531052589, 8955677946031476913, 1013170169881180305, 6963582629423101955,
    849526398712287855, 3309115111719228609, 6735024668274455829, 4481369614190882829,
    4260949661871735467, 1278488784769545303, 1569458921721805221, 2331113561027067063,
    1764434142773677065, 7954889176061056073, 794205381896432821, 5414823901439166583,
    8279636738936039635, 5895023205797077043, 1782381101557258495, 7423213581084336859,
    8775084586104156505, 7871970187192773253, 7125498256556125769, 849220760163153777,
    3738095903538242919, 5288638511534161849, 6927298621538748317, 327473933313817579,
)
_OFFSETS: tuple[int, ...] = (
    1320997597735063468, 895308909534375452, 1216869118156062615, 3105143745201382314,
    4574580740268205551, 4542290467982768104, 509647544638101714, 3323550644250636360,
    3195747116567684671, 1281295232250941849, 1523418601384971758, 2563659024770992340,
    1402431454252280568, 552273208331369334, 3203403222400460591, 1761296464730850171,
    1317195619348033252, 831369804675414106, 3772583157896875080, 4110864439081812509,
    3560685608312598413, 762126282133886327, 3831409323162601157, 1653831086465789996,
    1232299317655931659, 3512074209174273516, 712224483178515313, 3848818406888679167,
    440976929580168770, 274992363020344211, 2185485513240814671, 3368096948252777661,
    1966100015792186712, 1521799751598152118, 827513958004516065, 1848499746298415778,
    3641479450492960135, 1681439574748996753, 4203397887947189656, 2961145135731892057,
)


def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """(num_perm × 1) multipliers and offsets: default_rng(MINHASH_SEED)'s draws."""
    import numpy as np  # only to cluster (see _Shingled.__init__)

    if num_perm == len(_MULTIPLIERS):
        return (np.array(_MULTIPLIERS, dtype=np.uint64).reshape(-1, 1),
                np.array(_OFFSETS, dtype=np.uint64).reshape(-1, 1))
    rng = np.random.default_rng(MINHASH_SEED)  # another number of permutations: drawn here
    a = (rng.integers(1, 2**62, size=(num_perm, 1), dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
    b = rng.integers(0, 2**62, size=(num_perm, 1), dtype=np.uint64)
    return a, b


def _band_keys(shingled: _Shingled, settings: EventSettings, chunk: int = 64) -> np.ndarray:
    """(items × bands) 64-bit keys: MinHash signatures cut into bands, each band folded to one key.

    ``chunk`` items at a time: each chunk makes a few (permutations × shingles) arrays of 8 bytes a
    cell, ~3 MB for 64 items of 150 shingles (256 at a time added 21 MB to the peak RSS of a fetch
    of 2,000 items, 2,000 at a time 110 MB, and neither was faster: 64 is ~40 % faster than 256 on
    20,000 items, the arrays staying in cache).  The keys do not depend on it."""
    import numpy as np  # only to cluster (see _Shingled.__init__)

    a, b = _permutations(settings.num_perm)
    items = len(shingled.offsets) - 1
    rows = settings.num_perm // settings.bands
    keys = np.zeros((items, settings.bands), dtype=np.uint64)
    salt = np.arange(settings.bands, dtype=np.uint64) * np.uint64(0xD6E8FEB86659FD93)
    mix = np.array([0x9E3779B97F4A7C15 * (r + 1) & MASK64 for r in range(rows)], dtype=np.uint64)
    # one buffer for every chunk's (permutations × shingles) values, worked in place
    widest = max((int(shingled.offsets[min(lo + chunk, items)] - shingled.offsets[lo])
                  for lo in range(0, items, chunk)), default=0)
    buffer = np.empty((settings.num_perm, widest), dtype=np.uint64)
    for lo in range(0, items, chunk):
        hi = min(lo + chunk, items)
        first, last = shingled.offsets[lo], shingled.offsets[hi]
        values = buffer[:, :last - first]
        np.multiply(a, shingled.hashes[None, first:last], out=values)
        values += b
        values >>= np.uint64(32)
        signature = np.full((settings.num_perm, hi - lo), np.uint64(MASK64), dtype=np.uint64)
        sizes = np.diff(shingled.offsets[lo:hi + 1])
        present = np.nonzero(sizes)[0]
        if present.size:
            reduced = np.minimum.reduceat(values, (shingled.offsets[lo:hi] - first)[present], axis=1)
            signature[:, present] = reduced
        banded = signature.T.reshape(hi - lo, settings.bands, rows)
        keys[lo:hi] = (banded * mix).sum(axis=2) ^ salt  # wraps: cheap and good enough; salt = band
    return keys


def cluster(items: Sequence[ClusterItem], settings: EventSettings | None = None) -> list[Assignment]:
    """Assign every item without ``event_id`` to an event (an existing one, or a new one).

    Items that already have an ``event_id`` are the context: new items may join them, and they
    are never reassigned or merged with each other.  New items are taken in publication order;
    each is compared with the events its LSH bands point at (their first item and latest few
    members) and joins the best match, or starts an event.
    """
    settings = settings or EventSettings()
    new = sorted((i for i, item in enumerate(items) if item.event_id is None),
                 key=lambda i: (items[i].published_at, items[i].item_id))
    if not new:
        return []
    # numpy's import and the loop make many objects and no cycles: the cyclic collector's passes
    # over them are skipped meanwhile (it is process-wide; resumed only if it was running)
    running = gc.isenabled()
    gc.disable()
    try:
        return _cluster(items, new, settings)
    finally:
        if running:
            gc.enable()


def _cluster(items: Sequence[ClusterItem], new: list[int], settings: EventSettings) -> list[Assignment]:
    prepared = [_prepare(i, settings.body_chars) for i in items]
    texts = [text for text, _ in prepared]
    facts_of = [details for _, details in prepared]
    del prepared
    shingled: _Shingled | _PlainShingled
    if len(items) <= PLAIN_ITEMS and settings.num_perm == len(_MULTIPLIERS):
        shingled = _PlainShingled(texts, settings.shingle)
        del texts
        plain_rows, distinct = _plain_dense(_plain_band_keys(shingled, settings))
        row_of: Callable[[int], list[int]] = plain_rows.__getitem__
    else:
        shingled = _Shingled(texts, settings.shingle)
        del texts  # shingled: not kept through the loop (a fetch's peak RSS is made here)
        keys = _dense(_band_keys(shingled, settings))
        distinct = int(keys.max()) + 1 if keys.size else 0
        row_of = _rows_of(keys)
    times = [i.published_at.timestamp() for i in items]
    window_s = settings.window_hours * 3600
    # band key (band salted in, numbered densely) → its latest member, or latest few
    buckets: list[int | list[int] | None] = [None] * distinct
    event_of: dict[int, str] = {}
    facts: dict[str, dict[Details, None]] = {}  # event → its members' distinct facts
    spans: dict[str, tuple[float, float]] = {}  # event → (first, last) publication
    for index, item in enumerate(items):  # the stored events are the context
        if item.event_id is not None:
            _enter(index, item.event_id, row_of(index), buckets, event_of, facts, facts_of[index])
            _stretch(spans, item.event_id, times[index])
            if item.event_first_at is not None:
                _stretch(spans, item.event_id, item.event_first_at.timestamp())
    out: list[Assignment] = []
    sure_votes = max(2, settings.bands // 2)
    for index in new:
        details = facts_of[index]
        row = row_of(index)
        votes: dict[int, int] = {}  # member → shared bands, in the order first met
        for key in row:
            found = buckets[key]
            if found is None:
                continue
            if isinstance(found, int):
                votes[found] = votes.get(found, 0) + 1
            else:
                for other in found:
                    votes[other] = votes.get(other, 0) + 1
        # one representative per event: its member with the most shared bands
        by_event: dict[str, tuple[int, int]] = {}
        for other, count in votes.items():
            event = event_of[other]
            if count > by_event.get(event, (0, 0))[0] and abs(times[other] - times[index]) <= window_s:
                by_event[event] = (count, other)
        best: tuple[float, str] | None = None
        tried = 0
        for event, (count, other) in sorted(by_event.items(), key=lambda e: (-e[1][0], e[0])):
            first, last = spans[event]
            if max(last, times[index]) - min(first, times[index]) > window_s \
                    or not all(_compatible(member, details) for member in facts[event]):
                continue
            if count >= sure_votes:  # half the bands agree: Jaccard ≈ 0.7, no need to count shingles
                best = (round((count / settings.bands) ** 0.5, 4), event)
                break
            similarity = shingled.similarity(index, other, settings)
            if similarity is not None and (best is None or similarity > best[0]):
                best = (similarity, event)
            tried += 1
            if tried >= MAX_CANDIDATES or (best is not None and best[0] >= 0.75):
                break
        event_id = best[1] if best else event_id_for(items[index].item_id)
        _enter(index, event_id, row, buckets, event_of, facts, details)
        _stretch(spans, event_id, times[index])
        out.append(Assignment(items[index].item_id, event_id, round(best[0], 4) if best else 1.0))
    out.sort(key=lambda a: a.item_id)
    return out


def _rows_of(keys: np.ndarray) -> Callable[[int], list[int]]:
    def row_of(index: int) -> list[int]:
        found: list[int] = keys[index].tolist()
        return found

    return row_of


def _dense(band_keys: np.ndarray) -> np.ndarray:
    """The band keys numbered 0, 1, … in their order (equal keys, equal numbers): the buckets are
    then one list, not a dict of 40,000 64-bit ints for 2,000 items (~4 MB of a fetch's peak)."""
    import numpy as np  # only to cluster (see _Shingled.__init__)

    flat = band_keys.ravel()
    order = np.argsort(flat, kind="stable")  # (np.unique's inverse, without the numpy.ma it imports)
    ordered = flat[order]
    first = np.empty(flat.size, dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    dense = np.empty(flat.size, dtype=np.int32 if flat.size < 2**31 else np.int64)
    dense[order] = np.cumsum(first) - 1
    return dense.reshape(band_keys.shape)


def _enter(index: int, event: str, row: list[int], buckets: list[int | list[int] | None],
           event_of: dict[int, str], facts: dict[str, dict[Details, None]], details: Details) -> None:
    for key in row:
        bucket = buckets[key]
        if bucket is None:
            # the member itself, not a list: most keys keep one member, and a deque costs 760
            # bytes (40,000 keys for 2,000 items: ~25 MB of a fetch's peak), a one-item list 88
            buckets[key] = index
        elif isinstance(bucket, int):
            buckets[key] = [bucket, index]
        else:
            bucket.append(index)
            if len(bucket) > BUCKET_CAP:  # the most recent members are the likeliest matches for what comes next
                del bucket[0]
    event_of[index] = event
    facts.setdefault(event, {})[details] = None


def _stretch(spans: dict[str, tuple[float, float]], event: str, at: float) -> None:
    found = spans.get(event)
    spans[event] = (min(found[0], at), max(found[1], at)) if found else (at, at)


def _similarity(a: np.ndarray, b: np.ndarray, settings: EventSettings) -> float | None:
    import numpy as np  # only to cluster (see _Shingled.__init__)

    if not a.size or not b.size:
        return None
    small, large = (a, b) if a.size <= b.size else (b, a)
    positions = np.minimum(np.searchsorted(large, small), large.size - 1)
    common = int(np.count_nonzero(large[positions] == small))
    if not common:
        return None
    jaccard = common / (a.size + b.size - common)
    overlap = common / small.size
    if jaccard < settings.min_jaccard or overlap < settings.min_overlap:
        return None
    return overlap


_LEAD_RE = re.compile(
    r"^\s*(据[^，,。]{1,14}[，,]|[^，,。\s]{2,10}讯\s|[^，,。]{0,8}(获悉|消息显示|报道|爆料称)[，,：:])")
# A figure and its kind, the unit right after it: 11月 26日 1.55% 50万(元).  A bare number is no
# fact: a copy cut short ends in one (拨备覆盖率38…, 贷款8600万元 cut to 贷款86), and times of day
# (09:17) differ between copies.
_FIGURE_RE = re.compile(r"(\d+(?:\.\d+)?)([年月日号时点万亿千百元个只家项笔条名人户倍天周岁次厘%％]"
                        r"|\s?(?:billion|million|trillion|bn|percent|bps?)\b)")
# An editor's note or source line appended to a copy: what follows is no fact of the story
# (本文来自北京商报 names a paper, not a place).
_NOTE_RE = re.compile(r"(本文来自|转载自|[（(]?(来源|责任编辑|编辑|原标题)[：:])")
# A branch is named by the two characters before 分行/支行/营业部 (长沙分行, 滨江支行); 一分行 or
# 某支行 is "a branch", no name.
_BRANCH_RE = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff]{2})(?:分行|支行|营业部)")
_NO_BRANCH_NAME = frozenset("一某该其各多家个")
# Where a story happened is part of what it is: the same template in two cities is two events.
_PLACES = tuple("""
    北京 上海 天津 重庆 广州 深圳 杭州 南京 苏州 无锡 宁波 温州 成都 武汉 西安 郑州 长沙 合肥 济南 青岛 福州 厦门 南昌
    沈阳 大连 长春 哈尔滨 石家庄 太原 呼和浩特 南宁 昆明 贵阳 兰州 西宁 银川 乌鲁木齐 拉萨 海口 三亚 东莞 佛山 珠海
    常州 徐州 烟台 潍坊 绍兴 嘉兴 金华 台州 泉州 漳州 洛阳 宜昌 襄阳 岳阳 株洲 绵阳 遵义 柳州 桂林 唐山 保定 邯郸
    广东 江苏 浙江 山东 河南 河北 湖北 湖南 四川 福建 安徽 江西 辽宁 吉林 黑龙江 山西 陕西 甘肃 青海 云南 贵州 广西
    海南 内蒙古 宁夏 新疆 西藏
""".split())
_PLACE_AUTOMATON = ahocorasick.Automaton()
for _place in _PLACES:
    _PLACE_AUTOMATON.add_word(_place, _place)
_PLACE_AUTOMATON.make_automaton()

def places_in(text: str) -> frozenset[str]:
    """The cities and provinces ``text`` names (where a story happened is part of what it is)."""
    return frozenset(place for _, place in _PLACE_AUTOMATON.iter(text))


Details = tuple[frozenset[Any], ...]  # banks, figures ((kind, value) pairs), branches, places


def _prepare(item: ClusterItem, body_chars: int) -> tuple[str, Details]:
    """The normalised text to shingle, and the facts two look-alike stories differ in: banks,
    numbers, branches and places, from the headline and the start of the body (which reprints
    keep: they add leads and notes, and cut the end)."""
    title = fold(_COLUMN_RE.sub("", _TAG_RE.sub("", item.title or "")))
    body = fold((item.summary or "")[:max(body_chars, 100)])
    normalised = _KEEP_RE.sub("", title + " " + body[:body_chars])
    lead = _LEAD_RE.sub("", body[:100])[:80]  # 据北京商报消息，names a paper, not a place
    note = _NOTE_RE.search(lead)
    text = title + " " + (lead[:note.start()] if note else lead)
    branches = frozenset(m.group(1) for m in _BRANCH_RE.finditer(text) if m.group(1)[-1] not in _NO_BRANCH_NAME)
    places = places_in(text)
    figures = frozenset((unit.strip().replace("％", "%"), value) for value, unit in _FIGURE_RE.findall(text))
    return normalised, (item.bank_ids, figures, branches, places)


def _compatible(a: Details, b: Details) -> bool:
    """Whether two items can be copies of one story: reprints keep the facts, and may drop some
    (a shorter headline, a truncated body), never change them.  Each may name only banks the other
    names too, or all of the other's and more (a copy cut short names fewer); of each kind of figure
    both give (the day, the month, a rate, an amount), they give one value in common; and of the
    branches and of the places both name, one in common.  "邮储、交行" and "交行、建行", 26日 and 27日,
    1.55% and 1.25%, 北京分行 and 上海分行 are different stories, however alike the wording."""
    banks_a, figures_a, branches_a, places_a = a
    banks_b, figures_b, branches_b, places_b = b
    if banks_a and banks_b and not (banks_a <= banks_b or banks_b <= banks_a):
        return False
    if branches_a and branches_b and not branches_a & branches_b:
        return False
    if places_a and places_b and not places_a & places_b:
        return False
    if figures_a and figures_b and figures_a != figures_b:
        kinds_a, kinds_b = {k for k, _ in figures_a}, {k for k, _ in figures_b}
        shared = figures_a & figures_b
        if any(not any(k == kind for k, _ in shared) for kind in kinds_a & kinds_b):
            return False
    return True


def event_id_for(first_item_id: str) -> str:
    """Stable: named after the event's first item."""
    return "ev-" + hashlib.sha1(first_item_id.encode("utf-8")).hexdigest()[:12]


# --- heat ----------------------------------------------------------------------------------------


def item_heat(channel: str, source_weight: float, channel_weights: Mapping[str, float], *,
              age_days: float = 0.0, half_life_days: float | None = None) -> float:
    """One appearance's heat: channel influence × source weight × 100, decayed by age if asked."""
    heat = channel_weights.get(channel, 0.0) * source_weight * HEAT_SCALE
    if half_life_days and age_days > 0:
        heat *= 0.5 ** (age_days / half_life_days)
    return heat


def pairwise_scores(truth: Mapping[str, str], predicted: Mapping[str, str]) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering against labelled stories (item → cluster)."""
    def pairs(labels: Mapping[str, str]) -> set[tuple[str, str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for item, label in labels.items():
            groups[label].append(item)
        return {(a, b) for members in groups.values() for a, b in _combinations(sorted(members))}

    true_pairs, found = pairs(truth), pairs({k: v for k, v in predicted.items() if k in truth})
    precision = len(true_pairs & found) / len(found) if found else 1.0
    recall = len(true_pairs & found) / len(true_pairs) if true_pairs else 1.0
    return precision, recall


def _combinations(members: Sequence[str]) -> Iterable[tuple[str, str]]:
    for i, a in enumerate(members):
        for b in members[i + 1:]:
            yield a, b
