"""flow: the run, orchestrated: ingest → score → store → insight → report → deliver.

``pipeline.py`` shows the chain in one screen (one ingest path, one ``build_report``), ``sources.py``
ingests one fetched source for every engine, ``execution.py`` picks the engine (this process, a
process pool or Dask), ``runner.py`` is the cron run under the run lock (``lock.py``), and
``queries.py`` answers the inspection commands.  No business rules live here.
"""
