"""report: report data → what the briefing says (``briefing.py``), its charts, HTML and PDF,
the mail body, the report languages and the export writers.  Fetches and stores nothing.
"""
