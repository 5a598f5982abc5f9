"""ingest: fetch over HTTP with limits, parse RSS/Atom/RDF/JSON Feed, read dates, normalise items.

Bytes in, :class:`~reportgen.models.Item` out.  Knows nothing of banks, judgements or storage.
"""
