"""Checking a condition against the types of the details it names, before it ever runs.

Types: ``number``, ``money``, ``days``, ``date``, ``text`` and ``bool`` (a condition). A
plain number goes with money and days (``monto > 100``, ``dias_mora >= 31``,
``fecha + 30``); money and days never mix. ``date - date`` is days, ``date ± days`` a date.
Texts compare with ``==``, ``!=`` and ``in`` only. A text in quotes compared with a date
is read as a date (``fecha < "2024-03-10"``), and one compared with a detail of type
``choice`` must be one of its choices, so a typo is caught here and not at a customer's.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from datetime import date
from typing import NamedTuple

from agentdesk.core.logic.syntax import (
    Binary,
    Compare,
    ConditionError,
    ListOf,
    Lit,
    Name,
    Node,
    Unary,
    names,
    parse,
    start,
)
from agentdesk.core.text import fold

NUMERIC = ("number", "money", "days")
_WORDS = {
    "number": "a number",
    "money": "an amount of money",
    "days": "a number of days",
    "date": "a date",
    "text": "a text",
    "bool": "a condition (true or false)",
}


class VarInfo(NamedTuple):
    """What a condition may know about a name."""

    type: str  # number, money, days, date or text
    choices: tuple[str, ...] = ()  # the allowed values of a detail of type choice
    label: str = ""
    low: int | None = None  # the bounds of a count (checked), for the analysis
    high: int | None = None


class Compiled(NamedTuple):
    """A checked condition: its tree (dates in quotes already read) and the names it uses."""

    text: str
    tree: Node
    names: tuple[str, ...]


def word(kind: str) -> str:
    if kind.startswith("list:"):
        return "a list"
    return _WORDS.get(kind, kind)


def compile_condition(text: str, known: Mapping[str, VarInfo]) -> Compiled:
    """Parse and check ``text``; raises :class:`ConditionError` (kind syntax, type or name)."""
    tree, kind = _Checker(known).check(parse(text))
    if kind != "bool":
        raise ConditionError(
            f"this is {word(kind)}, not a condition",
            0,
            'Compare it with something, e.g. dias_mora > 30 or segmento == "Premium".',
            "type",
        )
    return Compiled(text, tree, names(tree))


def unify(left: str, right: str) -> str | None:
    """The type two numbers or amounts have together: a plain number takes the other's."""
    if left == right:
        return left
    if left == "number" and right in NUMERIC:
        return right
    if right == "number" and left in NUMERIC:
        return left
    return None


def arithmetic(op: str, left: str, right: str) -> str | None:
    """The type of ``left op right``, or None if it makes no sense."""
    if op in "+-" and left in NUMERIC and right in NUMERIC:
        return unify(left, right)
    if op in "+-" and left == "date" and right in ("days", "number"):
        return "date"
    if op == "+" and right == "date" and left in ("days", "number"):
        return "date"
    if op == "-" and left == right == "date":
        return "days"
    if op == "*" and "number" in (left, right) and left in NUMERIC and right in NUMERIC:
        return unify(left, right)
    if op == "/" and left in NUMERIC and right == "number":
        return left
    if op == "/" and left == right and left in NUMERIC:
        return "number"
    return None


_VERBS = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide"}


class _Checker:
    def __init__(self, known: Mapping[str, VarInfo]) -> None:
        self.known = known

    def check(self, node: Node) -> tuple[Node, str]:
        if isinstance(node, Lit):
            value = node.value
            kind = "bool" if isinstance(value, bool) else "number"
            return node, "text" if isinstance(value, str) else kind
        if isinstance(node, Name):
            return node, self.name(node).type
        if isinstance(node, ListOf):
            raise ConditionError(
                "a list can only follow 'in'", node.col, 'Write segmento in ["Oro", "Premium"].'
            )
        if isinstance(node, Unary):
            operand, kind = self.check(node.operand)
            wanted = "bool" if node.op == "not" else "numeric"
            if (kind == "bool") if wanted == "bool" else (kind in NUMERIC):
                return node._replace(operand=operand), kind
            raise ConditionError(
                f"'{node.op}' does not apply to {word(kind)}",
                node.col,
                "'not' goes before a condition; '-' before a number.",
                "type",
            )
        if isinstance(node, Binary):
            return self.binary(node)
        return self.compare(node)

    def name(self, node: Name) -> VarInfo:
        info = self.known.get(node.name)
        if info is None:
            close = difflib.get_close_matches(node.name, list(self.known), n=1)
            hint = f"Did you mean '{close[0]}'? " if close else ""
            raise ConditionError(
                f"unknown variable '{node.name}'",
                node.col,
                hint + "Use a variable declared under 'variables:'.",
                "name",
            )
        return info

    def binary(self, node: Binary) -> tuple[Node, str]:
        left, lt = self.check(node.left)
        right, rt = self.check(node.right)
        node = node._replace(left=left, right=right)
        if node.op in ("and", "or"):
            for kind, part in ((lt, left), (rt, right)):
                if kind != "bool":
                    raise ConditionError(
                        f"'{node.op}' joins conditions, but this is {word(kind)}",
                        start(part),
                        "Compare it, e.g. dias_mora > 30.",
                        "type",
                    )
            return node, "bool"
        result = arithmetic(node.op, lt, rt)
        if result is None:
            raise ConditionError(
                f"cannot {_VERBS[node.op]} {word(lt)} and {word(rt)}",
                node.col,
                "Numbers go with money and days; date - date gives days; date + days a date.",
                "type",
            )
        return node, result

    def compare(self, node: Compare) -> tuple[Node, str]:
        operands = list(node.operands)
        kinds: list[str] = []
        for index, operand in enumerate(operands):
            if isinstance(operand, ListOf) and index > 0 and node.ops[index - 1].endswith("in"):
                kinds.append("list")
                continue
            operands[index], kind = self.check(operand)
            kinds.append(kind)
        for index, op in enumerate(node.ops):
            left, right = operands[index], operands[index + 1]
            if op.endswith("in"):
                operands[index + 1] = self.within(left, kinds[index], right)
                continue
            operands[index], operands[index + 1], kind = self.pair(
                left, kinds[index], right, kinds[index + 1]
            )
            kinds[index] = kinds[index + 1] = kind
            if op not in ("==", "!=") and kind not in (*NUMERIC, "date"):
                raise ConditionError(
                    f"'{op}' compares numbers, amounts, days and dates, not {word(kind)}",
                    start(right),
                    "Texts compare with ==, != or in.",
                    "type",
                )
        return node._replace(operands=tuple(operands)), "bool"

    def pair(self, left: Node, lt: str, right: Node, rt: str) -> tuple[Node, Node, str]:
        """Two sides of a comparison, made to agree (a date in quotes read as a date)."""
        if lt == "date" and rt == "text":
            right, rt = _as_date(right), "date"
        elif rt == "date" and lt == "text":
            left, lt = _as_date(left), "date"
        self.choice_literal(left, right)
        self.choice_literal(right, left)
        kind = unify(lt, rt) if lt in NUMERIC and rt in NUMERIC else (lt if lt == rt else None)
        if kind is None:
            raise ConditionError(
                f"cannot compare {word(lt)} with {word(rt)}",
                start(right),
                'Compare a detail with a value of its kind: dias_mora > 30, fecha < "2024-03-10".',
                "type",
            )
        return left, right, kind

    def within(self, left: Node, kind: str, items: Node) -> Node:
        if not isinstance(items, ListOf):
            raise ConditionError(
                "'in' needs a list in brackets", start(items), 'Write plan in ["Oro", "Plus"].'
            )
        checked: list[Node] = []
        for item in items.items:
            item, item_kind = self.check(item)
            _, item, _ = self.pair(left, kind, item, item_kind)
            checked.append(item)
        return items._replace(items=tuple(checked))

    def choice_literal(self, side: Node, other: Node) -> None:
        """A text compared with a detail of type choice must be one of its choices."""
        if not (isinstance(side, Name) and isinstance(other, Lit) and isinstance(other.value, str)):
            return
        choices = self.known[side.name].choices
        if choices and fold(other.value) not in {fold(c) for c in choices}:
            close = difflib.get_close_matches(other.value, list(choices), n=1)
            raise ConditionError(
                f"'{other.value}' is not one of the choices of '{side.name}'",
                other.col,
                (f"Did you mean '{close[0]}'? " if close else "")
                + f"The choices are: {', '.join(choices)}.",
                "type",
            )


def _as_date(node: Node) -> Node:
    if isinstance(node, Lit) and isinstance(node.value, str):
        parts = node.value.strip().split("-")
        if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4:
            try:
                return Lit(date(int(parts[0]), int(parts[1]), int(parts[2])), node.col)
            except ValueError:
                pass
        raise ConditionError(
            f"'{node.value}' is not a date", node.col, 'Write dates as "2024-03-10".', "type"
        )
    raise ConditionError("cannot compare a date with a text", start(node), kind="type")
