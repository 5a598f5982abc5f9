"""Config validation that every section shares: typed getters that collect problems, each with
the file, the line, the key path, what was expected and what was found."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# Characters no editor shows that sit inside words: ZERO WIDTH SPACE, NON-JOINER and JOINER, WORD
# JOINER, and the BOM (ZERO WIDTH NO-BREAK SPACE).  Copied from a web page or a chat they turn
# 招商银行 into a different string that looks the same, and an alias that never matches.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_ZERO_WIDTH_RE = re.compile(f"[{ZERO_WIDTH}]")


def strip_zero_width(text: str) -> str:
    """``text`` without its zero-width characters."""
    return _ZERO_WIDTH_RE.sub("", text)


def zero_width_names(text: str) -> str:
    """The code points of the zero-width characters in ``text``: ``U+200D, U+FEFF``."""
    return ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in _ZERO_WIDTH_RE.findall(text)))


class Validator:
    """Checks one parsed TOML document, collecting problems instead of stopping at the first.

    The sections' validators (``validate_email``, ``validate_events`` …) take one and use its typed
    getters, so every section reports its problems the same way, with the file and line.
    """

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self._index: _LineIndex | None = None  # built on the first problem: a valid file never needs it

    # -- reporting --

    def line_of(self, key_path: str) -> int | None:
        """Best-effort line number: the n-th ``[[table]]`` header, or a ``key =`` line in it.

        Looked up in an index of headers and keys built once per file, so a file with thousands
        of problems (a generated config gone wrong) costs one pass over its lines, not one per problem.
        """
        index = self._line_index()
        sub = _SUB_KEY_RE.match(key_path)
        if sub:  # a key of a sub-table such as [email.daily]
            start = index.tables.get(f"{sub[1]}.{sub[2]}")
            if start is not None:
                return index.key_line(start, sub[3])
        m = _KEY_PATH_RE.match(key_path)
        if not m:
            return None
        table, number, key = m.group(1), m.group(2), m.group(3)
        if number is None:
            start = index.tables.get(table)
        else:
            headers = index.arrays.get(table, [])
            start = headers[int(number)] if int(number) < len(headers) else None
        if start is None:
            return None
        return start + 1 if key is None else index.key_line(start, key)

    def _line_index(self) -> _LineIndex:
        if self._index is None:
            self._index = _LineIndex(self.lines)
        return self._index

    def problem(self, key_path: str, expected: str, found: Any, hint: str | None = None) -> None:
        line = self.line_of(key_path)
        where = f"{self.path}:{line}" if line else str(self.path)
        found_text = found if isinstance(found, str) and found.startswith("<") else repr(found)
        msg = f"{where}: {key_path}: expected {expected}, found {found_text}"
        if hint:
            msg += f" (hint: {hint})"
        self.problems.append(msg)

    # -- typed getters --

    def table(self, data: Mapping[str, Any], name: str, allowed: set[str], path: str) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            self.problem(path, "a table", type(value).__name__)
            return {}
        for key in value:
            if key not in allowed:
                close = closest(key, allowed)
                self.problem(f"{path}.{key}", f"one of the known keys ({', '.join(sorted(allowed))})",
                             "<unknown key>", f"did you mean {close!r}?" if close else None)
        return value

    def get(self, table: Mapping[str, Any], key: str, kind: type | tuple[type, ...], path: str,
             default: Any = None, *, required: bool = False) -> Any:
        if key not in table:
            if required:
                self.problem(f"{path}.{key}", _a(kind_name(kind)), "<missing>", "this key is required")
            return default
        value = table[key]
        # bool is an int subclass in Python; TOML does not mix them
        if (isinstance(value, bool) and bool not in _as_tuple(kind)) or not isinstance(value, kind):
            self.problem(f"{path}.{key}", _a(kind_name(kind)), f"<{kind_name(type(value))} {value!r}>")
            return default
        if isinstance(value, float) and not math.isfinite(value):
            # TOML's inf and nan (and 1e309, which is inf) are floats, but no limit, timeout or
            # weight: inf overflows where a size or a deadline is computed, nan compares false
            self.problem(f"{path}.{key}", f"a finite {kind_name(kind)}", f"<{value!r}>",
                         "write a plain number such as 10 or 2.5")
            return default
        return value

    def number(self, table: Mapping[str, Any], key: str, path: str, default: Any, low: float, high: float, *,
               low_open: bool = True, unit: str = "") -> Any:
        """A number from ``low`` (excluded when ``low_open``) to ``high``: a limit or a timeout with a
        sane range, so a value no run can work with (``1e300`` seconds, a 0 MiB body) is a config
        problem here instead of an error in every run.  An int stays an int where ``default`` is one."""
        kind: type | tuple[type, ...] = int if isinstance(default, int) and not isinstance(default, bool) \
            else (int, float)
        value = self.get(table, key, kind, path, default)
        if value < low or (low_open and value == low) or value > high:
            noun = "an integer" if kind is int else "a number"
            expected = (f"{noun} above {low:g} and at most {high:g}{unit}" if low_open
                        else f"{noun} from {low:g} to {high:g}{unit}")
            self.problem(f"{path}.{key}", expected, value)
            return default
        return value

    def str_list(self, table: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = self.get(table, key, list, path, [])
        out = []
        for i, v in enumerate(value):
            if not isinstance(v, str) or not v.strip():
                self.problem(f"{path}.{key}[{i}]", "a non-empty string", v)
            else:
                out.append(v.strip())
        return tuple(out)


_SUB_KEY_RE = re.compile(r"^(\w+)\.(\w+)\.(\w+)")
_KEY_PATH_RE = re.compile(r"^(\w+)(?:\[(\d+)\])?(?:\.(\w+))?")
# [table], [a.b], [[array]]: bare or quoted names, optional spaces, an optional comment after
_NAME = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_HEADER_RE = re.compile(rf"^\s*(\[\[?)\s*({_NAME}(?:\s*\.\s*{_NAME})*)\s*(\]\]?)\s*(?:#.*)?$")
_KEY_LINE_RE = re.compile(r"""^\s*(?:([A-Za-z0-9_-]+)|"([^"]*)"|'([^']*)')\s*=""")


class _LineIndex:
    """Where each table header and each key of a TOML text is, from one pass over its lines."""

    def __init__(self, lines: list[str]) -> None:
        self.tables: dict[str, int] = {}  # "settings", "email.daily" → 0-based line of its first header
        self.arrays: dict[str, list[int]] = {}  # "banks" → the line of every [[banks]] header, in order
        self.keys: dict[int, dict[str, int]] = {}  # header line (-1: before any) → key → its first line
        section = self.keys.setdefault(-1, {})
        for n, line in enumerate(lines):
            header = _HEADER_RE.match(line)
            if header and len(header[1]) == len(header[3]):
                name = ".".join(part.strip().strip("\"'") for part in _split_dotted(header[2]))
                if header[1] == "[[":
                    self.arrays.setdefault(name, []).append(n)
                else:
                    self.tables.setdefault(name, n)
                section = self.keys.setdefault(n, {})
                continue
            key = _KEY_LINE_RE.match(line)
            if key:
                section.setdefault(next(k for k in key.groups() if k is not None), n)

    def key_line(self, header: int, key: str) -> int:
        """The 1-based line of ``key`` in the table whose header is on line ``header``, else the header's."""
        found = self.keys.get(header, {}).get(key)
        return (found if found is not None else header) + 1


def _split_dotted(name: str) -> list[str]:
    """``a . "b.c"`` → ``['a ', ' "b.c"']``: split at dots outside quotes."""
    parts, current, quote = [], "", ""
    for c in name:
        if quote:
            quote = "" if c == quote else quote
        elif c in "\"'":
            quote = c
        elif c == ".":
            parts.append(current)
            current = ""
            continue
        current += c
    parts.append(current)
    return parts


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def kind_name(kind: type | tuple[type, ...]) -> str:
    if kind == (int, float):
        return "number"
    names = {str: "string", int: "integer", float: "number", bool: "boolean", list: "array",
             dict: "table"}
    return " or ".join(names.get(k, k.__name__) for k in _as_tuple(kind))


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def closest(key: str, allowed: set[str]) -> str | None:
    """The known key a typo most likely meant, for a 'did you mean' hint."""
    matches = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.6)
    return matches[0] if matches else None
