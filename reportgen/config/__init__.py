"""config: ``sources.toml`` → frozen, validated :class:`~reportgen.config.core.Config` objects.

Owns the file format, its defaults (``defaults.py``, ``taxonomy.py``) and line-precise errors.
Imports only the kernel; every later stage reads its settings from here.
"""
