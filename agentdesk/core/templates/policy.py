"""The template language packs may use: what a template may contain, checked without running it.

Pack templates are Jinja2, restricted twice:

1. **A policy on the syntax** (:func:`analyze`). Only what texts need is allowed: printing
   variables, filters from a short list, ``if``/``else``, comparisons, ``~`` and simple
   arithmetic, and ``{% include "snippet" %}``. No attribute or item access, no calls, no
   loops, no assignments, no macros, no nesting deeper than :data:`MAX_NESTING`. Each filter
   and test call is checked against the function that runs it, and each part made only of
   constants is evaluated as it would run (:mod:`.calls`). The validator reports anything
   else with its line, and the renderer refuses to run it. This module.
2. **Jinja's ImmutableSandboxedEnvironment** when it runs
   (:mod:`agentdesk.core.render.sandbox`), with operators and filters bounded in size and
   total on what agents type (:mod:`.runtime`, :mod:`.filters`): defence in depth.

Templates made only of text and ``{{ name | filter }}`` expressions (most of them) take a
fast path that needs no Jinja parse at all; a property test keeps both paths equal.
"""

from __future__ import annotations

import functools
import keyword
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from agentdesk.core.ids import ID_REGEX

if TYPE_CHECKING:
    from jinja2 import Environment

MAX_TEMPLATE_CHARS = 20_000
MAX_OUTPUT_CHARS = 50_000
MAX_INCLUDE_EXPANSION = 500
#: A detail the agent types is cut to this many characters before it is checked or shown.
MAX_VALUE_CHARS = 500

SAFE_BUILTIN_FILTERS = ("default", "d", "upper", "lower", "title", "capitalize", "trim", "replace")
LOCALE_FILTERS = ("money", "number", "date")
ALLOWED_FILTERS = frozenset((*SAFE_BUILTIN_FILTERS, *LOCALE_FILTERS, "mask"))
ALLOWED_TESTS = frozenset(
    ("defined", "undefined", "none", "number", "string", "eq", "ne", "in", "lower", "upper")
)
_JINJA_WORDS = frozenset(
    ("true", "false", "none", "True", "False", "None", "and", "or", "not", "in", "is", "if")
)


class TemplateIssue(NamedTuple):
    message: str
    line: int  # 1-based, within the template
    hint: str
    code: str


class TemplateInfo(NamedTuple):
    """What a template uses, and whether (and why not) it may run."""

    variables: frozenset[str]
    filters: frozenset[str]
    includes: tuple[str, ...]  # with repetitions: used to bound include expansion
    simple: tuple[str | tuple[str, tuple[str, ...]], ...] | None  # fast-path plan
    issue: TemplateIssue | None


_SIMPLE_EXPR = re.compile(
    r"\{\{ *([A-Za-z_][A-Za-z0-9_]*) *((?:\| *[A-Za-z_][A-Za-z0-9_]* *)*)\}\}"
)
MARKUP = re.compile(r"\{[{%#]")  # where a template does more than show text
_NEWLINES = re.compile(r"\r\n|\r")


def _simple_plan(text: str) -> tuple[str | tuple[str, tuple[str, ...]], ...] | None:
    """Literal text and ``{{ name | f | g }}`` only, or None if the template is richer."""
    # As Jinja does: every kind of line break becomes \n, and one at the very end goes.
    text = _NEWLINES.sub("\n", text)
    if text.endswith("\n"):
        text = text[:-1]
    parts: list[str | tuple[str, tuple[str, ...]]] = []
    last = 0
    for match in _SIMPLE_EXPR.finditer(text):
        literal = text[last : match.start()]
        if MARKUP.search(literal):
            return None
        name = match[1]
        if name in _JINJA_WORDS or keyword.iskeyword(name):
            return None
        filters = tuple(f.strip() for f in match[2].split("|")[1:])
        if literal:
            parts.append(literal)
        parts.append((name, filters))
        last = match.end()
    tail = text[last:]
    if MARKUP.search(tail):
        return None
    if tail:
        parts.append(tail)
    return tuple(parts)


@functools.lru_cache(maxsize=65536)
def analyze(text: str) -> TemplateInfo:
    """Check a template against the policy and list the variables it uses."""
    if len(text) > MAX_TEMPLATE_CHARS:
        return _refused(
            f"the text is longer than {MAX_TEMPLATE_CHARS:,} characters",
            1,
            "Split it into snippets or shorten it.",
            "template-size",
        )
    plan = _simple_plan(text)
    if plan is not None:
        variables = frozenset(p[0] for p in plan if isinstance(p, tuple))
        filters = frozenset(f for p in plan if isinstance(p, tuple) for f in p[1])
        issue = _filter_issue(filters) or _bare_filter_issue(filters, text)
        return TemplateInfo(variables, filters, (), None if issue else plan, issue)
    return _analyze_jinja(text)


def _refused(message: str, line: int, hint: str, code: str) -> TemplateInfo:
    return TemplateInfo(
        frozenset(), frozenset(), (), None, TemplateIssue(message, line, hint, code)
    )


def _filter_issue(filters: frozenset[str], line: int = 1) -> TemplateIssue | None:
    unknown = sorted(filters - ALLOWED_FILTERS)
    if not unknown:
        return None
    return TemplateIssue(
        f"unknown filter '{unknown[0]}'",
        line,
        f"Available filters: {', '.join(sorted(ALLOWED_FILTERS - {'d'}))}.",
        "template-filter",
    )


def _bare_filter_issue(filters: frozenset[str], text: str) -> TemplateIssue | None:
    """A filter written without brackets that needs arguments (``{{ x | replace }}``)."""
    from agentdesk.core.templates.calls import check_bare

    for name in sorted(filters):
        issue = check_bare(name)
        if issue is not None:
            found = re.search(rf"\|\s*{name}\b", text)
            line = text.count("\n", 0, found.start()) + 1 if found else 1
            return issue._replace(line=line)
    return None


def _analyze_jinja(text: str) -> TemplateInfo:
    from jinja2 import TemplateSyntaxError, nodes

    env = policy_environment()
    try:
        tree = env.parse(text)
    except TemplateSyntaxError as exc:
        return _refused(
            f"template syntax: {exc.message}",
            exc.lineno or 1,
            "Check that every {{ has its }} and every {% if %} its {% endif %}.",
            "template-syntax",
        )
    except RecursionError:  # Jinja's parser recurses once per level of nesting
        return _refused(*_TOO_DEEP)
    except ValueError:  # its lexer turns a literal of over 4,300 digits into an int: refused
        return _refused(*_HUGE_NUMBER)
    walk = _pre_order(tree)
    if walk is None:
        return _refused(*_TOO_DEEP)
    variables: set[str] = set()
    filters: set[str] = set()
    includes: list[str] = []
    lists = _lists_after_in(walk)
    for node in walk:
        issue = _node_issue(node, lists)
        if issue is not None:
            return TemplateInfo(frozenset(), frozenset(), (), None, issue)
        if isinstance(node, nodes.Name):
            variables.add(node.name)
        elif isinstance(node, nodes.Filter):
            filters.add(node.name)
        elif isinstance(node, nodes.Include) and isinstance(node.template, nodes.Const):
            includes.append(node.template.value)  # (checked by _node_issue)
    issue = _constant_issue(walk)
    if issue is not None:
        return TemplateInfo(frozenset(), frozenset(), (), None, issue)
    return TemplateInfo(frozenset(variables), frozenset(filters), tuple(includes), None, None)


MAX_NESTING = 60
_TOO_DEEP = (
    f"the template nests more than {MAX_NESTING} levels deep",
    1,
    "Brackets, operators and ifs inside one another: a text never needs this many; "
    "split it, or use snippets.",
    "template-size",
)


def _pre_order(tree: Any) -> list[Any] | None:
    """Every node, parents before children, without recursion; None if nested too deep."""
    found: list[Any] = []
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            return None
        found.append(node)
        children = list(node.iter_child_nodes())
        stack.extend((child, depth + 1) for child in reversed(children))
    return found


def _lists_after_in(walk: list[Any]) -> set[int]:
    """The list literals a template may hold: right after 'in' (``plan in ["a", "b"]``)."""
    from jinja2 import nodes

    allowed: set[int] = set()
    for node in walk:
        if isinstance(node, nodes.Operand) and node.op in ("in", "notin"):
            allowed.add(id(node.expr))
        elif isinstance(node, nodes.Test) and node.name == "in" and node.args:
            allowed.add(id(node.args[0]))
    return allowed


def _node_issue(node: Any, lists: set[int]) -> TemplateIssue | None:
    """What the policy says about one node (its children are checked on their own)."""
    from jinja2 import nodes

    line = getattr(node, "lineno", 1) or 1
    if type(node) not in _allowed_nodes():
        return TemplateIssue(
            f"'{_describe_node(node)}' is not allowed in pack templates",
            line,
            "Templates may print variables, use filters, 'if' and '{% include %}' only.",
            "template-policy",
        )
    if isinstance(node, nodes.Filter):
        return _filter_issue(frozenset({node.name}), line) or _call_issue("filter", node, line)
    if isinstance(node, nodes.Test):
        if node.name not in ALLOWED_TESTS:
            return TemplateIssue(
                f"unknown test '{node.name}'",
                line,
                f"Available tests: {', '.join(sorted(ALLOWED_TESTS))}.",
                "template-policy",
            )
        return _call_issue("test", node, line)
    if isinstance(node, nodes.Include):
        target = node.template
        if not isinstance(target, nodes.Const) or not isinstance(target.value, str):
            return TemplateIssue(
                "include needs a snippet id in quotes",
                line,
                'Write {% include "snippet-id" %}.',
                "template-policy",
            )
        if not re.match(ID_REGEX, target.value):
            return TemplateIssue(
                f"'{target.value}' is not a snippet id: include names a snippet, not a file",
                line,
                "Snippet ids use letters, digits, '_', '-' and '.'; write the id of a "
                "snippet declared under 'snippets:', e.g. {% include \"despedida\" %}.",
                "template-policy",
            )
    if isinstance(node, (nodes.List, nodes.Tuple)) and id(node) not in lists:
        return TemplateIssue(
            "a list is only allowed after 'in'",
            line,
            'Write lists to check a value against: {% if plan in ["Plus", "Pro"] %}.',
            "template-policy",
        )
    if isinstance(node, nodes.CondExpr) and node.expr2 is None:
        return TemplateIssue(
            "an inline 'if' needs an 'else'",
            line,
            "Write {{ 'text' if condition else '' }}, or use {% if %}…{% endif %}.",
            "template-policy",
        )
    if (
        isinstance(node, nodes.Const)
        and isinstance(node.value, (int, float))
        and not abs(node.value) < MAX_NUMBER
    ):
        return TemplateIssue(*_HUGE_NUMBER[:1], line, *_HUGE_NUMBER[2:])
    return None


MAX_NUMBER = 10**30
_HUGE_NUMBER = (  # the number itself is not shown: it may be thousands of digits long
    "a number in this template is too large",
    1,
    f"Numbers in templates go up to {MAX_NUMBER:.0e}.",
    "template-policy",
)


def _call_issue(kind: str, node: Any, line: int) -> TemplateIssue | None:
    from agentdesk.core.templates.calls import check_call

    issue = check_call(kind, node.name, node)
    return None if issue is None else issue._replace(line=line)


def _constant_issue(walk: list[Any]) -> TemplateIssue | None:
    """A part made only of constants that fails, or whose text would pass the cap."""
    from agentdesk.core.templates.calls import constant_issue

    known: dict[int, Any] = {}
    for node in reversed(walk):  # children before their parents
        issue = constant_issue(node, known)
        if issue is not None:
            return issue._replace(line=getattr(node, "lineno", 1) or 1)
    return None


def _describe_node(node: Any) -> str:
    names = {
        "Getattr": "attribute access (a.b)",
        "Getitem": "item access (a[b])",
        "Call": "a function call",
        "For": "a for loop",
        "Assign": "set",
        "AssignBlock": "set",
        "Macro": "a macro",
        "CallBlock": "call",
        "Import": "import",
        "FromImport": "import",
        "Extends": "extends",
        "Block": "block",
        "With": "with",
        "Pow": "the ** operator",
        "Mod": "the % operator",
        "FloorDiv": "the // operator",
        "Dict": "a dict literal",
        "Slice": "slicing",
        "FilterBlock": "a filter block ({% filter %})",
    }
    return names.get(type(node).__name__, type(node).__name__)


@functools.cache
def _allowed_nodes() -> frozenset[type]:
    from jinja2 import nodes

    return frozenset(
        {
            nodes.Template,
            nodes.Output,
            nodes.TemplateData,
            nodes.Const,
            nodes.Name,
            nodes.Filter,
            nodes.Test,
            nodes.If,
            nodes.CondExpr,
            nodes.And,
            nodes.Or,
            nodes.Not,
            nodes.Neg,
            nodes.Pos,
            nodes.Compare,
            nodes.Operand,
            nodes.Concat,
            nodes.Add,
            nodes.Sub,
            nodes.Mul,
            nodes.Div,
            nodes.Include,
            nodes.List,
            nodes.Tuple,
            nodes.Keyword,
        }
    )


@functools.cache
def policy_environment() -> Environment:
    """An environment used only to parse templates for :func:`analyze` (parsing does not
    depend on the filters or the sandbox: those apply when a template runs)."""
    from jinja2 import Environment

    return Environment(autoescape=False)
