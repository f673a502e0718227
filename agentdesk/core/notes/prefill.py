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
    from agentdesk.core.flows.step_view import StepView


def draft_from_session(
    session: Session,
    view: StepView,
    macros_copied: Iterable[str] = (),
    *,
    person: str = "",
    agent: str = "",
    started_at: datetime | None = None,
    ended_at: datetime | None = None,
) -> Draft:
    """The draft for ``view``, the session's current step (normally an outcome).

    ``view`` is what ``session.view()`` returned; it is passed in because the panel has it
    already and building it again renders every text of the step twice. ``macros_copied``
    are the ids of the macros the agent copied, in order; the panel knows them, the session
    does not. ``ended_at`` defaults to now.
    """
    scripts: list[str] = []
    accepted: set[str] = set()
    for walk in session.walks:
        accepted |= walk.offers_accepted
        for visit in walk.trail:
            scripts.extend(walk.flow.steps[visit.step].scripts)
    return Draft(
        person=person,
        **view.note._asdict(),
        pack_id=view.pack_id,
        pack_version=view.pack_version,
        flow_id=view.flow_id,
        path=path_entries(view),
        scripts_shown=tuple(dict.fromkeys(scripts)),
        macros_copied=tuple(dict.fromkeys(macros_copied)),
        offers_applied=tuple(sorted(accepted)),
        started_at=started_at,
        ended_at=ended_at or datetime.now(),
        agent=agent,
    )


def path_entries(view: StepView) -> tuple[str, ...]:
    """Each step passed, with the answer given there: ``"inicio: Quiere reclamar"``."""
    return tuple(
        f"{crumb.step_id}: {' '.join(crumb.answer.split())}" if crumb.answer else crumb.step_id
        for crumb in view.crumbs
    )
