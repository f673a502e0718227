"""The call in progress: the customer being served, from one "New customer" to the next.

A call holds what the screen knows about the customer: the flow session (the path taken,
the facts and offers recorded on it and the checklist items ticked: answers may count
them), the customer's details, the countdowns started on the path (they run on while the agent
moves on, until they are dismissed or the call ends) and what was copied to the
clipboard, and when. Each flow
opened for the customer is an *interaction*: it has its own start time and copies, and its
outcome drafts one note (:mod:`.drafting`). "New customer" (:meth:`Call.new_customer`)
forgets everything at once.

Every intent returns the :class:`StepView` to show now, or None when nothing changed;
:class:`~agentdesk.core.flows.walk.WalkError` says why an intent does not fit the walk.
The flow engine is imported when the first flow opens, not when the panel starts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from agentdesk.core.flows.session import PackLookup, Session
    from agentdesk.core.flows.step_view import StepView
    from agentdesk.core.flows.walk import Decision
    from agentdesk.core.packs.model import Audience
    from agentdesk.core.usage.recording import CallUsage

#: A checklist item as the page names it: (pack id, flow id, step id, item index); only
#: the index (the last part) reaches the session, which keeps the ticks of each step.
TickKey = tuple[str, ...]
#: A timer on the path: (walks open, visits in the walk, step id, timer index).
TimerKey = tuple[object, ...]


class Copy(NamedTuple):
    """Something put on the clipboard during the call: the item's id, and when."""

    item: str
    at: datetime


class Countdown(NamedTuple):
    """A timer of a step the agent reached: it counts down from when the step first
    showed, on the call's clock, until the agent dismisses it or the call ends."""

    key: TimerKey
    label: str
    alert: str
    started: float
    seconds: int

    def left(self, now: float) -> int:
        """Whole seconds left at ``now`` (0 or less: the time is up)."""
        return round(self.started + self.seconds - now)


class Call:
    """The customer on the line, and every intent the agent sends about them."""

    def __init__(
        self,
        lookup: PackLookup,
        audience: Audience = "desk",
        today: Callable[[], date] = date.today,
        *,
        now: Callable[[], datetime] = datetime.now,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.lookup = lookup
        self.audience: Audience = audience
        self.today = today
        self.now = now
        self.clock = clock
        self._session: Session | None = None
        self.timer_starts: dict[TimerKey, float] = {}
        #: The countdowns started on the path, the agent has not dismissed.
        self.countdowns: dict[TimerKey, Countdown] = {}
        self._dismissed: set[TimerKey] = set()
        #: The copies of the current interaction, in order (repeats included).
        self.copies: list[Copy] = []
        #: Which interaction this is: a new number for every flow opened and every customer.
        self.interaction = 0
        #: When the agent opened the current flow (the note's start time).
        self.started_at = now()
        #: What the screen shows now (None: the start screen).
        self.view: StepView | None = None
        #: The usage figures, told of every flow opened, every intent and every call's end
        #: (None: not recorded). Each flow opened is a call there.
        self.usage: CallUsage | None = None

    # -- state --------------------------------------------------------------------------

    @property
    def session(self) -> Session:
        """The agent's walk; the flow engine is loaded when it is first needed."""
        if self._session is None:
            from agentdesk.core.flows.session import Session

            self._session = Session(self.lookup, self.today(), self.audience)
        return self._session

    @property
    def values(self) -> dict[str, str]:
        """The customer's details, by variable id."""
        return self.session.values

    @property
    def is_open(self) -> bool:
        return self._session is not None and self._session.is_open

    @property
    def ticks(self) -> set[TickKey]:
        """The checklist items ticked on the path, as the page names them. The session
        keeps them (answers may count them); this is only how they read from here."""
        if not self.is_open:
            return set()
        return {
            (walk.pack.id, walk.flow.id, step, str(index))
            for walk in self.session.walks
            for step, index in walk.ticked
        }

    @property
    def copied(self) -> list[str]:
        """The ids of the items copied in this interaction, each once, in first-copy order."""
        return list(dict.fromkeys(copy.item for copy in self.copies))

    @property
    def has_customer(self) -> bool:
        """Whether anything about a customer is held: a flow, details, ticks or copies."""
        return bool(
            self.is_open
            or (self._session is not None and self._session.values)
            or self.ticks
            or self.copies
        )

    # -- intents ------------------------------------------------------------------------

    def open(
        self, pack_id: str, flow_id: str | None = None, step_id: str | None = None
    ) -> StepView:
        """Open a flow for the customer (at ``step_id``, if given): a new interaction."""
        session = self.session
        session.today = self.today()
        session.open(pack_id, flow_id)
        if step_id:
            session.jump(0, step_id)
        self.copies.clear()
        self.interaction += 1
        self.started_at = self.now()
        if self.usage is not None:
            self.usage.opened(session.walks)
        return self._show()

    def choose(self, choice_id: str) -> StepView:
        self.session.choose(choice_id)
        return self._show()

    def choose_number(self, number: int) -> StepView | None:
        """The ``number``-th answer shown (from 1); None if there is no such answer."""
        if self.view is None or not 0 < number <= len(self.view.choices):
            return None
        return self.choose(self.view.choices[number - 1].id)

    def back(self) -> StepView | None:
        """Undo the last answer; None at the very first step (nothing to undo)."""
        if not self.is_open:
            return None
        session = self.session
        if len(session.walks) == 1 and len(session.walk.trail) == 1:
            return None
        session.back()
        return self._show()

    def restart(self) -> StepView | None:
        """The flow from its first step, checklist ticks cleared."""
        if not self.is_open:
            return None
        self.session.restart()
        return self._show()

    def jump(self, depth: int, step_id: str) -> StepView:
        self.session.jump(depth, step_id)
        return self._show()

    def record(self, fact: str, on: bool) -> StepView:
        self.session.record(fact, on)
        return self._show()

    def decide(self, offer: str, decision: Decision) -> StepView:
        self.session.decide(offer, decision)
        return self._show()

    def set_value(self, name: str, value: str) -> StepView | None:
        """A customer detail typed (empty: forgotten); the step re-renders with it."""
        if value:
            self.session.values[name] = value
        else:
            self.session.values.pop(name, None)
        return self._show() if self.is_open else None

    def home(self) -> None:
        """Close the flow (the details stay, for the next flow of the same customer)."""
        self.session.close()
        self.view = None
        self.end()

    def end(self) -> None:
        """The call ends where it is (home, the next customer, the app closing): a flow
        left before its outcome counts as a drop-off in the usage figures."""
        if self.usage is not None:
            self.usage.ended()

    def new_customer(self) -> None:
        """The next customer: details, path, ticks, timers and copies forgotten."""
        self.session.values.clear()
        self.timer_starts.clear()
        self.countdowns.clear()
        self._dismissed.clear()
        self.copies.clear()
        self.interaction += 1
        self.home()

    def tick(self, key: TickKey, on: bool) -> StepView | None:
        """Tick (or untick) a checklist item of the current step: ``key`` ends with its
        index. The session keeps it: an answer's condition may count the ticks."""
        if not self.is_open:
            return None
        self.session.tick(int(key[-1]), on)
        return self._show()

    def copy(self, item_id: str) -> None:
        """``item_id`` was put on the clipboard now."""
        self.copies.append(Copy(item_id, self.now()))

    def timer_started(self, index: int) -> float:
        """When timer ``index`` of the current step started (on the call's clock): it
        starts the first time the step shows, and keeps its start when the agent comes
        back to the step the same way."""
        return self.timer_starts.setdefault(self._timer_key(index), self.clock())

    def running(self) -> list[Countdown]:
        """The countdowns to show, the first to end first."""
        return sorted(self.countdowns.values(), key=lambda c: c.started + c.seconds)

    def dismiss(self, key: TimerKey) -> None:
        """The agent is done with a countdown: it is no longer shown (the step starts it
        again only if reached another way)."""
        self.countdowns.pop(key, None)
        self._dismissed.add(key)

    def _timer_key(self, index: int) -> TimerKey:
        walk = self.session.walk
        return (len(self.session.walks), len(walk.trail), walk.step.id, index)

    def _count_down(self, view: StepView) -> None:
        """The step's timers start counting down (once) as it shows."""
        for index, timer in enumerate(view.timers):
            key = self._timer_key(index)
            if key not in self.countdowns and key not in self._dismissed:
                started = self.timer_started(index)
                alert = timer.alert or ""
                self.countdowns[key] = Countdown(
                    key, timer.label, alert, started, timer.minutes * 60
                )

    def prepare_next(self) -> None:
        """Idle time: compile what the next answers will show, so they appear at once."""
        if self.is_open:
            self.session.prepare_next()

    def replay(self) -> StepView | None:
        """The packs were reloaded: replay the agent's answers and ticks on the new
        content, as far as they still go. The details' answers are not replayed: the
        details give them again. None when no pack of the path changed (or no flow is
        open)."""
        from agentdesk.core.flows.walk import WalkError

        if not self.is_open:
            return None
        session = self.session
        walks = session.walks
        if all(self.lookup(w.pack.id) is w.pack for w in walks):
            return None
        answers = [v.choice for w in walks for v in w.trail if v.choice and not v.auto]
        ticked = {(w.pack.id, w.flow.id, step, n) for w in walks for step, n in w.ticked}
        try:
            session.open(walks[0].pack.id, walks[0].flow.id)
            self._tick_again(ticked)
            for answer in answers:
                session.choose(answer)  # ticks first: an answer may count them
                self._tick_again(ticked)
        except WalkError:
            pass  # the content changed under this path: stop where it still holds
        return self._show()

    def _tick_again(self, ticked: set[tuple[str, str, str, int]]) -> None:
        """Tick the items of the step the replay reached that were ticked there before."""
        walk = self.session.walk
        if walk.handover is not None:
            return
        here = (walk.pack.id, walk.flow.id, walk.step.id)
        for index in range(len(walk.step.checklist)):
            if (*here, index) in ticked:
                self.session.tick(index)

    def _show(self) -> StepView:
        self.view = self.session.view()
        if self.usage is not None:
            self.usage.moved(self.session.walks)
        if self.view.timers:
            self._count_down(self.view)
        return self.view
