"""What the agent sees at a step, rendered with the customer's details.

:func:`present` turns a walk into a :class:`StepView`: plain values the desktop panel,
the kiosk and ``agentdesk walk --json`` all show the same way. No decisions are left to
whoever displays it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, NamedTuple

from agentdesk.core.flows.walk import Lock, Walk
from agentdesk.core.i18n import _
from agentdesk.core.packs.model import Choice, NoteDraft, Pack
from agentdesk.core.packs.validity import is_expired
from agentdesk.core.render.renderer import Renderer
from agentdesk.core.render.values import check_value


class ChoiceView(NamedTuple):
    id: str
    label: str
    hint: str | None
    number: int  # 1-based: the key that picks it


class ScriptView(NamedTuple):
    id: str
    title: str
    text: str
    channel: str | None
    when: str | None
    expired: bool
    active: bool = True  # false: switched off in the helpdesk it came from


class MacroView(NamedTuple):
    id: str
    title: str
    path: str
    levels: tuple[str, ...]
    text: str
    description: str | None
    note: str | None
    ticket_status: str | None
    order_status: str | None
    expired: bool
    fields: tuple[tuple[str, str], ...] = ()  # what else it sets: (label, value)
    active: bool = True  # false: switched off in the helpdesk it came from

    @property
    def clipboard(self) -> str:
        """What 'copy' puts on the clipboard: the body, or the path for path-only macros."""
        return self.text or self.path


class OfferView(NamedTuple):
    id: str
    code: str
    title: str
    description: str
    ladder: str | None
    rank: int | None
    never_volunteer: bool
    decision: str
    available: bool
    locks: tuple[str, ...]  # why it may not be offered yet, in words
    expired: bool


class FactView(NamedTuple):
    """A fact an offer here depends on, and whether it is recorded."""

    id: str
    label: str
    recorded: bool
    by_answer: bool  # recorded by an answer on the path (undo it with Back)


class TimerView(NamedTuple):
    id: str | None
    label: str
    minutes: int
    alert: str | None


class CheckView(NamedTuple):
    label: str
    required: bool


class Crumb(NamedTuple):
    depth: int  # which flow of the session (0 = the first)
    step_id: str
    title: str
    answer: str | None  # the answer given there; None for the current step


class NoteView(NamedTuple):
    medium: str | None = None
    reason: str = ""
    inputs: str = ""
    pending: str = ""
    solution: str = ""
    protocol: str = ""


class StepView(NamedTuple):
    pack_id: str
    pack_title: str
    pack_version: str
    flow_id: str
    flow_title: str
    step_id: str
    title: str
    prompt: str
    text: str
    choices: tuple[ChoiceView, ...]
    scripts: tuple[ScriptView, ...]
    macros: tuple[MacroView, ...]
    offers: tuple[OfferView, ...]
    facts: tuple[FactView, ...]
    checklist: tuple[CheckView, ...]
    timers: tuple[TimerView, ...]
    rules: tuple[str, ...]
    note: NoteView
    ended: bool
    handover: str | None
    path: tuple[str, ...]
    crumbs: tuple[Crumb, ...]
    expired: bool
    valid_until: date | None
    warnings: tuple[str, ...]
    errors: tuple[str, ...]  # texts that could not be rendered (shown as written)
    missing: tuple[str, ...]  # labels of variables shown as placeholders

    def content_json(self) -> dict[str, Any]:
        return {
            "scripts": [s._asdict() for s in self.scripts],
            "macros": [
                {**m._asdict(), "levels": list(m.levels), "fields": [list(f) for f in m.fields]}
                for m in self.macros
            ],
            "offers": [{**o._asdict(), "locks": list(o.locks)} for o in self.offers],
            "facts": [f._asdict() for f in self.facts],
            "timers": [t._asdict() for t in self.timers],
            "checklist": [c._asdict() for c in self.checklist],
            "rules": list(self.rules),
        }

    def to_json(self) -> dict[str, Any]:
        content = self.content_json()
        return {
            "pack": {"id": self.pack_id, "title": self.pack_title, "version": self.pack_version},
            "flow": self.flow_id,
            "flow_title": self.flow_title,
            "path": list(self.path),
            "why": [
                {"step": c.step_id, "title": c.title, "answer": c.answer}
                for c in self.crumbs
                if c.answer is not None
            ],
            "step": {
                "id": self.step_id,
                "title": self.title,
                "prompt": self.prompt,
                "text": self.text,
                "choices": [{"id": c.id, "label": c.label, "hint": c.hint} for c in self.choices],
                **content,
            },
            "outcome": (
                {**content, "note": self.note._asdict()}
                if self.ended and not self.handover
                else None
            ),
            "handover": self.handover,
            "expired": self.expired,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "missing": list(self.missing),
            "warnings": [*self.errors, *self.warnings],
        }


def lock_reason(pack: Pack, lock: Lock) -> str:
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


def step_title(walk: Walk, step_id: str) -> str:
    step = walk.flow.steps[step_id]
    return step.title or (step.ask or "").split("\n")[0][:60] or step_id


def present(
    walks: tuple[Walk, ...],
    values: Mapping[str, str],
    today: date,
    renderer: Renderer,
    allowed: Callable[[Choice], bool] = lambda choice: True,
) -> StepView:
    """Render what the agent sees at the current step of the last walk in ``walks``."""
    walk = walks[-1]
    pack, flow, step = walk.pack, walk.flow, walk.step
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
    scripts = []
    for sid in step.scripts:
        s = pack.scripts[sid]
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
    for oid in step.offers:
        status = walk.offer_status(oid, today)
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
                tuple(lock_reason(pack, lock) for lock in status.locks),
                is_expired(o, today),
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
    for name, value in values.items():
        var = pack.variables.get(name)
        problem = check_value(var, value, pack.manifest.locale) if var else None
        if problem:
            warnings.append(problem)
    missing_labels = tuple(pack.variables[n].label for n in sorted(missing) if n in pack.variables)

    crumbs = []
    for depth, w in enumerate(walks):
        for visit in w.trail:
            answer = None
            if visit.choice is not None:
                answer = next(
                    (
                        c.label or _("Continue")
                        for c in w.flow.steps[visit.step].choices
                        if c.id == visit.choice
                    ),
                    visit.choice,
                )
            crumbs.append(Crumb(depth, visit.step, step_title(w, visit.step), answer))

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
        checklist=tuple(CheckView(c.label, c.required) for c in step.checklist),
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
    )


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
