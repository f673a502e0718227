"""A small layered (Sugiyama-style) layout for directed graphs of a few hundred nodes.

Pure Python, so the flow map works on every desk (Graphviz's ``dot`` would have to be
installed beside the app, and desks on Windows lack it). The classic steps, each kept short:

1. loops are broken by reversing the edges that lead back to a node still being visited
   in a depth-first walk from the roots (in the order nodes and edges were given);
2. each node's layer is its longest distance from a root;
3. an edge that spans several layers gets a point (a dummy node) on each one;
4. nodes are ordered within their layers by the barycentre of their neighbours, sweeping
   down and up, keeping the order with the fewest crossings;
5. each node moves towards the mean position of its neighbours, without overlapping.

Everything is deterministic: the same graph gives the same picture.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import NamedTuple

SWEEPS = 12
GAP_X = 28.0
GAP_Y = 56.0
DUMMY = 12.0


class Box(NamedTuple):
    """A node's size going in, its centre coming out."""

    width: float
    height: float


class Placed(NamedTuple):
    x: float  # centre
    y: float
    width: float
    height: float


class Route(NamedTuple):
    source: str
    target: str
    points: tuple[tuple[float, float], ...]  # from the source's edge to the target's
    back: bool  # drawn against the layering (it closes a loop)


class Layout(NamedTuple):
    nodes: dict[str, Placed]
    routes: tuple[Route, ...]
    width: float
    height: float


def layout(sizes: dict[str, Box], edges: list[tuple[str, str]], margin: float = 20.0) -> Layout:
    """Place ``sizes``' nodes (in their order) and route ``edges`` (source, target)."""
    order = list(sizes)
    oriented = _break_loops(order, edges)
    layer = _layers(order, list(oriented.values()))
    chains = _dummies(oriented, layer)
    ranks = _order(order, layer, chains)
    width = {n: sizes[n].width if n in sizes else DUMMY for n in layer}
    xs = _positions(ranks, width, chains)
    heights = [max((sizes[n].height for n in rank if n in sizes), default=DUMMY) for rank in ranks]
    tops, bottom = [], margin
    for h in heights:
        tops.append(bottom)
        bottom += h + GAP_Y
    left = min(xs[n] - width[n] / 2 for n in xs)
    placed: dict[str, Placed] = {}
    for index, rank in enumerate(ranks):
        for n in rank:
            h = sizes[n].height if n in sizes else DUMMY
            placed[n] = Placed(xs[n] - left + margin, tops[index] + heights[index] / 2, width[n], h)
    ends: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for edge, chain in chains.items():
        ends[edge] = [(placed[c].x, placed[c].y) for c in chain]
    _ports(ends, chains, placed, out=True)
    _ports(ends, chains, placed, out=False)
    routes = []
    for (source, target), path in ends.items():
        if oriented[(source, target)] != (source, target):  # laid out reversed: a loop
            routes.append(Route(source, target, tuple(reversed(path)), True))
        else:
            routes.append(Route(source, target, tuple(path), False))
    for source, target in dict.fromkeys(edges):
        if source == target and source in placed:  # an answer that stays on its step
            box = placed[source]
            right, middle = box.x + box.width / 2, box.y
            top, low = middle - 6, middle + 6
            loop = ((right, top), (right + 18, top), (right + 18, low), (right, low))
            routes.append(Route(source, target, loop, True))
    real = {n: p for n, p in placed.items() if n in sizes}
    right = max(p.x + p.width / 2 for p in placed.values()) + margin
    return Layout(real, tuple(routes), right + 24, bottom - GAP_Y + margin)


def _ports(
    ends: dict[tuple[str, str], list[tuple[float, float]]],
    chains: dict[tuple[str, str], list[str]],
    placed: dict[str, Placed],
    out: bool,
) -> None:
    """Move each path's end from the node's centre to its bottom (leaving) or top (arriving)
    edge, the ends of one node spread along it in the order of where they come from."""
    by_node: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
    for edge, chain in chains.items():
        by_node[chain[0] if out else chain[-1]].append(edge)
    for node, edges in by_node.items():
        box = placed[node]
        edges.sort(key=lambda e: ends[e][1 if out else -2][0])
        step = min(24.0, box.width / (len(edges) + 1))
        for k, edge in enumerate(edges):
            x = box.x + (k - (len(edges) - 1) / 2) * step
            y = box.y + box.height / 2 if out else box.y - box.height / 2
            ends[edge][0 if out else -1] = (x, y)


def _break_loops(
    order: list[str], edges: list[tuple[str, str]]
) -> dict[tuple[str, str], tuple[str, str]]:
    """Each edge (once; not those from a node to itself) and how it is laid out: reversed
    if it closes a loop."""
    out: defaultdict[str, list[str]] = defaultdict(list)
    has_in: set[str] = set()
    for a, b in edges:
        if a != b:
            out[a].append(b)
            has_in.add(b)
    state: dict[str, int] = {}  # 1 visiting, 2 done
    back: set[tuple[str, str]] = set()
    roots = [n for n in order if n not in has_in] + order
    for root in roots:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(out[root]))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                back.add((node, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(out[child])))
    return {(a, b): ((b, a) if (a, b) in back else (a, b)) for a, b in edges if a != b}


def _layers(order: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    incoming: defaultdict[str, list[str]] = defaultdict(list)
    out: defaultdict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        out[a].append(b)
        incoming[b].append(a)
    waiting = {n: len(incoming[n]) for n in order}
    ready = [n for n in order if not waiting[n]]
    layer = dict.fromkeys(order, 0)
    while ready:
        node = ready.pop(0)
        for child in out[node]:
            layer[child] = max(layer[child], layer[node] + 1)
            waiting[child] -= 1
            if not waiting[child]:
                ready.append(child)
    return layer


def _dummies(
    oriented: dict[tuple[str, str], tuple[str, str]], layer: dict[str, int]
) -> dict[tuple[str, str], list[str]]:
    """Each edge's chain of nodes down the layers, one per layer; dummies are named after
    their edge."""
    chains: dict[tuple[str, str], list[str]] = {}
    for edge, (a, b) in oriented.items():
        chain = [a]
        for depth in range(layer[a] + 1, layer[b]):
            dummy = f"\0{edge[0]}\0{edge[1]}\0{depth}"
            layer[dummy] = depth
            chain.append(dummy)
        chains[edge] = [*chain, b]
    return chains


def _order(
    order: list[str],
    layer: dict[str, int],
    chains: dict[tuple[str, str], list[str]],
) -> list[list[str]]:
    up: defaultdict[str, list[str]] = defaultdict(list)
    down: defaultdict[str, list[str]] = defaultdict(list)
    for chain in chains.values():
        for a, b in itertools.pairwise(chain):
            down[a].append(b)
            up[b].append(a)
    ranks: list[list[str]] = [[] for _ in range(max(layer.values(), default=0) + 1)]
    placed: set[str] = set()

    def visit(node: str) -> None:  # depth first, so that related nodes start side by side
        stack = [node]
        while stack:
            current = stack.pop()
            if current in placed:
                continue
            placed.add(current)
            ranks[layer[current]].append(current)
            stack.extend(reversed(down[current]))

    for node in order:
        visit(node)
    best, best_crossings = [list(r) for r in ranks], _crossings(ranks, down)
    for sweep in range(SWEEPS):
        going_down = sweep % 2 == 0
        indices = range(1, len(ranks)) if going_down else range(len(ranks) - 2, -1, -1)
        for i in indices:
            neighbour = ranks[i - 1] if going_down else ranks[i + 1]
            ranks[i] = _by_barycentre(ranks[i], neighbour, up if going_down else down)
        crossings = _crossings(ranks, down)
        if crossings < best_crossings:
            best, best_crossings = [list(r) for r in ranks], crossings
    return best


def _by_barycentre(
    rank: list[str], neighbour: list[str], links: defaultdict[str, list[str]]
) -> list[str]:
    """``rank`` sorted by the mean position of each node's links in the neighbouring rank."""
    where = {n: k for k, n in enumerate(neighbour)}
    current = {n: k for k, n in enumerate(rank)}

    def centre(n: str) -> float:
        near = [where[m] for m in links[n] if m in where]
        return sum(near) / len(near) if near else float(current[n])

    return sorted(rank, key=lambda n: (centre(n), current[n]))


def _crossings(ranks: list[list[str]], down: defaultdict[str, list[str]]) -> int:
    total = 0
    for upper, lower in itertools.pairwise(ranks):
        where = {n: k for k, n in enumerate(lower)}
        pairs = sorted((i, where[m]) for i, n in enumerate(upper) for m in down[n] if m in where)
        for k, (i, j) in enumerate(pairs):
            total += sum(1 for i2, j2 in pairs[k + 1 :] if i2 > i and j2 < j)
    return total


def _positions(
    ranks: list[list[str]], width: dict[str, float], chains: dict[tuple[str, str], list[str]]
) -> dict[str, float]:
    near: defaultdict[str, list[str]] = defaultdict(list)
    for chain in chains.values():
        for a, b in itertools.pairwise(chain):
            near[a].append(b)
            near[b].append(a)
    xs: dict[str, float] = {}
    for rank in ranks:
        x = 0.0
        for n in rank:
            xs[n] = x + width[n] / 2
            x += width[n] + GAP_X
    for _ in range(8):
        for rank in ranks:
            wanted = [
                sum(xs[m] for m in near[n]) / len(near[n]) if near[n] else xs[n] for n in rank
            ]
            _spread(rank, wanted, width, xs)
    return xs


def _spread(
    rank: list[str], wanted: list[float], width: dict[str, float], xs: dict[str, float]
) -> None:
    """Put each node of ``rank`` as near its wanted centre as order and gaps allow: pushed
    right where it would overlap its left neighbour, then all moved back by the mean push."""
    placed = list(wanted)
    for k in range(1, len(rank)):
        least = placed[k - 1] + (width[rank[k - 1]] + width[rank[k]]) / 2 + GAP_X
        placed[k] = max(placed[k], least)
    push = sum(p - w for p, w in zip(placed, wanted, strict=True)) / max(1, len(rank))
    for n, x in zip(rank, placed, strict=True):
        xs[n] = x - push
