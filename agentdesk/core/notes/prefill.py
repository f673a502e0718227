"""A note draft from the wizard: what the flow's outcome and path already say.

The agent only completes what the flow cannot know (usually the person, and anything the
customer said). Everything the wizard did is recorded: pack, flow, the answers given,
the scripts shown along the way, the offers accepted and the macros copied.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from agentdesk.core.notes.model import Draft

if TYPE_CHECKING:
    from agentdesk.core.flows.session import Session
    from agentdesk.core.flows.view import StepView


def draft_from_session(
    session: Session,
    macros_copied: Iterable[str] = (),
    *,
    person: str = "",
    agent: str = "",
    started_at: datetime | None = None,
    ended_at: datetime | None = None,
) -> Draft:
    """The draft for the session's current step (normally an outcome).

    ``macros_copied`` are the ids of the macros the agent copied, in order; the panel
    knows them, the session does not. ``ended_at`` defaults to now.
    """
    view = session.view()
    scripts: list[str] = []
    accepted: set[str] = set()
    for walk in session.walks:
        accepted |= walk.accepted
        for visit in walk.trail:
            scripts.extend(walk.flow.steps[visit.step].scripts)
    return _draft(
        view, scripts, sorted(accepted), macros_copied, person, agent, started_at, ended_at
    )


def draft_from_view(
    view: StepView,
    macros_copied: Iterable[str] = (),
    *,
    person: str = "",
    agent: str = "",
    started_at: datetime | None = None,
    ended_at: datetime | None = None,
) -> Draft:
    """Like :func:`draft_from_session` with only the view: scripts and offers of this step."""
    scripts = [s.id for s in view.scripts]
    accepted = [o.id for o in view.offers if o.decision == "accepted"]
    return _draft(view, scripts, accepted, macros_copied, person, agent, started_at, ended_at)


def path_entries(view: StepView) -> tuple[str, ...]:
    """Each step passed, with the answer given there: ``"inicio: Quiere reclamar"``."""
    return tuple(
        f"{crumb.step_id}: {' '.join(crumb.answer.split())}" if crumb.answer else crumb.step_id
        for crumb in view.crumbs
    )


def _draft(
    view: StepView,
    scripts: Iterable[str],
    accepted: Iterable[str],
    macros_copied: Iterable[str],
    person: str,
    agent: str,
    started_at: datetime | None,
    ended_at: datetime | None,
) -> Draft:
    note = view.note
    return Draft(
        person=person,
        medium=note.medium,
        reason=note.reason,
        inputs=note.inputs,
        pending=note.pending,
        solution=note.solution,
        protocol=note.protocol,
        pack_id=view.pack_id,
        pack_version=view.pack_version,
        flow_id=view.flow_id,
        path=path_entries(view),
        scripts_shown=tuple(dict.fromkeys(scripts)),
        macros_copied=tuple(dict.fromkeys(macros_copied)),
        offers_applied=tuple(accepted),
        started_at=started_at,
        ended_at=ended_at or datetime.now(),
        agent=agent,
    )
