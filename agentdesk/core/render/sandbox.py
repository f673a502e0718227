"""The sandbox pack templates run in: Jinja's ImmutableSandboxedEnvironment with no globals,
no ``attr`` filter, strict undefined names, operators that cannot build huge values and
filters whose results are capped in size. Defence in depth: the policy
(:mod:`agentdesk.core.templates.policy`) already rules out the known escapes.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from agentdesk.core.templates.policy import ALLOWED_TESTS, MAX_OUTPUT_CHARS, SAFE_BUILTIN_FILTERS

if TYPE_CHECKING:
    from jinja2.sandbox import ImmutableSandboxedEnvironment


# -- the sandboxed environment ----------------------------------------------------------


def _capped(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        result = func(*args, **kwargs)
        if isinstance(result, str) and len(result) > MAX_OUTPUT_CHARS:
            from jinja2.exceptions import SecurityError

            raise SecurityError("a filter produced a text longer than allowed")
        return result

    return run


def _safe_binop(name: str, left: Any, right: Any) -> Any:
    from jinja2.exceptions import SecurityError

    sizes = [len(v) for v in (left, right) if isinstance(v, (str, list, tuple))]
    counts = [v for v in (left, right) if isinstance(v, int) and not isinstance(v, bool)]
    if name == "*" and sizes and counts and sizes[0] * max(counts) > MAX_OUTPUT_CHARS:
        raise SecurityError("the result would be longer than allowed")
    ops: dict[str, Callable[[Any, Any], Any]] = {
        "+": operator.add,
        "-": operator.sub,
        "*": operator.mul,
        "/": operator.truediv,
    }
    if name not in ops:
        raise SecurityError(f"the {name} operator is not allowed in pack templates")
    if name == "+" and sum(sizes) > MAX_OUTPUT_CHARS:
        raise SecurityError("the result would be longer than allowed")
    return ops[name](left, right)


def make_environment(
    locale: str = "es-MX",
    currency: str | None = None,
    snippets: Mapping[str, str] | None = None,
) -> ImmutableSandboxedEnvironment:
    """The sandbox one pack's templates run in."""
    from jinja2 import DictLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from agentdesk.core.render.filters import make_filters, mask

    class PackEnvironment(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            return _safe_binop(operator, left, right)

    env = PackEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        loader=DictLoader(dict(snippets or {})),
        auto_reload=False,
    )
    env.globals.clear()
    builtin = {name: env.filters[name] for name in SAFE_BUILTIN_FILTERS}
    filters = {**builtin, **make_filters(locale, currency), "mask": mask}
    env.filters = {name: _capped(f) for name, f in filters.items()}
    env.tests = {name: env.tests[name] for name in ALLOWED_TESTS}
    return env
