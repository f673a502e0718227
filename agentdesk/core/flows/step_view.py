"""What the agent sees at a step, as plain values: the records :func:`.view.present`
fills and the desktop panel, the kiosk and ``agentdesk walk --json`` all show the same way.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from agentdesk.core.i18n import _


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
    answered: bool = False  # the step's answers accept or refuse it (no buttons of its own)


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
    ticked: bool = False
    id: str | None = None


class Crumb(NamedTuple):
    depth: int  # which flow of the session (0 = the first)
    step_id: str
    title: str
    answer: str | None  # the answer given there; None for the current step
    decided: str | None = None  # the answer was the details': which ones ('Días de mora = 45')


class DecisionView(NamedTuple):
    """An answer the details gave on the way to this step, and why."""

    step_id: str
    title: str
    answer: str
    reason: str  # 'Días de mora = 45'
    skipped: bool  # the step did not apply and was passed over

    @property
    def text(self) -> str:
        """'Días de mora = 45 → DICOM'; a step passed over: 'Segmento = Oro: «Comisión» does
        not apply'."""
        if self.skipped:
            return _("{reason}: «{step}» does not apply").format(
                reason=self.reason, step=self.title
            )
        return f"{self.reason} → {self.answer}" if self.reason else self.answer


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
    decisions: tuple[DecisionView, ...] = ()  # what the details decided on the way here
    undecided: bool = False  # a decision step the details cannot take: answer by hand
    awaiting: tuple[str, ...] = ()  # labels of the details it waits for

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
                {"step": c.step_id, "title": c.title, "answer": c.answer, "decided": c.decided}
                for c in self.crumbs
                if c.answer is not None
            ],
            "decisions": [{**d._asdict(), "text": d.text} for d in self.decisions],
            "undecided": self.undecided,
            "awaiting": list(self.awaiting),
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
