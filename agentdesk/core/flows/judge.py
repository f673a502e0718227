"""The customer's details at work in a walk: conditions judged, decisions taken.

A :class:`Judge` holds one pack's conditions, the details the agent typed (read as values:
numbers, money, days, dates) and the date. It says which answers the agent may give, which
answer the details give at a decision step (or at a step to skip), and why, in words the
agent reads: "Días de mora = 45". :meth:`Judge.settle` replays a walk with the details as
they are now: decisions already taken are taken again, and where the details now say
otherwise the walk follows them (the agent's later answers stay in the walk it was given,
so changing the detail back brings them back).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from agentdesk.core.flows.walk import Lock, Visit, Walk
from agentdesk.core.i18n import _
from agentdesk.core.logic.checker import Compiled, compile_condition
from agentdesk.core.logic.evaluate import evaluate
from agentdesk.core.logic.syntax import ConditionError
from agentdesk.core.packs.conditions import known_names
from agentdesk.core.packs.model import Choice, Pack, Step
from agentdesk.core.render.values import typed_values
from agentdesk.core.templates.filters import make_filters

MAX_AUTO = 64  # answers the details may give in a row (a loop of decisions stops there)


def has_logic(step: Step) -> bool:
    """Whether the details can change what happens at ``step``."""
    return bool(
        step.decide
        or step.only_if
        or any(c.only_if or c.accepts or c.refuses for c in step.choices)
    )


def out_of_date_only(locks: Iterable[Lock]) -> bool:
    """Whether an offer is locked, and only by its dates (expired, or not valid yet). An
    answer that refuses such an offer stays open, so a step whose answers accept or refuse
    offers always has a way on once they expire (validate: ``no-way-on``)."""
    kinds = {lock.kind for lock in locks}
    return bool(kinds) and kinds <= {"expired", "upcoming"}


class Judge:
    def __init__(self, pack: Pack, values: Mapping[str, str], today: date) -> None:
        self.pack = pack
        self.today = today
        self.values = {k: v.strip() for k, v in values.items()}
        self.data = typed_values(pack, values)
        self._known = known_names(pack, 99)
        self._compiled: dict[str, Compiled | None] = {}
        self._filters: dict[str, Any] | None = None

    # -- conditions ---------------------------------------------------------------------

    def compiled(self, text: str) -> Compiled | None:
        if text not in self._compiled:
            try:
                self._compiled[text] = compile_condition(text, self._known)
            except ConditionError:  # a pack in use was validated: only a stale one gets here
                self._compiled[text] = None
        return self._compiled[text]

    def holds(self, text: str | None, walk: Walk | None = None) -> bool | None:
        """Whether a condition holds (no condition always does); None: a detail is missing."""
        if not text:
            return True
        compiled = self.compiled(text)
        if compiled is None:
            return None
        env: dict[str, Any] = {**self.data, "today": self.today}
        if walk is not None:
            env["checked"] = Decimal(walk.checked())
        return evaluate(compiled, env)

    def _names(self, texts: Iterable[str | None]) -> list[str]:
        found: dict[str, None] = {}
        for text in texts:
            compiled = self.compiled(text) if text else None
            found.update(dict.fromkeys(compiled.names if compiled else ()))
        return list(found)

    def missing(self, texts: Iterable[str | None]) -> tuple[str, ...]:
        """The labels of the details the conditions need and the agent has not typed."""
        return tuple(
            self.pack.variables[n].label
            for n in self._names(texts)
            if n in self.pack.variables and self.data.get(n) is None
        )

    def reason(
        self, texts: Iterable[str | None], walk: Walk | None = None, step: Step | None = None
    ) -> str:
        """The details the conditions used, as the agent reads them: 'Días de mora = 45'
        (``checked``: the items of ``step``, by default the walk's current one, ticked)."""
        parts = []
        for name in self._names(texts):
            if name == "today":
                today = self._format("date", self.today)
                parts.append(_("Today = {date}").format(date=today))
            elif name == "checked" and walk is not None:
                step = step or walk.step
                count = _("Ticked = {n} of {total}").format(
                    n=walk.checked(step.id), total=len(step.checklist)
                )
                parts.append(count)
            elif name in self.pack.variables and self.data.get(name) is not None:
                var = self.pack.variables[name]
                shown = self._format(var.type, self.data[name], self.values.get(name, ""))
                parts.append(f"{var.label} = {shown}")
        return ", ".join(parts)

    def _format(self, kind: str, value: Any, typed: str = "") -> str:
        """As the texts show it: money in the pack's currency, dates in words, the rest as
        the agent typed it."""
        if kind not in ("money", "date"):
            return typed or str(value)
        if self._filters is None:
            manifest = self.pack.manifest
            self._filters = make_filters(manifest.locale, manifest.currency)
        return str(self._filters["money" if kind == "money" else "date"](value))

    # -- answers ------------------------------------------------------------------------

    def answer_open(self, walk: Walk, choice: Choice) -> bool:
        """Whether the agent may give this answer now."""
        if walk.step.decide:
            return choice.id in self.candidates(walk)
        if self.holds(choice.only_if, walk) is False:
            return False
        offer = choice.accepts or choice.refuses
        if offer and offer in self.pack.offers:
            status = walk.offer_status(offer, self.today, lambda c: self.holds(c, walk))
            if choice.refuses and status.decision == "open" and out_of_date_only(status.locks):
                return True  # it cannot be made at this date: the customer does not take it
            return status.available
        return True

    def decision(self, walk: Walk) -> str | None:
        """The answer the details give at the current step; None: the agent answers."""
        step = walk.step
        if step.only_if and step.next is not None and self.holds(step.only_if, walk) is False:
            return "next"  # the step does not apply: straight on
        if not step.decide:
            return None
        for choice in step.choices:
            result = self.holds(choice.only_if, walk)
            if result is not False:
                return choice.id if result else None
        return None

    def candidates(self, walk: Walk) -> tuple[str, ...]:
        """At a decision step the details cannot settle: the answers still possible given
        what is known (every answer, if none fits)."""
        found: list[str] = []
        for choice in walk.step.choices:
            result = self.holds(choice.only_if, walk)
            if result is not False:
                found.append(choice.id or "")
            if result:
                break
        return tuple(found) or tuple(c.id or "" for c in walk.step.choices)

    def undecided(self, walk: Walk) -> bool:
        """The current step is a decision the details cannot take: the agent answers."""
        step = walk.step
        return step.decide and walk.handover is None and self.decision(walk) is None

    def why(self, step: Step, choice_id: str, walk: Walk) -> str:
        """Why the details gave ``choice_id`` at ``step``: the details its conditions used
        (those of the answers before it too: they did not hold)."""
        if choice_id == "next" and step.only_if:
            return self.reason([step.only_if], walk, step)
        texts = []
        for choice in step.choices:
            texts.append(choice.only_if)
            if choice.id == choice_id:
                break
        return self.reason(texts, walk, step)

    # -- replaying a walk ---------------------------------------------------------------

    def settle(self, walk: Walk) -> Walk:
        """The walk as the details have it now (see the module's docstring). Only the
        answers given at steps with logic are looked at again."""
        trail = walk.trail
        for index, visit in enumerate(trail):
            if visit.choice is None or not has_logic(walk.flow.steps[visit.step]):
                continue  # the end, a jump followed as it was made, or an answer that stands
            at = walk._replace(trail=(*trail[:index], Visit(visit.step)), handover=None)
            decided = self.decision(at)
            if decided is not None and decided != visit.choice:
                return self._advance(at.choose(decided, auto=True))
            if decided is None and (visit.auto or not self._allowed(at, visit.choice)):
                return at  # the details no longer give or allow this answer: ask here
        return self._advance(walk)

    def _allowed(self, walk: Walk, choice_id: str) -> bool:
        choice = next((c for c in walk.step.choices if c.id == choice_id), None)
        return choice is not None and (walk.step.decide or self.answer_open(walk, choice))

    def _advance(self, walk: Walk) -> Walk:
        for _step in range(MAX_AUTO):
            if walk.handover is not None:
                break
            decided = self.decision(walk)
            if decided is None:
                break
            walk = walk.choose(decided, auto=True)
        return walk
