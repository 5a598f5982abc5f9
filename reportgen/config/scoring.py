"""The ``[scoring]`` and ``[categories.<code>]`` sections of ``sources.toml``.

``[scoring]`` picks the backend (the shipped ``rules``, or a ``model`` trained with
``reportgen model train``) and adds the team's own lexicon terms; ``[categories.<code>]`` extends,
replaces or switches off the shipped risk categories, or adds new ones.  Validated by the same
collector as the rest of the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.config.taxonomy import DEFAULT_CATEGORIES, Category
from reportgen.config.validator import Validator

BACKENDS = ("rules", "model")
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


@dataclass(frozen=True, slots=True)
class CategoryOverride:
    code: str
    terms: tuple[str, ...] = ()
    replace: bool = False
    enabled: bool = True
    name_zh: str | None = None
    name_en: str | None = None
    weight: float | None = None


@dataclass(frozen=True, slots=True)
class ScoringSettings:
    backend: str = "rules"
    model: Path | None = None
    terms: tuple[tuple[str, float], ...] = ()  # the team's own lexicon additions: term → weight
    categories: tuple[CategoryOverride, ...] = ()

    def category_rules(self) -> tuple[Category, ...]:
        """The shipped categories with this config's changes applied, in a stable order."""
        by_code = {c.code: c for c in DEFAULT_CATEGORIES}
        order = [c.code for c in DEFAULT_CATEGORIES]
        for o in self.categories:
            base = by_code.get(o.code)
            if not o.enabled:
                by_code.pop(o.code, None)
                continue
            if base is None:
                base = Category(o.code, o.name_zh or o.code, o.name_en or o.name_zh or o.code, ())
                order.append(o.code)
            terms = o.terms if o.replace else tuple(dict.fromkeys((*base.terms, *o.terms)))
            by_code[o.code] = Category(
                o.code, o.name_zh or base.name_zh, o.name_en or base.name_en, terms,
                base.weight if o.weight is None else o.weight)
        return tuple(by_code[c] for c in order if c in by_code)


def validate_scoring(v: Validator, data: Mapping[str, Any]) -> ScoringSettings:
    t = v.table(data, "scoring", {"backend", "model", "terms"}, "scoring")
    backend = v.get(t, "backend", str, "scoring", "rules")
    if backend not in BACKENDS:
        v.problem("scoring.backend", f"one of {', '.join(BACKENDS)}", backend)
        backend = "rules"
    model_value = v.get(t, "model", str, "scoring", None)
    model = (v.path.parent / model_value) if model_value else None
    if backend == "model" and model is None:
        v.problem("scoring.model", "the path of a model file when backend = \"model\"", "<missing>",
                  "train one with `reportgen model train --data labels.jsonl --out model.json`")
    elif backend == "model" and model is not None and not model.is_file():
        v.problem("scoring.model", "an existing model file", str(model),
                  "train one with `reportgen model train --data labels.jsonl --out model.json`")
    raw_terms = v.get(t, "terms", dict, "scoring", {})
    terms: list[tuple[str, float]] = []
    for term, weight in raw_terms.items():
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not -3 <= weight <= 3:
            v.problem(f"scoring.terms.{term}", "a weight between -3 (very bad news) and 3 (very good news)", weight)
        elif not term.strip():
            v.problem("scoring.terms", "non-empty terms", repr(term))
        else:
            terms.append((term.strip(), float(weight)))
    return ScoringSettings(backend, model, tuple(terms), _categories(v, data))


def _categories(v: Validator, data: Mapping[str, Any]) -> tuple[CategoryOverride, ...]:
    raw = data.get("categories", {})
    if not isinstance(raw, dict):
        v.problem("categories", "tables such as [categories.complaint]", type(raw).__name__)
        return ()
    known = {c.code for c in DEFAULT_CATEGORIES}
    out = []
    for code, entry in raw.items():
        path = f"categories.{code}"
        if not isinstance(entry, dict):
            v.problem(path, "a table", type(entry).__name__)
            continue
        if not _CODE_RE.match(code):
            v.problem(path, "a code of lower-case letters, digits and '_'", code)
            continue
        v.table({"c": entry}, "c", {"terms", "replace", "enabled", "name_zh", "name_en", "weight"}, path)
        terms = v.str_list(entry, "terms", path)
        weight = v.get(entry, "weight", (int, float), path, None)
        if weight is not None and not -3 <= weight <= 3:
            v.problem(f"{path}.weight", "a number between -3 and 3", weight)
            weight = None
        override = CategoryOverride(
            code, terms, v.get(entry, "replace", bool, path, False), v.get(entry, "enabled", bool, path, True),
            v.get(entry, "name_zh", str, path, None), v.get(entry, "name_en", str, path, None),
            float(weight) if weight is not None else None)
        if code not in known and override.enabled and not terms:
            v.problem(f"{path}.terms", "at least one term for a new category", "<missing>")
        if override.replace and not terms:
            v.problem(f"{path}.terms", "the terms that replace the shipped ones", "<missing>",
                      "to switch a category off, write enabled = false")
        out.append(override)
    return tuple(out)
