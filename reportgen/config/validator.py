"""Config validation that every section shares: typed getters that collect problems, each with
the file, the line, the key path, what was expected and what was found."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any


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

    # -- reporting --

    def line_of(self, key_path: str) -> int | None:
        """Best-effort line number: the n-th ``[[table]]`` header, or a ``key =`` line in it."""
        sub = re.match(r"^(\w+)\.(\w+)\.(\w+)", key_path)
        if sub:  # a key of a sub-table such as [email.daily]
            header = re.compile(rf"^\s*\[\s*{sub[1]}\s*\.\s*{sub[2]}\s*\]")
            found = next((n for n, line in enumerate(self.lines) if header.match(line)), None)
            if found is not None:
                key_re = re.compile(rf"^\s*{re.escape(sub[3])}\s*=")
                for n in range(found + 1, len(self.lines)):
                    if re.match(r"^\s*\[", self.lines[n]):
                        break
                    if key_re.match(self.lines[n]):
                        return n + 1
                return found + 1
        m = re.match(r"^(\w+)(?:\[(\d+)\])?(?:\.(\w+))?", key_path)
        if not m:
            return None
        table, index, key = m.group(1), m.group(2), m.group(3)
        header = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]" if index is not None
                            else rf"^\s*\[\s*{re.escape(table)}\s*\]")
        seen = -1
        start = None
        for n, line in enumerate(self.lines):
            if header.match(line):
                seen += 1
                if index is None or seen == int(index):
                    start = n
                    break
        if start is None:
            return None
        if key is None:
            return start + 1
        key_re = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for n in range(start + 1, len(self.lines)):
            if re.match(r"^\s*\[", self.lines[n]):
                break
            if key_re.match(self.lines[n]):
                return n + 1
        return start + 1

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
