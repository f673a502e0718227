"""What every importer shares: ids made from names, the pack's words in its language, and a
flow to browse the imported items by category (so they show in the panel and in search),
with a scenario test per category that ends the flow.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from agentdesk.core.importers.placeholders import Language
from agentdesk.core.packs.model import (
    Choice,
    Expect,
    Flow,
    Macro,
    MacroUse,
    Manifest,
    Pack,
    Scenario,
    Script,
    Step,
    Variable,
)
from agentdesk.core.text import fold

WORDS: dict[Language, dict[str, str]] = {
    "es": {
        "ask": "¿Qué necesitas?",
        "start": "Inicio",
        "test": "«{path}» muestra lo que contiene",
    },
    "en": {
        "ask": "What do you need?",
        "start": "Start",
        "test": "'{path}' shows what it holds",
    },
}


def language_of(locale: str) -> Language:
    return "es" if locale.lower().startswith("es") else "en"


def slug(text: str, size: int = 64) -> str:
    """An id from a name: 'Móvil :: Saludo Inicial' -> 'movil-saludo-inicial'."""
    words = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return (words[:size].rstrip("-") or "item")[:size]


class Ids:
    """Unique ids from names, within one namespace."""

    def __init__(self, taken: tuple[str, ...] = ()) -> None:
        self.taken = set(taken)

    def make(self, name: str) -> str:
        base = slug(name, 58)
        ident, number = base, 1
        while ident in self.taken:
            number += 1
            ident = f"{base}-{number}"
        self.taken.add(ident)
        return ident


class Entry(NamedTuple):
    """An item to browse to: its category levels, its kind and its id in the pack."""

    levels: tuple[str, ...]
    kind: Literal["macro", "script"]
    item_id: str


class _Node:
    def __init__(self, levels: tuple[str, ...]) -> None:
        self.levels = levels
        self.children: dict[str, _Node] = {}
        self.entries: list[Entry] = []


def browse_flow(
    flow_id: str, title: str, entries: list[Entry], language: Language
) -> tuple[Flow, tuple[Scenario, ...]]:
    """A flow whose answers walk the category tree: each category is a step that shows its
    items and asks for its sub-categories; one test per category that ends the flow."""
    words = WORDS[language]
    root = _Node(())
    for entry in entries:
        node = root
        for depth, level in enumerate(entry.levels):
            key = fold(level)
            if key not in node.children:
                node.children[key] = _Node(entry.levels[: depth + 1])
            node = node.children[key]
        node.entries.append(entry)
    ids = Ids(("inicio",))
    steps: dict[str, Step] = {}
    tests: list[Scenario] = []

    def visit(node: _Node, step_id: str, route: tuple[str, ...]) -> None:
        choice_ids = Ids()
        targets = [(child, ids.make(" ".join(child.levels))) for child in node.children.values()]
        choices = tuple(
            Choice(label=child.levels[-1], id=choice_ids.make(child.levels[-1]), go=target)
            for child, target in targets
        )
        shown = node.entries
        steps[step_id] = Step(
            id=step_id,
            title=node.levels[-1] if node.levels else words["start"],
            ask=words["ask"] if choices else None,
            choices=choices,
            scripts=tuple(e.item_id for e in shown if e.kind == "script"),
            macros=tuple(MacroUse(macro=e.item_id) for e in shown if e.kind == "macro"),
        )
        if not choices:
            tests.append(
                Scenario(
                    name=words["test"].format(path=" :: ".join(node.levels) or title),
                    flow=flow_id,
                    choose=route,
                    expect=Expect(
                        step=step_id,
                        outcome=True,
                        scripts=tuple(e.item_id for e in shown if e.kind == "script"),
                        macros=tuple(e.item_id for e in shown if e.kind == "macro"),
                    ),
                )
            )
        for (child, target), choice in zip(targets, choices, strict=True):
            visit(child, target, (*route, choice.id or ""))

    visit(root, "inicio", ())
    return Flow(id=flow_id, title=title, steps=steps), tuple(tests)


def imported_pack(
    manifest: Manifest,
    variables: dict[str, Variable],
    heading: str,
    macros: dict[str, Macro] | None = None,
    scripts: dict[str, Script] | None = None,
) -> Pack:
    """The pack of what was imported, with a flow to browse the active items (by the
    categories of their paths: a macro's path less its title, a script's title alone)."""
    macros, scripts = macros or {}, scripts or {}
    language = language_of(manifest.locale)
    entries = [Entry(m.levels[:-1], "macro", m.id) for m in macros.values() if m.active]
    entries += [Entry((s.title,), "script", s.id) for s in scripts.values() if s.active]
    flows: dict[str, Flow] = {}
    tests: tuple[Scenario, ...] = ()
    if entries:
        flow, tests = browse_flow(slug(heading), heading, entries, language)
        flows[flow.id] = flow
    return Pack(
        manifest=manifest,
        root="",
        digest="",
        variables=variables,
        facts={},
        snippets={},
        scripts=scripts,
        macros=macros,
        offers={},
        flows=flows,
        tests=tests,
    )
