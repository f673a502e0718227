"""The interaction note's draft: when it starts, when it is merged, when it is closed.

One draft at a time is pending (the store keeps one). The rules:

- An outcome reached in an interaction with no pending draft starts one, from the path the
  agent took; it is written to disk at once.
- Reaching an outcome again in the same interaction (a detail typed, an answer changed)
  merges into that draft: the record of the walk moves on; what the agent wrote wins, and
  the person is always kept.
- An outcome in another interaction while an earlier draft is pending does not touch it:
  the agent is asked to complete it first.
- Saving or discarding closes the draft; the interaction it was drafted from drafts no
  other note (going back and forth on its path must not start a second one).
- The agent may start a blank draft (Ctrl+N with none pending); it belongs to the current
  interaction, so that interaction's outcome merges into it.

Every method returns when to write the draft: ``"now"`` (and show it), ``"soon"`` (a
moment later, coalescing keystrokes), ``"blocked"`` (nothing changed, tell the agent, see
:func:`blocked_message`) or None (nothing to do). Storage and timing are the caller's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from agentdesk.core.i18n import _

if TYPE_CHECKING:
    from agentdesk.core.flows.step_view import StepView
    from agentdesk.core.interaction.call import Call
    from agentdesk.core.notes import Draft

Write = Literal["now", "soon", "blocked"] | None
#: What the agent writes in a draft (the flow only suggests it); the person is always kept.
WRITTEN = ("medium", "reason", "inputs", "pending", "solution", "protocol", "follow_up")


def blocked_message() -> str:
    return _("A note from an earlier interaction is not finished: complete it first (Ctrl+N).")


class NoteDrafting:
    """The pending draft and which interaction it belongs to."""

    def __init__(self) -> None:
        self.draft: Draft | None = None
        #: The agent has typed in the pending draft.
        self.edited = False
        #: The interaction (:attr:`Call.interaction`) the pending draft belongs to; None
        #: for a draft from an earlier run of the app.
        self.owner: int | None = None
        #: The pending draft holds its interaction's outcome (not only what was typed).
        self.drafted = False
        #: The interactions whose drafted note was saved or discarded.
        self.closed: set[int] = set()

    def restore(self, draft: Draft | None) -> None:
        """The draft left pending by an earlier run (it belongs to no interaction of this one)."""
        self.draft, self.owner, self.edited, self.drafted = draft, None, False, False

    def outcome_reached(self, call: Call, view: StepView, agent: str) -> Write:
        """``view`` is showing: if it is an outcome, draft the note from it (or merge)."""
        if not view.ended or view.handover or call.interaction in self.closed:
            return None
        from agentdesk.core.notes.prefill import draft_from_session

        fresh = draft_from_session(
            call.session, view, call.copied, agent=agent, started_at=call.started_at
        )
        if self.draft is None:
            self.draft, self.owner, self.edited, self.drafted = fresh, call.interaction, False, True
            return "now"
        if self.owner != call.interaction:
            return "blocked"
        keep: dict[str, Any] = {"key": self.draft.key, "person": self.draft.person}
        if self.edited:  # what the agent wrote wins; only the record of the walk moves on
            keep.update({f: getattr(self.draft, f) for f in WRITTEN})
        self.draft = fresh._replace(**keep)
        self.drafted = True
        return "soon"

    def copied(self, call: Call) -> Write:
        """Something was copied: the current interaction's draft records it."""
        if self.draft is None or self.owner != call.interaction:
            return None
        self.draft = self.draft._replace(macros_copied=tuple(call.copied))
        return "soon"

    def edit(self, call: Call, agent: str, **fields: Any) -> Write:
        """The agent typed in the note (with no draft pending: a blank one is started)."""
        if self.draft is None:
            from agentdesk.core.notes import Draft

            self.draft = Draft(agent=agent, started_at=call.now())
            self.owner, self.drafted = call.interaction, False
        self.edited = True
        self.draft = self.draft._replace(**fields)
        return "soon"

    def stored(self, draft: Draft) -> None:
        """The store wrote the draft (it sets ``saved_at``), or holds another one instead."""
        if self.draft is None or draft.key != self.draft.key:
            self.owner, self.edited, self.drafted = None, False, False
        self.draft = draft

    def close(self) -> None:
        """The pending draft was saved as a note or discarded."""
        if self.draft is not None and self.drafted and self.owner is not None:
            self.closed.add(self.owner)
        self.draft, self.owner, self.edited, self.drafted = None, None, False, False
