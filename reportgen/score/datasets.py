"""Labelled examples for training and evaluating scorers, read from JSON Lines.

One schema serves the public sets in ``../shared/data`` (FinNSP, FinFE) and a bank's own analyst
labels, so ``reportgen model train`` and ``reportgen eval`` read the same files.

JSONL schema, one JSON object per line (blank lines are skipped; unknown fields such as
``source_row`` or ``score`` are ignored):

``text`` (str, required)
    The item's body.
``title`` (str, optional)
    The headline; ``""`` when absent.
``id`` (str or int, optional)
    Kept for reports; defaults to ``"<file name>:<line>"``.
``entities`` (list[str], optional)
    The entities (banks, platforms, companies) mentioned in the item, as in FinNSP.
``key_entities`` (list[str], optional)
    Which of ``entities`` the negative information is about (entity-level labels).
``negative`` (0/1, optional)
    Item-level: does the item carry negative information about any listed entity?  When
    ``key_entities`` is given and ``negative`` is not, it is 1 if ``key_entities`` is non-empty.
``label`` (str, optional)
    Item-level sentiment ``negative`` | ``neutral`` | ``positive`` (FinFE, analysts).  FinFE's
    upstream ``label_raw`` (``"0"`` / ``"0.5"`` / ``"1"``) is accepted when ``label`` is missing.

Bank-level labels (the project's ``devset/``, a bank's own analyst labels), one (text, bank) pair
per row, as defined in ``shared/LABELLING.md``:

``bank`` (str, optional)
    The bank the row judges, written exactly as it appears in the title or text (short forms
    such as 招行 or 建行 too); it must be a substring of one of them.
``negative_for_bank`` (bool or 0/1, optional; needs ``bank``)
    Is the item bad news for that bank (the bank or its staff is the subject)?
``categories`` (list[str], optional; needs ``bank``)
    Risk category codes (``complaint``, ``fee_rate`` …), or ``["none"]``; ``"none"`` is never
    combined with another code, and an empty list means ``["none"]``.

A bad row raises :class:`reportgen.errors.DataError` naming ``file:line`` and the problem.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

from reportgen.errors import DataError
from reportgen.score import LABELS

log = logging.getLogger(__name__)

_RAW_LABELS = {"0": "negative", "0.0": "negative", "0.5": "neutral", "1": "positive", "1.0": "positive"}


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled row.  Fields a file does not label are ``None``."""

    id: str
    title: str
    text: str
    entities: tuple[str, ...]  # () when absent
    key_entities: tuple[str, ...] | None  # None when the row has no entity-level labels
    negative: int | None  # 0/1 item-level (FinNSP), None if absent
    label: str | None  # "negative" | "neutral" | "positive", None if absent
    bank: str | None = None  # bank-level rows: the bank's name as written in the text
    negative_for_bank: bool | None = None  # bank-level: bad news for `bank`?
    categories: tuple[str, ...] | None = None  # bank-level: category codes, ("none",) for none


def _str_list(value: Any, field_name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"`{field_name}` must be a list of strings, got {type(value).__name__}")
    out: list[str] = []
    for v in value:
        v = v.strip()
        if v and v not in out:  # FinNSP splits on ";" and can leave empties or repeats
            out.append(v)
    return tuple(out)


def _parse_row(obj: Any, default_id: str) -> Example:
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str):
        raise ValueError("missing `text` (a string)" if text is None else "`text` must be a string")
    title = obj.get("title", "")
    if title is None:
        title = ""
    if not isinstance(title, str):
        raise ValueError("`title` must be a string")
    raw_id = obj.get("id", default_id)
    if not isinstance(raw_id, str | int) or isinstance(raw_id, bool):
        raise ValueError("`id` must be a string or an integer")

    entities = _str_list(obj["entities"], "entities") if obj.get("entities") is not None else ()
    key_entities: tuple[str, ...] | None = None
    if obj.get("key_entities") is not None:
        key_entities = _str_list(obj["key_entities"], "key_entities")
        unknown = [k for k in key_entities if k not in entities]
        if unknown:
            raise ValueError(f"`key_entities` not listed in `entities`: {', '.join(unknown)}")

    negative: int | None = None
    raw_neg = obj.get("negative")
    if raw_neg is not None:
        if isinstance(raw_neg, bool):
            negative = int(raw_neg)
        elif raw_neg in (0, 1, "0", "1"):
            negative = int(raw_neg)
        else:
            raise ValueError(f"`negative` must be 0 or 1, got {raw_neg!r}")
    elif key_entities is not None:
        negative = 1 if key_entities else 0
    if negative == 0 and key_entities:
        raise ValueError("`negative` is 0 but `key_entities` is not empty")

    label: str | None = None
    raw_label = obj.get("label")
    if raw_label is not None:
        if not isinstance(raw_label, str) or raw_label.strip().lower() not in LABELS:
            raise ValueError(f"`label` must be one of {', '.join(LABELS)}, got {raw_label!r}")
        label = raw_label.strip().lower()
    elif obj.get("label_raw") is not None:
        raw = str(obj["label_raw"]).strip()
        if raw not in _RAW_LABELS:
            raise ValueError(f"`label_raw` must be \"0\", \"0.5\" or \"1\", got {obj['label_raw']!r}")
        label = _RAW_LABELS[raw]

    bank, negative_for_bank, categories = _bank_fields(obj, title, text)
    return Example(
        id=str(raw_id),
        title=title,
        text=text,
        entities=entities,
        key_entities=key_entities,
        negative=negative,
        label=label,
        bank=bank,
        negative_for_bank=negative_for_bank,
        categories=categories,
    )


def _bank_fields(obj: dict[str, Any], title: str, text: str) -> tuple[str | None, bool | None,
                                                                        tuple[str, ...] | None]:
    """The bank-level fields of a row: ``bank``, ``negative_for_bank`` and ``categories``."""
    bank = obj.get("bank")
    if bank is not None:
        if not isinstance(bank, str) or not bank.strip():
            raise ValueError("`bank` must be a non-empty string")
        bank = bank.strip()
        if bank not in text and bank not in title:
            raise ValueError(f"`bank` {bank!r} does not occur in the title or text (write it as the text does)")
    negative_for_bank: bool | None = None
    raw = obj.get("negative_for_bank")
    if raw is not None:
        if isinstance(raw, bool):
            negative_for_bank = raw
        elif raw in (0, 1, "0", "1", "true", "false"):
            negative_for_bank = raw in (1, "1", "true")
        else:
            raise ValueError(f"`negative_for_bank` must be true or false, got {raw!r}")
    categories: tuple[str, ...] | None = None
    if obj.get("categories") is not None:
        categories = tuple(c.lower() for c in _str_list(obj["categories"], "categories")) or ("none",)
        if "none" in categories and len(categories) > 1:
            raise ValueError("`categories`: \"none\" is never combined with another code")
    if bank is None and (negative_for_bank is not None or categories is not None):
        raise ValueError("`negative_for_bank` and `categories` need `bank` (the bank they judge)")
    return bank, negative_for_bank, categories


def load_examples(path: str | PathLike[str]) -> list[Example]:
    """Read every example of a JSONL file; raise :class:`DataError` on the first bad row."""
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8-sig")  # the BOM Excel and Notepad write is not part of row 1
    except FileNotFoundError:
        raise DataError(f"{p}: no such file") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{p}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise DataError(f"{p}: cannot read ({exc.strerror})") from None
    examples: list[Example] = []
    for lineno, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{p}:{lineno}: not valid JSON ({exc.msg})") from None
        try:
            examples.append(_parse_row(obj, f"{p.name}:{lineno}"))
        except ValueError as exc:
            raise DataError(f"{p}:{lineno}: {exc}") from None
    if not examples:
        raise DataError(f"{p}: no examples", hint="one JSON object per line, with at least `text`")
    log.debug("read %d examples from %s", len(examples), p)
    return examples
