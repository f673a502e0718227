"""What a template's operators and tests do when it runs: never an error, never a runaway.

The sandbox (:mod:`agentdesk.core.render.sandbox`) sends every ``+ - * /``, unary minus,
comparison, ``in``, ``~`` and test through these functions, and the validator evaluates
the parts of a template made only of constants with them too.

* **Size first.** ``'x' * n``, ``a + b`` and ``a ~ b ~ c`` work out the length of their
  result before building it; past :data:`MAX_OUTPUT_CHARS` they build only that much and
  mark the cut with '…' (the renderer cuts whole texts the same way).
* **What the agent types never breaks a text.** A detail that is not a number (``monto``
  typed as "cien"), or one not typed yet, cannot be subtracted or compared with a number;
  a detail typed as 0 cannot divide. Instead of an error (the agent would see the raw
  template and Python's message), an operation that cannot be done gives back the value
  as typed (its left side, or the side that is text: a placeholder stays a placeholder),
  a comparison that cannot be made is false (``!=`` and ``not in``: true), and a test
  that fails is false. With ``strict`` (the validator, on parts made of constants only:
  ``1 / 0``, ``'a' - 1``) every failure is an error: that one is the template's own.
* **Amounts and decimals mix.** An amount the agent typed is a Decimal; ``monto * 1.16``
  multiplies it by the Decimal 1.16 (Python refuses Decimal × float).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from agentdesk.core.templates.filters import cut
from agentdesk.core.templates.policy import MAX_OUTPUT_CHARS

#: Whole numbers beyond this many bits become a rounded Decimal: 'x' * 10**40 has no
#: meaning, and Python refuses to print integers of more than 4,300 digits.
MAX_INT_BITS = 100

_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}
_UNARY: dict[str, Callable[[Any], Any]] = {"-": operator.neg, "+": operator.pos}
_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "lteq": operator.le,
    "gt": operator.gt,
    "gteq": operator.ge,
    "in": lambda a, b: a in b,
    "notin": lambda a, b: a not in b,
}
_TRUE_ON_FAILURE = frozenset({"ne", "notin"})


def failures() -> tuple[type[BaseException], ...]:
    """What a failed operation raises."""
    from jinja2.exceptions import UndefinedError

    return (TypeError, ValueError, ArithmeticError, UndefinedError)


def _is_text(value: Any) -> bool:
    from jinja2 import Undefined

    return isinstance(value, (str, Undefined))


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def binop(op: str, left: Any, right: Any, strict: bool = False) -> Any:
    """``left op right`` for + - * /, bounded (see the module's docstring)."""
    func = _ARITHMETIC.get(op)
    if func is None:
        from jinja2.exceptions import SecurityError

        raise SecurityError(f"the {op} operator is not allowed in pack templates")
    if op == "*":
        text, times = (left, _count(right)) if isinstance(left, str) else (right, _count(left))
        if isinstance(text, str) and times is not None and len(text) * times > MAX_OUTPUT_CHARS:
            return cut(text * (MAX_OUTPUT_CHARS // max(1, len(text)) + 1))
    if op == "+" and isinstance(left, str) and isinstance(right, str):
        return concat((left, right))
    try:
        if isinstance(left, (list, tuple)) or isinstance(right, (list, tuple)):
            raise TypeError("lists are only for 'in'")  # and the policy allows no more
        return _bounded_number(func(*_decimals(left, right)))
    except failures():
        if strict:
            raise
        return left if _is_text(left) or not _is_text(right) else right


def unop(op: str, value: Any, strict: bool = False) -> Any:
    """``-value`` or ``+value``; a value that is not a number comes back as it is."""
    func = _UNARY.get(op)
    if func is None:
        from jinja2.exceptions import SecurityError

        raise SecurityError(f"the unary {op} operator is not allowed in pack templates")
    try:
        return _bounded_number(func(value))
    except failures():
        if strict:
            raise
        return value


def compare(op: str, left: Any, right: Any, strict: bool = False) -> bool:
    """``left op right`` for == != < <= > >= in, 'not in'."""
    try:
        return bool(_COMPARE[op](left, right))
    except failures():
        if strict:
            raise
        return op in _TRUE_ON_FAILURE


def concat(values: Iterable[Any]) -> str:
    """``a ~ b ~ c``: the texts joined, never more than the cap (then marked '…').

    ``values`` is consumed one at a time and no further than the cap: the sandbox passes a
    generator, so the parts past the cap are never even computed."""
    parts: list[str] = []
    room = MAX_OUTPUT_CHARS + 1
    for value in values:
        text = value if isinstance(value, str) else str(value)
        if len(text) >= room:
            parts.append(text[:room])
            break
        parts.append(text)
        room -= len(text)
    return cut("".join(parts))


def total_test(test: Callable[..., Any]) -> Callable[..., bool]:
    """A Jinja test that answers False instead of raising (``x is in 5``)."""

    def run(*args: Any, **kwargs: Any) -> bool:
        try:
            return bool(test(*args, **kwargs))
        except failures():
            return False

    run.__name__ = getattr(test, "__name__", "test")
    return run


def _decimals(left: Any, right: Any) -> tuple[Any, Any]:
    """A float beside a Decimal becomes a Decimal (1.16, as written), so the two mix."""
    if isinstance(left, Decimal) and isinstance(right, float):
        return left, Decimal(repr(right))
    if isinstance(right, Decimal) and isinstance(left, float):
        return Decimal(repr(left)), right
    return left, right


def _bounded_number(result: Any) -> Any:
    if isinstance(result, int) and result.bit_length() > MAX_INT_BITS:
        return +Decimal(result)  # rounded to the context's 28 digits
    return result
