"""Checks on one item that need more than one of its fields (a choice's 'go' and 'flow', a
step's 'choices' and 'next', a variable's pattern and example...), run as each item is read
(:mod:`.build`). They report through the reading context and return the item, possibly
completed (a choice's default id, a step's 'next' as its single answer).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from agentdesk.core.packs import model
from agentdesk.core.packs.yamlsource import Pos, YList, YMap
from agentdesk.core.patterns import PatternError, compile_pattern
from agentdesk.core.templates.policy import MAX_VALUE_CHARS

if TYPE_CHECKING:
    from agentdesk.core.packs.build import BuildContext


def friendly(cls: type) -> str:
    """'MacroUse' -> 'macro use': how problems name a kind of item."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", cls.__name__).lower()


def _check_target(obj: model.Choice | model.Next, raw: YMap, ctx: BuildContext) -> None:
    kind = friendly(type(obj))
    if obj.go and obj.flow:
        ctx.error(
            raw.pos,
            f"a {kind} leads either to a step ('go') or to another flow ('flow'), not both",
            "Keep the one that is meant and remove the other.",
        )
    elif not obj.go and not obj.flow:
        ctx.error(
            raw.pos,
            f"a {kind} needs 'go' (a step of this flow) or 'flow' (another flow)",
            "Add 'go: step-id' to lead to a step of this flow, or 'flow: flow-id'.",
        )


def _check_next(obj: model.Next, raw: YMap, ctx: BuildContext) -> model.Next:
    _check_target(obj, raw, ctx)
    return obj


def _check_choice(obj: model.Choice, raw: YMap, ctx: BuildContext) -> model.Choice:
    _check_target(obj, raw, ctx)
    if obj.accepts and obj.refuses:
        ctx.error(
            raw.pos,
            "an answer either accepts or refuses an offer, not both",
            "Write one answer that accepts it and another that refuses it.",
        )
    if obj.id is None:
        target = obj.go or (obj.flow or "").rsplit("/", 1)[-1] or "choice"
        obj = obj._replace(id=target)
    return obj


def _check_step(obj: model.Step, raw: YMap, ctx: BuildContext) -> model.Step:
    at = raw.pos
    if obj.next and obj.choices:
        ctx.error(at, f"step '{obj.id}' has both 'choices' and 'next'", "Use one of them.")
    if obj.next:
        way_on = model.Choice(label=obj.next.label or "", id="next", go=obj.next.go)
        obj = obj._replace(choices=(way_on._replace(flow=obj.next.flow),))
    if obj.ask and not obj.choices:
        ctx.error(
            at,
            f"step '{obj.id}' asks a question but offers no choices",
            "Add 'choices:' with the possible answers, or remove 'ask'.",
            "leads-nowhere",
        )
    seen: set[str] = set()
    for choice, cpos in zip(obj.choices, _item_positions(raw, "choices"), strict=False):
        if choice.id in seen:
            ctx.error(
                cpos,
                f"two choices of step '{obj.id}' have the id '{choice.id}'",
                "Give one of them its own 'id:'.",
                "duplicate-id",
            )
        seen.add(choice.id or "")
    return obj


def _item_positions(raw: YMap, key: str) -> list[Pos]:
    items = raw.get(key)
    return list(items.ipos) if isinstance(items, YList) else []


def _check_flow(obj: model.Flow, raw: YMap, ctx: BuildContext) -> model.Flow:
    return obj


def _check_variable(obj: model.Variable, raw: YMap, ctx: BuildContext) -> model.Variable:
    if obj.pattern:
        regex = compile_pattern(obj.pattern)
        if isinstance(regex, PatternError):
            ctx.error(
                raw.value_pos("pattern"),
                f"the pattern of variable '{obj.id}' is not a valid regular expression "
                f"for AgentDesk: {regex.reason}",
                regex.hint,
                "pattern",
            )
        else:
            for field in ("example", "fallback"):
                text = getattr(obj, field)
                if text is not None and not regex.search(text[:MAX_VALUE_CHARS]):
                    ctx.error(
                        raw.value_pos(field),
                        f"the {field} of variable '{obj.id}' does not match its pattern",
                        "Fix the value or the pattern so they agree.",
                    )
    if obj.type == "choice" and not obj.choices:
        ctx.error(
            raw.pos, f"variable '{obj.id}' is a choice but lists no 'choices'", "Add choices."
        )
    if obj.choices and obj.type != "choice":
        ctx.error(
            raw.value_pos("choices"), "'choices' only applies to type: choice", "Add type: choice."
        )
    return obj


def _check_currency(obj: model.Manifest, raw: YMap, ctx: BuildContext) -> model.Manifest:
    from agentdesk.core.templates.filters import currencies_in_use

    if obj.currency and obj.currency not in currencies_in_use():
        ctx.error(
            raw.value_pos("currency"),
            f"'{obj.currency}' is not a currency in use",
            "Use the ISO 4217 code of a currency in use, such as MXN, USD, BOB or CLP.",
            "currency",
        )
    return obj


def _check_locale(obj: model.Manifest, raw: YMap, ctx: BuildContext) -> model.Manifest:
    from agentdesk.core.templates.filters import is_known_locale

    # A locale of the wrong shape has its own problem (the field's pattern).
    if re.fullmatch(model.LOCALE_REGEX, obj.locale) and not is_known_locale(obj.locale):
        ctx.error(
            raw.value_pos("locale"),
            f"'{obj.locale}' is not a locale the app can format money and dates in",
            "Use the language and country of the content, such as es-MX, es-CL, es-BO or "
            "es-EC (Babel's names).",
            "locale",
        )
    return obj


def _check_offer(obj: model.Offer, raw: YMap, ctx: BuildContext) -> model.Offer:
    if (obj.ladder is None) != (obj.rank is None):
        ctx.error(
            raw.pos,
            f"offer '{obj.id}' needs both 'ladder' and 'rank', or neither",
            "A ladder orders offers: give each rung the same ladder and its rank (1, 2...).",
        )
    return obj


def _check_window(obj: Any, raw: YMap, ctx: BuildContext) -> Any:
    if obj.valid_from and obj.valid_until and obj.valid_from > obj.valid_until:
        ctx.error(
            raw.value_pos("valid_until"),
            "valid_until is before valid_from",
            "Swap the dates or correct the year.",
        )
    return obj


def _chain(*checks: Callable[[Any, YMap, BuildContext], Any]) -> Callable[..., Any]:
    def run(obj: Any, raw: YMap, ctx: BuildContext) -> Any:
        for check in checks:
            obj = check(obj, raw, ctx)
        return obj

    return run


CHECKS: dict[type, Callable[..., Any]] = {
    model.Choice: _check_choice,
    model.Next: _check_next,
    model.Step: _check_step,
    model.Flow: _chain(_check_flow, _check_window),
    model.Variable: _check_variable,
    model.Offer: _chain(_check_offer, _check_window),
    model.Manifest: _chain(_check_window, _check_locale, _check_currency),
    model.Script: _check_window,
    model.Macro: _check_window,
}
