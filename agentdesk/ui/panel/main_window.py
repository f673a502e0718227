"""The side panel (or normal window): header, pages, shortcuts, menu, and where it sits.

Every action has a key, declared once in :mod:`agentdesk.ui.shell.shortcuts`: bound here
(:func:`bind_shortcuts`), shown beside the menu's entries (:func:`menu_entry`) and listed by
F1 (:mod:`.shortcuts_help`) from that one list. The agent's hands stay on the keyboard and
the panel stays beside the CRM. Widgets only show and forward; the controller hands what
the agent does to the core's call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from agentdesk.core.i18n import _
from agentdesk.core.placement import MIN_PANEL_WIDTH
from agentdesk.ui.notes.notes_controller import NotesController
from agentdesk.ui.notes.panel_notes import PanelNotes
from agentdesk.ui.panel.placement import Placement
from agentdesk.ui.shell.controller import CallWindow, Controller
from agentdesk.ui.shell.qt_start import Qt
from agentdesk.ui.shell.shortcuts import by_name, key_text, shortcuts, with_key
from agentdesk.ui.shell.widgets import WrapButton, after_first_paint, describe
from agentdesk.ui.wizard.start_page import StartPage

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu, QMessageBox

    from agentdesk.core.flows.step_view import StepView
    from agentdesk.core.search.index import Item
    from agentdesk.ui.notes.note_form import NoteForm
    from agentdesk.ui.notes.notes_page import NotesPage
    from agentdesk.ui.shell.feedback import TimerStrip
    from agentdesk.ui.wizard.details_form import DetailsForm
    from agentdesk.ui.wizard.search_popup import SearchPanel
    from agentdesk.ui.wizard.wizard_page import WizardPage


#: The share of the panel's height the open customer details may take (they scroll beyond).
DETAILS_SHARE = 0.45


class MainWindow(CallWindow, PanelNotes, QMainWindow):
    has_search = True

    def __init__(
        self,
        controller: Controller,
        on_language: Callable[[str], object] | None = None,
        notes: NotesController | None = None,
    ) -> None:
        super().__init__()
        self.controller = controller
        self.notes = notes or NotesController(controller, self)
        self.settings = controller.settings
        self._on_language = on_language
        self.placement = Placement(self, self.settings)
        self._painted = False  # stay-on-top waits for it (_apply_on_top)
        self.setWindowTitle("AgentDesk")
        self.setMinimumWidth(MIN_PANEL_WIDTH)

        central = QWidget()
        central.setObjectName("page")
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self._header())
        self._column = column
        self.pages = QStackedWidget()
        column.addWidget(self.pages, 1)
        self.note_bar = WrapButton("", "banner")  # its text wraps in a narrow panel
        self.note_bar.setProperty("tone", "ok")
        describe(self.note_bar, _("Open the note to complete it"))
        self.note_bar.hide()
        self.note_bar.clicked.connect(self.open_bar_note)
        column.addWidget(self.note_bar)
        self.setCentralWidget(central)

        self.start = StartPage()
        self.pages.addWidget(self.start)
        self.start.sig_open.connect(self._open_from_start)
        self.start.sig_search.connect(self.open_search)
        self.start.sig_problems.connect(self.show_problems)
        # The wizard, search and details are built when first needed, or right after the
        # first paint: start-up only pays for what the start screen shows.
        self._wizard: WizardPage | None = None
        self._search_panel: SearchPanel | None = None
        self._details: DetailsForm | None = None
        self._note_form: NoteForm | None = None
        self._notes_page: NotesPage | None = None
        self._return_to: QWidget | None = None
        self.follow(controller)
        self.follow_notes(self.notes)

        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(0)
        self._idle.timeout.connect(controller.prepare_next)
        bind_shortcuts(self)
        self.show_start()
        after_first_paint(self, self._first_paint, first=True)
        # Once the panel has painted: open the notes, and soon after build the other pages.
        after_first_paint(self, self._start_notes)
        after_first_paint(self, lambda: QTimer.singleShot(100, self._build_rest))

    # -- building -----------------------------------------------------------------------

    @property
    def search_panel(self) -> SearchPanel:
        if self._search_panel is None:
            from agentdesk.ui.wizard.search_popup import SearchPanel

            panel = SearchPanel()
            panel.sig_query.connect(self._search)
            panel.sig_open.connect(self._open_result)
            panel.sig_close.connect(self.show_start_or_view)
            self.controller.sig_search_ready.connect(self._search_ready)
            self.pages.addWidget(panel)
            self._search_panel = panel
        return self._search_panel

    def _place_details(self, form: DetailsForm) -> None:
        from agentdesk.ui.wizard.details_form import DetailsArea

        self.details_area = DetailsArea(lambda: DETAILS_SHARE)
        self.details_area.hold(form)
        self._column.insertWidget(self._column.indexOf(self.pages), self.details_area)
        self._chain_tabs()

    def _place_timers(self, strip: TimerStrip) -> None:
        self._column.insertWidget(1, strip)  # right under the header, above the details
        self._chain_tabs()

    def _chain_tabs(self) -> None:
        from agentdesk.ui.shell.parts import chain_tabs  # here: the first paint does not need it

        chain_tabs(self)

    def _wizard_built(self, page: WizardPage) -> None:
        page.sig_copied.connect(lambda _item, _text: self.notes.macro_copied())

    def _build_rest(self) -> None:
        """Idle time after start-up: build the other pages before the agent needs them."""
        self.wizard, self.search_panel, self.details  # noqa: B018 - built on first access

    def _header(self) -> QWidget:
        """Buttons on top, then the flow's title on a line of its own: a narrow panel
        would otherwise cut the title down to a few letters."""
        header, column = self.header(QVBoxLayout)
        column.setContentsMargins(12, 6, 8, 8)
        column.setSpacing(2)
        row = QHBoxLayout()
        row.setSpacing(2)
        self.home_button = self.tool(
            _("Home"), with_key(_("Start screen"), "go_home"), self.go_home
        )
        self.search_button = self.tool(
            _("Search"), with_key(_("Search"), "open_search"), self.open_search
        )
        self.notes_button = self.tool(
            _("Notes"), with_key(_("Notes history"), "open_notes"), self.open_notes
        )
        self.menu_button = self.tool("☰", _("Menu"), self._show_menu)
        self._menu: QMenu | None = None
        for button in (self.home_button, self.search_button, self.notes_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.menu_button)
        column.addLayout(row)
        column.addLayout(self.titles(spacing=2))
        return header

    def _show_menu(self) -> None:
        if self._menu is None:
            self._menu = self._build_menu()
        mode = self.settings.mode
        self.panel_action.setChecked(mode == "panel")
        self.window_action.setChecked(mode == "window")
        self.edge_action.setEnabled(mode == "panel")
        self._menu.exec(self.menu_button.mapToGlobal(self.menu_button.rect().bottomLeft()))

    def _build_menu(self) -> QMenu:
        """How the panel sits, the language, the call, the notes and the packs."""
        from PySide6.QtWidgets import QMenu  # here: the first paint does not need it

        from agentdesk.ui.packs.flow_map import open_flow_map
        from agentdesk.ui.stats.stats_page import open_usage_stats

        menu = QMenu(self)

        def entry(text: str, slot: Callable[[], object], checkable: bool = False) -> QAction:
            action = menu.addAction(text)
            action.setCheckable(checkable)
            action.triggered.connect(lambda _=False: slot())
            return action

        self.panel_action = entry(_("Side panel"), lambda: self.set_mode("panel"), True)
        self.window_action = entry(_("Normal window"), lambda: self.set_mode("window"), True)
        self.edge_action = entry(_("Dock to the other edge"), self.switch_edge)
        top = menu.addAction(_("Stay on top"))
        top.setCheckable(True)
        top.setChecked(self.settings.stay_on_top)
        top.toggled.connect(self.set_stay_on_top)
        menu.addSeparator()
        language = menu.addMenu(_("Language"))
        for code, name in (("es", "Español"), ("en", "English")):
            action = language.addAction(name)
            action.setCheckable(True)
            action.setChecked(self.settings.language == code)
            action.triggered.connect(lambda _=False, c=code: self.set_language(c))
        menu.addSeparator()
        menu_entry(menu, self, "new_customer")
        entry(_("Export notes…"), self.export_notes)
        entry(_("Agent name…"), self.ask_agent_name)
        menu.addSeparator()
        entry(_("Packs: install, update, roll back…"), self.show_packs)
        entry(_("Reload packs"), lambda: self.controller.reload())
        entry(_("Pack problems…"), self.show_problems)
        entry(_("Flow map…"), lambda: open_flow_map(self.controller, self))
        entry(_("Usage of the flows…"), lambda: open_usage_stats(self.controller, self))
        menu_entry(menu, self, "show_shortcuts")
        menu.addSeparator()
        menu_entry(menu, self, "close")
        return menu

    # -- showing ------------------------------------------------------------------------

    def _view_subtitle(self, view: StepView) -> str:
        return f"{view.pack_title} · v{view.pack_version}"

    def show_view(self, view: StepView) -> None:
        super().show_view(view)
        self._idle.start()  # then compile what the next answers show

    # -- actions ------------------------------------------------------------------------

    def new_customer(self) -> None:
        """The next call: details, ticks and timers forgotten; the start screen."""
        self.controller.new_customer()
        if self._details is not None:
            self._details.clear()
        self.message(_("Ready for the next customer."))

    def go_home(self) -> None:
        self.controller.home()

    def restart(self) -> None:
        self.controller.restart()

    def open_search(self) -> None:
        self._show_details(False)
        self.pages.setCurrentWidget(self.search_panel)
        self.search_panel.start()
        self._search(self.search_panel.field.text())

    def _search(self, query: str) -> None:
        found = self.controller.search(query)
        if found is None:  # the index is still being built: its results follow
            self.search_panel.show_waiting()
        else:
            self.search_panel.show_results(found)

    def _search_ready(self) -> None:
        if self.pages.currentWidget() is self._search_panel:
            self._search(self.search_panel.field.text())

    def _open_result(self, item: Item) -> None:
        if item.flow_id:
            self.controller.open(item.pack_id, item.flow_id, item.step_id)

    def _open_from_start(self, pack_id: str, flow_id: str) -> None:
        self.controller.open(pack_id, flow_id)

    def _on_wizard(self) -> bool:
        return self._wizard is not None and self.pages.currentWidget() is self._wizard

    def choose_number(self, number: int) -> None:
        if self._on_wizard():
            self.controller.choose_number(number)

    def back(self) -> None:
        if self._on_wizard():
            self.controller.back()

    def toggle_details(self) -> None:
        self.details.focus_first()

    def copy_primary(self) -> None:
        if not self._on_wizard():
            return
        title = self.wizard.copy_primary()
        self.message(
            _("Copied: {title}").format(title=title) if title else _("Nothing to copy here.")
        )

    def escape(self) -> None:
        current = self.pages.currentWidget()
        if current is not None and current is self._search_panel:
            self.show_start_or_view()
        elif current is not None and current in (self._note_form, self._notes_page):
            self._leave()

    def show_problems(self) -> None:
        lines = []
        for entry in self.controller.failed():
            lines.append(str(entry.source.root))
            lines += [f"  {p.format()}" for p in entry.result.errors[:20]]
            if entry.stale:
                lines.append("  " + _("The previous version stays in use."))
        text = "\n".join(lines) if lines else _("All packs loaded without problems.")
        self._message(_("Pack problems"), text).exec()

    def show_packs(self) -> None:
        from agentdesk.ui.packs.packs_dialog import PacksDialog  # loads the signing code: on demand

        PacksDialog(self.controller, self).exec()

    def show_shortcuts(self) -> None:
        from agentdesk.ui.panel.shortcuts_help import ShortcutsHelp  # here: F1 needs it

        ShortcutsHelp(self).exec()

    def _message(self, title: str, text: str) -> QMessageBox:
        """A message box over the panel, its text shown as plain text."""
        from PySide6.QtWidgets import QMessageBox  # here: the first paint does not need it

        box = QMessageBox(self)
        box.setWindowTitle(title)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(text)
        return box

    def set_language(self, code: str) -> None:
        self.settings.language = code
        if self._on_language is not None:
            self._on_language(code)

    # -- where the window sits ----------------------------------------------------------

    def place(self) -> None:
        """Dock as a narrow panel at a screen edge, or restore the normal window."""
        self.placement.place()
        self._apply_on_top()

    def set_mode(self, mode: str) -> None:
        self._remember_geometry()
        self.settings.mode = mode
        self.place()
        self.show()

    def switch_edge(self) -> None:
        self.settings.edge = "left" if self.settings.edge == "right" else "right"
        self.place()

    def set_stay_on_top(self, on: bool) -> None:
        self.settings.stay_on_top = on
        self._apply_on_top()
        self.show()

    def _apply_on_top(self) -> None:
        """Keep the docked panel above the CRM, as the settings say, from the first paint
        on: before it, the flag's enum would cost start-up the ``Qt`` namespace (see
        qt_start). A shown window changes in place: ``QWidget.setWindowFlags`` would hide
        it and make its native window anew (a flicker), ``QWindow.setFlags`` only tells
        the desktop (X11: ``_NET_WM_STATE_ABOVE``; Windows: topmost)."""
        if not self._painted:
            return  # _first_paint applies it
        on = self.settings.stay_on_top and self.settings.mode == "panel"
        flags = self.windowFlags()
        top = Qt.WindowType.WindowStaysOnTopHint
        wanted = flags | top if on else flags & ~top
        if wanted == flags:
            return
        handle = self.windowHandle()
        if handle is None or not self.isVisible():
            self.setWindowFlags(wanted)  # applied when it shows
        else:
            self.overrideWindowFlags(wanted)  # the widget's copy, without re-creating it
            handle.setFlags(wanted)

    def _first_paint(self) -> None:
        self._painted = True
        self._apply_on_top()

    def _remember_geometry(self) -> None:
        self.placement.remember()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._remember_geometry()
        self.notes.close()  # the draft is written before the app goes
        super().closeEvent(event)


def bind_shortcuts(window: QWidget) -> None:
    """Every shortcut's keys, anywhere in ``window``, run its method of the same name
    (a numbered shortcut's method receives the key's number)."""
    for shortcut in shortcuts():
        slot = getattr(window, shortcut.name)
        for number, key in enumerate(shortcut.keys, 1):
            bound = QShortcut(QKeySequence(key), window)  # anywhere in the window (its default)
            if shortcut.numbered:
                bound.activated.connect(lambda n=number, run=slot: run(n))
            else:
                bound.activated.connect(slot)


def menu_entry(menu: QMenu, window: QWidget, name: str) -> QAction:
    """The menu entry of shortcut ``name``: its words, its keys aligned beside them (what a
    menu shows after a tab), and the same method as the keys run."""
    shortcut = by_name(name)
    action = menu.addAction(f"{shortcut.what}\t{key_text(shortcut)}")
    action.setToolTip(shortcut.detail or shortcut.what)
    run = getattr(window, name)
    action.triggered.connect(lambda _=False: run())
    return action
