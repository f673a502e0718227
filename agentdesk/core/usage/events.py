"""Usage events from a session's transitions.

:func:`changes` compares the walks before and after one action (choose, back, jump,
restart, a hand-over, an offer decided, open, close) and says what happened, as pack,
flow, step, choice and offer ids. :class:`Recorder` stamps those with a random call id and
the time, adds the time spent on each step and the step where a call was dropped, and
hands them to a sink (the store). Nothing here knows who the customer is.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Literal, NamedTuple

from agentdesk.core.flows.walk import Walk
from agentdesk.core.packs.model import Step

Kind = Literal[
    "visit",  # a step was reached
    "answer",  # an answer was chosen at a step (choice)
    "outcome",  # an outcome step was reached
    "offer_shown",  # a step showing an offer was reached (offer)
    "offer_accepted",
    "offer_refused",
    "time",  # seconds spent on a step, when the agent leaves it
    "drop_off",  # the call ended at this step, before any outcome or hand-over
]
Walks = tuple[Walk, ...]


class Change(NamedTuple):
    kind: Kind
    pack: str
    version: str
    flow: str
    step: str
    choice: str | None = None
    offer: str | None = None


class Event(NamedTuple):
    """A change as stored: with its call, when it happened and, for 'time', how long."""

    call: str
    at: float  # seconds since the epoch
    kind: Kind
    pack: str
    version: str
    flow: str
    step: str
    choice: str | None = None
    offer: str | None = None
    seconds: float | None = None


class _Spot(NamedTuple):
    walk: Walk
    step: str
    choice: str | None

    @property
    def place(self) -> tuple[str, str, str]:
        return (self.walk.pack.id, self.walk.flow.id, self.step)

    def change(self, kind: Kind, choice: str | None = None, offer: str | None = None) -> Change:
        pack = self.walk.pack
        return Change(kind, pack.id, pack.version, self.walk.flow.id, self.step, choice, offer)


def _spots(walks: Walks) -> list[_Spot]:
    return [_Spot(w, v.step, v.choice) for w in walks for v in w.trail]


def _same(a: _Spot, b: _Spot) -> bool:
    return a.place == b.place and a.choice == b.choice


def _arrived(spot: _Spot) -> list[Change]:
    step: Step = spot.walk.flow.steps[spot.step]
    found = [spot.change("visit")]
    found += [spot.change("offer_shown", offer=o) for o in step.offers]
    if step.is_outcome:
        found.append(spot.change("outcome"))
    return found


def _ended(walks: Walks) -> bool:
    """The call reached an outcome, or handed over to a flow it could not open."""
    return walks[-1].ended


def changes(before: Walks, after: Walks) -> list[Change]:
    """What one action did, judged from the walks before and after it."""
    if not after:
        return [] if not before or _ended(before) else [_spots(before)[-1].change("drop_off")]
    old, new = _spots(before), _spots(after)
    found: list[Change] = []
    if before and (old[0].place != new[0].place):  # another flow was opened: a new call
        found += changes(before, ())
        old = []
    common = 0
    while common < min(len(old), len(new)) and _same(old[common], new[common]):
        common += 1
    if common < min(len(old), len(new)):
        was, now = old[common], new[common]
        if was.place == now.place and was.choice is None and now.choice is not None:
            found.append(now.change("answer", choice=now.choice))
    for index in range(common, len(new)):
        if index >= len(old) or old[index].place != new[index].place:
            found += _arrived(new[index])
    if before and old:
        last_before, last_after = before[-1], after[-1]
        here = new[-1]
        for offer in sorted(last_after.accepted - last_before.accepted):
            found.append(here.change("offer_accepted", offer=offer))
        for offer in sorted(last_after.refused - last_before.refused):
            found.append(here.change("offer_refused", offer=offer))
    return found


Sink = Callable[[list[Event]], None]


class Recorder:
    """Turns one agent's actions into stored events; one recorder per desk or command."""

    def __init__(
        self,
        sink: Sink,
        clock: Callable[[], float] = time.time,
        new_call: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        self.sink = sink
        self.clock = clock
        self.new_call = new_call
        self.call: str | None = None
        self._here: tuple[int, tuple[str, str, str]] | None = None  # (trail index, place)
        self._since = 0.0
        self._last: Change | None = None

    def transition(self, before: Walks, after: Walks) -> list[Event]:
        """Record what happened between ``before`` and ``after``; returns the events."""
        now = self.clock()
        found = changes(before, after)
        events: list[Event] = []
        new_call = bool(after) and (not before or _spots(before)[0].place != _spots(after)[0].place)
        if before and (new_call or not after):  # the call being walked ends here
            if self.call is not None:  # (one begun before this recorder was made is not counted)
                events += self._leave(now)
                events += [self._stamp(c, now) for c in found if c.kind == "drop_off"]
            found = [c for c in found if c.kind != "drop_off"]
            self.call = None
        if after:
            if self.call is None:
                self.call = self.new_call()
            spots = _spots(after)
            here = (len(spots), spots[-1].place)
            if here != self._here:
                events += self._leave(now)
                self._here, self._since, self._last = here, now, spots[-1].change("time")
            events += [self._stamp(c, now) for c in found]
        if events:
            self.sink(events)
        return events

    def _leave(self, now: float) -> list[Event]:
        """The time spent where the agent was, as the agent leaves it."""
        if self._last is None or self.call is None:
            return []
        event = self._stamp(self._last, now)._replace(seconds=max(0.0, now - self._since))
        self._last, self._here = None, None
        return [event]

    def _stamp(self, change: Change, now: float) -> Event:
        return Event(self.call or "", now, *change)
