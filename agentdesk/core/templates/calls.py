"""Filter and test calls checked against the functions that run them, before they run.

``{{ nombre | number(nombre) }}``, ``default(a, b, c)``, ``replace("x")``, ``trim(1)``,
``title(5)`` and ``money("XXX")`` used to pass the validator and fail (or print '¤') in
front of the agent. Each call is now bound to the real signature of the filter or test
(:func:`inspect.signature` of the function the sandbox runs), and each constant argument
checked against its type hint: text where text is expected, a whole number for a count, a
currency in use (Babel) for ``money``, a format Babel can use for ``date``. Parameters that
are not text take constants only: a detail typed by the agent is text.

Parts of a template made only of constants are evaluated here with the code that runs
them (:mod:`.runtime`, the filters), so one that fails (``1 / 0``) or would produce a text
past the output cap (``('x' * 50000) | replace('x', 'y' * 50000)``) is reported.
"""

from __future__ import annotations

import functools
import inspect
import types
import typing
from collections.abc import Callable
from typing import Any, NamedTuple, Union

from agentdesk.core.templates.policy import MAX_OUTPUT_CHARS, TemplateIssue

_NOT_CONSTANT = object()


@functools.cache
def filter_functions() -> dict[str, Callable[..., Any]]:
    """The filters as the sandbox runs them (their signatures do not depend on the locale)."""
    from agentdesk.core.templates.filters import make_filters

    return make_filters("es-MX", None)


@functools.cache
def test_functions() -> dict[str, Callable[..., Any]]:
    """Jinja's tests that templates may use (the sandbox wraps them, :mod:`.runtime`)."""
    from jinja2.tests import TESTS

    from agentdesk.core.templates.policy import ALLOWED_TESTS

    tests = typing.cast(dict[str, Callable[..., Any]], TESTS)
    return {name: tests[name] for name in ALLOWED_TESTS}


class _Param(NamedTuple):
    name: str
    hint: Any
    required: bool


@functools.cache
def parameters(kind: str, name: str) -> tuple[_Param, ...]:
    """What a filter or test takes after the value it applies to."""
    func = (filter_functions() if kind == "filter" else test_functions())[name]
    try:
        hints = typing.get_type_hints(func)
    except (TypeError, NameError):
        hints = {}  # a builtin such as operator.eq: no hints, any value
    params = list(inspect.signature(func).parameters.values())[1:]
    return tuple(
        _Param(p.name, hints.get(p.name, Any), p.default is inspect.Parameter.empty)
        for p in params
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    )


def describe(kind: str, name: str) -> str:
    """'replace(old, new, count=…)': how a call is written."""
    params = parameters(kind, name)
    shown = [p.name if p.required else f"{p.name}=…" for p in params]
    return f"{name}({', '.join(shown)})" if params else name


def check_call(kind: str, name: str, node: Any) -> TemplateIssue | None:
    """Problems of one ``Filter`` or ``Test`` node's arguments, or None."""
    from jinja2 import nodes

    usage = f"Write it as {describe(kind, name)}."
    if node.dyn_args is not None or node.dyn_kwargs is not None:
        return TemplateIssue(
            f"'*' and '**' are not allowed in a {kind} call", 1, usage, "template-call"
        )
    params = parameters(kind, name)
    by_name = {p.name: p for p in params}
    given: list[tuple[_Param, Any]] = []
    if len(node.args) > len(params):
        return _arity(kind, name, params, len(node.args) + len(node.kwargs))
    given += zip(params, node.args, strict=False)
    for keyword in node.kwargs:
        param = by_name.get(keyword.key)
        if param is None or any(p.name == keyword.key for p, _ in given):
            return TemplateIssue(
                f"{kind} '{name}' has no argument '{keyword.key}' (or it is given twice)",
                1,
                usage,
                "template-call",
            )
        given.append((param, keyword.value))
    names = {p.name for p, _ in given}
    if any(p.required and p.name not in names for p in params):
        return _arity(kind, name, params, len(given))
    for param, arg in given:
        if isinstance(arg, nodes.Const):
            problem = _constant_problem(param.hint, arg.value)
        elif _accepts_text(param.hint):
            problem = None
        else:
            problem = TemplateIssue(
                f"its {param.name} must be a constant (in quotes, or a number)",
                1,
                f"A detail the agent types is text; {usage}",
                "template-call",
            )
        if problem is not None:
            return problem._replace(message=f"{kind} '{name}': {problem.message}")
    return None


def check_bare(name: str) -> TemplateIssue | None:
    """Problems of a filter used without brackets (``{{ x | replace }}``), or None."""
    params = parameters("filter", name)
    return _arity("filter", name, params, 0) if any(p.required for p in params) else None


def _arity(kind: str, name: str, params: tuple[_Param, ...], count: int) -> TemplateIssue:
    required = sum(p.required for p in params)
    if required == len(params):
        takes = f"{required} argument{'s' if required != 1 else ''}" if params else "no arguments"
    else:
        takes = f"{required} to {len(params)} arguments"
    return TemplateIssue(
        f"{kind} '{name}' takes {takes} in brackets, not {count}",
        1,
        f"Write it as {describe(kind, name)}.",
        "template-call",
    )


def _options(hint: Any) -> tuple[Any, ...]:
    """The types a hint allows (``X | None`` → X, None)."""
    if typing.get_origin(hint) in (Union, types.UnionType):
        return typing.get_args(hint)
    return (hint,)


def _checked(option: Any) -> bool:
    """Whether arguments for this type are checked; others (Any, a TypeVar, Jinja's
    ``Container`` for ``in``) take any value: what runs them copes with anything."""
    from agentdesk.core.templates.filters import Currency, DateFormat

    return option in (str, int, bool, Currency, DateFormat, type(None))


def _accepts_text(hint: Any) -> bool:
    return any(option is str or not _checked(option) for option in _options(hint))


def _constant_problem(hint: Any, value: Any) -> TemplateIssue | None:
    from agentdesk.core.templates.filters import (
        Currency,
        DateFormat,
        currencies_in_use,
        date_format_problem,
    )

    options = _options(hint)
    if not all(_checked(option) for option in options):
        return None
    if value is None and type(None) in options:
        return None
    if Currency in options and isinstance(value, str):
        if value in currencies_in_use():
            return None
        return TemplateIssue(
            f"'{value}' is not a currency in use",
            1,
            "Use the ISO 4217 code of a currency in use, such as MXN, USD, BOB or CLP.",
            "currency",
        )
    if DateFormat in options and isinstance(value, str):
        problem = date_format_problem(value)
        if problem is None:
            return None
        return TemplateIssue(
            problem,
            1,
            "Use short, medium, long, full or a pattern such as 'dd/MM/yyyy'.",
            "template-call",
        )
    for option in options:
        if option is bool and isinstance(value, bool):
            return None
        if option is int and isinstance(value, int) and not isinstance(value, bool):
            return None
        if option is str and isinstance(value, str):
            return None
    wanted = " or ".join(_type_name(o) for o in options if o is not type(None))
    return TemplateIssue(
        f"expected {wanted}, found {_clip(repr(value))}",
        1,
        "Text goes in quotes; whole numbers and true/false do not.",
        "template-call",
    )


def _clip(text: str, size: int = 40) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _type_name(option: Any) -> str:
    names = {str: "text in quotes", int: "a whole number", bool: "true or false"}
    return names.get(option, getattr(option, "__name__", str(option)))


# -- constants, evaluated as they would run -------------------------------------------------


def constant_issue(node: Any, known: dict[int, Any]) -> TemplateIssue | None:
    """What is wrong with ``node`` if it is made of constants only: it fails when it runs
    (``1 / 0``, ``"a" - 1``), or its text passes the output cap. None otherwise.

    ``known`` holds the values of the nodes already evaluated (the caller walks the tree
    children first), so each node is evaluated once.
    """
    from agentdesk.core.templates.runtime import failures

    try:
        value = _evaluate(node, known)
    except failures() as exc:
        known[id(node)] = _NOT_CONSTANT
        return TemplateIssue(
            f"this fails when it is shown: {type(exc).__name__}: {exc}",
            1,
            "Check the operation: numbers and text do not mix, and nothing divides by 0.",
            "template-fails",
        )
    known[id(node)] = value
    if isinstance(value, str) and len(value) > MAX_OUTPUT_CHARS:
        return TemplateIssue(
            f"this text is always longer than {MAX_OUTPUT_CHARS:,} characters",
            1,
            "It would be cut when shown: repeat or replace less.",
            "template-size",
        )
    return None


def _evaluate(node: Any, known: dict[int, Any]) -> Any:
    from jinja2 import nodes

    from agentdesk.core.templates import runtime

    def value(child: Any) -> Any:
        return known.get(id(child), _NOT_CONSTANT)

    if isinstance(node, nodes.Const):
        return node.value
    if isinstance(node, nodes.Concat):
        parts = [value(n) for n in node.nodes]
        return _NOT_CONSTANT if _NOT_CONSTANT in parts else runtime.concat(parts)
    if isinstance(node, nodes.BinExpr):
        left, right = value(node.left), value(node.right)
        if _NOT_CONSTANT in (left, right):
            return _NOT_CONSTANT
        return runtime.binop(node.operator, left, right, strict=True)
    if isinstance(node, nodes.UnaryExpr) and node.operator in ("-", "+"):
        operand = value(node.node)
        if operand is _NOT_CONSTANT:
            return _NOT_CONSTANT
        return runtime.unop(node.operator, operand, strict=True)
    if isinstance(node, nodes.Compare):
        values = [value(node.expr), *(value(op.expr) for op in node.ops)]
        if _NOT_CONSTANT in values:
            return _NOT_CONSTANT
        pairs = zip(node.ops, values, values[1:], strict=False)
        return all(runtime.compare(op.op, a, b, strict=True) for op, a, b in pairs)
    if isinstance(node, nodes.Filter) and node.node is not None:
        subject = value(node.node)
        args = [value(a) for a in node.args]
        kwargs: dict[str, Any] = {str(k.key): value(k.value) for k in node.kwargs}
        if _NOT_CONSTANT in (subject, *args, *kwargs.values()):
            return _NOT_CONSTANT
        return filter_functions()[node.name](subject, *args, **kwargs)
    return _NOT_CONSTANT
