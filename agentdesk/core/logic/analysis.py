"""What a set of conditions can and cannot do, found by trying the values that matter.

A comparison of one detail with constants (``dias_mora >= 31``, ``monto * 2 > 100``,
``segmento in ["Oro", "Premium"]``) can only change its truth where the detail crosses a
boundary the comparison names. So trying each boundary, a value on each side of it and one
between each two (whole numbers for days, counts and dates) tries every case there is, and
every detail is independent of the others. A comparison that mixes two details, or divides
by one, is not solved: it is tried both true and false, which can only hide a finding, never
invent one. Every finding is therefore certain: a condition reported as never holding
cannot hold, one reported as always holding always does.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from agentdesk.core.logic.checker import Compiled, VarInfo
from agentdesk.core.logic.evaluate import evaluate, value_of
from agentdesk.core.logic.syntax import Binary, Compare, Name, Node, Unary, children, names

MAX_CASES = 4096
_OTHER = "\u0000another text"  # a text equal to no literal
_INTEGRAL = ("days", "date")
_DAY0 = date(2000, 1, 1)


class Verdict(NamedTuple):
    never: tuple[int, ...]  # conditions no value meets
    always: tuple[int, ...]  # conditions every value meets
    unused: tuple[int, ...]  # first match: answers the earlier ones always take first
    gap: tuple[tuple[str, Any], ...] | None  # values for which no condition holds


def examine(
    conditions: Sequence[Compiled], known: Mapping[str, VarInfo], first_match: bool = False
) -> Verdict | None:
    """Findings about ``conditions`` (indexes into it); None if there are too many cases to
    try. ``first_match``: the conditions are a decision's, the first that holds is taken."""
    points: dict[str, set[Any]] = {}
    opaque: list[int] = []
    for condition in conditions:
        for node in _compares(condition.tree):
            if not all(_boundaries(node, index, known, points) for index in range(len(node.ops))):
                opaque.append(id(node))
    used = list(dict.fromkeys(n for c in conditions for n in c.names))
    samples = [_samples(known[name], points.get(name, set())) for name in used]
    cases = math.prod(len(s) for s in samples) * 2 ** len(opaque)
    if cases > MAX_CASES:
        return None
    held = [False] * len(conditions)
    failed = [False] * len(conditions)
    taken = [False] * len(conditions)
    gap: tuple[tuple[str, Any], ...] | None = None
    for values in itertools.product(*samples):
        env = dict(zip(used, values, strict=True))
        for guesses in itertools.product((False, True), repeat=len(opaque)):
            fixed = dict(zip(opaque, guesses, strict=True))
            results = [evaluate(c, env, fixed) is True for c in conditions]
            for index, result in enumerate(results):
                held[index] = held[index] or result
                failed[index] = failed[index] or not result
            if any(results):
                taken[results.index(True)] = True
            elif gap is None and not opaque:
                gap = tuple(env.items())
    count = range(len(conditions))
    return Verdict(
        never=tuple(i for i in count if not held[i]),
        always=tuple(i for i in count if not failed[i]),
        unused=tuple(i for i in count if first_match and held[i] and not taken[i]),
        gap=gap,
    )


def _compares(node: Node) -> list[Compare]:
    found: list[Compare] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Compare):
            found.append(current)
        stack.extend(children(current))
    return found


def _boundaries(
    node: Compare, index: int, known: Mapping[str, VarInfo], points: dict[str, set[Any]]
) -> bool:
    """Add where comparison ``index`` of ``node`` changes; False if it cannot be solved."""
    left, right, op = node.operands[index], node.operands[index + 1], node.ops[index]
    used = names(left) + names(right)
    if not used:
        return True  # constants: the same in every case
    if len(used) > 1 or _occurrences(left, used[0]) + _occurrences(right, used[0]) > 1:
        return False
    name = used[0]
    kind = known[name].type
    found = points.setdefault(name, set())
    constant = right if name in names(left) else left
    if op.endswith("in") or kind == "text":
        if not isinstance(left if constant is right else right, Name):
            return False
        values = constant.items if op.endswith("in") else (constant,)  # type: ignore[union-attr]
        found.update(_constant(v) for v in values)
        return None not in found
    if not _linear(left if constant is right else right, name):
        return False
    root = _root(left, right, name, kind)
    if root is None:
        return False
    if root is not math.inf:
        found.add(root)
    return True


def _occurrences(node: Node, name: str) -> int:
    if isinstance(node, Name):
        return int(node.name == name)
    return sum(_occurrences(child, name) for child in children(node))


def _linear(node: Node, name: str) -> bool:
    """The detail appears in ``node`` only added, subtracted, multiplied by or divided by
    constants (not divided into one)."""
    if isinstance(node, Binary):
        if node.op == "/" and name in names(node.right):
            return False
        return all(_linear(child, name) for child in (node.left, node.right))
    if isinstance(node, Unary):
        return _linear(node.operand, name)
    return True


def _constant(node: Node) -> Any:
    return value_of(node, {}, {})


def _as_number(value: Any) -> Decimal | None:
    if isinstance(value, date):
        return Decimal(value.toordinal())
    return value if isinstance(value, Decimal) else None


def _root(left: Node, right: Node, name: str, kind: str) -> Decimal | float | None:
    """Where ``left - right`` crosses zero as the detail varies (it is linear in it);
    ``math.inf`` if it never changes."""

    def difference(at: Decimal) -> Decimal | None:
        value: Any = date.fromordinal(int(at)) if kind == "date" else at
        env = {name: value}
        a, b = _as_number(value_of(left, env, {})), _as_number(value_of(right, env, {}))
        return None if a is None or b is None else a - b

    start = Decimal(_DAY0.toordinal()) if kind == "date" else Decimal(0)
    first, second = difference(start), difference(start + 1)
    if first is None or second is None:
        return None
    slope = second - first
    return math.inf if slope == 0 else start - first / slope


def _samples(info: VarInfo, points: set[Any]) -> list[Any]:
    """One value for every case the boundaries make."""
    if info.type == "text":
        return list(info.choices) or [*sorted(p for p in points if isinstance(p, str)), _OTHER]
    if info.low is not None and info.high is not None and info.high - info.low <= 64:
        return [Decimal(n) for n in range(info.low, info.high + 1)]
    bounds = sorted({n for n in map(_as_number, points) if n is not None})
    if info.type in _INTEGRAL or info.low is not None:
        whole = {Decimal(n) for b in bounds for n in _around(b)} or {Decimal(0)}
        if info.low is not None:
            whole = {n for n in whole if info.low <= n <= (info.high or n)} or {Decimal(info.low)}
        if info.type == "date":
            return [date.fromordinal(max(1, min(int(n), date.max.toordinal()))) for n in whole]
        return sorted(whole)
    if not bounds:
        return [Decimal(0)]
    middles = [(a + b) / 2 for a, b in itertools.pairwise(bounds)]
    return [bounds[0] - 1, *bounds, *middles, bounds[-1] + 1]


def _around(bound: Decimal) -> tuple[int, ...]:
    low, high = math.floor(bound), math.ceil(bound)
    return (low - 1, low, high, high + 1)
