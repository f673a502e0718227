"""Turn positioned YAML data into model objects, following the model's type hints.

Each model class gets a plan (its fields and one converter per field) the first time it is
used; converters check the value, report problems at the value's position and return the
best value they can, so that reading goes on and every problem comes out in one pass.
References and templates are recorded here and checked once the whole pack is read
(:mod:`.checks`); what needs several fields of one object is checked as it is read
(:mod:`.item_checks`).
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal, NamedTuple, Union, get_args, get_origin, get_type_hints

from agentdesk.core.packs import model
from agentdesk.core.packs.item_checks import CHECKS, friendly
from agentdesk.core.packs.spec import (
    ConditionMarker,
    NonEmpty,
    Pattern,
    Range,
    Ref,
    TemplateMarker,
    VerbatimMarker,
)
from agentdesk.core.packs.yamlsource import Pos, YList, YMap
from agentdesk.core.problems import Loc, Problems
from agentdesk.core.templates.policy import MARKUP


class RefUse(NamedTuple):
    kind: str
    name: str
    scope: str | None  # the flow, for references to steps
    loc: Loc


class TemplateUse(NamedTuple):
    text: str
    loc: Loc


class ConditionUse(NamedTuple):
    text: str
    loc: Loc
    answers: bool  # an answer's condition: it may count the step's ticked items


class BuildContext:
    """Where we are while reading one file, and what was recorded for later checks."""

    def __init__(self, file: str, problems: Problems) -> None:
        self.file = file
        self.problems = problems
        self.scope: str | None = None
        self.refs: list[RefUse] = []
        self.templates: list[TemplateUse] = []
        self.conditions: list[ConditionUse] = []
        self.errors = 0  # reported through this context

    def loc(self, pos: Pos) -> Loc:
        return Loc(self.file, pos[0], pos[1])

    def error(self, pos: Pos, message: str, hint: str = "", code: str = "schema") -> None:
        self.errors += 1
        self.problems.error(self.loc(pos), message, hint, code)


Converter = Callable[[Any, Pos, BuildContext], Any]


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"'{_clip(str(value))}'"


def _clip(text: str, size: int = 40) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


# -- scalar converters ------------------------------------------------------------------


def _text(value: Any, pos: Pos, ctx: BuildContext) -> Any:
    if isinstance(value, str):
        return value
    ctx.error(
        pos,
        f"expected text, found {_describe(value)}",
        "Write the text on the same line, in quotes if it has ': ' or starts with a symbol.",
    )
    return ""


def _plain_text(value: Any, pos: Pos, ctx: BuildContext) -> Any:
    """Text that is not a template: ``{{ ... }}`` in it would show as written."""
    result = _text(value, pos, ctx)
    if isinstance(result, str) and MARKUP.search(result):
        ctx.problems.warning(
            ctx.loc(pos),
            "this field is not a template: '{{', '{%' and '{#' show as written",
            "Variables work in ask, text, scripts, macro texts, rules, notes and snippets.",
            "not-a-template",
        )
    return result


def _int(value: Any, pos: Pos, ctx: BuildContext) -> Any:
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d{1,9}", value.strip()):
        return int(value)
    ctx.error(
        pos, f"expected a whole number, found {_describe(value)}", "Write digits only, e.g. 10."
    )
    return 0


_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})


def _bool(value: Any, pos: Pos, ctx: BuildContext) -> Any:
    if isinstance(value, str) and value in _TRUE:
        return True
    if isinstance(value, str) and value in _FALSE:
        return False
    ctx.error(
        pos,
        f"expected true or false, found {_describe(value)}",
        "Write true or false (yes/no/on/off are not accepted: they are too easy to misread).",
    )
    return False


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _date(value: Any, pos: Pos, ctx: BuildContext) -> Any:
    if isinstance(value, str):
        m = _DATE.fullmatch(value.strip())
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                pass
    ctx.error(
        pos,
        f"expected a date, found {_describe(value)}",
        "Write it as YYYY-MM-DD, e.g. 2023-10-31.",
    )
    return None


def _literal(options: tuple[str, ...]) -> Converter:
    def convert(value: Any, pos: Pos, ctx: BuildContext) -> Any:
        if isinstance(value, str) and value in options:
            return value
        close = difflib.get_close_matches(str(value), options, n=1)
        hint = f"Did you mean '{close[0]}'? " if close else ""
        ctx.error(
            pos,
            f"{_describe(value)} is not one of: {', '.join(options)}",
            hint + "Write one of the listed values exactly.",
        )
        return options[0]

    return convert


# -- wrappers from markers -------------------------------------------------------------

Check = Callable[[Any, Any, Pos, BuildContext], None]


def _then(inner: Converter, check: Check) -> Converter:
    """``inner``, then ``check(result, value, pos, ctx)``, unless ``inner`` reported an
    error: what ``check`` would find then is only an echo of it."""

    def convert(value: Any, pos: Pos, ctx: BuildContext) -> Any:
        errors = ctx.errors
        result = inner(value, pos, ctx)
        if ctx.errors == errors:
            check(result, value, pos, ctx)
        return result

    return convert


def _with_pattern(inner: Converter, marker: Pattern) -> Converter:
    regex = re.compile(marker.regex)

    def check(result: Any, value: Any, pos: Pos, ctx: BuildContext) -> None:
        if isinstance(result, str) and not regex.match(result):
            ctx.error(pos, f"'{_clip(result)}' is not a valid value here", marker.hint)

    return _then(inner, check)


def _with_range(inner: Converter, marker: Range) -> Converter:
    def check(result: Any, value: Any, pos: Pos, ctx: BuildContext) -> None:
        if isinstance(result, int) and not marker.minimum <= result <= marker.maximum:
            ctx.error(
                pos,
                f"{result} is out of range",
                f"Use a number from {marker.minimum} to {marker.maximum}.",
            )

    return _then(inner, check)


def _with_ref(inner: Converter, marker: Ref) -> Converter:
    def check(result: Any, value: Any, pos: Pos, ctx: BuildContext) -> None:
        if isinstance(result, str) and result:
            ctx.refs.append(RefUse(marker.kind, result, ctx.scope, ctx.loc(pos)))

    return _then(inner, check)


def _with_template(inner: Converter) -> Converter:
    def check(result: Any, value: Any, pos: Pos, ctx: BuildContext) -> None:
        if isinstance(result, str) and result:
            ctx.templates.append(TemplateUse(result, ctx.loc(pos)))

    return _then(inner, check)


def _with_condition(inner: Converter, marker: ConditionMarker) -> Converter:
    def check(result: Any, value: Any, pos: Pos, ctx: BuildContext) -> None:
        if isinstance(result, str):
            ctx.conditions.append(ConditionUse(result, ctx.loc(pos), marker.answers))

    return _then(inner, check)


def _with_non_empty(inner: Converter) -> Converter:
    def check(result: Any, value: Any, pos: Pos, ctx: BuildContext) -> None:
        if not result and isinstance(value, (list, dict)):
            ctx.error(pos, "this must not be empty", "Add at least one entry.")

    return _then(inner, check)


def _optional(inner: Converter) -> Converter:
    def convert(value: Any, pos: Pos, ctx: BuildContext) -> Any:
        return None if value is None else inner(value, pos, ctx)

    return convert


# -- containers -------------------------------------------------------------------------


def _tuple_of(item: Converter) -> Converter:
    def convert(value: Any, pos: Pos, ctx: BuildContext) -> Any:
        if value is None:
            return ()
        if not isinstance(value, YList):
            ctx.error(
                pos,
                f"expected a list, found {_describe(value)}",
                "Write each entry on its own line starting with '- ', or use [a, b].",
            )
            return ()
        return tuple(item(v, p, ctx) for v, p in zip(value, value.ipos, strict=True))

    return convert


def _dict_of(key: Converter, item: Converter, item_cls: type | None) -> Converter:
    with_id = item_cls is not None and "id" in getattr(item_cls, "_fields", ())

    def convert(value: Any, pos: Pos, ctx: BuildContext) -> Any:
        if value is None:
            return {}
        if not isinstance(value, YMap):
            ctx.error(
                pos,
                f"expected a mapping of id: entry, found {_describe(value)}",
                "Write each entry as 'its-id:' followed by its fields, indented.",
            )
            return {}
        result: dict[str, Any] = {}
        for name, raw in value.items():
            kpos, vpos = value.key_pos(name), value.value_pos(name)
            key(name, kpos, ctx)
            if with_id:
                assert item_cls is not None
                result[name] = _object(item_cls, raw, vpos, ctx, ident=name, key_pos=kpos)
            else:
                result[name] = item(raw, vpos, ctx)
        return result

    return convert


# -- objects ------------------------------------------------------------------------------


class _Field(NamedTuple):
    name: str
    convert: Converter
    required: bool


_PLANS: dict[type, tuple[_Field, ...]] = {}
_SCOPE_FIELD = {model.Flow: "id", model.Scenario: "flow", model.Expect: "flow"}


def _plan(cls: type) -> tuple[_Field, ...]:
    plan = _PLANS.get(cls)
    if plan is None:
        hints = get_type_hints(cls, include_extras=True)
        defaults = getattr(cls, "_field_defaults", {})
        plan = tuple(
            _Field(name, converter_for(hints[name]), name not in defaults)
            for name in cls._fields  # type: ignore[attr-defined]
            if name != "loc"
        )
        _PLANS[cls] = plan
    return plan


def _object(
    cls: type,
    value: Any,
    pos: Pos,
    ctx: BuildContext,
    ident: str | None = None,
    key_pos: Pos | None = None,
) -> Any:
    shorthand = model.SHORTHANDS.get(cls)
    if shorthand and isinstance(value, str):
        value = _single(shorthand, value, pos)
    fields = _plan(cls)
    names = cls._fields  # type: ignore[attr-defined]
    at = key_pos or pos
    if not isinstance(value, YMap):
        if value is not None or any(f.required for f in fields):
            ctx.error(
                pos,
                f"expected a {friendly(cls)} (a mapping of fields), found {_describe(value)}",
                f"Write its fields indented below, e.g. {_example(cls)}.",
            )
        value = YMap(pos)
    known = {f.name for f in fields if not (f.name == "id" and ident is not None)}
    for name in value:
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = (
                f"Did you mean '{close[0]}'?" if close else f"Allowed: {', '.join(sorted(known))}."
            )
            if name == "<<":
                hint = "Merge keys (<<) are not supported: write the fields, or use a snippet."
            ctx.error(value.key_pos(name), f"unknown field '{name}' in a {friendly(cls)}", hint)
    outer_scope = ctx.scope
    scope_field = _SCOPE_FIELD.get(cls)
    if scope_field == "id":
        ctx.scope = ident
    kwargs: dict[str, Any] = {}
    if "loc" in names:
        kwargs["loc"] = ctx.loc(at)
    for field in fields:
        if field.name == "id" and ident is not None:
            kwargs["id"] = ident  # written as the key of the item
        elif field.name in value:
            kwargs[field.name] = result = field.convert(
                value[field.name], value.value_pos(field.name), ctx
            )
            if field.name == scope_field and isinstance(result, str):
                ctx.scope = result
        elif field.required:
            ctx.error(
                at,
                f"a {friendly(cls)} needs '{field.name}'",
                f"Add '{field.name}:' to it.",
                "missing",
            )
            kwargs[field.name] = _EMPTY.get(field.name, "")
    ctx.scope = outer_scope
    obj = cls(**kwargs)
    check = CHECKS.get(cls)
    return check(obj, value, ctx) if check else obj


_EMPTY: dict[str, Any] = {"steps": {}, "expect": None, "minutes": 1}


def _single(field: str, text: str, pos: Pos) -> YMap:
    m = YMap(pos)
    m[field] = text
    m.marks[field] = (*pos, *pos)
    return m


def _example(cls: type) -> str:
    fields = [f.name for f in _plan(cls) if f.required] or [f.name for f in _plan(cls)][:1]
    return ", ".join(f"{name}: …" for name in fields)


def converter_for(tp: Any, template: bool = False) -> Converter:
    """The converter for a type hint from the model."""
    origin = get_origin(tp)
    if origin is Annotated:
        base, *markers = get_args(tp)
        # Templates and verbatim helpdesk text may hold '{{': no 'not a template' warning.
        convert = converter_for(
            base,
            template or any(isinstance(m, (TemplateMarker, VerbatimMarker)) for m in markers),
        )
        for marker in markers:
            if isinstance(marker, Pattern):
                convert = _with_pattern(convert, marker)
            elif isinstance(marker, Range):
                convert = _with_range(convert, marker)
            elif isinstance(marker, Ref):
                convert = _with_ref(convert, marker)
            elif isinstance(marker, TemplateMarker):
                convert = _with_template(convert)
            elif isinstance(marker, NonEmpty):
                convert = _with_non_empty(convert)
            elif isinstance(marker, ConditionMarker):
                convert = _with_condition(convert, marker)
        return convert
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        assert len(args) == 1, f"only X | None unions are supported: {tp}"
        return _optional(converter_for(args[0], template))
    if origin is Literal:
        return _literal(get_args(tp))
    if origin is tuple:
        return _tuple_of(converter_for(get_args(tp)[0], template))
    if origin is dict:
        key_tp, item_tp = get_args(tp)
        item_cls = item_tp if isinstance(item_tp, type) and hasattr(item_tp, "_fields") else None
        return _dict_of(converter_for(key_tp), converter_for(item_tp), item_cls)
    if tp is str:
        return _text if template else _plain_text
    if tp is bool:
        return _bool
    if tp is int:
        return _int
    if tp is date:
        return _date
    if isinstance(tp, type) and hasattr(tp, "_fields"):
        cls = tp
        return lambda value, pos, ctx: _object(cls, value, pos, ctx)
    raise TypeError(f"no converter for {tp!r}")


def read_object(cls: type, value: Any, pos: Pos, ctx: BuildContext) -> Any:
    """Read one model object (a manifest, a content file...) from YAML data."""
    return _object(cls, value, pos, ctx)
