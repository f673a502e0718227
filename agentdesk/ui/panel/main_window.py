"""The side panel (or normal window): header, pages, shortcuts, and where it sits.

Every action has a key: the agent's hands stay on the keyboard and the panel stays
beside the CRM. Widgets only show and forward; the controller talks to the core.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agentdesk.core.i18n import _
from agentdesk.ui.notes.notes_controller import NotesController
from agentdesk.ui.panel.placement import Placement
from agentdesk.ui.shell.controller import Controller
from agentdesk.ui.shell.widgets import ElidedLabel, after_first_paint
from agentdesk.ui.wizard.start_page import StartPage

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu, QMessageBox

    from agentdesk.core.flows.view import StepView
    from agentdesk.core.notes import Draft, Note
    from agentdesk.core.search.index import Item
    from agentdesk.ui.notes.note_form import NoteForm
    from agentdesk.ui.notes.notes_page import NotesPage
    from agentdesk.ui.wizard.details_form import DetailsForm
    from agentdesk.ui.wizard.search_popup import SearchPanel
    from agentdesk.ui.wizard.wizard_page import WizardPage


def shortcuts() -> list[tuple[str, str]]:
    return [
        ("Ctrl+K", _("Search")),
        ("1 … 9", _("Choose the numbered answer")),
        ("Alt+Left, Backspace", _("Back one answer")),
        ("Ctrl+R", _("Restart the flow")),
        ("Ctrl+Shift+R", _("New customer: forget the details and go to the start")),
        ("Ctrl+Shift+C", _("Copy the main macro (or script) to the clipboard")),
        ("Ctrl+D", _("Customer details")),
        ("Ctrl+Home", _("Start screen")),
        ("Ctrl+N", _("The interaction note")),
        ("Ctrl+Shift+N", _("Notes history")),
        ("Ctrl+S", _("Save the note")),
        ("F1", _("This help")),
    ]


class MainWindow(QMainWindow):
    def __init__(
        self,
        controller: Controller,
        on_language: object = None,
        notes: NotesController | None = None,
    ) -> None:
        super().__init__()
        self.controller = controller
        self.notes = notes or NotesController(controller.paths, controller.settings, self)
        self.settings = controller.settings
        self._on_language = on_language
        self.placement = Placement(self, self.settings)
        self.setWindowTitle("AgentDesk")
        self.setMinimumWidth(340)

        central = QWidget()
        central.setObjectName("page")
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self._header())
        self._column = column
        self.pages = QStackedWidget()
        column.addWidget(self.pages, 1)
        self.note_bar = QPushButton()
        self.note_bar.setObjectName("banner")
        self.note_bar.setProperty("tone", "ok")
        self.note_bar.hide()
        self.note_bar.clicked.connect(self.open_note)
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
        self.notes.sig_draft.connect(self._draft_changed)
        self.notes.sig_due.connect(self._due_changed)
        self.notes.sig_message.connect(self.message)
        controller.sig_view.connect(self.show_view)
        controller.sig_home.connect(self.show_start)
        controller.sig_packs_changed.connect(self._packs_changed)
        controller.sig_message.connect(self.message)

        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(0)
        self._idle.timeout.connect(controller.prepare_next)
        self._shortcuts()
        self.show_start()
        # Once the panel has painted: open the notes, and soon after build the other pages.
        after_first_paint(self, self._start_notes)
        after_first_paint(self, lambda: QTimer.singleShot(100, self._build_rest))

    # -- building -----------------------------------------------------------------------

    @property
    def wizard(self) -> WizardPage:
        if self._wizard is None:
            from agentdesk.ui.wizard.wizard_page import wizard_for

            page = wizard_for(self.controller)
            page.sig_copied.connect(self._copied)
            page.sig_timer_done.connect(self._timer_done)
            self.pages.addWidget(page)
            self._wizard = page
        return self._wizard

    @property
    def search_panel(self) -> SearchPanel:
        if self._search_panel is None:
            from agentdesk.ui.wizard.search_popup import SearchPanel

            panel = SearchPanel()
            panel.sig_query.connect(self._search)
            panel.sig_open.connect(self._open_result)
            panel.sig_close.connect(self.show_start_or_view)
            self.pages.addWidget(panel)
            self._search_panel = panel
        return self._search_panel

    @property
    def details(self) -> DetailsForm:
        if self._details is None:
            from agentdesk.ui.wizard.details_form import DetailsForm

            form = DetailsForm()
            form.hide()
            form.sig_changed.connect(self.controller.set_value)
            self._column.insertWidget(1, form)
            self._details = form
        return self._details

    @property
    def note_form(self) -> NoteForm:
        if self._note_form is None:
            from agentdesk.ui.notes.note_form import NoteForm

            form = NoteForm()
            form.sig_edit.connect(lambda fields: self.notes.edit(**fields))
            form.sig_finish.connect(self._finish_note)
            form.sig_discard.connect(self._discard_note)
            form.sig_update.connect(self._update_note)
            form.sig_done.connect(lambda note_id, done: self.notes.mark_done(note_id, done))
            form.sig_close.connect(self._leave)
            self.pages.addWidget(form)
            self._note_form = form
        return self._note_form

    @property
    def notes_page(self) -> NotesPage:
        if self._notes_page is None:
            from agentdesk.ui.notes.notes_page import NotesPage

            page = NotesPage()
            page.sig_query.connect(self._refresh_notes)
            page.sig_open.connect(self._open_saved_note)
            page.sig_export.connect(self.export_notes)
            page.sig_close.connect(self._leave)
            self.pages.addWidget(page)
            self._notes_page = page
        return self._notes_page

    def _build_rest(self) -> None:
        """Idle time after start-up: build the other pages before the agent needs them."""
        self.wizard, self.search_panel, self.details  # noqa: B018 - built on first access

    def _header(self) -> QWidget:
        """Buttons on top, then the flow's title on a line of its own: a narrow panel
        would otherwise cut the title down to a few letters."""
        header = QWidget()
        header.setObjectName("header")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        column = QVBoxLayout(header)
        column.setContentsMargins(12, 6, 8, 8)
        column.setSpacing(2)
        row = QHBoxLayout()
        row.setSpacing(2)
        self.home_button = self._tool(_("Home"), _("Start screen (Ctrl+Home)"), self.go_home)
        self.search_button = self._tool(_("Search"), _("Search (Ctrl+K)"), self.open_search)
        self.notes_button = self._tool(
            _("Notes"), _("Interaction notes (Ctrl+Shift+N)"), self.open_notes
        )
        self.menu_button = self._tool("☰", _("Menu"), self._show_menu)
        self.menu_button.setAccessibleName(_("Menu"))
        self._menu_built: QMenu | None = None
        for button in (self.home_button, self.search_button, self.notes_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.menu_button)
        column.addLayout(row)
        self.title = ElidedLabel("AgentDesk")
        self.title.setObjectName("headerTitle")
        self.subtitle = ElidedLabel()
        self.subtitle.setObjectName("headerSubtitle")
        column.addWidget(self.title)
        column.addWidget(self.subtitle)
        return header

    def _tool(self, text: str, tip: str, slot: Callable[[], object]) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.clicked.connect(slot)
        return button

    def _show_menu(self) -> None:
        if self._menu_built is None:
            self._menu_built = self._menu()
        mode = self.settings.mode
        self.panel_action.setChecked(mode == "panel")
        self.window_action.setChecked(mode == "window")
        self.edge_action.setEnabled(mode == "panel")
        self._menu_built.exec(self.menu_button.mapToGlobal(self.menu_button.rect().bottomLeft()))

    def _menu(self) -> QMenu:
        from PySide6.QtWidgets import QMenu  # here: the first paint does not need it

        from agentdesk.ui.packs.flow_map import open_flow_map

        menu = QMenu(self)
        self.panel_action = menu.addAction(_("Side panel"))
        self.panel_action.setCheckable(True)
        self.panel_action.triggered.connect(lambda: self.set_mode("panel"))
        self.window_action = menu.addAction(_("Normal window"))
        self.window_action.setCheckable(True)
        self.window_action.triggered.connect(lambda: self.set_mode("window"))
        self.edge_action = menu.addAction(_("Dock to the other edge"))
        self.edge_action.triggered.connect(self.switch_edge)
        self.top_action = menu.addAction(_("Stay on top"))
        self.top_action.setCheckable(True)
        self.top_action.setChecked(self.settings.stay_on_top)
        self.top_action.toggled.connect(self.set_stay_on_top)
        menu.addSeparator()
        language = menu.addMenu(_("Language"))
        for code, name in (("es", "Español"), ("en", "English")):
            action = language.addAction(name)
            action.setCheckable(True)
            action.setChecked(self.settings.language == code)
            action.triggered.connect(lambda _=False, c=code: self._language(c))
        menu.addSeparator()
        new = menu.addAction(_("New customer (Ctrl+Shift+R)"))
        new.triggered.connect(self.new_customer)
        export = menu.addAction(_("Export notes…"))
        export.triggered.connect(self.export_notes)
        agent = menu.addAction(_("Agent name…"))
        agent.triggered.connect(self.ask_agent_name)
        menu.addSeparator()
        packs = menu.addAction(_("Packs: install, update, roll back…"))
        packs.triggered.connect(self.show_packs)
        reload = menu.addAction(_("Reload packs"))
        reload.triggered.connect(lambda: self.controller.reload())
        problems = menu.addAction(_("Pack problems…"))
        problems.triggered.connect(self.show_problems)
        flow_map = menu.addAction(_("Flow map…"))
        flow_map.triggered.connect(lambda: open_flow_map(self.controller, self))
        shortcuts = menu.addAction(_("Keyboard shortcuts (F1)"))
        shortcuts.triggered.connect(self.show_shortcuts)
        menu.addSeparator()
        self.quit_action = menu.addAction(_("Quit"))
        self.quit_action.triggered.connect(self.close)
        return menu

    def _shortcuts(self) -> None:
        def bind(keys: str | QKeySequence.StandardKey, slot: object) -> QShortcut:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
            return shortcut

        bind("Ctrl+K", self.open_search)
        bind("Alt+Left", self.controller.back)
        bind("Backspace", self._backspace)
        bind("Ctrl+R", self.controller.restart)
        bind("Ctrl+Shift+R", self.new_customer)
        bind("Ctrl+Shift+C", self.copy_primary)
        bind("Ctrl+D", lambda: self.details.focus_first())
        bind("Ctrl+Home", self.go_home)
        bind("F1", self.show_shortcuts)
        bind("Ctrl+Q", self.close)
        bind("Ctrl+N", self.open_note)
        bind("Ctrl+Shift+N", self.open_notes)
        bind("Ctrl+S", self._save_shortcut)
        bind("Escape", self._escape)
        for number in range(1, 10):
            bind(str(number), lambda n=number: self._number(n))

    # -- showing ------------------------------------------------------------------------

    def show_start(self) -> None:
        if self._details is not None:
            self._details.hide()
        self.title.setText("AgentDesk")
        self.subtitle.setText(_("Choose the situation or search (Ctrl+K)"))
        if not self.controller.library.loaded:
            self.start.show_loading()
        else:
            self.start.show_flows(
                self.controller.flows(), self.controller.failed(), self.settings.last_pack
            )
        self.pages.setCurrentWidget(self.start)
        self.start.focus_list()

    def show_view(self, view: StepView) -> None:
        self.title.setText(view.flow_title)
        self.subtitle.setText(f"{view.pack_title} · v{view.pack_version}")
        self.details.show_pack(self.controller.session.walk.pack, self.controller.session.values)
        self.details.setVisible(bool(self.controller.session.walk.pack.variables))
        if self.pages.currentWidget() is not self.wizard:
            self.pages.setCurrentWidget(self.wizard)  # first: focus can only go to what shows
        self.wizard.show_view(view)
        self._idle.start()
        if view.ended and not view.handover:
            c = self.controller
            self.notes.outcome_reached(c.session, view, c.copied, c.started_at)

    def message(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    # -- actions ------------------------------------------------------------------------

    def new_customer(self) -> None:
        """The next call: details, ticks and timers forgotten; the start screen."""
        self.notes.flush()
        self.controller.new_customer()
        if self._details is not None:
            self._details.clear()
        self.notes.new_interaction()
        self.message(_("Ready for the next customer."))

    def go_home(self) -> None:
        self.controller.home()

    def open_search(self) -> None:
        if self._details is not None:
            self._details.hide()
        self.pages.setCurrentWidget(self.search_panel)
        self.search_panel.start()
        self._search(self.search_panel.field.text())

    def show_start_or_view(self) -> None:
        """The open flow's step, or the start screen when no flow is open."""
        if self.controller.view is not None:
            self.show_view(self.controller.view)
        else:
            self.show_start()

    def _search(self, query: str) -> None:
        self.search_panel.show_results(self.controller.search(query))

    def _open_result(self, item: Item) -> None:
        if item.flow_id:
            self.notes.new_interaction()
            self.controller.open(item.pack_id, item.flow_id, item.step_id)

    def _open_from_start(self, pack_id: str, flow_id: str) -> None:
        self.notes.new_interaction()
        self.controller.open(pack_id, flow_id)

    def _number(self, number: int) -> None:
        if self._wizard is not None and self.pages.currentWidget() is self._wizard:
            self.controller.choose_number(number)

    def _backspace(self) -> None:
        if self._wizard is not None and self.pages.currentWidget() is self._wizard:
            self.controller.back()

    def copy_primary(self) -> None:
        if self._wizard is None or self.pages.currentWidget() is not self._wizard:
            return
        title = self.wizard.copy_primary()
        self.message(
            _("Copied: {title}").format(title=title) if title else _("Nothing to copy here.")
        )

    def _copied(self, item_id: str, text: str) -> None:
        self.notes.macro_copied(self.controller.copied)
        self.message(_("Copied to the clipboard."))

    def _timer_done(self, text: str) -> None:
        self.message("⚠ " + text)
        QApplication.alert(self)

    def _packs_changed(self) -> None:
        if self.pages.currentWidget() is self.start:
            self.show_start()

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
        text = "\n".join(f"{keys}\t{what}" for keys, what in shortcuts())
        self._message(_("Keyboard shortcuts"), text).exec()

    def _message(self, title: str, text: str) -> QMessageBox:
        """A message box over the panel, its text shown as plain text."""
        from PySide6.QtWidgets import QMessageBox  # here: the first paint does not need it

        box = QMessageBox(self)
        box.setWindowTitle(title)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(text)
        return box

    def _language(self, code: str) -> None:
        self.settings.language = code
        if callable(self._on_language):
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
        on = self.settings.stay_on_top and self.settings.mode == "panel"
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, on)

    def _remember_geometry(self) -> None:
        self.placement.remember()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._remember_geometry()
        self.notes.close()  # the draft is written before the app goes
        super().closeEvent(event)

    # -- notes --------------------------------------------------------------------------

    def _start_notes(self) -> None:
        self.notes.sig_newly_due.connect(lambda _due: QApplication.alert(self))
        self.notes.start()
        if self.notes.unavailable is not None:
            box = self._message(_("Notes unavailable"), self.notes.unavailable)
            box.setIcon(box.Icon.Warning)
            box.open()
            return
        recovery = self.notes.store.recovery
        if recovery is not None:  # the database was damaged or lost: say so, not in passing
            box = self._message(_("Notes restored"), recovery.message)
            box.setIcon(box.Icon.Warning)
            box.open()

    def open_note(self) -> None:
        """Ctrl+N: the note of this interaction (a blank one if there is none yet)."""
        if self.notes.draft is None:
            self.notes.edit()
        assert self.notes.draft is not None
        self._remember_page()
        pack = self.controller.packs().get(self.notes.draft.pack_id)
        self.note_form.show_draft(self.notes.draft, pack.title if pack else "")
        self._show_page(self.note_form, _("Interaction note"))
        self.note_bar.hide()
        self.note_form.focus_first()

    def open_notes(self) -> None:
        self._remember_page()
        self._show_page(self.notes_page, _("Notes"))
        self._refresh_notes()
        self.notes_page.start()

    def _refresh_notes(self) -> None:
        page = self.notes_page
        page.show_notes(self.notes.notes(page.search.text(), page.filters()))

    def _open_saved_note(self, note: Note) -> None:
        self.note_form.show_note(note)
        self._show_page(self.note_form, _("Interaction note"))

    def _show_page(self, page: QWidget, title: str) -> None:
        """A page of the panel's own (notes), not of the flow: its own title, no details."""
        if self._details is not None:
            self._details.hide()
        self.title.setText(title)
        self.subtitle.setText(self.settings.agent_name)
        self.pages.setCurrentWidget(page)

    def _finish_note(self) -> None:
        from agentdesk.core.notes import NoteError

        self.notes.flush()
        try:
            note = self.notes.finish()
        except NoteError as exc:
            self.note_form.show_problems([str(exc)])
            return
        self.message(_("Note {id} saved.").format(id=note.id))
        self._leave()

    def _discard_note(self) -> None:
        self.notes.discard()
        self.message(_("Note discarded."))
        self._leave()

    def _update_note(self, note: Note) -> None:
        from agentdesk.core.notes import NoteError

        try:
            saved = self.notes.update(note)
        except NoteError as exc:
            self.note_form.show_problems([str(exc)])
            return
        self.note_form.show_note(saved)
        self.message(_("Note {id} saved.").format(id=saved.id))

    def _draft_changed(self, draft: Draft | None) -> None:
        on_form = self._note_form is not None and self.pages.currentWidget() is self._note_form
        if draft is None or on_form:
            self.note_bar.hide()
            return
        who = draft.person or _("no person yet")
        self.note_bar.setText(_("Note to complete: {who} — open it (Ctrl+N)").format(who=who))
        self.note_bar.show()

    def _due_changed(self, due: list[Note]) -> None:
        self.notes_button.setText(_("Notes") + (f" ({len(due)})" if due else ""))
        if self._notes_page is not None:
            self._notes_page.show_due(len(due))

    def _remember_page(self) -> None:
        current = self.pages.currentWidget()
        if current not in (self._note_form, self._notes_page):
            self._return_to = current

    def _leave(self) -> None:
        """Back from the notes to where the agent was."""
        target = self._return_to
        self._return_to = None
        if target is not None and target is self._search_panel:
            self.pages.setCurrentWidget(self.search_panel)
        else:
            self.show_start_or_view()
        self._draft_changed(self.notes.draft)

    def _save_shortcut(self) -> None:
        if self._note_form is not None and self.pages.currentWidget() is self._note_form:
            self.note_form._save()

    def _escape(self) -> None:
        current = self.pages.currentWidget()
        if current is not None and current is self._search_panel:
            self.show_start_or_view()
        elif current is not None and current in (self._note_form, self._notes_page):
            self._leave()

    def export_notes(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from agentdesk.core.notes.export import Format, export_file

        path, chosen = QFileDialog.getSaveFileName(
            self, _("Export notes"), "notas.csv", "CSV (*.csv);;JSON Lines (*.jsonl)"
        )
        if not path:
            return
        mask = (
            QMessageBox.question(
                self, _("Export notes"), _("Mask ID and phone numbers in the export?")
            )
            == QMessageBox.StandardButton.Yes
        )
        fmt: Format = "jsonl" if path.endswith(".jsonl") or "jsonl" in chosen else "csv"
        try:
            count = export_file(self.notes.store.iter_notes(), Path(path), fmt, mask)
        except OSError as exc:
            self.message(_("The notes could not be exported: {error}").format(error=exc))
            return
        self.message(_("{n} note(s) exported to {path}").format(n=count, path=path))

    def ask_agent_name(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        name, ok = QInputDialog.getText(
            self,
            _("Agent name"),
            _("Your name, recorded in each note:"),
            text=self.settings.agent_name,
        )
        if ok:
            self.settings.agent_name = name.strip()
