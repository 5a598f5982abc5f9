"""Analyst corrections' rows (``reportgen label``): the ``corrections`` table and the judgements it pins.

What a correction means is decided in ``score/manual.py``; these functions only read and write.
A correction is written together with the ``scores`` row it stands for, in one transaction, so a
report made at any moment shows either the old judgement or the corrected one, never neither.
``Store.mentions_to_score`` keeps it so: it puts a lost correction back and skips corrected mentions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, select, tuple_

from reportgen.store.db import Store, upsert
from reportgen.store.schema import corrections, items, mentions, scores

CHUNK = 500  # ids per IN (...) list: well below every database's parameter limit
SCORE_COLUMNS = ("item_id", "bank_id", "scorer", "version", "label", "score", "categories", "reasons")
_PREVIOUS = ("previous_label", "previous_categories", "previous_version")


def _chunks(seq: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i:i + size]


def stored_judgements(store: Store, item_ids: Iterable[str]) -> dict[str, dict[str, dict[str, Any] | None]]:
    """item id → {bank id it mentions → its stored judgement (``scores`` columns) or ``None``}.

    An item that is not in the store is absent; one stored without a bank mention maps to ``{}``."""
    ids = sorted(set(item_ids))
    out: dict[str, dict[str, dict[str, Any] | None]] = {}
    query = (select(mentions.c.item_id, mentions.c.bank_id, *[scores.c[n] for n in SCORE_COLUMNS[2:]])
             .select_from(mentions.outerjoin(scores, (scores.c.item_id == mentions.c.item_id)
                                             & (scores.c.bank_id == mentions.c.bank_id))))
    with store.begin() as conn:
        for chunk in _chunks(ids):
            out.update({item_id: {} for item_id in conn.execute(
                select(items.c.item_id).where(items.c.item_id.in_(chunk))).scalars()})
            for r in conn.execute(query.where(mentions.c.item_id.in_(chunk))):
                row = dict(r._mapping)
                out.setdefault(row["item_id"], {})[row["bank_id"]] = row if row["version"] is not None else None
    return out


def save_corrections(store: Store, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert or replace corrections (``corrections`` columns) and the judgements they pin, in one
    transaction.  Correcting a correction keeps the machine's call it first replaced (``previous_*``)."""
    if not rows:
        return 0
    keys = [(r["item_id"], r["bank_id"]) for r in rows]
    with store.begin() as conn:
        earlier: dict[tuple[str, str], dict[str, Any]] = {}
        for chunk in _chunks(keys):
            query = (select(corrections.c.item_id, corrections.c.bank_id, *[corrections.c[n] for n in _PREVIOUS])
                     .where(tuple_(corrections.c.item_id, corrections.c.bank_id).in_(chunk)))
            earlier.update({(r.item_id, r.bank_id): dict(r._mapping) for r in conn.execute(query)})
        kept = [dict(r) | {n: earlier[(r["item_id"], r["bank_id"])][n] for n in _PREVIOUS}
                if (r["item_id"], r["bank_id"]) in earlier else dict(r) for r in rows]
        conn.execute(upsert(store.dialect, corrections, ("item_id", "bank_id")), kept)
        conn.execute(upsert(store.dialect, scores, ("item_id", "bank_id")),
                     [{n: r[n] for n in SCORE_COLUMNS} | {"scored_at": r["corrected_at"]} for r in kept])
    return len(kept)


def drop_correction(store: Store, item_id: str, bank_id: str) -> bool:
    """Forget a correction and the judgement it pinned, so the scorer judges the mention again."""
    with store.begin() as conn:
        found = conn.execute(delete(corrections).where(corrections.c.item_id == item_id,
                                                       corrections.c.bank_id == bank_id)).rowcount
        if found:
            conn.execute(delete(scores).where(scores.c.item_id == item_id, scores.c.bank_id == bank_id))
    return bool(found)


def correction_rows(store: Store) -> list[dict[str, Any]]:
    """Every correction with its item's title and summary and the mention's evidence (the names
    the matcher found), oldest item first: what ``model train --from-store`` learns from."""
    query = (select(corrections.c.item_id, corrections.c.bank_id, corrections.c.negative, corrections.c.label,
                    corrections.c.categories, corrections.c.corrected_at, items.c.title, items.c.summary,
                    mentions.c.evidence)
             .select_from(corrections.join(items, items.c.item_id == corrections.c.item_id)
                          .join(mentions, (mentions.c.item_id == corrections.c.item_id)
                                & (mentions.c.bank_id == corrections.c.bank_id)))
             .order_by(items.c.published_at, corrections.c.item_id, corrections.c.bank_id))
    with store.begin() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]
