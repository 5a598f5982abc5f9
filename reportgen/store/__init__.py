"""store: the only package that speaks SQL.

``db.py`` holds :class:`Store` (engine, migrations, items, mentions, judgements, sources, runs);
``schema.py`` the tables; ``figures.py``, ``event_rows.py`` and ``outbox_rows.py`` the queries the
briefing, the events and alerts, and the outbox need; ``pglock.py`` PostgreSQL's advisory lock.
It makes no judgements: what to count and what to raise is decided in ``insight/``.
"""
