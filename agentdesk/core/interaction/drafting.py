"""The interaction notes' drafts: when one starts, is merged, is set aside, is closed.

The note follows the call. One draft is *open*: the one the note form shows and Ctrl+N
opens (the store's current draft). Drafts of earlier calls that are not finished are *set
aside*: kept, never overwritten, listed for the agent to complete. The rules:

- An outcome reached in an interaction with no draft yet starts one, from the path the
  agent took, and opens it; the draft that was open (an earlier call's) is set aside.
  Both are written to disk at once.
- Reaching an outcome again in the same interaction (a detail typed, an answer changed)
  merges into that interaction's draft (opening it again if the agent had opened another):
  the record of the walk moves on; what the agent wrote wins, and the person is kept.
- Saving or discarding closes the open draft; the interaction it was drafted from drafts
  no other note (going back and forth on its path must not start a second one).
- Ctrl+N opens the draft of the call in progress, or starts a blank one for it; between
  calls (nothing about a customer yet) it opens the draft that is open. The agent may open
  any draft set aside (:meth:`NoteDrafting.pick`).

Every method returns when to write: ``"now"`` (the drafts just set aside first, see
:attr:`NoteDrafting.moved`, then the open one; and show it), ``"soon"`` (a moment
later, coalescing keystrokes) or None (nothing to do). Storage and timing are the caller's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from agentdesk.core.flows.step_view import StepView
    from agentdesk.core.interaction.call import Call
    from agentdesk.core.notes import Draft

Write = Literal["now", "soon"] | None
#: What the agent writes in a draft (the flow only suggests it); the person is always kept.
WRITTEN = ("medium", "reason", "inputs", "pending", "solution", "protocol", "follow_up")


class Pending(NamedTuple):
    """A draft not finished yet, and what this run of the app knows about it."""

    draft: Draft
    #: The interaction (:attr:`Call.interaction`) it belongs to; None for a draft from an
    #: earlier run of the app, or one another process wrote.
    owner: int | None = None
    #: The agent has typed in it.
    edited: bool = False
    #: It holds its interaction's outcome (not only what was typed).
    drafted: bool = False


class NoteDrafting:
    """The open draft, the drafts set aside, and which interaction each belongs to."""

    def __init__(self) -> None:
        self.open: Pending | None = None
        #: Unfinished drafts of earlier calls, oldest first.
        self.aside: list[Pending] = []
        #: The interactions whose drafted note was saved or discarded.
        self.closed: set[int] = set()
        #: Drafts set aside and not written aside yet: write them before the open one (the
        #: store keeps one open draft; the one set aside makes room), then empty the list.
        self.moved: list[Draft] = []

    # -- what is pending ----------------------------------------------------------------

    @property
    def draft(self) -> Draft | None:
        """The open draft, if any."""
        return self.open.draft if self.open else None

    @property
    def owner(self) -> int | None:
        return self.open.owner if self.open else None

    @property
    def edited(self) -> bool:
        return bool(self.open and self.open.edited)

    @property
    def drafted(self) -> bool:
        return bool(self.open and self.open.drafted)

    @property
    def waiting(self) -> list[Draft]:
        """The drafts set aside, the newest first (as the agent looks for them)."""
        return [p.draft for p in reversed(self.aside)]

    # -- the rules ------------------------------------------------------------------------

    def restore(self, draft: Draft | None, aside: list[Draft] | None = None) -> None:
        """What an earlier run left: the open draft and those set aside (oldest first). They
        belong to no interaction of this run. A draft this run holds already (an outcome
        reached before the notes were opened) stays as it is, with its interaction."""
        held = {p.draft.key for p in ([self.open] if self.open else []) + self.aside}
        if self.open is None and draft is not None and draft.key not in held:
            self.open = Pending(draft)
            held.add(draft.key)
        found = [d for d in [*(aside or ()), *([draft] if draft else [])] if d.key not in held]
        self.aside[:0] = [Pending(d) for d in found]

    def outcome_reached(self, call: Call, view: StepView, agent: str) -> Write:
        """``view`` is showing: if it is an outcome, draft the note from it (or merge)."""
        if not view.ended or view.handover or call.interaction in self.closed:
            return None
        from agentdesk.core.notes.prefill import draft_from_session

        fresh = draft_from_session(
            call.session, view, call.copied, agent=agent, started_at=call.started_at
        )
        reopened = self._open_own(call.interaction)
        if self.open is None or self.open.owner != call.interaction:
            self._set_aside()
            self.open = Pending(fresh, call.interaction, drafted=True)
            return "now"
        draft = self.open.draft
        keep: dict[str, Any] = {"key": draft.key, "person": draft.person}
        if self.open.edited:  # what the agent wrote wins; only the record of the walk moves on
            keep.update({f: getattr(draft, f) for f in WRITTEN})
        self.open = self.open._replace(draft=fresh._replace(**keep), drafted=True)
        return "now" if reopened else "soon"

    def copied(self, call: Call) -> Write:
        """Something was copied: the current interaction's draft records it."""
        if self.open is None or self.open.owner != call.interaction:
            return None
        draft = self.open.draft._replace(macros_copied=tuple(call.copied))
        self.open = self.open._replace(draft=draft)
        return "soon"

    def edit(self, call: Call, agent: str, **fields: Any) -> Write:
        """The agent typed in the open draft (with none open: a blank one is started)."""
        if self.open is None:
            from agentdesk.core.notes import Draft

            self.open = Pending(Draft(agent=agent, started_at=call.now()), call.interaction)
        self.open = self.open._replace(draft=self.open.draft._replace(**fields), edited=True)
        return "soon"

    def for_call(self, call: Call, agent: str) -> Write:
        """Ctrl+N: open the draft of the call in progress, or a blank one for it."""
        if self.open is not None and self.open.owner == call.interaction:
            return None
        if self._open_own(call.interaction):
            return "now"
        if self.open is not None and not call.has_customer:
            return None  # between calls: the draft that is open is the one to finish
        from agentdesk.core.notes import Draft

        self._set_aside()
        self.open = Pending(Draft(agent=agent, started_at=call.now()), call.interaction)
        return "now"

    def pick(self, key: str) -> Write:
        """The agent opens a draft set aside (the open one is set aside in its place)."""
        chosen = next((p for p in self.aside if p.draft.key == key), None)
        if chosen is None:
            return None
        self.aside.remove(chosen)
        self._set_aside()
        self.open = chosen
        return "now"

    def stored(self, draft: Draft) -> None:
        """The store wrote the open draft (it sets ``saved_at``), or holds another one in its
        place (another process wrote it): that one opens, ours is kept aside (the caller
        has written it aside)."""
        if self.open is not None and draft.key == self.open.draft.key:
            self.open = self.open._replace(draft=draft)
            return
        if self.open is not None:
            self.aside.append(self.open)
        self.open = Pending(draft)

    def close(self) -> None:
        """The open draft was saved as a note or discarded."""
        if self.open is not None and self.open.drafted and self.open.owner is not None:
            self.closed.add(self.open.owner)
        self.open = None

    # -- moving drafts --------------------------------------------------------------------

    def _set_aside(self) -> None:
        """Keep the open draft aside (to be written there)."""
        if self.open is not None:
            self.aside.append(self.open)
            self.moved.append(self.open.draft)
            self.open = None

    def _open_own(self, interaction: int) -> bool:
        """Open ``interaction``'s draft if it was set aside; whether it was."""
        own = next((p for p in self.aside if p.owner == interaction), None)
        if own is None:
            return False
        self.aside.remove(own)
        self._set_aside()
        self.open = own
        return True
