"""The outbox's rows: each report made, its composed mail, and where that mail stands.

The delivery rules (retries, expiry, one SMTP session per pass) are in ``deliver/outbox.py``;
this module only reads and writes the ``deliveries`` table for it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from reportgen.errors import DeliveryError
from reportgen.models import UNDELIVERED, Delivery, State
from reportgen.store.db import Store
from reportgen.store.schema import deliveries

_COLUMNS = [c for c in deliveries.c if c.name != "message"]


def latest(store: Store, kind: str, period_key: str, language: str) -> Delivery | None:
    """The newest entry for one report, or None if it was never made."""
    query = (select(*_COLUMNS)
             .where(deliveries.c.kind == kind, deliveries.c.period_key == period_key,
                    deliveries.c.language == language)
             .order_by(deliveries.c.delivery_id.desc()).limit(1))
    with store.begin() as conn:
        row = conn.execute(query).first()
    return _delivery(row._mapping) if row else None


def record(store: Store, *, kind: str, period_key: str, language: str, state: State, now: datetime,
           error: str | None, message_id: str | None, subject: str | None, recipients: Sequence[str],
           html_path: str | None, pdf_path: str | None, message: bytes | None) -> Delivery:
    """Insert an entry for a report just made, superseding older undelivered or held ones for it."""
    with store.begin() as conn:
        conn.execute(deliveries.update()
                     .where(deliveries.c.kind == kind, deliveries.c.period_key == period_key,
                            deliveries.c.language == language,
                            deliveries.c.state.in_([State.PENDING, State.FAILED, State.HELD]))
                     .values(state=State.SUPERSEDED, message=None))
        result = conn.execute(deliveries.insert().values(
            kind=kind, period_key=period_key, language=language, state=state, attempts=0, last_error=error,
            created_at=now, message_id=message_id, subject=subject, recipients=json.dumps(list(recipients)),
            html_path=html_path, pdf_path=pdf_path, message=message,
        ))
        delivery_id = int(result.inserted_primary_key[0])  # type: ignore[index]
    return by_ids(store, [delivery_id])[0]


def undelivered(store: Store) -> list[Delivery]:
    """Every entry still pending or failed, oldest first."""
    query = select(*_COLUMNS).where(deliveries.c.state.in_(UNDELIVERED)).order_by(deliveries.c.delivery_id)
    with store.begin() as conn:
        return [_delivery(r._mapping) for r in conn.execute(query)]


def message(store: Store, delivery_id: int) -> bytes:
    """The stored message bytes of an entry that is still to be sent."""
    found = stored_message(store, delivery_id)
    if found is None:
        raise DeliveryError(f"outbox entry {delivery_id} has no stored message")
    return found


def stored_message(store: Store, delivery_id: int) -> bytes | None:
    """The stored message bytes of an entry, or None when none is kept (sent, expired, held, or a
    mail too large that was recorded before the outbox kept those)."""
    with store.begin() as conn:
        found = conn.execute(select(deliveries.c.message)
                             .where(deliveries.c.delivery_id == delivery_id)).scalar_one()
    return bytes(found) if found else None


def update(store: Store, delivery_id: int, **values: Any) -> None:
    """Set columns of one entry; ``recipients`` may be given as a list of addresses."""
    if "recipients" in values and not isinstance(values["recipients"], str):
        values["recipients"] = json.dumps(list(values["recipients"]))
    with store.begin() as conn:
        conn.execute(deliveries.update().where(deliveries.c.delivery_id == delivery_id).values(**values))


def by_ids(store: Store, ids: Iterable[int]) -> list[Delivery]:
    with store.begin() as conn:
        rows = conn.execute(select(*_COLUMNS).where(deliveries.c.delivery_id.in_(list(ids)))
                            .order_by(deliveries.c.delivery_id))
        return [_delivery(r._mapping) for r in rows]


def _delivery(row: Any) -> Delivery:
    return Delivery(
        delivery_id=row["delivery_id"], kind=row["kind"], period_key=row["period_key"], language=row["language"],
        state=row["state"], attempts=row["attempts"], last_error=row["last_error"], created_at=row["created_at"],
        last_attempt_at=row["last_attempt_at"], sent_at=row["sent_at"], message_id=row["message_id"],
        subject=row["subject"], recipients=tuple(json.loads(row["recipients"] or "[]")),
        html_path=row["html_path"], pdf_path=row["pdf_path"],
    )
