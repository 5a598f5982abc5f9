"""Text → sparse features, one implementation for training and for inference.

The trained backend must score without scikit-learn, and a model is only as good as the
agreement between the features it was trained on and the features it is served.  So training
(:mod:`.train`) and scoring (:mod:`.model`) both call the functions here; scikit-learn only fits
the coefficients.

Three feature blocks, each a TF-IDF vector (binary term frequency, smooth idf, L2 norm per
block) over a vocabulary learnt from the training rows.  Binary tf scores as well as sublinear tf
in cross-validation and needs no counting:

``text``
    Character 1–3-grams of the normalized title and the start of the body (``max_chars``, 256 by
    default: cross-validation scores it as well as the whole text, and 5,000-character reposts
    no longer dominate scoring time).  Computed once per item, whatever the number of targets: it
    is shared by the item head, the target head and the polarity head.
``window``
    Character 1–3-grams in a window left and right of the target's first mentions, after every
    entity mention has been replaced by a marker: the target's by one marker, the other entities'
    by another, longest name first (so 东方融资网 is not read as 融资网).  This is what makes one
    text give different answers for different banks.
``name``
    Character 1–3-grams of the target's names, ``^`` and ``$`` marking the ends (a platform that
    keeps appearing in fraud stories).
``bank_window``
    As ``window``, wider, with a vocabulary of its own learnt from the bank-level rows (the
    ``bank`` and ``categories`` heads): short posts and hot-search titles put the cue a few
    characters from the bank's name, or after a response verb (某行回应…).

Plus a few dense *structural* features (:data:`STRUCT`), e.g. whether the target is a substring
of another listed entity: in FinNSP's labelling, when one listed entity is a substring of
another, usually only the longer one is the key entity.  The bank-level heads also read the rules
backend's verdict as dense features (:data:`RULE_FEATURES`: its score, label, the sums of its
unfavourable and favourable evidence and the categories it tagged): the project's lexicon knows
short-text cues that a few hundred labelled rows cannot teach, and the model learns how far to
trust each of them for the bank.

Speed: n-grams are never Python strings.  A batch of texts becomes one array of code points, and
an n-gram of up to three code points is packed exactly into one 64-bit key
(``c1 << 42 | c2 << 21 | c3``; code points fit in 21 bits, so keys are unique and decodable;
bit 63 marks the right-hand window).  Vocabulary lookup is an open-addressing hash table built
with numpy; the per-row sums are ``np.add.reduceat``.  Only marking the targets is a Python loop.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reportgen.score import Judgement, ScoreInput
from reportgen.score.categories import DEFAULT_CATEGORIES

log = logging.getLogger(__name__)

MARK_TARGET = "\ue000"
MARK_OTHER = "\ue001"
TITLE_SEP = "\ue002"
_URL_MARK = "\ue003"
_IMG_MARK = "\ue004"
RIGHT = np.uint64(1 << 63)  # flags the right-hand window's n-grams
MAX_WINDOWS = 2  # windows around the first mentions only: reposts repeat a name dozens of times

_URL = re.compile(r"https?://[!-~]+")
_IMG = re.compile(r"\{img:\d+\}")
_QMARKS = re.compile(r"\?{2,}")  # emoji lost in a GBK round-trip upstream show up as runs of "?"
_PAREN = re.compile(r"[(][^)]*[)]")
# NFKC for the characters that matter in Chinese news (full-width forms, ideographic space, …, ①);
# unicodedata.normalize over whole texts took 40 % of scoring time, str.translate 15 %.
_FOLD: dict[int, str | None] = {cp: unicodedata.normalize("NFKC", chr(cp)) for r in (
    range(0xFF01, 0xFF5F), range(0x2460, 0x2474), range(0x2160, 0x2180), range(0x3220, 0x3244),
    (0x3000, 0x2026, 0x00A0)) for cp in r}
_FOLD = {cp: s for cp, s in _FOLD.items() if s != chr(cp)} | {0: ""}
_FOLD_STR = {chr(cp): s or "" for cp, s in _FOLD.items()}
_FOLD_RE = re.compile("[" + "".join(re.escape(c) for c in _FOLD_STR) + "]")

STRUCT = (
    "is_substring_of_other",  # 融资网 next to 东方融资网: usually not the key entity
    "contains_other",
    "mentions",  # min(count, 5) / 5
    "found",  # the target's name occurs in the text at all
    "in_title",
    "inv_entities",  # 1 / number of listed entities
    "first_position",  # where the first mention sits, 0 = start, 1 = end or absent
    "others_found",
)


RULE_CODES = tuple(c.code for c in DEFAULT_CATEGORIES)
RULE_FEATURES = (
    "score",  # the rules' score in [-1, 1]
    "negative",  # its label
    "positive",
    "unfavourable",  # tanh(sum of the unfavourable reasons' weights / 4), as a positive number
    "favourable",
    *(f"category:{code}" for code in RULE_CODES),  # the categories it tagged
)
_BANK_NAME = re.compile(r"银行|bank|^.{1,3}行$|农信|信用社|邮储", re.IGNORECASE)


def rule_features(judgement: Judgement) -> tuple[float, ...]:
    """The rules backend's verdict on one target as :data:`RULE_FEATURES` (see the module docstring)."""
    unfavourable = sum(r.weight for r in judgement.reasons if r.weight < 0)
    favourable = sum(r.weight for r in judgement.reasons if r.weight > 0)
    codes = set(judgement.category_codes)
    return (judgement.score, float(judgement.label == "negative"), float(judgement.label == "positive"),
            float(np.tanh(-unfavourable / 4.0)), float(np.tanh(favourable / 4.0)),
            *(float(code in codes) for code in RULE_CODES))


def is_bank(names: Sequence[str]) -> bool:
    """Does a target name a bank (招商银行, 招行, 农商行, 邮储)?  Models trained on bank-level labels
    judge banks with their ``bank`` head, other entities (platforms, companies) with the entity head."""
    return any(_BANK_NAME.search(n.strip()) for n in names)


def _fold_one(m: re.Match[str]) -> str:
    return _FOLD_STR[m.group()]


def normalize(s: str) -> str:
    """Full-width → half-width, lower case, one mark per URL or image placeholder, spaces collapsed."""
    s = _FOLD_RE.sub(_fold_one, s).lower()
    if "http" in s:
        s = _URL.sub(_URL_MARK, s)
    if "{img:" in s:
        s = _IMG.sub(_IMG_MARK, s)
    if "??" in s:
        s = _QMARKS.sub("?", s)
    return " ".join(s.split())


def name_key(name: str) -> str:
    """An entity name as it is searched for in normalized text (``????宜贷网`` → ``宜贷网``)."""
    return normalize(name).strip("? ")


def combine(title: str, text: str) -> tuple[str, int]:
    """One normalized document and where its title ends (-1: no separate title).

    Weibo rows often repeat the text as the title; a title already contained in the body adds nothing.
    """
    x = normalize(text)
    if not title or title == text:
        return x, -1
    t = normalize(title)
    if not t or t == x or t in x:
        return x, -1
    return t + TITLE_SEP + x, len(t)


def gram_keys(strings: Sequence[str], owners: Sequence[int] | np.ndarray | None = None,
              flag: np.uint64 | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Keys of all 1–3-grams of ``strings`` and, for each, the owner of its string (default: its index)."""
    if not strings:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    cp = np.frombuffer("\x00".join(strings).encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.uint64)
    lens = np.fromiter(map(len, strings), dtype=np.int64, count=len(strings)) + 1
    own_of = np.arange(len(strings)) if owners is None else np.asarray(owners, dtype=np.int64)
    own = np.repeat(own_of, lens)[:len(cp)]
    valid = cp != 0  # the separators; texts carry no NUL after normalize()
    v2 = valid[:-1] & valid[1:]
    v3 = v2[:-1] & valid[2:]
    keys = np.concatenate([cp[valid], ((cp[:-1] << np.uint64(21)) | cp[1:])[v2],
                           ((cp[:-2] << np.uint64(42)) | (cp[1:-1] << np.uint64(21)) | cp[2:])[v3]])
    owner = np.concatenate([own[valid], own[:-1][v2], own[:-2][v3]])
    if flag is not None:
        keys |= flag
    return keys, owner


def text_keys(docs: Sequence[str], max_chars: int) -> tuple[np.ndarray, np.ndarray]:
    """The text block's keys: n-grams of the first ``max_chars`` characters of each document.

    Titles and leads carry the news; the long tail of 5,000-character reposts would otherwise
    dominate scoring time.  (The target windows still see the whole document.)
    """
    return gram_keys([d[:max_chars] for d in docs])


def key_to_term(key: int) -> str:
    """A key back to its n-gram (right-window n-grams get a ``>`` prefix), for people reading a model."""
    prefix = ">" if key >> 63 else ""
    key &= (1 << 63) - 1
    chars = [key >> 42, (key >> 21) & 0x1FFFFF, key & 0x1FFFFF]
    return prefix + "".join(chr(c) for c in chars if c)


@dataclass(frozen=True, slots=True)
class TargetView:
    """What the target head sees of one target in one document."""

    left: list[str]  # the marked text before each of the first mentions
    right: list[str]  # … and after
    names: list[str]  # "^name$"
    struct: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Mentions:
    """Every entity mention in one document, marked once for all of its targets.

    ``marked`` is the document with each mention replaced by :data:`MARK_OTHER` (one character),
    so a mention sits at the same place for every target; a target's view turns its own
    mentions into :data:`MARK_TARGET`.
    """

    marked: str
    at: dict[str, list[tuple[int, int]]]  # key → [(position in marked, offset in the document)]
    inside: dict[str, frozenset[str]]  # key → the other keys that contain it
    holds: dict[str, frozenset[str]]  # key → the other keys it contains
    size: int  # length of the document
    title_end: int


def find_mentions(doc: str, title_end: int, keys: Sequence[str]) -> Mentions:
    """The mentions of the entity ``keys`` (from :func:`name_key`) in ``doc`` (from :func:`combine`).

    Non-overlapping, longest name first, so 东方融资网 keeps its 融资网.  A key not in the text is
    searched without its parenthesized suffix (宜贷网(沪) → 宜贷网), at a lower priority than the
    entities literally named so.
    """
    unique = [k for k in dict.fromkeys(keys) if k]
    search: list[tuple[int, bool, str, str]] = []
    for k in unique:
        if k in doc:
            search.append((-len(k), False, k, k))
        else:
            alt = _PAREN.sub("", k).strip()
            if alt and alt != k and alt in doc:
                search.append((-len(alt), True, alt, k))
    search.sort()
    spans: list[tuple[int, int, str]] = []
    taken = bytearray(len(doc))  # 1 where a longer name already claimed the character
    for neg_size, _, name, key in search:
        i = doc.find(name)
        while i >= 0:
            end = i - neg_size
            if taken.find(1, i, end) < 0:
                spans.append((i, end, key))
                taken[i:end] = b"\x01" * (end - i)
            i = doc.find(name, i + 1)
    spans.sort()
    parts: list[str] = []
    at: dict[str, list[tuple[int, int]]] = {}
    pos = size = 0
    for a, b, key in spans:
        parts.append(doc[pos:a])
        size += a - pos
        at.setdefault(key, []).append((size, a))
        parts.append(MARK_OTHER)
        size += 1
        pos = b
    parts.append(doc[pos:])
    inside = {k: frozenset(o for o in unique if o != k and k in o) for k in unique}
    holds = {k: frozenset(o for o in unique if o != k and o in k) for k in unique}
    return Mentions("".join(parts), at, inside, holds, len(doc), title_end)


def _remark(piece: str, start: int, targets: Sequence[int]) -> str:
    """``piece`` (``marked[start:…]``) with the target's other mentions inside it marked as the target."""
    lo, hi = bisect_left(targets, start), bisect_left(targets, start + len(piece))
    if lo == hi:
        return piece
    chars = list(piece)
    for q in targets[lo:hi]:
        chars[q - start] = MARK_TARGET
    return "".join(chars)


def target_view(m: Mentions, target_keys: Sequence[str], other_keys: Sequence[str], window: int) -> TargetView:
    """Describe one target: its windows in the marked text, its names and the structural features."""
    keys = [k for k in dict.fromkeys(target_keys) if k]
    mine = set(keys)
    others = {k for k in other_keys if k and k not in mine}
    found = [pa for k in keys for pa in m.at.get(k, ())]
    if len(keys) > 1:
        found.sort()
    positions = [p for p, _ in found]
    left: list[str] = []
    right: list[str] = []
    for p, _ in found[:MAX_WINDOWS]:
        lo = max(0, p - window)
        left.append(_remark(m.marked[lo:p], lo, positions))
        right.append(_remark(m.marked[p + 1:p + 1 + window], p + 1, positions))
    empty: frozenset[str] = frozenset()
    struct = (
        float(any(m.inside.get(k, empty) & others for k in keys)),
        float(any(m.holds.get(k, empty) & others for k in keys)),
        min(len(found), 5) / 5.0,
        float(bool(found)),
        float(bool(found) and found[0][1] < m.title_end),  # title_end is -1 without a title
        1.0 / (1 + len(others)),
        found[0][1] / max(m.size, 1) if found else 1.0,
        float(any(o in m.at for o in others)),
    )
    return TargetView(left, right, ["^" + k + "$" for k in keys[:4]], struct)


def input_views(inputs: Sequence[ScoreInput], docs: Sequence[tuple[str, int]], window: int) -> list[TargetView]:
    """The view of each input's target in its document (from :func:`combine`); a document's
    mentions are found once for all the targets that share it and its set of names."""
    keyed: dict[str, str] = {}

    def keys(names: Sequence[str]) -> list[str]:
        return [keyed.get(x) or keyed.setdefault(x, name_key(x)) for x in names]

    mentions: dict[tuple[str, tuple[str, ...]], Mentions] = {}
    views: list[TargetView] = []
    for inp, (doc, title_end) in zip(inputs, docs, strict=True):
        mine = keys(inp.target.names)
        others = keys([x for o in inp.others for x in o.names])
        every = tuple(sorted({*mine, *others}))
        found = mentions.get((doc, every))
        if found is None:
            found = mentions[(doc, every)] = find_mentions(doc, title_end, every)
        views.append(target_view(found, mine, others, window))
    return views


def window_keys(views: Sequence[TargetView]) -> tuple[np.ndarray, np.ndarray]:
    """The window block's keys of many targets, owner = the target's index."""
    lk, lo = gram_keys([s for v in views for s in v.left], [i for i, v in enumerate(views) for _ in v.left])
    rk, ro = gram_keys([s for v in views for s in v.right], [i for i, v in enumerate(views) for _ in v.right],
                       flag=RIGHT)
    return np.concatenate([lk, rk]), np.concatenate([lo, ro])


def name_keys(views: Sequence[TargetView]) -> tuple[np.ndarray, np.ndarray]:
    return gram_keys([s for v in views for s in v.names], [i for i, v in enumerate(views) for _ in v.names])


_MULT = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing


class _HashIndex:
    """Open addressing (linear probing) over the vocabulary keys: one gather per lookup, mostly.

    Binary search over ~10⁵ keys costs a cache miss per step; at 800 n-grams an item that was most
    of the scoring time.  Built with numpy in a few rounds; key 0 never occurs (no NUL code point).
    """

    __slots__ = ("table", "ids", "shift", "mask", "probes")

    def __init__(self, keys: np.ndarray) -> None:
        bits = max(10, int(np.ceil(np.log2(max(len(keys), 1) * 4))))
        size = 1 << bits
        self.shift = np.uint64(64 - bits)
        self.mask = size - 1
        self.table = np.zeros(size, dtype=np.uint64)
        self.ids = np.full(size, -1, dtype=np.int64)
        pending = np.arange(len(keys))
        slots = self._slots(keys)
        self.probes = 0
        while len(pending):
            s = slots[pending]
            free = self.ids[s] < 0
            cand, cs = pending[free], s[free]
            order = np.argsort(cs, kind="stable")
            cs, cand = cs[order], cand[order]
            first = np.ones(len(cs), dtype=bool)
            first[1:] = cs[1:] != cs[:-1]
            self.table[cs[first]] = keys[cand[first]]
            self.ids[cs[first]] = cand[first]
            placed = np.zeros(len(keys), dtype=bool)
            placed[cand[first]] = True
            pending = pending[~placed[pending]]
            slots[pending] = (slots[pending] + 1) & self.mask
            self.probes += 1

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        return ((keys * _MULT) >> self.shift).astype(np.int64)

    def find(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(positions in keys, vocabulary ids)`` of the keys that are in the vocabulary."""
        slots = self._slots(keys)
        got = self.table[slots]
        hit = got == keys
        found_at = [np.flatnonzero(hit)]
        found_id = [self.ids[slots[found_at[0]]]]
        todo = np.flatnonzero(~hit & (got != 0))  # the slot holds another key: probe on
        for _ in range(self.probes - 1):
            if not len(todo):
                break
            slots_todo = (slots[todo] + 1) & self.mask
            slots[todo] = slots_todo
            got = self.table[slots_todo]
            hit = got == keys[todo]
            found_at.append(todo[hit])
            found_id.append(self.ids[slots_todo[hit]])
            todo = todo[~hit & (got != 0)]
        return np.concatenate(found_at), np.concatenate(found_id)


class Block:
    """A vocabulary (sorted keys) with idf weights: keys → L2-normalized binary TF-IDF rows."""

    __slots__ = ("keys", "idf", "_index")

    def __init__(self, keys: np.ndarray, idf: np.ndarray) -> None:
        keys = np.asarray(keys, dtype=np.uint64)
        if keys.ndim != 1 or len(keys) != len(idf) or len(keys) >= 1 << 31:
            raise ValueError(f"vocabulary has {len(keys)} keys but {len(idf)} idf weights")
        if len(keys) and (not bool(np.all(keys[1:] > keys[:-1])) or keys[0] == 0):
            raise ValueError("vocabulary keys are not strictly increasing and non-zero")
        self.keys = keys
        self.idf = np.asarray(idf, dtype=np.float64)
        self._index: _HashIndex | None = None

    def __len__(self) -> int:
        return len(self.keys)

    def prepare(self) -> _HashIndex:
        if self._index is None:
            self._index = _HashIndex(self.keys)
        return self._index

    def transform(self, keys: np.ndarray, owner: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sparse rows ``(row, col, value)`` for ``n`` owners; unknown n-grams are dropped."""
        size = len(self.keys)
        if not size or not len(keys):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
        at, ids = self.prepare().find(keys)
        pairs = (owner[at] << 32) | ids
        pairs.sort()  # binary tf: each (owner, n-gram) once; np.sort is far faster than np.unique here
        if len(pairs) > 1:
            pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
        row, col = pairs >> 32, pairs & 0xFFFFFFFF
        val = self.idf[col]
        norm = np.sqrt(np.bincount(row, weights=val * val, minlength=n))
        return row, col, val / norm[row]

    @classmethod
    def fit(cls, keys: np.ndarray, owner: np.ndarray, n: int, min_df: int = 2) -> Block:
        """Learn the vocabulary (n-grams in at least ``min_df`` of the ``n`` owners) and smooth idf."""
        uniq, inverse = np.unique(keys, return_inverse=True)
        pairs = np.unique(owner * len(uniq) + inverse.ravel())
        df = np.bincount(pairs % len(uniq), minlength=len(uniq)) if len(uniq) else np.zeros(0, dtype=np.int64)
        keep = df >= min_df
        idf = np.log((1 + n) / (1 + df[keep])) + 1.0
        log.debug("block: %d owners, %d of %d n-grams kept", n, int(keep.sum()), len(uniq))
        return cls(uniq[keep], idf)
