"""What the agent sees at a step, rendered with the customer's details.

:func:`present` turns a walk into a :class:`~.step_view.StepView`: plain values the
desktop panel, the kiosk and ``agentdesk walk --json`` all show the same way
(:mod:`.step_view`). No decisions are left to whoever displays it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from agentdesk.core.flows.step_view import (
    CheckView,
    ChoiceView,
    Crumb,
    DecisionView,
    FactView,
    MacroView,
    NoteView,
    OfferView,
    ScriptView,
    StepView,
    TimerView,
)
from agentdesk.core.flows.walk import Lock, Walk
from agentdesk.core.i18n import _
from agentdesk.core.packs.model import Choice, NoteDraft, Pack
from agentdesk.core.packs.validity import is_expired
from agentdesk.core.render.renderer import Renderer
from agentdesk.core.render.values import check_value

if TYPE_CHECKING:
    from agentdesk.core.flows.judge import Judge


def lock_reason(pack: Pack, lock: Lock, judge: Judge | None = None) -> str:
    if lock.kind == "condition":
        condition = pack.offers[lock.subject].only_if or ""
        wanted = judge.missing([condition]) if judge else ()
        if wanted:
            return _("Only with the details: {details}").format(details=", ".join(wanted))
        reason = judge.reason([condition]) if judge else ""
        return _("Only if: {condition}").format(condition=condition) + (
            f" ({reason})" if reason else ""
        )
    if lock.kind == "fact":
        fact = pack.facts.get(lock.subject)
        return _("Only after recording: {fact}").format(fact=fact.label if fact else lock.subject)
    offer = pack.offers.get(lock.subject)
    code = offer.code if offer else lock.subject
    if lock.kind == "ladder":
        return _("Only after the customer refused {offer}").format(offer=code)
    if lock.kind == "accepted":
        return _("The customer already accepted {offer}").format(offer=code)
    if lock.kind == "upcoming":
        return _("Not valid yet")
    return _("Expired")


def step_title(walk: Walk, step_id: str, render: Callable[[str], str] | None = None) -> str:
    """The step's title; without one, the first line of its question as the agent reads it
    (``render`` fills in the details; without it a question that uses them is not shown)."""
    step = walk.flow.steps[step_id]
    if step.title:
        return step.title
    ask = step.ask or ""
    if render is not None:
        ask = render(ask)
    elif "{" in ask:
        ask = ""
    return ask.strip().split("\n")[0][:60] or step_id


def present(
    walks: tuple[Walk, ...],
    values: Mapping[str, str],
    today: date,
    renderer: Renderer,
    allowed: Callable[[Choice], bool] = lambda choice: True,
    judges: Callable[[Pack], Judge] | None = None,
    notices: Sequence[str] = (),
    renderers: Callable[[Pack], Renderer] | None = None,
) -> StepView:
    """Render what the agent sees at the current step of the last walk in ``walks``.
    ``judges`` gives the judge of a pack's conditions (without it, no condition holds);
    ``renderers`` the renderer of another pack the walks passed through."""
    walk = walks[-1]
    pack, flow, step = walk.pack, walk.flow, walk.step
    judge = judges(pack) if judges else None
    context = renderer.context(values)
    warnings: list[str] = []
    errors: list[str] = []
    missing: set[str] = set()

    def render(text: str | None, where: str) -> str:
        if not text:
            return ""
        result = renderer.render(text, context)
        missing.update(result.missing)
        if result.error:
            errors.append(
                _("Could not show {where}: {error}").format(where=where, error=result.error)
            )
        return result.text

    choices = tuple(
        ChoiceView(c.id or "", c.label or _("Continue"), c.hint, n)
        for n, c in enumerate((c for c in step.choices if allowed(c)), 1)
    )

    def shown(condition: str | None) -> bool:
        return not condition or bool(judge and judge.holds(condition, walk))

    scripts = []
    for sid in step.scripts:
        s = pack.scripts[sid]
        if not shown(s.only_if):
            continue
        scripts.append(
            ScriptView(
                sid,
                s.title,
                render(s.text, s.title),
                s.channel,
                s.when,
                is_expired(s, today),
                s.active,
            )
        )
    macros = []
    for use in step.macros:
        m = pack.macros[use.macro]
        if not shown(m.only_if):
            continue
        macros.append(
            MacroView(
                m.id,
                m.title,
                m.path,
                m.levels,
                render(m.text, m.title),
                m.description,
                use.note,
                use.ticket_status or m.ticket_status,
                use.order_status or m.order_status,
                is_expired(m, today),
                tuple((f.label or f.field, ", ".join(f.items) or f.value) for f in m.fields),
                m.active,
            )
        )
    offers = []
    answered = {c.accepts or c.refuses for c in step.choices}
    for oid in step.offers:
        status = walk.offer_status(oid, today, lambda c: judge.holds(c, walk) if judge else None)
        o = status.offer
        offers.append(
            OfferView(
                oid,
                o.code,
                o.title,
                render(o.description, o.title),
                o.ladder,
                o.rank,
                o.never_volunteer,
                status.decision,
                status.available,
                tuple(lock_reason(pack, lock, judge) for lock in status.locks),
                is_expired(o, today),
                oid in answered,
            )
        )
    recorded = walk.recorded
    fact_ids = dict.fromkeys(f for oid in step.offers for f in pack.offers[oid].requires)
    facts = tuple(
        FactView(f, pack.facts[f].label, f in recorded, f in recorded and f not in walk.facts)
        for f in fact_ids
        if f in pack.facts
    )
    rules = tuple(render(r, flow.title) for r in (*flow.rules, *step.rules))
    prompt = render(step.ask, step.title or step.id)
    text = render(step.text, step.title or step.id)
    note = _note(walks, lambda t: render(t, _("the interaction note")))
    undecided = bool(judge and judge.undecided(walk))
    conditions = [
        *(c.only_if for c in step.choices if undecided),
        *(pack.scripts[s].only_if for s in step.scripts),
        *(pack.macros[m.macro].only_if for m in step.macros),
    ]
    awaiting = judge.missing(conditions) if judge else ()

    expired_items = [item for item in (pack.manifest, flow) if is_expired(item, today)]
    valid_until = expired_items[0].valid_until if expired_items else None
    if valid_until is not None:
        warnings.insert(
            0,
            _("Expired content: valid until {date}. Do not use it as current.").format(
                date=valid_until.isoformat()
            ),
        )
    if walk.handover is not None:
        warnings.append(
            _("This answer continues in '{flow}', which is not available here.").format(
                flow=walk.handover
            )
        )
    warnings.extend(notices)
    if undecided:
        warnings.append(
            _("To decide, type: {details}; or answer by hand.").format(details=", ".join(awaiting))
            if awaiting
            else _("No answer fits the customer's details: answer by hand.")
        )
    elif awaiting:
        warnings.append(
            _("Type {details} to see what depends on it.").format(details=", ".join(awaiting))
        )
    for name, value in values.items():
        var = pack.variables.get(name)
        problem = check_value(var, value, pack.manifest.locale) if var else None
        if problem:
            warnings.append(problem)
    missing_labels = tuple(pack.variables[n].label for n in sorted(missing) if n in pack.variables)

    def titles(w: Walk) -> Callable[[str], str] | None:
        """Questions of ``w`` filled in (quietly: a crumb is no place for errors)."""
        other = renderers(w.pack) if renderers else renderer if w.pack is pack else None
        if other is None:
            return None
        details = other.context(values)
        return lambda text: "" if (done := other.render(text, details)).error else done.text

    crumbs = _crumbs(walks, titles, judges)

    return StepView(
        pack_id=pack.id,
        pack_title=pack.title,
        pack_version=pack.version,
        flow_id=flow.id,
        flow_title=flow.title,
        step_id=step.id,
        title=step.title or "",
        prompt=prompt,
        text=text,
        choices=choices if walk.handover is None else (),
        scripts=tuple(scripts),
        macros=tuple(macros),
        offers=tuple(offers),
        facts=facts,
        checklist=tuple(
            CheckView(c.label, c.required, (step.id, n) in walk.ticked, c.id)
            for n, c in enumerate(step.checklist)
        ),
        timers=tuple(TimerView(t.id, t.label, t.minutes, t.alert) for t in step.timers),
        rules=rules,
        note=note,
        ended=walk.ended,
        handover=walk.handover,
        path=walk.path,
        crumbs=tuple(crumbs),
        expired=valid_until is not None,
        valid_until=valid_until,
        warnings=tuple(warnings),
        errors=tuple(errors),
        missing=missing_labels,
        decisions=_decisions(crumbs, walks),
        undecided=undecided,
        awaiting=awaiting if undecided else (),
    )


def _crumbs(
    walks: tuple[Walk, ...],
    titles: Callable[[Walk], Callable[[str], str] | None],
    judges: Callable[[Pack], Judge] | None,
) -> list[Crumb]:
    """Every step passed, with the answer given there (and why, when the details gave it)."""
    crumbs = []
    for depth, w in enumerate(walks):
        judge = judges(w.pack) if judges else None
        shown = titles(w)
        for visit in w.trail:
            answer = decided = None
            step = w.flow.steps[visit.step]
            if visit.choice is not None:
                answer = next(
                    (c.label or _("Continue") for c in step.choices if c.id == visit.choice),
                    visit.choice,
                )
                if visit.auto and judge is not None:
                    decided = judge.why(step, visit.choice, w)
                    if step.only_if and not step.decide:
                        answer = _("does not apply")
            crumbs.append(
                Crumb(depth, visit.step, step_title(w, visit.step, shown), answer, decided)
            )
    return crumbs


def _decisions(crumbs: list[Crumb], walks: tuple[Walk, ...]) -> tuple[DecisionView, ...]:
    """The answers the details gave right before the current step."""
    found: list[DecisionView] = []
    for crumb in reversed(crumbs[:-1]):
        if crumb.decided is None:
            break
        step = walks[crumb.depth].flow.steps[crumb.step_id]
        skipped = bool(step.only_if) and not step.decide
        found.append(
            DecisionView(crumb.step_id, crumb.title, crumb.answer or "", crumb.decided, skipped)
        )
    return tuple(reversed(found))


def _note(walks: tuple[Walk, ...], render: Any) -> NoteView:
    """The note draft: each visited step's note, text fields joined in path order."""
    medium: str | None = None
    parts: dict[str, list[str]] = {f: [] for f in NoteView._fields if f != "medium"}
    for walk in walks:
        for visit in walk.trail:
            draft: NoteDraft | None = walk.flow.steps[visit.step].note
            if draft is None:
                continue
            medium = draft.medium or medium
            for field, lines in parts.items():
                text = render(getattr(draft, field))
                if text and text not in lines:
                    lines.append(text)
    return NoteView(medium, **{f: "\n".join(lines) for f, lines in parts.items()})
