"""Analyst corrections as judgements: what ``reportgen label`` stores in place of a scorer's call.

A correction says whether an item is bad news for one bank and, optionally, which risk categories
apply (shared/LABELLING.md).  It becomes a :class:`Judgement` of its own, scorer and version
``manual``, whose one reason is 人工修正 (with the analyst and the note), so every report and export
shows both the corrected call and that a person made it.  The scorers never overwrite it: the store
skips corrected mentions when it rescores (a new model file, ``reportgen score --all``).

The rules here decide only what a correction means; reading and writing it is ``store/``'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reportgen.errors import DataError
from reportgen.score import CategoryHit, Judgement, Reason
from reportgen.score.categories import NEUTRAL_CATEGORIES

MANUAL = "manual"  # the scorer and version of a correction's judgement
MANUAL_REASON = "人工修正"  # the reason every correction carries (analyst correction)
# the score a corrected label gets when the stored one does not already agree with it
DEFAULT_SCORES = {"negative": -0.75, "neutral": 0.0, "positive": 0.5}
LABEL_WORDS = {"negative": "negative", "neutral": "neutral", "positive": "positive",
               "负面": "negative", "中性": "neutral", "正面": "positive"}


def parse_codes(value: str | Iterable[str], known: Sequence[str]) -> tuple[str, ...]:
    """Category codes from ``a,b`` / ``a;b`` (or a list); ``none`` or empty for none.

    Raises :class:`DataError` naming an unknown code and the known ones."""
    if isinstance(value, str):
        value = value.replace("；", ";").replace("，", ",").replace(";", ",").split(",")
    codes = tuple(dict.fromkeys(c.strip().lower() for c in value if c.strip()))
    if "none" in codes:
        if len(codes) > 1:
            raise DataError(f"categories {', '.join(codes)}: \"none\" is never combined with another code")
        return ()
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise DataError(f"unknown category {', '.join(unknown)}", hint=f"known: {', '.join(known)}, or none")
    return codes


def parse_label(value: str) -> str:
    """negative / neutral / positive (or 负面 / 中性 / 正面), any case → the label; DataError otherwise."""
    label = LABEL_WORDS.get(value.strip().lower())
    if label is None:
        raise DataError(f"sentiment {value!r} is not negative, neutral or positive")
    return label


def corrected_judgement(label: str, categories: Sequence[str] | None, *, previous_label: str | None = None,
                        previous_score: float | None = None, previous_categories: Sequence[CategoryHit] = (),
                        by: str | None = None, note: str | None = None) -> Judgement:
    """The judgement an analyst's correction stands for.

    ``categories`` ``None`` keeps what the replaced judgement had, as far as the corrected label
    allows: categories of bad news belong to negative judgements only; performance and personnel
    (a profit rise, an appointment) to any.  Given explicitly, a category of bad news on a label
    that is not negative is refused.  The score is the replaced one when its label is the same,
    else a default inside the label's band.
    """
    if label not in DEFAULT_SCORES:
        raise DataError(f"label {label!r} is not negative, neutral or positive")
    negative = label == "negative"
    if categories is not None:
        wrong = [c for c in categories if not negative and c not in NEUTRAL_CATEGORIES]
        if wrong:
            raise DataError(f"categories {', '.join(wrong)} apply only to bad news for the bank",
                            hint="mark it --negative, or give only performance/personnel (shared/LABELLING.md)")
        hits = {hit.code: hit for hit in previous_categories}
        clause = note or ""
        chosen = tuple(hits.get(c) or CategoryHit(c, (MANUAL_REASON,), clause) for c in dict.fromkeys(categories))
    else:
        chosen = tuple(hit for hit in previous_categories if negative or hit.code in NEUTRAL_CATEGORIES)
    score = previous_score if previous_label == label and previous_score is not None else DEFAULT_SCORES[label]
    who = f"analyst correction by {by}" if by else "analyst correction"
    was = f"; was {previous_label}" if previous_label and previous_label != label else ""
    # a non-zero weight: reports and exports list the reasons that carry weight
    reason = Reason(MANUAL_REASON, -1.0 if negative else 1.0, MANUAL, note or "", who + was)
    return Judgement(label, score, chosen, (reason,), MANUAL, MANUAL, {})


def is_manual(version: str | None) -> bool:
    return version == MANUAL
