"""The flow engine: a pure state machine over one flow of one pack.

A :class:`Walk` is an immutable value. Every action (choose, back, restart, jump, record a
fact, refuse an offer, tick an item) returns a new walk, so undo is free and nothing can be
left half changed. What the agent did is the trail of visits; everything else (facts
recorded and offers decided by answers, the path, the reasons) is derived from it. Answers
the customer's details gave (decision steps, steps skipped) are visits too, marked
``auto``: :mod:`.judge` takes them and takes them again when the details change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Literal, NamedTuple

from agentdesk.core.packs.model import Choice, Flow, Offer, Pack, Step
from agentdesk.core.packs.validity import is_current, is_expired


class WalkError(Exception):
    """An action that does not fit the walk's state; the message says what would."""


class UnknownChoice(WalkError):
    """An answer the step does not have, or (``valid`` given) one not on offer now."""

    def __init__(self, step: Step, choice_id: str, valid: tuple[str, ...] | None = None) -> None:
        self.step = step
        self.choice_id = choice_id
        self.valid = tuple(c.id or "" for c in step.choices) if valid is None else valid
        listed = ", ".join(self.valid) if self.valid else "none: this step ends the flow"
        super().__init__(f"step '{step.id}' has no choice '{choice_id}' (valid: {listed})")


class Visit(NamedTuple):
    step: str
    choice: str | None = None  # the answer given when leaving the step
    auto: bool = False  # the answer was the details' (a decision, or a step skipped)


class Answer(NamedTuple):
    """One reason the walk is where it is: at ``step``, ``choice`` was answered."""

    step: Step
    choice: Choice


class Lock(NamedTuple):
    """Why an offer may not be made yet."""

    kind: Literal["fact", "ladder", "accepted", "expired", "upcoming", "condition"]
    subject: str  # the fact id or the offer id the lock is about


Decision = Literal["open", "refused", "accepted"]


class OfferStatus(NamedTuple):
    offer: Offer
    locks: tuple[Lock, ...]
    decision: Decision

    @property
    def available(self) -> bool:
        return not self.locks and self.decision == "open"


class Walk(NamedTuple):
    pack: Pack
    flow: Flow
    trail: tuple[Visit, ...]
    facts: frozenset[str] = frozenset()  # recorded by the agent
    refused: frozenset[str] = frozenset()
    accepted: frozenset[str] = frozenset()
    handover: str | None = None  # the flow a choice led to, outside this walk
    ticked: frozenset[tuple[str, int]] = frozenset()  # (step, item)

    # -- starting -----------------------------------------------------------------------

    @classmethod
    def start(cls, pack: Pack, flow_id: str, step_id: str | None = None) -> Walk:
        flow = pack.flows.get(flow_id)
        if flow is None:
            valid = ", ".join(pack.flows) or "none"
            raise WalkError(f"pack '{pack.id}' has no flow '{flow_id}' (valid: {valid})")
        first = step_id or flow.first
        if first not in flow.steps:
            raise WalkError(f"flow '{flow_id}' has no step '{first}'")
        return cls(pack, flow, (Visit(first),))

    # -- where we are -------------------------------------------------------------------

    @property
    def step(self) -> Step:
        return self.flow.steps[self.trail[-1].step]

    @property
    def ended(self) -> bool:
        """The walk is at an outcome (or has handed over to another flow)."""
        return self.step.is_outcome or self.handover is not None

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(v.step for v in self.trail)

    def why(self) -> tuple[Answer, ...]:
        """The answers that led here, in order."""
        answers = []
        for visit in self.trail:
            if visit.choice is None:
                continue
            step = self.flow.steps[visit.step]
            choice = next((c for c in step.choices if c.id == visit.choice), None)
            if choice is not None:
                answers.append(Answer(step, choice))
        return tuple(answers)

    @property
    def recorded(self) -> frozenset[str]:
        """Facts recorded by the agent or by the answers given on the way."""
        by_answers = {fact for answer in self.why() for fact in answer.choice.records}
        return self.facts | by_answers

    @property
    def offers_accepted(self) -> frozenset[str]:
        """Offers accepted, on an offer's card or by an answer on the way."""
        return self.accepted | {a.choice.accepts for a in self.why() if a.choice.accepts}

    @property
    def offers_refused(self) -> frozenset[str]:
        return self.refused | {a.choice.refuses for a in self.why() if a.choice.refuses}

    def checked(self, step_id: str | None = None) -> int:
        """How many checklist items of a step (by default the current one) are ticked."""
        step_id = step_id or self.step.id
        return sum(1 for step, _ in self.ticked if step == step_id)

    # -- moving -------------------------------------------------------------------------

    def choice(self, choice_id: str) -> Choice:
        for choice in self.step.choices:
            if choice.id == choice_id:
                return choice
        raise UnknownChoice(self.step, choice_id)

    def choose(self, choice_id: str, auto: bool = False) -> Walk:
        """Answer (``auto``: the details answered)."""
        if self.handover is not None:
            raise WalkError(f"this walk has already handed over to '{self.handover}'")
        choice = self.choice(choice_id)
        trail = (*self.trail[:-1], Visit(self.step.id, choice_id, auto))
        if choice.flow:
            return self._replace(trail=trail, handover=choice.flow)
        assert choice.go is not None
        return self._replace(trail=(*trail, Visit(choice.go)))

    def back(self) -> Walk:
        """Undo the last answer the agent gave (or jump), with the answers the details gave
        after it. With none to undo, the walk stays as it is."""
        last = len(self.trail) - (1 if self.handover is not None else 2)  # the last answer
        for index in range(last, -1, -1):
            visit = self.trail[index]
            if not visit.auto:
                trail = (*self.trail[:index], Visit(visit.step))
                return self._replace(trail=trail, handover=None)
        return self

    def tick(self, index: int, on: bool = True) -> Walk:
        """Tick (or untick) item ``index`` of the current step's checklist."""
        if not 0 <= index < len(self.step.checklist):
            raise WalkError(f"step '{self.step.id}' has no checklist item {index + 1}")
        key = (self.step.id, index)
        return self._replace(ticked=self.ticked | {key} if on else self.ticked - {key})

    def restart(self) -> Walk:
        return Walk.start(self.pack, self.flow.id)

    def jump(self, step_id: str) -> Walk:
        """Go back to a step on the path, or (to preview) to any step of the flow."""
        if step_id not in self.flow.steps:
            raise WalkError(f"flow '{self.flow.id}' has no step '{step_id}'")
        for index, visit in enumerate(self.trail):
            if visit.step == step_id:
                return self._replace(trail=(*self.trail[:index], Visit(step_id)), handover=None)
        return self._replace(trail=(*self.trail, Visit(step_id)), handover=None)

    # -- facts and offers ---------------------------------------------------------------

    def record(self, fact: str, on: bool = True) -> Walk:
        if fact not in self.pack.facts:
            raise WalkError(f"pack '{self.pack.id}' has no fact '{fact}'")
        facts = self.facts | {fact} if on else self.facts - {fact}
        return self._replace(facts=facts)

    def decide(self, offer: str, decision: Decision) -> Walk:
        if offer not in self.pack.offers:
            raise WalkError(f"pack '{self.pack.id}' has no offer '{offer}'")
        refused = self.refused - {offer}
        accepted = self.accepted - {offer}
        if decision == "refused":
            refused |= {offer}
        elif decision == "accepted":
            accepted |= {offer}
        return self._replace(refused=refused, accepted=accepted)

    def offer_status(
        self,
        offer_id: str,
        today: date,
        holds: Callable[[str], bool | None] = lambda condition: None,
    ) -> OfferStatus:
        """Whether the offer may be made now; ``holds`` judges its only_if (unknown: locked)."""
        offer = self.pack.offers[offer_id]
        locks: list[Lock] = []
        if is_expired(offer, today):
            locks.append(Lock("expired", offer_id))
        elif not is_current(offer, today):
            locks.append(Lock("upcoming", offer_id))
        recorded = self.recorded
        locks.extend(Lock("fact", f) for f in offer.requires if f not in recorded)
        if offer.only_if and holds(offer.only_if) is not True:
            locks.append(Lock("condition", offer_id))
        accepted, refused = self.offers_accepted, self.offers_refused
        if offer.ladder is not None and offer.rank is not None:
            for other_id, other in self.pack.offers.items():
                if other.ladder != offer.ladder or other.rank is None:
                    continue
                if other.rank < offer.rank and other_id in accepted:
                    locks.append(Lock("accepted", other_id))
                elif other.rank < offer.rank and other_id not in refused:
                    locks.append(Lock("ladder", other_id))
        decision: Decision = (
            "refused" if offer_id in refused else "accepted" if offer_id in accepted else "open"
        )
        return OfferStatus(offer, tuple(locks), decision)
