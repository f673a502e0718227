"""The Qt side of the call in progress, shared by the desk panel and the kiosk.

:class:`Controller`: widgets send what the agent did here (choose, back, type a detail...);
it hands it to the core's :class:`~agentdesk.core.interaction.call.Call` and announces what
to show as signals. It decides nothing: the call, the flow engine and the packs library do.
Besides the call it keeps what both windows need of the packs: the list of flows, the
problems, the search index, and reloading.

:class:`CallWindow`: what the two windows share to show the call, written once: the
header's titles and tool buttons, the start page and the wizard, the customer details, how
a step is shown, and the feedback where the agent looks (:mod:`.feedback`): short messages
floating over the page, the running countdowns pinned under the header. It is mixed into
both (``class MainWindow(CallWindow, QMainWindow)``); each window builds its own layout and
says, through a few small methods, where the details and the countdowns go and what its
titles read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QFrame,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agentdesk.core.i18n import _
from agentdesk.core.interaction.call import Call
from agentdesk.core.packs.library import Entry, Library
from agentdesk.core.paths import Paths
from agentdesk.core.settings import Settings
from agentdesk.core.usage.recording import CallUsage, UsageWriter
from agentdesk.ui.shell.idle_work import IdleWork
from agentdesk.ui.shell.qt_start import Qt
from agentdesk.ui.shell.shortcuts import with_key
from agentdesk.ui.shell.widgets import ElidedLabel

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStackedWidget

    from agentdesk.core.flows.session import Session
    from agentdesk.core.flows.step_view import StepView
    from agentdesk.core.flows.walk import Decision
    from agentdesk.core.interaction.call import TickKey, TimerKey
    from agentdesk.core.packs.model import Audience, Pack
    from agentdesk.core.packs.start_list import ListedFlow, ListedPack, StartList
    from agentdesk.core.search.index import Item
    from agentdesk.ui.shell.feedback import TimerStrip, Toast
    from agentdesk.ui.wizard.details_form import DetailsArea, DetailsForm
    from agentdesk.ui.wizard.start_page import StartPage
    from agentdesk.ui.wizard.wizard_page import WizardPage

    _Widget = QWidget
else:
    _Widget = object

L = TypeVar("L", bound=QBoxLayout)


class Controller(QObject):
    sig_view = Signal(object)
    """The wizard shows a new state (a StepView)."""
    sig_home = Signal()
    """No flow is open: show the start page."""
    sig_new_customer = Signal()
    """The call ended: the next customer starts from nothing (sig_home follows)."""
    sig_packs_changed = Signal()
    """Packs were (re)loaded; lists and search must refresh."""
    sig_message = Signal(str)
    """A short message for the agent (said over the page)."""
    sig_search_ready = Signal()
    """The search index is built: a search that had to wait can be answered now."""

    def __init__(
        self,
        paths: Paths,
        settings: Settings,
        library: Library,
        audience: Audience = "desk",
        today: date | None = None,
        start_list: StartList | None = None,
    ) -> None:
        """``start_list``: what the start screen lists until the library is loaded (the
        list kept by the last load, :mod:`agentdesk.core.packs.start_list`)."""
        super().__init__()
        self.paths = paths
        self.settings = settings
        self.library = library
        self.audience: Audience = audience
        self.fixed_today = today
        self.call = Call(library.get, audience, lambda: self.today)
        self.usage_writer = UsageWriter(paths.usage_db)  # no file, no thread until used
        self.call.usage = CallUsage(self.usage_writer, settings.usage_stats)
        #: What the start screen lists: the packs' own once loaded (None: nothing yet).
        self.listing = start_list
        if library.loaded:
            from agentdesk.core.packs.start_list import of_library

            self.listing = of_library(library)
        self.idle = IdleWork(self._searched_packs, audience, self.sig_search_ready.emit, self)

    @property
    def today(self) -> date:
        return self.fixed_today or date.today()

    # -- the call, as the windows read it ----------------------------------------------

    @property
    def session(self) -> Session:
        return self.call.session

    @property
    def view(self) -> StepView | None:
        return self.call.view

    @property
    def is_open(self) -> bool:
        return self.call.is_open

    @property
    def ticks(self) -> set[TickKey]:
        return self.call.ticks

    @property
    def timer_starts(self) -> dict[TimerKey, float]:
        return self.call.timer_starts

    @property
    def copied(self) -> list[str]:
        return self.call.copied

    # -- packs --------------------------------------------------------------------------

    def packs(self) -> dict[str, Pack]:
        self.ensure_loaded()
        return self.library.packs()

    def flows(self, include_expired: bool = True) -> list[tuple[ListedPack, ListedFlow, bool]]:
        """(pack, flow, expired) as the start screen lists them: from the start list
        until the packs are loaded."""
        if self.listing is None:
            return []
        return self.listing.current(self.audience, self.today, include_expired)

    def failed(self) -> list[Entry]:
        self.ensure_loaded()
        return [e for e in self.library.entries.values() if e.result.errors]

    def ensure_loaded(self) -> None:
        """Load the packs now if they are not yet (an agent faster than start-up)."""
        if not self.library.loaded:
            self.reload()

    def reload(self, root: Path | None = None) -> None:
        """Reload one pack folder, or every pack; keeps the last good content of each."""
        from agentdesk.core.packs import start_list

        key = start_list.fingerprint(self.library)  # before reading: see start_list
        if root is None:
            self.library.load()
        else:
            self.library.reload(root)
        self.listing = start_list.of_library(self.library)
        start_list.keep(self.library, self.listing, key)
        self.idle.again()
        self.sig_packs_changed.emit()
        if self.call.is_open:
            self._act(self.call.replay)

    # -- the search and what else is prepared in idle time -------------------------------

    def start_idle_work(self, search: bool = False) -> None:
        """Once the window has painted: prepare in idle time what the agent will need
        (:mod:`.idle_work`: the search index if the window has a search, then memory)."""
        self.idle.start(search, now=self.library.loaded)  # else once they are (reload)

    @property
    def search_ready(self) -> bool:
        return self.idle.search_ready

    def search(self, query: str, limit: int = 20) -> list[Item] | None:
        """The items found for ``query``; None while the index is still being built (its
        building goes on in idle time; :attr:`sig_search_ready` follows)."""
        self.ensure_loaded()
        return self.idle.search(query, limit)

    def _searched_packs(self) -> list[Pack]:
        """The packs searched: those with flows the start screen lists."""
        visible = {p.id for p, _, _ in self.flows()}
        return [p for pid, p in self.packs().items() if pid in visible]

    # -- intents ------------------------------------------------------------------------

    def open(self, pack_id: str, flow_id: str | None = None, step_id: str | None = None) -> bool:
        """Open a flow for the customer; False (and a message) if it cannot be opened."""
        self.ensure_loaded()
        if not self._act(lambda: self.call.open(pack_id, flow_id, step_id)):
            return False
        self.settings.last_pack = pack_id
        self.settings.last_flow = self.session.walk.flow.id
        return True

    def choose(self, choice_id: str) -> None:
        self._act(lambda: self.call.choose(choice_id))

    def choose_number(self, number: int) -> None:
        self._act(lambda: self.call.choose_number(number))

    def back(self) -> None:
        self._act(self.call.back)

    def restart(self) -> None:
        self._act(self.call.restart)

    def jump(self, depth: int, step_id: str) -> None:
        self._act(lambda: self.call.jump(depth, step_id))

    def record(self, fact: str, on: bool) -> None:
        self._act(lambda: self.call.record(fact, on))

    def decide(self, offer: str, decision: Decision) -> None:
        self._act(lambda: self.call.decide(offer, decision))

    def set_value(self, name: str, value: str) -> None:
        self._act(lambda: self.call.set_value(name, value))

    def home(self) -> None:
        self.call.home()
        self.sig_home.emit()

    def new_customer(self) -> None:
        """Forget everything about the current customer: details, path, ticks, timers."""
        self.call.new_customer()
        self.sig_new_customer.emit()
        self.sig_home.emit()

    def finish(self) -> None:
        """The app is closing: the call in progress ends, its usage figures are written."""
        self.call.end()
        self.usage_writer.close()

    def tick(self, key: TickKey, on: bool) -> None:
        """A checklist item of the current step (``key`` ends with its index). Ticks count
        (an answer may need 'checked >= 2'), so the step is shown again."""
        self._act(lambda: self.call.tick(key, on))

    def note_copied(self, item_id: str) -> None:
        self.call.copy(item_id)

    def timer_started(self, index: int) -> float:
        return self.call.timer_started(index)

    def prepare_next(self) -> None:
        self.call.prepare_next()

    def _act(self, intent: Callable[[], StepView | None]) -> bool:
        """Run ``intent`` on the call and show what it returns; a refusal is a message."""
        from agentdesk.core.flows.walk import WalkError

        try:
            view = intent()
        except WalkError as exc:
            self.sig_message.emit(str(exc))
            return False
        if view is not None:
            self.sig_view.emit(view)
        return True


# -- the window that shows the call -------------------------------------------

APP_TITLE = "AgentDesk"


class CallWindow(_Widget):
    """A window that shows the call in progress (mixed into a QWidget subclass)."""

    controller: Controller
    pages: QStackedWidget
    start: StartPage
    title: ElidedLabel
    subtitle: ElidedLabel
    _wizard: WizardPage | None
    _details: DetailsForm | None
    _toast: Toast | None = None
    _timers: TimerStrip | None = None
    #: Where the details show (made by the window, with the form or before it).
    details_area: DetailsArea | None = None

    # -- what each window says or places itself -----------------------------------------

    def message(self, text: str, tone: str = "ok") -> None:
        """A short message for the agent, over the top of the page, for a few seconds."""
        self.toast.say(text, tone)

    def _place_timers(self, strip: TimerStrip) -> None:
        """Put the countdowns (built when the first one starts) under the header."""
        raise NotImplementedError

    def _place_details(self, form: DetailsForm) -> None:
        """Put the customer details (built on first use) where the window shows them."""
        raise NotImplementedError

    def _show_details(self, visible: bool) -> None:
        """Show or hide the customer details (with the step, or for another page)."""
        if self.details_area is not None:
            self.details_area.setVisible(visible)
            if visible:
                self.details_area.fit()

    def _new_details(self) -> DetailsForm:
        from agentdesk.ui.wizard.details_form import DetailsForm

        return DetailsForm()

    def _wizard_built(self, page: WizardPage) -> None:
        """The wizard page was just built: the window may adjust it."""

    def _start_subtitle(self) -> str:
        return with_key(_("Choose the situation or search"), "open_search")

    def _view_subtitle(self, view: StepView) -> str:
        return view.pack_title

    def _list_flows(self) -> None:
        c = self.controller
        failed = c.listing.failed if c.listing is not None else 0
        self.start.show_flows(c.flows(), failed, c.settings.last_pack)

    # -- building -------------------------------------------------------------------------

    #: The window has a search (Ctrl+K): its index is built in idle time after start-up.
    has_search = False

    def follow(self, controller: Controller) -> None:
        """Show what the call shows, from now on; once painted, prepare in idle time."""
        from agentdesk.ui.shell.widgets import after_first_paint

        controller.sig_view.connect(self.show_view)
        controller.sig_home.connect(self.show_start)
        controller.sig_packs_changed.connect(self._packs_changed)
        controller.sig_message.connect(self.message)
        after_first_paint(self, lambda: controller.start_idle_work(self.has_search))

    def header(self, layout: Callable[[QWidget], L]) -> tuple[QWidget, L]:
        """The header strip (the style sheet's ``#header``), laid out by a new ``layout``.
        A frame: it paints the style sheet's background without being told to."""
        header = QFrame()
        header.setObjectName("header")
        return header, layout(header)

    def titles(self, spacing: int = 0) -> QVBoxLayout:
        """The flow's title over the pack's (the header's title and subtitle)."""
        column = QVBoxLayout()
        column.setSpacing(spacing)
        self.title = ElidedLabel(APP_TITLE)
        self.title.setObjectName("headerTitle")
        self.subtitle = ElidedLabel()
        self.subtitle.setObjectName("headerSubtitle")
        column.addWidget(self.title)
        column.addWidget(self.subtitle)
        return column

    @staticmethod
    def tool(
        text: str,
        tip: str,
        slot: Callable[[], object],
        focus: Qt.FocusPolicy | None = None,
    ) -> QToolButton:
        """A header button; ``tip`` is its tooltip and the name a screen reader says;
        reached by Tab unless another ``focus`` policy is given."""
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        if focus is not None:  # a tool button's own is Tab
            button.setFocusPolicy(focus)
        button.clicked.connect(slot)
        return button

    @property
    def wizard(self) -> WizardPage:
        if self._wizard is None:
            from agentdesk.ui.wizard.wizard_page import wizard_for

            page = wizard_for(self.controller)
            page.sig_copied.connect(self._copied)
            self._wizard_built(page)
            self.pages.addWidget(page)
            self._wizard = page
        return self._wizard

    @property
    def toast(self) -> Toast:
        if self._toast is None:
            from agentdesk.ui.shell.feedback import Toast

            self._toast = Toast(self.pages)
        return self._toast

    @property
    def status(self) -> Toast:
        """The short message shown now (or last)."""
        return self.toast

    @property
    def timers(self) -> TimerStrip:
        if self._timers is None:
            from agentdesk.ui.shell.feedback import TimerStrip

            strip = TimerStrip(self.controller.call)
            strip.sig_done.connect(self._timer_done)
            self._place_timers(strip)
            self._timers = strip
        return self._timers

    def _show_timers(self) -> None:
        """The countdowns as they are now (the strip is built with the first one)."""
        if self._timers is not None or self.controller.call.countdowns:
            self.timers.refresh()

    @property
    def details(self) -> DetailsForm:
        if self._details is None:
            form = self._new_details()
            form.sig_changed.connect(self.controller.set_value)
            self._place_details(form)
            self._details = form
        return self._details

    # -- showing --------------------------------------------------------------------------

    def show_start(self) -> None:
        self._show_details(False)
        self._show_timers()
        self.title.setText(APP_TITLE)
        self.subtitle.setText(self._start_subtitle())
        if self.controller.listing is None:
            self.start.show_loading()
        else:
            self._list_flows()
        self.pages.setCurrentWidget(self.start)
        self.start.focus_list()

    def show_view(self, view: StepView) -> None:
        session = self.controller.session
        self.title.setText(view.flow_title)
        self.subtitle.setText(self._view_subtitle(view))
        self.details.show_pack(session.walk.pack, session.values)
        self._show_details(bool(session.walk.pack.variables))
        if self.pages.currentWidget() is not self.wizard:
            self.pages.setCurrentWidget(self.wizard)  # first: focus can only go to what shows
        self.wizard.show_view(view)
        self._show_timers()

    def show_start_or_view(self) -> None:
        """The open flow's step, or the start screen when no flow is open."""
        if self.controller.view is not None:
            self.show_view(self.controller.view)
        else:
            self.show_start()

    def _copied(self, item_id: str, text: str) -> None:
        self.message(_("Copied to the clipboard."))

    def _timer_done(self, text: str) -> None:
        self.message("⚠ " + _("Time is up: {timer}").format(timer=text), "danger")
        QApplication.alert(self)

    def _packs_changed(self) -> None:
        if self.pages.currentWidget() is self.start:
            self.show_start()
