"""Run a pack's scenario tests and measure which outcomes they reach."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple, get_args

from agentdesk.core.flows.session import Session
from agentdesk.core.flows.view import StepView
from agentdesk.core.flows.walk import WalkError
from agentdesk.core.packs.model import Audience, Expect, Pack, Scenario
from agentdesk.core.packs.validity import may_use


class ScenarioResult(NamedTuple):
    scenario: Scenario
    failures: tuple[str, ...]
    reached: tuple[str, str] | None  # (flow, step) where the walk stopped

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
        for choice in scenario.choose:
            walk = session.walk
            if walk.handover is not None:
                raise WalkError(
                    f"the walk left the pack for '{walk.handover}' before choice '{choice}'"
                )
            session.choose(choice)
        for fact in scenario.record:
            session.record(fact)
        for offer in scenario.refuse:
            session.decide(offer, "refused")
    except WalkError as exc:
        return ScenarioResult(scenario, (str(exc),), None)
    except Exception as exc:
        return ScenarioResult(scenario, (f"{type(exc).__name__}: {exc}",), None)
    view = session.view()
    assert scenario.expect is not None
    failures = _compare(scenario.expect, view)
    reached = (view.flow_id, view.step_id)
    return ScenarioResult(scenario, tuple(failures), reached)


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

    def subset(kind: str, wanted: tuple[str, ...], shown: list[str]) -> None:
        for item in wanted:
            if item not in shown:
                failures.append(f"expected {kind} '{item}'; shown: {', '.join(shown) or 'none'}")

    subset("script", expect.scripts, [s.id for s in view.scripts])
    subset("macro", expect.macros, [m.id for m in view.macros])
    subset("available offer", expect.offers_available, [o.id for o in view.offers if o.available])
    subset("locked offer", expect.offers_locked, [o.id for o in view.offers if o.locks])
    subset("timer", expect.timers, [t.id or "" for t in view.timers])
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
    parts = [view.prompt, view.text, *view.rules]
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
