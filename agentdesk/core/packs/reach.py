"""How the steps of a flow connect: which are reached from its start, and from which an
outcome (or another flow) can be reached. The validator reports what is wrong with it;
the flow map (:mod:`agentdesk.core.flowmap`) marks it."""

from __future__ import annotations

from collections import defaultdict, deque
from typing import NamedTuple

from agentdesk.core.packs.model import Flow, Step


class Reach(NamedTuple):
    """How a flow's steps connect: what the map draws and the checks report."""

    targets: dict[str, list[str]]  # step -> the steps of this flow its answers lead to
    incoming: dict[str, list[str]]
    reached: set[str]  # steps reached from the flow's first step
    can_end: set[str]  # steps from which an outcome or another flow can be reached


def flow_reach(flow: Flow) -> Reach:
    steps = flow.steps
    targets: dict[str, list[str]] = {}
    incoming: dict[str, list[str]] = defaultdict(list)
    exits: list[str] = []
    for sid, step in steps.items():
        outs = [c.go for c in step.choices if c.go]
        targets[sid] = [t for t in outs if t in steps]
        for t in targets[sid]:
            incoming[t].append(sid)
        leaves = any(c.flow for c in step.choices) or len(targets[sid]) < len(outs)
        if step.is_outcome or leaves:  # or hands over to another flow (or a bad reference)
            exits.append(sid)
    can_end = set(exits)
    queue = deque(exits)
    while queue:
        for source in incoming[queue.popleft()]:
            if source not in can_end:
                can_end.add(source)
                queue.append(source)
    reached = {flow.first} if steps else set()
    queue = deque(reached)
    while queue:
        for t in targets.get(queue.popleft(), ()):
            if t not in reached:
                reached.add(t)
                queue.append(t)
    return Reach(targets, incoming, reached, can_end)


def leads_nowhere(step: Step) -> bool:
    """An outcome that shows nothing ('ask' alone is reported when the step is read)."""
    return step.is_outcome and not _shows_something(step) and not step.ask


def _shows_something(step: Step) -> bool:
    return bool(
        step.text
        or step.scripts
        or step.macros
        or step.offers
        or step.checklist
        or step.rules
        or step.timers
        or step.note
    )
