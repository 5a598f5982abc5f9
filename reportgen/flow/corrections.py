"""What ``reportgen label`` and ``reportgen model train --from-store`` ask for: analysts' corrections.

A correction is an analyst's judgement of one mention (item × bank): negative for that bank or
not, and which risk categories.  It replaces the scorer's judgement in every later report and
export, marked 人工修正, and no rescoring overwrites it (``Store.mentions_to_score``).  Analysts
correct one mention at a time (:func:`record_correction`) or many in a spreadsheet: the CSV that
``reportgen export --format csv`` writes, with the ``sentiment`` or ``categories`` cells edited,
comes back through :func:`import_corrections`.  The corrections are training data too
(:func:`train_from_store`).
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.config.core import Config
from reportgen.errors import DataError
from reportgen.report.export import neutralize_cell
from reportgen.score import CategoryHit
from reportgen.score.backend import score_row
from reportgen.score.categories import NEUTRAL_CATEGORIES
from reportgen.score.datasets import Example
from reportgen.score.manual import corrected_judgement, parse_codes, parse_label
from reportgen.store.db import Store
from reportgen.store.label_rows import correction_rows, drop_correction, save_corrections, stored_judgements

if TYPE_CHECKING:
    from reportgen.score.train import TrainSummary

log = logging.getLogger(__name__)

CSV_REQUIRED = ("id", "bank", "sentiment")  # of the export's columns, what an import reads (and categories)


@dataclass(frozen=True, slots=True)
class Correction:
    """One recorded correction and the judgement it replaced."""

    item_id: str
    bank_id: str
    bank_name: str
    label: str
    categories: tuple[str, ...]
    previous_label: str | None
    previous_categories: tuple[str, ...]
    previous_version: str | None
    corrected_by: str | None = None
    note: str | None = None
    title: str = ""

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["categories"] = list(self.categories)
        out["previous_categories"] = list(self.previous_categories)
        return out


@dataclass(slots=True)
class ImportResult:
    """What ``reportgen label --import`` did with each row of the CSV."""

    path: str
    rows: int = 0
    imported: list[Correction] = field(default_factory=list)
    unchanged: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)  # line, id, bank, reason
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "rows": self.rows, "imported": len(self.imported), "unchanged": self.unchanged,
                "rejected": len(self.rejected), "dry_run": self.dry_run,
                "corrections": [c.as_dict() for c in self.imported], "rejections": self.rejected}


def _hits(raw: str | None) -> tuple[CategoryHit, ...]:
    return tuple(CategoryHit(c["code"], tuple(c.get("terms", ())), c.get("clause", ""))
                 for c in json.loads(raw or "[]"))


def _correction_row(item_id: str, bank_id: str, label: str, categories: Sequence[str] | None,
                    stored: Mapping[str, Any] | None, *, by: str | None, note: str | None, origin: str,
                    now: datetime) -> dict[str, Any]:
    """A ``corrections`` row: the corrected judgement (as a ``scores`` row) and what it replaced."""
    previous = _hits(stored["categories"]) if stored else ()
    judgement = corrected_judgement(
        label, categories, previous_label=stored["label"] if stored else None,
        previous_score=stored["score"] if stored else None, previous_categories=previous, by=by, note=note)
    row = score_row(item_id, bank_id, judgement, now)
    del row["scored_at"]
    return row | {
        "negative": label == "negative", "corrected_by": by or None, "note": note or None, "origin": origin,
        "previous_label": stored["label"] if stored else None,
        "previous_categories": json.dumps([h.code for h in previous]) if stored else None,
        "previous_version": stored["version"] if stored else None, "corrected_at": now}


def _as_correction(row: Mapping[str, Any], bank_name: str, stored: Mapping[str, Any] | None,
                   title: str = "") -> Correction:
    return Correction(row["item_id"], row["bank_id"], bank_name, row["label"],
                      tuple(c["code"] for c in json.loads(row["categories"])),
                      stored["label"] if stored else None,
                      tuple(h.code for h in _hits(stored["categories"])) if stored else (),
                      stored["version"] if stored else None, row["corrected_by"], row["note"], title)


def _bank_id(config: Config, mentioned: Mapping[str, Any], bank: str) -> str | None:
    """The mentioned bank ``bank`` names: its id, or a configured bank's name or alias."""
    if bank in mentioned:
        return bank
    for b in config.banks:
        if bank in (b.id, *b.terms) and b.id in mentioned:
            return b.id
    return None


def record_correction(config: Config, item_id: str, bank: str, *, negative: bool,
                      categories: str | Sequence[str] | None = None, by: str | None = None,
                      note: str | None = None, now: datetime | None = None) -> Correction:
    """Record an analyst's judgement of one mention; it wins in every later report and export.

    ``bank`` is the bank's id (as ``export`` writes it) or its configured name or alias.  Not
    negative keeps a stored positive label, else it is neutral; without ``categories`` the stored
    ones are kept as far as the label allows (see :func:`reportgen.score.manual.corrected_judgement`).
    """
    store = Store.open(config.settings.database)
    found = stored_judgements(store, [item_id])
    if item_id not in found:
        raise DataError(f"no item {item_id!r} in the store",
                        hint="item ids are the `id` column of `reportgen export`")
    mentioned = found[item_id]
    bank_id = _bank_id(config, mentioned, bank)
    if bank_id is None:
        names = ", ".join(sorted(mentioned)) or "no configured bank"
        raise DataError(f"item {item_id} does not mention bank {bank!r} (it mentions: {names})")
    stored = mentioned[bank_id]
    codes = parse_codes(categories, _known_codes(config)) if categories is not None else None
    label = "negative" if negative else ("positive" if stored and stored["label"] == "positive" else "neutral")
    row = _correction_row(item_id, bank_id, label, codes, stored, by=by, note=note, origin="cli",
                          now=now or datetime.now(UTC))
    save_corrections(store, [row])
    log.info("corrected %s for %s: %s", item_id, bank_id, label)
    return _as_correction(row, _bank_name(config, bank_id), stored)


def clear_correction(config: Config, item_id: str, bank: str) -> bool:
    """Forget the correction of one mention: the configured scorer judges it again at the next
    ``score``, ``fetch`` or report.  False when there was none."""
    store = Store.open(config.settings.database)
    mentioned = stored_judgements(store, [item_id]).get(item_id, {})
    bank_id = _bank_id(config, mentioned, bank) or bank
    return drop_correction(store, item_id, bank_id)


def _known_codes(config: Config) -> list[str]:
    return [c.code for c in config.scoring.category_rules()]


def _bank_name(config: Config, bank_id: str) -> str:
    return next((b.name for b in config.banks if b.id == bank_id), bank_id)


# --- the spreadsheet round trip ----------------------------------------------------------------------------


def read_export_csv(path: str | PathLike[str]) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV written by ``reportgen export --format csv`` (and edited), with their line numbers.

    UTF-8 (with or without the BOM a spreadsheet adds) or GB18030 (Excel's "CSV" on a Chinese
    Windows); the single quote the export puts before a formula-like cell is taken off again."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{p}: no such file") from None
    except OSError as exc:
        raise DataError(f"{p}: cannot read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise DataError(f"{p}: neither UTF-8 nor GB18030 text") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = [c.strip().lower() for c in reader.fieldnames or ()]
    missing = [c for c in CSV_REQUIRED if c not in columns]
    if missing:
        raise DataError(f"{p}: no {', '.join(missing)} column" + ("s" if len(missing) > 1 else ""),
                        hint="import the CSV that `reportgen export --format csv` writes, with its header row")
    rows = []
    for row in reader:
        cells = {str(k).strip().lower(): _plain(v) for k, v in row.items() if k is not None}
        rows.append((reader.line_num, cells))
    return rows


def _plain(value: str | list[str] | None) -> str:
    if not isinstance(value, str):
        return ""
    value = value.strip()
    # undo the export's formula guard: '=… was written for =…
    return value[1:] if value.startswith("'") and neutralize_cell(value[1:]) == value else value


def import_corrections(config: Config, path: str | PathLike[str], *, by: str | None = None,
                       note: str | None = None, dry_run: bool = False,
                       now: datetime | None = None) -> ImportResult:
    """Turn the edited rows of an exported CSV into corrections.

    A row whose ``sentiment`` (negative / neutral / positive, or 负面 / 中性 / 正面) or
    ``categories`` (";"-joined codes, or none) differs from the stored judgement becomes a
    correction; a row that agrees with it is unchanged; a row naming an unknown item or a bank the
    item does not mention, or an unknown label or category, is rejected with the reason.
    """
    rows = read_export_csv(path)
    result = ImportResult(str(path), len(rows), dry_run=dry_run)
    store = Store.open(config.settings.database)
    found = stored_judgements(store, [r.get("id", "") for _, r in rows if r.get("id")])
    known = _known_codes(config)
    when = now or datetime.now(UTC)
    pending: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for line, r in rows:
        item_id, bank = r.get("id", ""), r.get("bank", "")

        def reject(reason: str, line: int = line, item_id: str = item_id, bank: str = bank) -> None:
            result.rejected.append({"line": line, "id": item_id, "bank": bank, "reason": reason})

        if not item_id or item_id not in found:
            reject("unknown item id" if item_id else "no id")
            continue
        bank_id = _bank_id(config, found[item_id], bank)
        if bank_id is None:
            reject(f"unknown bank: the item does not mention {bank!r}" if bank else "no bank")
            continue
        if (item_id, bank_id) in seen:
            reject("the same item and bank appear on an earlier row")
            continue
        seen.add((item_id, bank_id))
        stored = found[item_id][bank_id]
        try:
            change = _edited(r, stored, known)
        except DataError as exc:
            reject(exc.message)
            continue
        if change is None:
            result.unchanged += 1
            continue
        label, codes = change
        try:
            row = _correction_row(item_id, bank_id, label, codes, stored, by=by, note=note, origin="csv", now=when)
        except DataError as exc:
            reject(exc.message)
            continue
        pending.append(row)
        result.imported.append(_as_correction(row, _bank_name(config, bank_id), stored, r.get("title", "")))
    if not dry_run:
        save_corrections(store, pending)
    log.info("%s: %d corrections imported, %d unchanged, %d rejected", path, len(pending), result.unchanged,
             len(result.rejected))
    return result


def _edited(row: Mapping[str, str], stored: Mapping[str, Any] | None,
            known: Sequence[str]) -> tuple[str, tuple[str, ...] | None] | None:
    """(label, categories or None for "as stored") when the row differs from the stored judgement, else None."""
    cell = row.get("sentiment", "")
    stored_label = stored["label"] if stored else ""
    if not cell:
        if stored_label:
            raise DataError("empty sentiment (write negative, neutral or positive)")
        return None  # not judged yet and left so
    label = parse_label(cell)
    stored_codes = tuple(h.code for h in _hits(stored["categories"])) if stored else ()
    codes: tuple[str, ...] | None = None
    if "categories" in row:
        given = parse_codes(row["categories"], known)
        if set(given) != set(stored_codes):
            codes = given
    if label == stored_label and codes is None:
        return None
    if codes is None and label != "negative":
        # the sentiment alone was edited: keep what the new label allows (performance, personnel)
        codes = tuple(c for c in stored_codes if c in NEUTRAL_CATEGORIES)
    return label, codes


# --- training on the corrections ---------------------------------------------------------------------------


def correction_examples(config: Config) -> tuple[list[Example], int]:
    """The store's corrections as bank-level training rows (``bank`` written as the item writes
    it), and how many were left out because the bank's name is not in the item's title or text."""
    store = Store.open(config.settings.database)
    banks = {b.id: b for b in config.banks}
    examples: list[Example] = []
    skipped = 0
    for r in correction_rows(store):
        title, text = r["title"] or "", r["summary"] or ""
        name = _name_in_text(r, banks, title + "\n" + text)
        if name is None:
            skipped += 1
            continue
        codes = tuple(c["code"] for c in json.loads(r["categories"])) or ("none",)
        examples.append(Example(id=f"{r['item_id']}:{r['bank_id']}", title=title, text=text, entities=(),
                                key_entities=None, negative=None, label=None, bank=name,
                                negative_for_bank=bool(r["negative"]), categories=codes))
    if skipped:
        log.warning("%d corrections left out of training: the bank's name is not in the item's text", skipped)
    return examples, skipped


def _name_in_text(row: Mapping[str, Any], banks: Mapping[str, Any], text: str) -> str | None:
    """The bank's name as the item writes it: the matcher's evidence, else a configured name or alias."""
    found = [str(e[1]) for e in json.loads(row["evidence"] or "[]") if isinstance(e, list) and len(e) > 1]
    bank = banks.get(row["bank_id"])
    for name in [*found, *(bank.terms if bank is not None else ())]:
        if name and name in text:
            return name
    return None


def train_from_store(config: Config, data: Sequence[str | PathLike[str]], out: str | PathLike[str], *,
                     folds: int = 4, seed: int = 0) -> TrainSummary:
    """Train a model on the store's corrections (bank-level rows) plus any labelled JSONL given."""
    examples, _ = correction_examples(config)
    if not examples and not data:
        raise DataError("no analyst corrections in the store to train on",
                        hint="record some with `reportgen label` or `reportgen label --import`, or pass --data")
    from reportgen.score.train import train_model  # optional: scikit-learn (the ml extra), only for training

    return train_model(list(data), out, folds=folds, seed=seed, extra=examples, extra_name="store corrections")
