"""What the agent will need, prepared while nobody waits.

After the window's first paint (and after every reload of the packs), :class:`IdleWork`
builds the search index a slice at a time (:meth:`~agentdesk.core.search.index.
IndexBuild.step`, a few milliseconds whenever the event loop is idle: a keystroke waits
for at most one slice), then settles memory once (:func:`~agentdesk.core.memory.settle`:
what the packs and the index keep is set aside from the collector, so its pauses stay out
of the agent's steps). Ctrl+K before the index is ready does not build it at once (a
second at 100,000 steps): the search says so and its results come when the last slice is
done.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

if TYPE_CHECKING:
    from agentdesk.core.packs.model import Audience, Pack
    from agentdesk.core.search.index import IndexBuild, Item, SearchIndex


class IdleWork(QObject):
    def __init__(
        self,
        packs: Callable[[], list[Pack]],
        audience: Audience,
        ready: Callable[[], object],
        parent: QObject | None = None,
    ) -> None:
        """``packs``: the packs to search (those the start screen lists); ``ready``:
        called when the index is built."""
        super().__init__(parent)
        self._packs = packs
        self._audience = audience
        self._ready = ready
        self._index: SearchIndex | None = None
        self._build: IndexBuild | None = None
        self._timer = QTimer(self)  # a slice each time the event loop is idle
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._slice)
        self._started = False  # idle work waits for the first paint
        self._search = False  # the window has a search: its index is built in idle time
        self._settled = False

    def start(self, search: bool, now: bool = True) -> None:
        """The window has painted: start (``search``: the window has a search) ``now``,
        or when the packs are loaded (:meth:`again`)."""
        self._started = True
        self._search = search
        if now:
            self._timer.start()

    def again(self) -> None:
        """The packs were (re)loaded: what was prepared from them is prepared again."""
        self._index = self._build = None
        self._settled = False
        if self._started:
            self._timer.start()

    @property
    def search_ready(self) -> bool:
        return self._index is not None

    @property
    def done(self) -> bool:
        """Everything prepared (until the next reload)."""
        return self._settled and not self._timer.isActive()

    def search(self, query: str, limit: int) -> list[Item] | None:
        """The items found for ``query``; None while the index is still being built."""
        if self._index is None:
            self._search = True
            self._timer.start()  # asked for: built now, still a slice at a time
            return None
        return self._index.search(query, limit)

    def _slice(self) -> None:
        """One slice of idle work."""
        if self._search and self._index is None:
            if self._build is None:
                from agentdesk.core.search.index import IndexBuild

                self._build = IndexBuild.from_packs(self._packs(), self._audience)
                return
            self._index = self._build.step()
            if self._index is not None:
                self._build = None
                self._ready()
            return
        self._timer.stop()
        if not self._settled:
            from agentdesk.core.memory import settle

            settle()  # what the packs and the index keep, set aside from the collector
            self._settled = True
