"""Run a pack's scenario tests and measure which outcomes and conditional branches they
reach: an answer with a condition or an offer to decide, each answer of a decision step
(taken by the details), and a step that may be skipped (shown and skipped)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple, get_args

from agentdesk.core.flows.session import Session
from agentdesk.core.flows.step_view import StepView
from agentdesk.core.flows.walk import WalkError
from agentdesk.core.packs.model import Audience, Expect, Pack, Scenario
from agentdesk.core.packs.validity import may_use


class ScenarioResult(NamedTuple):
    scenario: Scenario
    failures: tuple[str, ...]
    reached: tuple[str, str] | None  # (flow, step) where the walk stopped
    branches: frozenset[str] = frozenset()  # the conditional branches it went through

    @property
    def passed(self) -> bool:
        return not self.failures


def run_scenario(pack: Pack, scenario: Scenario, today: date) -> ScenarioResult:
    session = Session(
        lambda pid: pack if pid == pack.id else None,
        scenario.today or today,
        _audience(pack, scenario.flow),
    )
    session.values = dict(scenario.vars)
    try:
        session.open(pack.id, scenario.flow)
        session.tick_items(scenario.tick)
        for choice in scenario.choose:
            walk = session.walk
            if walk.handover is not None:
                raise WalkError(
                    f"the walk left the pack for '{walk.handover}' before choice '{choice}'"
                )
            session.choose(choice)
            session.tick_items(scenario.tick)
        for fact in scenario.record:
            session.record(fact)
        for offer in scenario.refuse:
            session.decide(offer, "refused")
        for offer in scenario.accept:
            session.decide(offer, "accepted")
    except WalkError as exc:
        return ScenarioResult(scenario, (str(exc),), None)
    except Exception as exc:
        return ScenarioResult(scenario, (f"{type(exc).__name__}: {exc}",), None)
    view = session.view()
    assert scenario.expect is not None
    failures = _compare(scenario.expect, view)
    reached = (view.flow_id, view.step_id)
    taken = frozenset(_taken(session)) if not failures else frozenset()
    return ScenarioResult(scenario, tuple(failures), reached, taken)


def _audience(pack: Pack, flow_id: str) -> Audience:
    """Who walks a scenario: a desk, or a kiosk if the flow is for kiosks only."""
    flow = pack.flows.get(flow_id)
    allowed = [a for a in get_args(Audience) if flow is not None and may_use(pack, flow, a)]
    return allowed[0] if allowed else "desk"


def _compare(expect: Expect, view: StepView) -> list[str]:
    failures: list[str] = []
    if expect.step is not None and view.step_id != expect.step:
        failures.append(f"expected step '{expect.step}', reached '{view.step_id}'")
    if expect.outcome is not None and view.ended != expect.outcome:
        failures.append(
            "expected the flow to end at an outcome"
            if expect.outcome
            else f"expected the flow to go on, but step '{view.step_id}' ends it"
        )
    if expect.flow is not None:
        here = (view.handover, view.flow_id, f"{view.pack_id}/{view.flow_id}")
        if expect.flow not in here:
            failures.append(f"expected flow '{expect.flow}', got '{view.handover or view.flow_id}'")
    if expect.expired is not None and view.expired != expect.expired:
        failures.append(f"expected expired={str(expect.expired).lower()}")
    if expect.path and view.path != expect.path:
        failures.append(
            f"expected the path {' → '.join(expect.path)}, went {' → '.join(view.path)}"
        )

    def subset(kind: str, wanted: tuple[str, ...], shown: list[str]) -> None:
        for item in wanted:
            if item not in shown:
                failures.append(f"expected {kind} '{item}'; shown: {', '.join(shown) or 'none'}")

    subset("script", expect.scripts, [s.id for s in view.scripts])
    subset("macro", expect.macros, [m.id for m in view.macros])
    subset("available offer", expect.offers_available, [o.id for o in view.offers if o.available])
    subset("locked offer", expect.offers_locked, [o.id for o in view.offers if o.locks])
    subset("timer", expect.timers, [t.id or "" for t in view.timers])
    subset("answer", expect.choices, [c.id for c in view.choices])
    shown = _all_text(view)
    for text in expect.text:
        if text not in shown:
            failures.append(f"expected the text {text!r} to appear")
    for text in expect.no_text:
        if text in shown:
            failures.append(f"expected the text {text!r} not to appear")
    failures.extend(view.errors)
    return failures


def _all_text(view: StepView) -> str:
    parts = [*(d.text for d in view.decisions), view.prompt, view.text, *view.rules]
    parts += [f"{s.title}\n{s.text}" for s in view.scripts]
    parts += [
        f"{m.title}\n{m.path}\n{m.text}\n{m.ticket_status}\n{m.order_status}\n{m.description}"
        for m in view.macros
    ]
    parts += [f"{o.code}\n{o.title}\n{o.description}\n" + "\n".join(o.locks) for o in view.offers]
    parts += [c.label for c in view.checklist]
    parts += [f"{t.label}\n{t.alert}" for t in view.timers]
    parts += [c.label for c in view.choices]
    parts += [getattr(view.note, f) for f in view.note._fields if f != "medium"]
    return "\n".join(p for p in parts if p)


def outcomes(pack: Pack) -> list[tuple[str, str]]:
    """Every (flow, step) that ends a flow."""
    return [
        (flow.id, step.id)
        for flow in pack.flows.values()
        for step in flow.steps.values()
        if step.is_outcome
    ]


def uncovered(pack: Pack, results: list[ScenarioResult]) -> list[tuple[str, str]]:
    reached = {r.reached for r in results if r.passed and r.reached}
    return [o for o in outcomes(pack) if o not in reached]


class Branch(NamedTuple):
    flow: str
    step: str
    name: str  # the answer's id, or 'shown' / 'skipped' for a step with only_if

    def __str__(self) -> str:
        if self.name in ("shown", "skipped"):
            return f"{self.flow}/{self.step} ({self.name})"
        return f"{self.flow}/{self.step} → {self.name}"


def branches(pack: Pack) -> list[Branch]:
    """Every conditional branch of the pack's flows."""
    found: list[Branch] = []
    for flow in pack.flows.values():
        for step in flow.steps.values():
            if step.only_if and step.next is not None:
                found += [Branch(flow.id, step.id, "shown"), Branch(flow.id, step.id, "skipped")]
            for choice in step.choices:
                if step.decide or choice.only_if or choice.accepts or choice.refuses:
                    found.append(Branch(flow.id, step.id, choice.id or ""))
    return found


def _taken(session: Session) -> list[str]:
    taken = []
    for walk in session.walks:
        for visit in walk.trail:
            step = walk.flow.steps[visit.step]
            if step.only_if and step.next is not None:
                skipped = visit.auto and visit.choice == "next"
                taken.append(str(Branch(walk.flow.id, step.id, "skipped" if skipped else "shown")))
            elif visit.choice is not None and (visit.auto or not step.decide):
                taken.append(str(Branch(walk.flow.id, step.id, visit.choice)))
    return taken


def branches_not_taken(pack: Pack, results: list[ScenarioResult]) -> list[Branch]:
    """Conditional branches no passing test goes through (a decision's answers count when
    the details gave them)."""
    taken = {b for r in results if r.passed for b in r.branches}
    return [b for b in branches(pack) if str(b) not in taken]
