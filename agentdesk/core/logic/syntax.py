"""Reading a condition: tokens, then a tree of nodes.

The scanner walks the text character by character (no regular expressions, so nothing can
backtrack) and the parser is a recursive descent whose nesting is capped: a condition of any
shape is read in time linear in its length, and a too long, too deep or too large one is
refused with a message instead of being read.

Grammar, loosest first::

    condition  := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := sum (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in") sum)*
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/") unary)*
    unary      := "-" unary | atom
    atom       := number | "text" | 'text' | true | false | name | "(" or ")" | "[" list "]"

A chain such as ``31 <= dias_mora <= 60`` means ``31 <= dias_mora and dias_mora <= 60``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import NamedTuple, TypeAlias

MAX_CHARS = 500
MAX_NODES = 120
MAX_DEPTH = 16
MAX_DIGITS = 15
MAX_ITEMS = 50
MAX_CHAIN = 3

KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false"})
COMPARISONS = ("==", "!=", "<", "<=", ">", ">=", "in", "not in")
_TWO_CHAR = ("==", "!=", "<=", ">=")
_ONE_CHAR = "<>+-*/()[],"


class ConditionError(Exception):
    """Why a condition cannot be used; ``col`` is 0-based within the condition."""

    def __init__(self, message: str, col: int, hint: str = "", kind: str = "syntax") -> None:
        super().__init__(message)
        self.message = message
        self.col = col
        self.hint = hint
        self.kind = kind  # syntax, type or name (an unknown variable)


class Token(NamedTuple):
    kind: str  # number, text, name, op, end
    text: str
    col: int


# -- the nodes --------------------------------------------------------------------------


class Lit(NamedTuple):
    value: Decimal | str | bool | date
    col: int


class Name(NamedTuple):
    name: str
    col: int


class ListOf(NamedTuple):
    items: tuple[Node, ...]
    col: int


class Unary(NamedTuple):
    op: str  # '-' or 'not'
    operand: Node
    col: int


class Binary(NamedTuple):
    op: str  # + - * / and or
    left: Node
    right: Node
    col: int


class Compare(NamedTuple):
    ops: tuple[str, ...]
    operands: tuple[Node, ...]  # one more than ops
    col: int


Node: TypeAlias = Lit | Name | ListOf | Unary | Binary | Compare


# -- the scanner ------------------------------------------------------------------------


def _is_digit(c: str) -> bool:
    return "0" <= c <= "9"


def _is_name_char(c: str) -> bool:
    return c == "_" or _is_digit(c) or "a" <= c <= "z" or "A" <= c <= "Z"


def tokens(text: str) -> list[Token]:
    if len(text) > MAX_CHARS:
        raise ConditionError(
            f"the condition is longer than {MAX_CHARS} characters",
            0,
            "Split it: a decision step can test one thing per answer.",
        )
    found: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif _is_digit(c):
            i = _number(text, i, found)
        elif c in "\"'":
            end = text.find(c, i + 1)
            newline = text.find("\n", i + 1)
            if end < 0 or 0 <= newline < end:
                raise ConditionError("a text in quotes is not closed", i, f"End it with {c}.")
            found.append(Token("text", text[i + 1 : end], i))
            i = end + 1
        elif _is_name_char(c):
            j = i
            while j < n and _is_name_char(text[j]):
                j += 1
            if j < n and text[j] == "." and j + 1 < n and _is_name_char(text[j + 1]):
                raise ConditionError(
                    f"'{text[i : j + 2]}…': reading a part of a value (a.b) is not allowed",
                    j,
                    "Conditions compare whole details: write the variable id alone.",
                )
            found.append(Token("name", text[i:j], i))
            i = j
        elif text[i : i + 2] in _TWO_CHAR:
            found.append(Token("op", text[i : i + 2], i))
            i += 2
        elif c in _ONE_CHAR:
            found.append(Token("op", c, i))
            i += 1
        else:
            raise ConditionError(f"'{c}' cannot be used here", i, _char_hint(c, text, i))
    found.append(Token("end", "", n))
    return found


def _number(text: str, i: int, found: list[Token]) -> int:
    j, n = i, len(text)
    while j < n and _is_digit(text[j]):
        j += 1
    if j + 1 < n and text[j] == "." and _is_digit(text[j + 1]):
        j += 1
        while j < n and _is_digit(text[j]):
            j += 1
    if j < n and _is_name_char(text[j]):
        raise ConditionError(
            f"'{text[i : j + 1]}…' is not a number",
            i,
            "Write the number alone (30, 1500.50); units come from the detail's type.",
        )
    if j - i > MAX_DIGITS:
        raise ConditionError(f"the number has more than {MAX_DIGITS} digits", i)
    found.append(Token("number", text[i:j], i))
    return j


def _char_hint(c: str, text: str, i: int) -> str:
    if c == "=":
        return "Write == to compare (a single = is not a comparison)."
    if c == "!":
        return "Write != for 'not equal', or 'not' before a condition."
    if c in "&|":
        return "Join conditions with 'and' and 'or'."
    if c in "{}":
        return "A condition is not a template: write dias_mora > 30, without {{ }}."
    if c == ".":
        return "Write decimals with a digit before the point: 0.5."
    if c.isalpha():
        return "Variable ids use letters without accents, digits and '_'."
    return "Conditions use comparisons, and/or/not, + - * /, numbers, texts in quotes and lists."


# -- the parser -------------------------------------------------------------------------


class _Parser:
    def __init__(self, found: list[Token]) -> None:
        self.found = found
        self.at = 0
        self.nodes = 0
        self.depth = 0

    def peek(self, ahead: int = 0) -> Token:
        return self.found[min(self.at + ahead, len(self.found) - 1)]

    def take(self) -> Token:
        token = self.peek()
        self.at += 1
        return token

    def is_op(self, *texts: str) -> bool:
        token = self.peek()
        return token.kind in ("op", "name") and token.text in texts

    def node(self, node: Node) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ConditionError(
                f"the condition has more than {MAX_NODES} parts", node.col, "Make it simpler."
            )
        return node

    def deeper(self, col: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError(
                f"the condition nests more than {MAX_DEPTH} levels", col, "Make it simpler."
            )

    def condition(self) -> Node:
        tree = self.or_()
        token = self.peek()
        if token.kind != "end":
            raise ConditionError(f"'{token.text}' was not expected here", token.col, _hint(token))
        return tree

    def chain(self, ops: tuple[str, ...], operand: Callable[[], Node]) -> Node:
        """One level of left-associative operators: ``operand (op operand)*``."""
        left = operand()
        while self.is_op(*ops):
            token = self.take()
            left = self.node(Binary(token.text, left, operand(), token.col))
        return left

    def or_(self) -> Node:
        return self.chain(("or",), self.and_)

    def and_(self) -> Node:
        return self.chain(("and",), self.not_)

    def prefix(self, op: str, otherwise: Callable[[], Node]) -> Node:
        """``op`` before an operand of the same level (``not``, ``-``), or what follows."""
        if not self.is_op(op):
            return otherwise()
        col = self.take().col
        self.deeper(col)
        operand = self.prefix(op, otherwise)
        self.depth -= 1
        if op == "-" and isinstance(operand, Lit) and isinstance(operand.value, Decimal):
            return Lit(-operand.value, col)
        return self.node(Unary(op, operand, col))

    def not_(self) -> Node:
        return self.prefix("not", self.comparison)

    def comparison(self) -> Node:
        first = self.sum()
        ops: list[str] = []
        operands = [first]
        while True:
            if self.is_op("==", "!=", "<", "<=", ">", ">=", "in"):
                ops.append(self.take().text)
            elif self.is_op("not") and self.peek(1).kind == "name" and self.peek(1).text == "in":
                self.take()
                self.take()
                ops.append("not in")
            else:
                break
            operands.append(self.sum())
        if not ops:
            return first
        if len(ops) > MAX_CHAIN:
            raise ConditionError(
                f"more than {MAX_CHAIN} comparisons in a row", first.col, "Join them with 'and'."
            )
        return self.node(Compare(tuple(ops), tuple(operands), start(first)))

    def sum(self) -> Node:
        return self.chain(("+", "-"), self.product)

    def product(self) -> Node:
        return self.chain(("*", "/"), self.unary)

    def unary(self) -> Node:
        return self.prefix("-", self.atom)

    def atom(self) -> Node:
        token = self.take()
        if token.kind == "number":
            return self.node(Lit(Decimal(token.text), token.col))
        if token.kind == "text":
            return self.node(Lit(token.text, token.col))
        if token.kind == "name":
            return self.name(token)
        if token.text in ("(", "["):
            self.deeper(token.col)
            node = self.group(token) if token.text == "(" else self.list_(token)
            self.depth -= 1
            return node
        if token.kind == "end":
            raise ConditionError(
                "the condition ends too soon" if self.at > 1 else "the condition is empty",
                token.col,
                "Complete it, e.g. dias_mora > 30.",
            )
        raise ConditionError(f"'{token.text}' was not expected here", token.col, _hint(token))

    def name(self, token: Token) -> Node:
        if token.text in ("true", "false"):
            return self.node(Lit(token.text == "true", token.col))
        if token.text in KEYWORDS:
            raise ConditionError(f"'{token.text}' was not expected here", token.col, _hint(token))
        following = self.peek()
        if following.kind == "op" and following.text in ("(", "["):
            what = "calling a function" if following.text == "(" else "reading a part (a[b])"
            raise ConditionError(
                f"'{token.text}{following.text}': {what} is not allowed",
                following.col,
                "Conditions compare details with values: dias_mora > 30.",
            )
        return self.node(Name(token.text, token.col))

    def group(self, opening: Token) -> Node:
        inner = self.or_()
        if not self.is_op(")"):
            raise ConditionError("a '(' is not closed", opening.col, "Add the ')'.")
        self.take()
        return inner

    def list_(self, opening: Token) -> Node:
        items: list[Node] = []
        while not self.is_op("]"):
            if len(items) >= MAX_ITEMS:
                raise ConditionError(f"a list has more than {MAX_ITEMS} items", opening.col)
            items.append(self.or_())
            if self.is_op(","):
                self.take()
            elif not self.is_op("]"):
                token = self.peek()
                raise ConditionError(
                    "a '[' is not closed" if token.kind == "end" else "expected ',' or ']'",
                    token.col,
                    'Write lists as ["Oro", "Premium"].',
                )
        self.take()
        return self.node(ListOf(tuple(items), opening.col))


def start(node: Node) -> int:
    """Where a node's text begins (an operator's node is placed at its operator)."""
    if isinstance(node, Compare):
        return start(node.operands[0])
    if isinstance(node, Binary):
        return start(node.left)
    return node.col


def _hint(token: Token) -> str:
    if token.text == ",":
        return "Write decimals with a point (1500.50) and lists in brackets: [1, 2]."
    if token.kind == "name" and token.text.lower() in KEYWORDS:
        return "Write and, or, not, in, true and false in small letters."
    if token.kind == "name" and token.text in ("y", "o", "no", "entre"):
        return "Use and, or, not (in English); for a range: 31 <= dias_mora <= 60."
    if token.kind in ("name", "number", "text"):
        return "Join conditions with 'and' or 'or', and compare with == != < <= > >=."
    return "Check the condition around this place."


@functools.lru_cache(maxsize=4096)
def parse(text: str) -> Node:
    """The tree of a condition; raises :class:`ConditionError` with the place and a hint."""
    parser = _Parser(tokens(text))
    return parser.condition()


def names(node: Node) -> tuple[str, ...]:
    """The names a tree uses, in the order they appear, each once."""
    found: dict[str, None] = {}
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Name):
            found.setdefault(current.name)
        else:
            stack.extend(reversed(children(current)))
    return tuple(found)


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, ListOf):
        return node.items
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Compare):
        return node.operands
    return ()
