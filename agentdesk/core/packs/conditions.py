"""The logic of a pack, checked: every condition against the types of the details it names,
where decisions and conditional answers may be used, and what the conditions of each step
can and cannot do (the analysis of :mod:`agentdesk.core.logic.analysis`): answers no value
can reach, conditions that always hold, values for which a decision has no answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from agentdesk.core.logic.analysis import examine
from agentdesk.core.logic.checker import Compiled, VarInfo, compile_condition
from agentdesk.core.logic.syntax import ConditionError, names, parse
from agentdesk.core.packs.build import ConditionUse
from agentdesk.core.packs.model import Choice, Flow, Pack, Step
from agentdesk.core.problems import Loc, Problems

_TYPES = {"number": "number", "money": "money", "days": "days", "date": "date"}
ALWAYS = "true"  # the condition of an answer without one


def known_names(pack: Pack, checklist: int | None = None) -> dict[str, VarInfo]:
    """What the conditions of ``pack`` may name: its variables, ``today`` and, for the answers
    of a step with ``checklist`` items, ``checked`` (how many of them are ticked)."""
    known = {
        name: VarInfo(_TYPES.get(var.type, "text"), var.choices, var.label)
        for name, var in pack.variables.items()
    }
    known["today"] = VarInfo("date")
    if checklist is not None:
        known["checked"] = VarInfo("number", low=0, high=checklist)
    return known


def check_conditions(pack: Pack, uses: Iterable[ConditionUse], problems: Problems) -> set[str]:
    """Every condition where it is written, then each step's logic, then the items'.
    Returns the variables the conditions use."""
    plain, answers = known_names(pack), known_names(pack, 99)
    broken: set[str] = set()
    used: set[str] = set()
    for use in uses:
        try:
            used.update(compile_condition(use.text, answers if use.answers else plain).names)
        except ConditionError as exc:
            broken.add(use.text)
            _report(use.text, use.loc, exc, problems)
            used.update(_names_of(use.text))  # a typo in a choice is not an unused detail
    for flow in pack.flows.values():
        for step in flow.steps.values():
            _check_step(pack, flow, step, broken, problems)
    items: list[tuple[str, Any]] = [("script", s) for s in pack.scripts.values()]
    items += [("macro", m) for m in pack.macros.values()]
    items += [("offer", o) for o in pack.offers.values()]
    for kind, item in items:
        if item.only_if and item.only_if not in broken:
            _judge_one(f"{kind} '{item.id}'", item.only_if, plain, item.loc, problems)
    _check_ticks(pack, problems)
    return used


def _report(text: str, loc: Loc, exc: ConditionError, problems: Problems) -> None:
    message = f"in the condition '{_clip(text)}': {exc.message}"
    if exc.kind == "name" and "'checked'" in exc.message:
        problems.error(
            loc,
            message,
            "'checked' counts the ticked checklist items of a step: use it in the only_if "
            "of that step's answers.",
            "condition",
        )
    elif exc.kind == "name":
        problems.error(loc, message, exc.hint, "undeclared-variable")
    else:
        problems.error(loc, message, exc.hint, "condition")


def _clip(text: str, size: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def _check_step(pack: Pack, flow: Flow, step: Step, broken: set[str], problems: Problems) -> None:
    where = f"step '{step.id}'"
    if step.only_if and step.next is None:
        problems.error(
            step.loc,
            f"{where} has only_if but no 'next': when it does not apply, the walk needs a way on",
            "Add 'next:' with the step that follows, or put the condition on the answers "
            "that lead here.",
            "schema",
        )
    if step.decide and (step.is_outcome or step.next is not None):
        problems.error(
            step.loc,
            f"{where} decides, but has no answers to choose from",
            "Give it 'choices:' with an only_if each; the last may have none (every other case).",
            "schema",
        )
    for choice in step.choices:
        offer = choice.accepts or choice.refuses
        if offer and step.decide:
            problems.error(
                step.loc,
                f"answer '{choice.id}' of decision {where} accepts or refuses an offer",
                "The customer decides offers, not the data: ask it in a question step.",
                "schema",
            )
        elif offer and offer not in step.offers:
            problems.error(
                step.loc,
                f"answer '{choice.id}' decides offer '{offer}', which {where} does not show",
                f"Add '{offer}' to the offers of {where}.",
                "schema",
            )
        if _counts_ticks(choice.only_if) and (step.decide or not step.checklist):
            problems.error(
                step.loc,
                f"answer '{choice.id}' of {where} counts ticked items, but the step "
                + ("decides as soon as it is reached" if step.decide else "has no checklist"),
                "Count ticks ('checked') in the answers of a question step with a checklist.",
                "condition",
            )
    known = known_names(pack, len(step.checklist))
    if step.only_if and step.only_if not in broken:
        _judge_one(where, step.only_if, known, step.loc, problems)
    conditional = [c for c in step.choices if c.only_if]
    if conditional and not any(c.only_if in broken for c in conditional):
        _judge_answers(where, step, known, problems)


def _names_of(text: str) -> tuple[str, ...]:
    try:
        return names(parse(text))
    except ConditionError:
        return ()


def _counts_ticks(text: str | None) -> bool:
    return bool(text) and "checked" in _names_of(text or "")


def _compiled(text: str, known: dict[str, VarInfo]) -> Compiled | None:
    try:
        return compile_condition(text, known)
    except ConditionError:  # reported where it is written
        return None


def _judge_one(
    where: str, text: str, known: dict[str, VarInfo], loc: Loc, problems: Problems
) -> None:
    compiled = _compiled(text, known)
    verdict = examine([compiled], known) if compiled else None
    if verdict is None:
        return
    if verdict.never:
        problems.warning(
            loc,
            f"{where} is never shown: no value of the details meets '{_clip(text)}'",
            "Check the values and the comparison (>= or <=, and or or).",
            "condition-never",
        )
    elif verdict.always:
        problems.warning(
            loc,
            f"the only_if of {where} always holds: '{_clip(text)}'",
            "Remove it, or check the values and the comparison.",
            "condition-always",
        )


def _judge_answers(where: str, step: Step, known: dict[str, VarInfo], problems: Problems) -> None:
    choices: Sequence[Choice] = (
        step.choices if step.decide else [c for c in step.choices if c.only_if]
    )
    compiled = [_compiled(c.only_if or ALWAYS, known) for c in choices]
    if any(c is None for c in compiled):
        return
    verdict = examine([c for c in compiled if c is not None], known, first_match=step.decide)
    if verdict is None:
        return
    for index, choice in enumerate(choices):
        label = f"answer '{choice.id}' of {where}"
        if choice.only_if and index in verdict.never:
            problems.warning(
                step.loc,
                f"{label} is never offered: no value of the details meets "
                f"'{_clip(choice.only_if)}'",
                "Check the values and the comparison (>= or <=, and or or).",
                "condition-never",
            )
        elif index in verdict.unused:
            problems.warning(
                step.loc,
                f"{label} is never taken: the answers before it take every value it would",
                "Put the narrower condition first, or fix the ranges.",
                "condition-never",
            )
        elif choice.only_if and index in verdict.always:
            problems.warning(
                step.loc,
                f"the only_if of {label} always holds: '{_clip(choice.only_if)}'",
                "Remove it (the last answer of a decision may have none: every other case), "
                "or check the values and the comparison.",
                "condition-always",
            )
    if verdict.gap is not None and all(c.only_if for c in step.choices):
        values = ", ".join(f"{name} = {_shown(value)}" for name, value in verdict.gap)
        problems.warning(
            step.loc,
            f"when {values}, {where} has no answer"
            + (": the agent has to answer by hand" if step.decide else " to offer"),
            "Add a last answer without only_if for every other case, or cover these values.",
            "decision-gap",
        )


def _shown(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith("\u0000"):
        return "another text"
    return f'"{value}"'


def _check_ticks(pack: Pack, problems: Problems) -> None:
    """Checklist item ids are unique within a step; tests tick items that exist."""
    named: set[str] = set()
    for flow in pack.flows.values():
        for step in flow.steps.values():
            ids = [item.id for item in step.checklist if item.id]
            for item_id in {i for i in ids if ids.count(i) > 1}:
                problems.error(
                    step.loc,
                    f"two checklist items of step '{step.id}' have the id '{item_id}'",
                    "Give each item its own id.",
                    "duplicate-id",
                )
            named.update(ids)
    for scenario in pack.tests:
        for item_id in scenario.tick:
            if item_id not in named:
                problems.error(
                    scenario.loc,
                    f"test '{scenario.name}' ticks '{item_id}', which no checklist item is",
                    "Give the checklist item an 'id:' and tick it by that id.",
                    "unknown-ref",
                )
