"""The package layout's rules, read from the import graph (``ast``, no import of the code itself).

The stages run in data-flow order; a module may import the kernel, its own package and any
earlier stage, never a later one, and the graph has no cycles.  Only ``store/`` speaks SQL, only
``cli/`` (and ``demo/``, which prints its progress through it) imports click or rich, ``score/``
knows nothing of storage, ``config/`` imports only the kernel, private names stay private, and an
import inside a function is allowed only for a heavy optional module, with a comment saying which.

Each rule is a function over :class:`Graph`, so the fixture graphs below can show that a
violation is caught as well as that the real tree is clean.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "reportgen"

KERNEL = {"reportgen", "reportgen.errors", "reportgen.models", "reportgen.periods"}
# Data-flow order.  demo/ drives the whole chain and the CLI drives the demo.
STAGES = ["kernel", "config", "ingest", "score", "store", "insight", "report", "deliver", "flow", "demo", "cli"]
# What an import inside a function may load: heavy or optional, and never needed on a cheap path.
LAZY_ALLOWED = {"dask", "distributed", "psycopg", "sklearn", "scipy", "vaderSentiment", "reportgen.score.model",
                "reportgen.score.train",
                # what `reportgen fetch` loads only when it needs it (tests/test_startup.py)
                "apprise", "reportgen.report.alertmsg", "reportgen.report.render", "reportgen.deliver.outbox",
                "reportgen.deliver.mail", "reportgen.insight.aggregate", "reportgen.ingest.parse",
                "reportgen.score.backend", "numpy",
                "weasyprint", "matplotlib", "pyarrow", "pandas", "rich", "sqlalchemy.dialects.postgresql"}
SQL_WORDS = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA)\b", re.IGNORECASE)


@dataclass
class Module:
    name: str
    source: str
    is_package: bool = False
    imports: list[tuple[str, list[str], int, bool]] = field(default_factory=list)  # target, names, line, lazy


@dataclass
class Graph:
    modules: dict[str, Module]

    @classmethod
    def from_sources(cls, sources: dict[str, str], packages: frozenset[str] = frozenset()) -> Graph:
        modules = {name: Module(name, src, name in packages) for name, src in sources.items()}
        for module in modules.values():
            tree = ast.parse(module.source)
            lazy_nodes = {id(n) for fn in ast.walk(tree) if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
                          for n in ast.walk(fn) if isinstance(n, ast.Import | ast.ImportFrom)}
            for node in ast.walk(tree):
                lazy = id(node) in lazy_nodes
                if isinstance(node, ast.Import):
                    for alias in node.names:
                        module.imports.append((alias.name, [], node.lineno, lazy))
                elif isinstance(node, ast.ImportFrom):
                    target = _absolute(module, node)
                    names = [a.name for a in node.names]
                    module.imports.append((target, names, node.lineno, lazy))
                    for name in names:  # `from pkg import submodule`
                        if f"{target}.{name}" in modules:
                            module.imports.append((f"{target}.{name}", [], node.lineno, lazy))
        return cls(modules)

    @classmethod
    def of_package(cls, root: Path = PACKAGE) -> Graph:
        sources, packages = {}, set()
        for path in sorted(root.rglob("*.py")):
            parts = list(path.relative_to(root.parent).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
                packages.add(".".join(parts))
            sources[".".join(parts)] = path.read_text(encoding="utf-8")
        return cls.from_sources(sources, frozenset(packages))

    def edges(self) -> Iterator[tuple[str, str, int]]:
        for module in self.modules.values():
            for target, _names, line, _lazy in module.imports:
                if target in self.modules and target != module.name:
                    yield module.name, target, line


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.name.split(".")
    if not module.is_package:
        base.pop()
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def stage(name: str) -> str:
    if name in KERNEL:
        return "kernel"
    part = name.split(".")[1]
    if part not in STAGES:
        raise AssertionError(f"{name} is in no stage: put it in a package of the data flow or in the kernel")
    return part


# --- the rules ------------------------------------------------------------------------------------


def cycles(graph: Graph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    adjacency: dict[str, set[str]] = {}
    for src, dst, _ in graph.edges():
        adjacency.setdefault(src, set()).add(dst)

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(adjacency.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph.modules):
        if v not in index:
            visit(v)
    return found


def backward_imports(graph: Graph) -> list[str]:
    rank = {s: i for i, s in enumerate(STAGES)}
    return [f"{src}:{line} imports {dst} ({stage(src)} → {stage(dst)})" for src, dst, line in graph.edges()
            if rank[stage(dst)] > rank[stage(src)]]


def foreign_imports(graph: Graph, packages: set[str], allowed_stages: set[str]) -> list[str]:
    """Modules of a stage outside ``allowed_stages`` that import one of ``packages`` (third party)."""
    return [f"{m.name}:{line} imports {target}" for m in graph.modules.values() if stage(m.name) not in allowed_stages
            for target, _n, line, _l in m.imports if target.split(".")[0] in packages]


def sql_outside_store(graph: Graph) -> list[str]:
    found = foreign_imports(graph, {"sqlalchemy"}, {"store"})
    for m in graph.modules.values():
        if stage(m.name) == "store":
            continue
        tree = ast.parse(m.source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_WORDS.match(node.value) \
                    and " FROM " in node.value.upper() + " ":
                found.append(f"{m.name}:{node.lineno} writes SQL")
            if isinstance(node, ast.Attribute) and "store" in ast.unparse(node.value).lower() \
                    and (node.attr in {"engine", "dialect"} or node.attr.startswith("_")):
                found.append(f"{m.name}:{node.lineno} reads {ast.unparse(node)}")
    return found


def private_imports(graph: Graph) -> list[str]:
    found = []
    for m in graph.modules.values():
        for target, names, line, _lazy in m.imports:
            if target.split(".")[0] != "reportgen":
                continue
            found += [f"{m.name}:{line} imports {target}.{n}" for n in names
                      if n.startswith("_") and not n.startswith("__") and f"{target}.{n}" not in graph.modules]
    return found


def unexplained_lazy_imports(graph: Graph) -> list[str]:
    found = []
    for m in graph.modules.values():
        lines = m.source.splitlines()
        for target, _names, line, lazy in m.imports:
            if not lazy or target in graph.modules and target.startswith("reportgen.") is False:
                continue
            allowed = any(target == a or target.startswith(a + ".") for a in LAZY_ALLOWED)
            text = lines[line - 1] + (lines[line - 2] if line >= 2 else "")
            if not allowed:
                found.append(f"{m.name}:{line} imports {target} inside a function")
            elif "#" not in text:
                found.append(f"{m.name}:{line} imports {target} inside a function without saying why")
    return found


# --- the real tree --------------------------------------------------------------------------------

GRAPH = Graph.of_package()


def test_every_module_is_in_a_stage() -> None:
    assert all(stage(name) for name in GRAPH.modules)


def test_no_import_cycles() -> None:
    assert cycles(GRAPH) == []


def test_no_backward_imports() -> None:
    assert backward_imports(GRAPH) == []


def test_only_the_store_speaks_sql() -> None:
    assert sql_outside_store(GRAPH) == []


def test_click_and_rich_only_in_the_cli_and_demo() -> None:
    assert foreign_imports(GRAPH, {"click", "rich"}, {"cli", "demo"}) == []


def test_score_knows_nothing_of_storage_or_later_stages() -> None:
    later = {"store", "insight", "report", "deliver", "flow", "demo", "cli"}
    assert [f"{s} → {d}" for s, d, _ in GRAPH.edges() if stage(s) == "score" and stage(d) in later] == []


def test_config_imports_only_the_kernel() -> None:
    assert [f"{s} → {d}" for s, d, _ in GRAPH.edges()
            if stage(s) == "config" and stage(d) not in {"kernel", "config"}] == []


def test_no_private_names_cross_modules() -> None:
    assert private_imports(GRAPH) == []


def test_imports_inside_functions_are_heavy_optional_and_explained() -> None:
    assert unexplained_lazy_imports(GRAPH) == []


def test_product_code_never_imports_the_demo() -> None:
    assert [f"{s} → {d}" for s, d, _ in GRAPH.edges() if stage(d) == "demo" and stage(s) not in {"demo", "cli"}] == []


# --- the rules catch what they are for ------------------------------------------------------------


def _fixture(**sources: str) -> Graph:
    return Graph.from_sources({name.replace("__", "."): src for name, src in sources.items()})


def test_a_cycle_is_rejected() -> None:
    graph = _fixture(reportgen__insight__a="from reportgen.insight import b\n",
                     reportgen__insight__b="from reportgen.insight.a import x\n")
    assert cycles(graph) == [["reportgen.insight.a", "reportgen.insight.b"]]


def test_a_backward_import_is_rejected() -> None:
    graph = _fixture(reportgen__score__rules="from reportgen.store.db import Store\n",
                     reportgen__store__db="class Store: ...\n")
    assert backward_imports(graph) == ["reportgen.score.rules:1 imports reportgen.store.db (score → store)"]


def test_sql_and_store_internals_outside_the_store_are_rejected() -> None:
    graph = _fixture(reportgen__insight__x=(
        "import sqlalchemy\n"
        "def f(store):\n"
        "    q = 'SELECT id FROM items'\n"
        "    return store.engine.dialect.name, store._begin()\n"))
    assert len(sql_outside_store(graph)) == 5


def test_private_and_unexplained_lazy_imports_are_rejected() -> None:
    graph = _fixture(reportgen__report__x="from reportgen.report.y import _helper\n",
                     reportgen__report__y="def _helper(): ...\ndef f():\n    import json\n    import pandas\n")
    assert private_imports(graph) == ["reportgen.report.x:1 imports reportgen.report.y._helper"]
    assert unexplained_lazy_imports(graph) == ["reportgen.report.y:3 imports json inside a function",
                                               "reportgen.report.y:4 imports pandas inside a function without "
                                               "saying why"]


@pytest.mark.parametrize("name", ["reportgen.cli.app", "reportgen.flow.pipeline", "reportgen.score.rules"])
def test_the_real_graph_sees_the_modules(name: str) -> None:
    assert name in GRAPH.modules and GRAPH.modules[name].imports
