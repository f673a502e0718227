"""Running a checked condition on typed values, with three-valued logic.

Values are ``Decimal`` (numbers, money, days), ``date``, ``str`` and ``bool``; a detail the
agent has not typed is ``None``, *unknown*. A comparison with an unknown side is unknown,
``and`` is false as soon as one side is false, ``or`` true as soon as one side is true, and
otherwise unknown stays unknown: the caller decides what an unknown condition means
(a decision waits for the detail; an answer stays on offer; an offer stays locked).
Nothing here raises on what an agent typed: a division by zero or a date out of range is
unknown too.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from agentdesk.core.logic.checker import Compiled
from agentdesk.core.logic.syntax import Binary, Compare, ListOf, Lit, Name, Node, Unary
from agentdesk.core.text import fold


def evaluate(
    compiled: Compiled, env: Mapping[str, Any], fixed: Mapping[int, bool] | None = None
) -> bool | None:
    """Whether the condition holds (None: unknown). ``fixed`` gives the result of some
    comparisons by the ``id`` of their node (the analysis uses it for those it cannot
    solve)."""
    result = value_of(compiled.tree, env, fixed or {})
    return result if isinstance(result, bool) else None


def value_of(node: Node, env: Mapping[str, Any], fixed: Mapping[int, bool]) -> Any:
    """The value of any node: a number, date, text, truth, tuple (a list) or None."""
    if isinstance(node, Lit):
        return node.value
    if isinstance(node, Name):
        return env.get(node.name)
    if isinstance(node, ListOf):
        return tuple(value_of(item, env, fixed) for item in node.items)
    if isinstance(node, Unary):
        operand = value_of(node.operand, env, fixed)
        if operand is None:
            return None
        return (not operand) if node.op == "not" else -operand
    if isinstance(node, Binary):
        if node.op in ("and", "or"):
            return _logic(node, env, fixed)
        return _arithmetic(
            node.op, value_of(node.left, env, fixed), value_of(node.right, env, fixed)
        )
    if id(node) in fixed:
        return fixed[id(node)]
    return _chain(node, env, fixed)


def _logic(node: Binary, env: Mapping[str, Any], fixed: Mapping[int, bool]) -> bool | None:
    decisive = node.op == "or"  # the value that settles it: true for or, false for and
    left: bool | None = value_of(node.left, env, fixed)
    if left is decisive:
        return decisive
    right: bool | None = value_of(node.right, env, fixed)
    if right is decisive:
        return decisive
    return None if left is None or right is None else not decisive


def _chain(node: Compare, env: Mapping[str, Any], fixed: Mapping[int, bool]) -> bool | None:
    result: bool | None = True
    values = [value_of(operand, env, fixed) for operand in node.operands]
    for index, op in enumerate(node.ops):
        outcome = compare(op, values[index], values[index + 1])
        if outcome is False:
            return False
        if outcome is None:
            result = None
    return result


def compare(op: str, left: Any, right: Any) -> bool | None:
    if left is None or right is None:
        return None
    if op in ("in", "not in"):
        if any(item is not None and equal(left, item) for item in right):
            return op == "in"
        if any(item is None for item in right):
            return None
        return op == "not in"
    if op == "==":
        return equal(left, right)
    if op == "!=":
        return not equal(left, right)
    if type(left) is bool or type(right) is bool or isinstance(left, str):
        return None
    try:
        if op == "<":
            return bool(left < right)
        if op == "<=":
            return bool(left <= right)
        if op == ">":
            return bool(left > right)
        return bool(left >= right)
    except TypeError:
        return None


def equal(left: Any, right: Any) -> bool:
    """Texts compare without regard to capitals, accents and spaces around them."""
    if isinstance(left, str) and isinstance(right, str):
        return fold(left) == fold(right)
    return bool(left == right) and (type(left) is bool) == (type(right) is bool)


def _arithmetic(op: str, left: Any, right: Any) -> Any:
    if left is None or right is None:
        return None
    try:
        if isinstance(left, date) and isinstance(right, date):
            return Decimal((left - right).days) if op == "-" else None
        if isinstance(left, date) or isinstance(right, date):
            return _shift(op, left, right)
        if op == "+":
            return left + right
        if op == "-":
            return left - right
        if op == "*":
            return left * right
        return left / right
    except (ArithmeticError, TypeError):
        return None


def _shift(op: str, left: Any, right: Any) -> date | None:
    """A date moved by a whole number of days; None if the days are not whole."""
    day, days = (left, right) if isinstance(left, date) else (right, left)
    if not isinstance(days, Decimal) or days != days.to_integral_value() or abs(days) > 10**6:
        return None
    try:
        return day + timedelta(days=int(days) if op == "+" else -int(days))
    except OverflowError:
        return None
