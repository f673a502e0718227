"""The architecture, as a reader finds it: no import cycles between parts of the core, and
no module too long to read."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

CORE = REPO / "agentdesk" / "core"
MAX_LINES = 500


def _part(module: str) -> str | None:
    """The part of the core a dotted module name belongs to ('agentdesk.core.packs.x' → 'packs')."""
    names = module.split(".")
    if names[:2] != ["agentdesk", "core"] or len(names) < 3:
        return None
    return names[2]


def _module_of(path: Path) -> str:
    relative = path.relative_to(REPO).with_suffix("")
    return ".".join(p for p in relative.parts if p != "__init__")


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def core_graph() -> dict[str, set[str]]:
    """Which parts of the core (subpackages, or modules directly in it) import which."""
    parts = {p.stem for p in CORE.glob("*.py")} | {p.name for p in CORE.iterdir() if p.is_dir()}
    graph: dict[str, set[str]] = {}
    for path in CORE.rglob("*.py"):
        source = _part(_module_of(path))
        if source is None:
            continue
        targets = {_part(m) for m in _imports(path)}
        graph.setdefault(source, set()).update(t for t in targets if t in parts and t != source)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_between_parts_of_the_core() -> None:
    graph = core_graph()
    assert {"packs", "render", "flows", "shipping", "templates"} <= set(graph)  # the scan works
    assert "render" in graph["flows"]
    assert _cycle(graph) is None, " → ".join(_cycle(graph) or [])


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_module_is_over_500_lines() -> None:
    lengths = {
        path.relative_to(REPO).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in (REPO / "agentdesk").rglob("*.py")
    }
    assert len(lengths) > 50  # the scan works
    assert {p: n for p, n in lengths.items() if n > MAX_LINES} == {}
