"""A flow, or all the flows of a pack, as a map: steps as boxes, answers as arrows.

:func:`flow_map` lays the steps out (:mod:`.layered`, pure Python) and marks what a trainer
must look at: the start, outcomes, hand-overs to other flows, steps no answer reaches
(unreachable) and steps from which no outcome can be reached (dead ends). :mod:`.svg`
draws it for ``agentdesk pack graph``; the app's map draws the same picture and opens the
step whose box is clicked (:meth:`FlowMap.node_at`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Literal, NamedTuple

from agentdesk.core.flowmap.layered import Box, layout
from agentdesk.core.i18n import _
from agentdesk.core.packs.model import Flow, Pack
from agentdesk.core.packs.reach import flow_reach, leads_nowhere

Kind = Literal["question", "procedure", "outcome", "handover"]
Mark = Literal["start", "unreachable", "dead-end"]
CHAR_WIDTH = 7.2  # of the title font (13 px sans), on average
LINE = 17.0
CAPTION = 15.0
PADDING = 10.0
HEADER = 64.0
WRAP = 26
MAX_LINES = 3


class MapNode(NamedTuple):
    key: str
    flow: str | None  # None for a hand-over to a flow outside the map
    step: str | None
    kind: Kind
    marks: tuple[Mark, ...]
    caption: str  # what kind of box, in the interface language
    lines: tuple[str, ...]  # the title, wrapped
    x: float  # centre
    y: float
    width: float
    height: float

    def contains(self, x: float, y: float) -> bool:
        return abs(x - self.x) <= self.width / 2 and abs(y - self.y) <= self.height / 2


class MapEdge(NamedTuple):
    source: str
    target: str
    label: str
    points: tuple[tuple[float, float], ...]
    back: bool  # leads back up: it closes a loop


class FlowMap(NamedTuple):
    pack: str
    title: str
    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]
    width: float
    height: float

    def node_at(self, x: float, y: float) -> MapNode | None:
        return next((n for n in self.nodes if n.contains(x, y)), None)

    def marked(self, mark: Mark) -> list[MapNode]:
        return [n for n in self.nodes if mark in n.marks]


class _Draft(NamedTuple):
    key: str
    flow: str | None
    step: str | None
    kind: Kind
    marks: tuple[Mark, ...]
    caption: str
    lines: tuple[str, ...]


def _wrap(title: str) -> tuple[str, ...]:
    lines = textwrap.wrap(" ".join(title.split()), WRAP) or [""]
    if len(lines) > MAX_LINES:
        lines = [*lines[: MAX_LINES - 1], textwrap.shorten(" ".join(lines[MAX_LINES - 1 :]), WRAP)]
    return tuple(lines)


def _clip(text: str, size: int = 28) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


PackLookup = Callable[[str], Pack | None]


def flow_map(pack: Pack, flow_id: str | None = None, lookup: PackLookup | None = None) -> FlowMap:
    """The map of one flow of ``pack``, or of all its flows (hand-overs between them drawn
    as arrows). ``lookup`` finds other packs, to mark hand-overs to flows that do not exist."""
    flows = [pack.flows[flow_id]] if flow_id else list(pack.flows.values())
    drafts: dict[str, _Draft] = {}
    edges: list[tuple[str, str, str]] = []
    for flow in flows:
        _add_flow(pack, flow, flow_id is None, lookup, drafts, edges)
    sizes = {
        key: Box(
            max(110.0, max(len(line) for line in (*d.lines, d.caption)) * CHAR_WIDTH + 2 * PADDING),
            CAPTION + LINE * len(d.lines) + 2 * PADDING,
        )
        for key, d in drafts.items()
    }
    placed = layout(sizes, [(a, b) for a, b, _label in edges])
    labels: dict[tuple[str, str], str] = {}
    for a, b, label in edges:  # several answers leading to one step share an arrow
        labels[(a, b)] = " / ".join(filter(None, (labels.get((a, b)), label)))
    nodes = tuple(
        MapNode(*d, placed.nodes[key].x, placed.nodes[key].y + HEADER, *sizes[key])
        for key, d in drafts.items()
    )
    routes = tuple(
        MapEdge(
            r.source,
            r.target,
            labels.get((r.source, r.target), ""),
            tuple((x, y + HEADER) for x, y in r.points),
            r.back,
        )
        for r in placed.routes
    )
    title = pack.title if flow_id is None else f"{pack.title} · {pack.flows[flow_id].title}"
    return FlowMap(pack.id, title, nodes, routes, max(placed.width, 640.0), placed.height + HEADER)


def _add_flow(
    pack: Pack,
    flow: Flow,
    whole_pack: bool,
    lookup: PackLookup | None,
    drafts: dict[str, _Draft],
    edges: list[tuple[str, str, str]],
) -> None:
    reach = flow_reach(flow)
    for sid, step in flow.steps.items():
        marks: list[Mark] = []
        if sid == flow.first:
            marks.append("start")
        if sid not in reach.reached:
            marks.append("unreachable")
        if sid not in reach.can_end or leads_nowhere(step):
            marks.append("dead-end")
        kind: Kind = "outcome" if step.is_outcome else "question" if step.ask else "procedure"
        caption = _caption(kind, marks, flow if whole_pack and sid == flow.first else None)
        title = step.name
        key = f"{flow.id}/{sid}"
        drafts[key] = _Draft(key, flow.id, sid, kind, tuple(marks), caption, _wrap(title))
        for choice in step.choices:
            label = _clip(choice.label)
            if choice.go:
                edges.append((key, f"{flow.id}/{choice.go}", label))
            elif choice.flow:
                edges.append((key, _handover(pack, choice.flow, whole_pack, lookup, drafts), label))


def _handover(
    pack: Pack, ref: str, whole_pack: bool, lookup: PackLookup | None, drafts: dict[str, _Draft]
) -> str:
    """The node a hand-over leads to: the target flow's first step when it is on the map,
    otherwise a box naming the flow (a dead end if the flow does not exist)."""
    pack_id, _sep, target_id = ref.rpartition("/")
    if whole_pack and pack_id in ("", pack.id) and target_id in pack.flows:
        target = pack.flows[target_id]
        return f"{target.id}/{target.first}"
    other = pack if pack_id in ("", pack.id) else (lookup(pack_id) if lookup else None)
    flow = other.flows.get(target_id) if other is not None else None
    missing = flow is None and (lookup is not None or pack_id in ("", pack.id))
    key = f"→{ref}"
    if key not in drafts:
        marks: tuple[Mark, ...] = ("dead-end",) if missing else ()
        caption = _caption("handover", list(marks), None)
        title = _("Continues in: {flow}").format(flow=flow.title if flow else ref)
        drafts[key] = _Draft(key, None, None, "handover", marks, caption, _wrap(title))
    return key


def _caption(kind: Kind, marks: list[Mark], flow: Flow | None) -> str:
    words = {
        "question": _("Question"),
        "procedure": _("Step"),
        "outcome": _("Outcome"),
        "handover": _("Another flow"),
    }
    parts = [words[kind]]
    names = {"start": _("Start"), "unreachable": _("Unreachable"), "dead-end": _("Dead end")}
    parts += [names[m] for m in marks]
    if flow is not None:
        parts.append(flow.id)
    return " · ".join(parts)
