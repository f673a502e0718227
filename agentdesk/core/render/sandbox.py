"""The sandbox pack templates run in: Jinja's ImmutableSandboxedEnvironment with no globals,
no ``attr`` filter, strict undefined names, and every operator, comparison, ``~`` join and
test sent through :mod:`agentdesk.core.templates.runtime`, which works out sizes before it
builds anything and never raises on what an agent types. The filters are those of
:mod:`agentdesk.core.templates.filters`, bounded the same way. Defence in depth: the policy
(:mod:`agentdesk.core.templates.policy`) already rules out the known escapes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2.sandbox import ImmutableSandboxedEnvironment


def make_environment(
    locale: str = "es-MX",
    currency: str | None = None,
    snippets: Mapping[str, str] | None = None,
) -> ImmutableSandboxedEnvironment:
    """The sandbox one pack's templates run in."""
    from jinja2 import DictLoader, StrictUndefined

    from agentdesk.core.templates.calls import test_functions
    from agentdesk.core.templates.filters import make_filters
    from agentdesk.core.templates.runtime import total_test

    env = _environment_class()(
        undefined=StrictUndefined,
        autoescape=False,
        loader=DictLoader(dict(snippets or {})),
        auto_reload=False,
    )
    env.globals.clear()
    env.filters = make_filters(locale, currency)
    env.tests = {name: total_test(test) for name, test in test_functions().items()}
    return env


@functools.cache
def _environment_class() -> type[ImmutableSandboxedEnvironment]:
    from jinja2.compiler import CodeGenerator, Frame
    from jinja2.nodes import Compare, Concat
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from agentdesk.core.templates import runtime

    class PackCodeGenerator(CodeGenerator):
        """Jinja's compiler, with ``~`` and comparisons calling the environment (Jinja
        evaluates every part of a ``~`` join before joining them, and compares with Python's
        operators, which raise)."""

        def visit_Concat(self, node: Concat, frame: Frame) -> None:
            # each part as a function: they are evaluated one at a time, as the join goes
            self.write("environment.call_concat(")
            for part in node.nodes:
                self.write("lambda: ")
                self.visit(part, frame)
                self.write(", ")
            self.write(")")

        def visit_Compare(self, node: Compare, frame: Frame) -> None:
            # a < b < c is (a < b) and (b < c), as in Python
            self.write("(")
            left = node.expr
            for index, operand in enumerate(node.ops):
                if index:
                    self.write(" and ")
                self.write(f"environment.call_compare({operand.op!r}, ")
                self.visit(left, frame)
                self.write(", ")
                self.visit(operand.expr, frame)
                self.write(")")
                left = operand.expr
            self.write(")")

    class PackEnvironment(ImmutableSandboxedEnvironment):
        code_generator_class = PackCodeGenerator
        intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
        intercepted_unops = frozenset({"-", "+"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            return runtime.binop(operator, left, right)

        def call_unop(self, context: Any, operator: str, arg: Any) -> Any:
            return runtime.unop(operator, arg)

        def call_concat(self, *parts: Callable[[], Any]) -> str:
            return runtime.concat(part() for part in parts)

        def call_compare(self, operator: str, left: Any, right: Any) -> bool:
            return runtime.compare(operator, left, right)

    return PackEnvironment
