"""Usage figures from the app: what the call in progress shows, recorded off the GUI thread.

:class:`CallUsage` is told by the call (:class:`~agentdesk.core.interaction.call.Call`)
when a flow is opened, after every intent and when the call ends; whether a call is counted
is decided when it begins, by the ``usage_stats`` setting and the pack. Its events go to a
sink: :class:`UsageWriter`, which only appends them to a list and wakes a thread of its own
that writes whatever has gathered, in one transaction. So an intent costs the agent a
comparison of two paths and a list append, never a disk write.

Nothing here imports the flow engine: the recorder is loaded with the first counted call.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from agentdesk.core.usage import KEEP_DAYS, records

if TYPE_CHECKING:
    from agentdesk.core.usage.events import Event, Recorder, Sink, Walks
    from agentdesk.core.usage.store import UsageStore

DAY = 86400.0


class CallUsage:
    """The usage figures of the calls taken on one desk or kiosk."""

    def __init__(
        self, sink: Sink, setting: str = "off", clock: Callable[[], float] = time.time
    ) -> None:
        self.sink = sink
        self.clock = clock
        self._setting = setting
        self._recorder: Recorder | None = None
        self._counted = False  # whether the call in progress is counted
        self._walks: Walks = ()  # what the recorder last saw of it

    @property
    def setting(self) -> str:
        """The ``usage_stats`` setting: off, on or pack."""
        return self._setting

    @setting.setter
    def setting(self, value: str) -> None:
        """A new setting counts from the next call on; a call it no longer allows is
        forgotten at once (not counted as a drop-off)."""
        self._setting = value
        if self._walks and not records(value, self._walks[0].pack.manifest):
            self._counted, self._walks, self._recorder = False, (), None

    @property
    def recorder(self) -> Recorder:
        if self._recorder is None:
            from agentdesk.core.usage.events import Recorder

            self._recorder = Recorder(self.sink, self.clock)
        return self._recorder

    def opened(self, walks: Walks) -> None:
        """A flow was opened for the customer: a new call (the one in progress ends)."""
        self.ended()
        self._counted = bool(walks) and records(self._setting, walks[0].pack.manifest)
        self.moved(walks)

    def moved(self, walks: Walks) -> None:
        """The call's walks after an intent (the same walks: nothing happened)."""
        if not walks:
            self.ended()
        elif self._counted and walks is not self._walks:
            self.recorder.transition(self._walks, walks)
            self._walks = walks

    def ended(self) -> None:
        """The call ends where it is: home, the next customer, or the app closing."""
        if self._counted and self._walks:
            self.recorder.transition(self._walks, ())
        self._counted, self._walks = False, ()


class UsageWriter:
    """A sink that costs its caller a list append; a daemon thread writes the events.

    The thread starts with the first events and first deletes the events older than
    ``keep_days``. :meth:`close` writes what is left.
    """

    def __init__(self, path: Path, keep_days: int = KEEP_DAYS, delay: float = 1.0) -> None:
        self.path = path
        self.keep_days = keep_days
        #: Seconds events wait to be written with those that follow (flush and close do not).
        self.delay = delay
        self._flushing = 0
        self._store: UsageStore | None = None
        self._queue: list[Event] = []
        self._busy = False
        self._closed = False
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    @property
    def store(self) -> UsageStore:
        if self._store is None:
            from agentdesk.core.usage.store import UsageStore

            self._store = UsageStore(self.path)
        return self._store

    def __call__(self, events: list[Event]) -> None:
        with self._wake:
            if self._closed:  # late events (the app is going): written here and now
                self.store.add(events)
                return
            self._queue.extend(events)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="agentdesk-usage", daemon=True
                )
                self._thread.start()
            self._wake.notify_all()

    def _run(self) -> None:
        store = self.store
        store.prune(time.time() - self.keep_days * DAY)
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._queue or self._closed)
                # a moment for the events of the next few intents: one write for them all
                self._wake.wait_for(lambda: self._closed or self._flushing, self.delay)
                if not self._queue:
                    return
                batch, self._queue = self._queue, []
                self._busy = True
            try:
                store.add(batch)  # reports a storage problem once, never raises
            finally:
                with self._wake:
                    self._busy = False
                    self._wake.notify_all()

    def flush(self, timeout: float | None = None) -> bool:
        """Write every event handed over so far, now; False on a time-out."""
        with self._wake:
            self._flushing += 1
            self._wake.notify_all()
            try:
                return self._wake.wait_for(lambda: not self._queue and not self._busy, timeout)
            finally:
                self._flushing -= 1

    def close(self, timeout: float = 10.0) -> None:
        """Write what is queued and stop the thread (the app is closing)."""
        with self._wake:
            self._closed = True
            self._wake.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
