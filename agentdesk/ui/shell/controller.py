"""The app's state between the widgets and the core.

Widgets send what the agent did here (choose, back, type a detail...); the controller
asks the core and announces the new :class:`StepView`. It holds no rules of its own:
those are the core's. It keeps only what belongs to this screen and this call: ticked
checklist items, when timers started, which macros were copied.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from agentdesk.core.packs.library import Entry, Library, current_flows
from agentdesk.core.paths import Paths
from agentdesk.core.settings import Settings

if TYPE_CHECKING:
    from agentdesk.core.flows.session import Session
    from agentdesk.core.flows.view import StepView
    from agentdesk.core.flows.walk import Decision
    from agentdesk.core.packs.model import Audience, Flow, Pack
    from agentdesk.core.search.index import Item, SearchIndex


class Controller(QObject):
    sig_view = Signal(object)
    """The wizard shows a new state (a StepView)."""
    sig_home = Signal()
    """No flow is open: show the start page."""
    sig_packs_changed = Signal()
    """Packs were (re)loaded; lists and search must refresh."""
    sig_message = Signal(str)
    """A short message for the agent (status line)."""

    def __init__(
        self,
        paths: Paths,
        settings: Settings,
        library: Library,
        audience: Audience = "desk",
        today: date | None = None,
    ) -> None:
        super().__init__()
        self.paths = paths
        self.settings = settings
        self.library = library
        self.audience: Audience = audience
        self.fixed_today = today
        self._session: Session | None = None
        self.ticks: set[tuple[str, ...]] = set()
        self.timer_starts: dict[tuple[object, ...], float] = {}
        self.copied: list[str] = []
        self.started_at = datetime.now()  # when the agent opened the current flow
        self._index: SearchIndex | None = None
        self.view: StepView | None = None

    @property
    def today(self) -> date:
        return self.fixed_today or date.today()

    @property
    def session(self) -> Session:
        """The agent's walk; the flow engine is loaded when the first flow opens."""
        if self._session is None:
            from agentdesk.core.flows.session import Session

            self._session = Session(self.library.get, self.today, self.audience)
        return self._session

    @property
    def is_open(self) -> bool:
        return self._session is not None and self._session.is_open

    # -- packs --------------------------------------------------------------------------

    def packs(self) -> dict[str, Pack]:
        return self.library.packs()

    def flows(self, include_expired: bool = True) -> list[tuple[Pack, Flow, bool]]:
        return current_flows(self.packs().values(), self.audience, self.today, include_expired)

    def failed(self) -> list[Entry]:
        return [e for e in self.library.entries.values() if e.result.errors]

    def reload(self, root: Path | None = None) -> None:
        """Reload one pack folder, or every pack; keeps the last good content of each."""
        if root is None:
            self.library.load()
        else:
            self.library.reload(root)
        self._index = None
        self.sig_packs_changed.emit()
        if self.is_open:
            self._refresh_pack()

    def search(self, query: str, limit: int = 20) -> list[Item]:
        if self._index is None:
            from agentdesk.core.search.index import SearchIndex

            visible = {p.id for p, _, _ in self.flows()}
            packs = [p for pid, p in self.packs().items() if pid in visible]
            self._index = SearchIndex.from_packs(packs, self.audience)
        return self._index.search(query, limit)

    # -- the walk -----------------------------------------------------------------------

    def open(self, pack_id: str, flow_id: str | None = None, step_id: str | None = None) -> bool:
        from agentdesk.core.flows.walk import WalkError

        try:
            self.session.today = self.today
            self.session.open(pack_id, flow_id)
            if step_id:
                self.session.jump(0, step_id)
        except WalkError as exc:
            self.sig_message.emit(str(exc))
            return False
        self.copied.clear()
        self.started_at = datetime.now()
        self.settings.last_pack = pack_id
        self.settings.last_flow = self.session.walk.flow.id
        self._show()
        return True

    def choose(self, choice_id: str) -> None:
        self._act(lambda: self.session.choose(choice_id))

    def choose_number(self, number: int) -> None:
        if self.view is not None and 0 < number <= len(self.view.choices):
            self.choose(self.view.choices[number - 1].id)

    def back(self) -> None:
        if not self.is_open:
            return
        if len(self.session.walks) == 1 and len(self.session.walk.trail) == 1:
            return
        self._act(self.session.back)

    def restart(self) -> None:
        if self.is_open:
            self.ticks.clear()
            self._act(self.session.restart)

    def jump(self, depth: int, step_id: str) -> None:
        self._act(lambda: self.session.jump(depth, step_id))

    def home(self) -> None:
        self.session.close()
        self.view = None
        self.sig_home.emit()

    def new_customer(self) -> None:
        """Forget everything about the current customer: details, ticks, timers."""
        self.session.values.clear()
        self.ticks.clear()
        self.timer_starts.clear()
        self.copied.clear()
        self.home()

    def record(self, fact: str, on: bool) -> None:
        self._act(lambda: self.session.record(fact, on))

    def decide(self, offer: str, decision: Decision) -> None:
        self._act(lambda: self.session.decide(offer, decision))

    def set_value(self, name: str, value: str) -> None:
        if value:
            self.session.values[name] = value
        else:
            self.session.values.pop(name, None)
        if self.is_open:
            self._show()

    def tick(self, key: tuple[str, ...], on: bool) -> None:
        """A checklist item of the current step: ``key`` ends with its index. Ticks count
        (an answer may need 'checked >= 2'), so the session keeps them."""
        (self.ticks.add if on else self.ticks.discard)(key)
        if self.is_open:
            self._act(lambda: self.session.tick(int(key[-1]), on))

    def note_copied(self, item_id: str) -> None:
        if item_id not in self.copied:
            self.copied.append(item_id)

    def timer_started(self, index: int) -> float:
        """When timer ``index`` of the current step started (it starts on first show)."""
        walk = self.session.walk
        key = (len(self.session.walks), len(walk.trail), walk.step.id, index)
        return self.timer_starts.setdefault(key, time.monotonic())

    def prepare_next(self) -> None:
        """Idle time: compile what the next answers will show, so they appear at once."""
        if self.is_open:
            self.session.prepare_next()

    # -- internals ----------------------------------------------------------------------

    def _act(self, action: Callable[[], object]) -> None:
        from agentdesk.core.flows.walk import WalkError

        try:
            action()
        except WalkError as exc:
            self.sig_message.emit(str(exc))
            return
        self._show()

    def _show(self) -> None:
        self.view = self.session.view()
        self.sig_view.emit(self.view)

    def _refresh_pack(self) -> None:
        """After a reload: replay the agent's answers on the new content, as far as they go."""
        from agentdesk.core.flows.walk import WalkError

        first = self.session.walks[0]
        answers = [v.choice for w in self.session.walks for v in w.trail if v.choice and not v.auto]
        if all(self.library.get(w.pack.id) is w.pack for w in self.session.walks):
            return
        try:
            self.session.open(first.pack.id, first.flow.id)
            for answer in answers:
                self.session.choose(answer)
        except WalkError:
            pass  # the content changed under this path: stop where it still holds
        self._show()
