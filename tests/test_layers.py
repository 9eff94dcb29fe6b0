"""The import graph of `src/pingfen` keeps to the pipeline's layers and has no cycles.

Every import counts, including the ones inside functions (a cycle hidden in a function is
still a cycle). A module may import its own layer or lower ones; see docs/architecture.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "pingfen"

# Lowest first. A module's layer is the first entry that names it or a package holding it.
LAYERS: list[tuple[str, ...]] = [
    ("pingfen.lang", "pingfen.clitext", "pingfen.terminal", "pingfen.display", "pingfen.diagnostics", "pingfen.messages", "pingfen.oserrors", "pingfen.errors", "pingfen.values", "pingfen.absent"),
    ("pingfen.reasons", "pingfen.result"),
    ("pingfen.ast",),
    ("pingfen.cache", "pingfen.syntax"),
    ("pingfen.check",),
    ("pingfen.evaluate",),
    ("pingfen.loader", "pingfen.io", "pingfen.report"),
    (
        "pingfen.progress",
        "pingfen.parallel",
        "pingfen.batch",
        "pingfen.batchreport",
        "pingfen.audit",
        "pingfen.template",
        "pingfen.sample",
        "pingfen.testing",
        "pingfen.coverage",
        "pingfen.testrun",
        "pingfen.fuzz",
        "pingfen.render",
        "pingfen.phrases",
        "pingfen.stated",
        "pingfen.gradeline",
        "pingfen.importer",
        "pingfen.diff",
        "pingfen.replay",
        "pingfen.diffview",
        "pingfen.sql",
        "pingfen.overrides",
        "pingfen.editor",
        "pingfen.highlight",
    ),
    ("pingfen.spark", "pingfen.engine"),
    ("pingfen.serve",),  # the workbench: a web page over the tools
    ("pingfen.cli",),
    ("pingfen",),  # the facade: lazy names over everything
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in SRC.rglob("*.py")}


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The pingfen modules that `name` imports, anywhere in its text."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module" and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                targets = [arg.value]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target.startswith("pingfen") and target != name:
                found.add(target)
    return found


def layer(name: str) -> int:
    best = -1, -1
    for index, names in enumerate(LAYERS):
        for prefix in names:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best[1]:
                best = index, len(prefix)
    return best[0]


GRAPH = {name: imports(name, path, set(modules())) for name, path in modules().items()}


def test_every_module_has_a_layer() -> None:
    assert [name for name in GRAPH if layer(name) < 0] == []


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_imports_go_down(name: str) -> None:
    if name == "pingfen":
        return
    upward = sorted(t for t in GRAPH[name] if t != "pingfen" and layer(t) > layer(name))
    assert upward == [], f"{name} (layer {layer(name)}) imports higher layers"


def test_no_import_cycles() -> None:
    # Tarjan's strongly connected components, iteratively.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cycles: list[list[str]] = []
    counter = 0
    for root in GRAPH:
        if root in index:
            continue
        work = [(root, iter(sorted(GRAPH[root] - {"pingfen"})))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(GRAPH[child] - {"pingfen"}))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        cycles.append(sorted(component))
    assert cycles == []


def test_the_contract_sees_imports() -> None:
    # The checker would pass vacuously if it found no edges at all.
    assert "pingfen.ast" in GRAPH["pingfen.syntax.parser"]
    assert "pingfen.evaluate.rubric" in GRAPH["pingfen.loader"]
