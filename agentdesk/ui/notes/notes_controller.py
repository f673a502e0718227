"""Interaction notes in the panel: the draft that autosaves, the history, follow-ups.

The rules live in the core: when a draft starts, merges or closes in
:mod:`agentdesk.core.interaction.drafting`, what a note is and how it is stored in
:mod:`agentdesk.core.notes`. :class:`NotesController` adapts them to the panel: the draft is
written to disk a moment after each keystroke (so a crash or a kill loses at most that
moment), brought back at the next start, and follow-ups are checked on a timer.
:class:`PanelNotes` is the panel window's side of the notes (mixed into it; kiosks keep no
notes): the note of the interaction, the history, export. Its pages are built on first use.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from agentdesk.core.i18n import _, ngettext
from agentdesk.core.interaction.drafting import NoteDrafting, Write, blocked_message
from agentdesk.ui.shell.shortcuts import with_key

if TYPE_CHECKING:
    from PySide6.QtWidgets import (
        QMainWindow,
        QMessageBox,
        QStackedWidget,
        QToolButton,
        QWidget,
    )

    from agentdesk.core.flows.step_view import StepView
    from agentdesk.core.notes import Draft, Note, NoteFilter, NoteStore
    from agentdesk.core.settings import Settings
    from agentdesk.ui.notes.note_form import NoteForm
    from agentdesk.ui.notes.notes_page import NotesPage
    from agentdesk.ui.shell.controller import Controller
    from agentdesk.ui.shell.widgets import ElidedLabel, WrapButton
    from agentdesk.ui.wizard.search_popup import SearchPanel

    _Window = QMainWindow
else:
    _Window = object


AUTOSAVE_MS = 400
DUE_CHECK_MS = 30_000


def medium_label(medium: str | None) -> str:
    labels = {
        "phone": _("Phone"),
        "whatsapp": "WhatsApp",
        "email": _("Email"),
        "switchboard": _("Switchboard"),
        "skype": "Skype",
        "teams": "Teams",
        "chat": _("Chat"),
        "in_person": _("In person"),
        "other": _("Other"),
    }
    return labels.get(medium or "", medium or "")


class NotesController(QObject):
    sig_draft = Signal(object)
    """The pending note changed (a Draft, or None when there is none)."""
    sig_saved = Signal(object)
    """A note was saved (the Note)."""
    sig_due = Signal(list)
    """Follow-ups that are due (a list of Note), at every check."""
    sig_newly_due = Signal(list)
    """Follow-ups due that were not announced yet (a list of Note): alert the agent."""
    sig_message = Signal(str)
    """Something to tell the agent."""

    def __init__(self, controller: Controller, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.paths = controller.paths
        self.settings = controller.settings
        self.drafting = NoteDrafting()
        self._store: NoteStore | None = None
        self.unavailable: str | None = None  # why the notes cannot be used, if they cannot
        self._reminded: set[int] = set()
        self._save = QTimer(self)
        self._save.setSingleShot(True)
        self._save.setInterval(AUTOSAVE_MS)
        self._save.timeout.connect(self.flush)
        self._due = QTimer(self)
        self._due.setInterval(DUE_CHECK_MS)
        self._due.timeout.connect(self.check_due)

    @property
    def draft(self) -> Draft | None:
        """The pending draft (the one the store keeps), if any."""
        return self.drafting.draft

    # -- the database -------------------------------------------------------------------

    @property
    def store(self) -> NoteStore:
        if self._store is None:
            from agentdesk.core.notes import open_notes

            self._store = open_notes(self.paths)
        return self._store

    def start(self) -> None:
        """Open the notes, bring back an unfinished draft, start watching follow-ups.

        A failed backup is told here; a recovery (``store.recovery``) is the window's to show,
        and so is a database that cannot be used (``unavailable``: a full disk, a read-only
        folder); then notes are not started.
        """
        from agentdesk.core.notes import NotesUnavailable

        try:
            self.drafting.restore(self.store.load_draft())
        except NotesUnavailable as exc:
            self.unavailable = str(exc)
            return
        self.sig_draft.emit(self.draft)
        self.check_due()
        self._due.start()
        if self.store.backup_error is not None:  # last: the status line shows one message
            self.sig_message.emit(
                _("The notes could not be backed up ({error}); they are still saved.").format(
                    error=self.store.backup_error
                )
            )

    def close(self) -> None:
        self.flush()
        if self._store is not None:
            self._store.close()
            self._store = None

    # -- the draft ----------------------------------------------------------------------

    def view_shown(self, view: StepView) -> None:
        """The call shows ``view``: at an outcome, the note is drafted (or refreshed)."""
        self._write(self.drafting.outcome_reached(self.controller.call, view, self._agent))

    def macro_copied(self) -> None:
        self._write(self.drafting.copied(self.controller.call))

    def edit(self, **fields: Any) -> None:
        """The agent typed in the note: keep it, and write it to disk a moment later."""
        self._write(self.drafting.edit(self.controller.call, self._agent, **fields))

    def flush(self) -> None:
        """Write the draft now (before closing, and after the autosave delay)."""
        self._save.stop()
        draft = self.draft
        if draft is None:
            return
        from agentdesk.core.notes import DraftConflict, NoteError

        try:
            self.drafting.stored(self.store.save_draft(draft))
        except DraftConflict as conflict:  # another process wrote one: never overwrite it
            self.drafting.stored(conflict.current)
            self.sig_message.emit(str(conflict))
            self.sig_draft.emit(self.draft)
        except NoteError as exc:  # NotesUnavailable: the draft stays, in memory
            self.sig_message.emit(str(exc))

    def finish(self) -> Note:
        """Save the note; NoteError says what is missing (the draft stays)."""
        assert self.draft is not None
        self._save.stop()
        note = self.store.finish_draft(self.draft)
        self.drafting.close()
        self.sig_draft.emit(None)
        self.sig_saved.emit(note)
        return note

    def discard(self) -> None:
        """The agent chose to throw the draft away."""
        if self.draft is not None:
            self._save.stop()
            self.store.discard_draft(self.draft.key)
        self.drafting.close()
        self.sig_draft.emit(None)

    @property
    def _agent(self) -> str:
        return self.settings.agent_name

    def _write(self, when: Write) -> None:
        if when == "now":
            self.flush()
            self.sig_draft.emit(self.draft)
        elif when == "soon":
            self._save.start()
        elif when == "blocked":
            self.sig_message.emit(blocked_message())

    # -- the history --------------------------------------------------------------------

    def notes(self, query: str = "", filters: NoteFilter | None = None) -> list[Note]:
        if query.strip():
            return self.store.search(query, filters, limit=200)
        return self.store.list_notes(filters, limit=200)

    def update(self, note: Note) -> Note:
        saved = self.store.update(note)
        self.sig_saved.emit(saved)
        return saved

    def mark_done(self, note_id: int, done: bool = True) -> Note:
        note = self.store.mark_done(note_id, done)
        self.sig_saved.emit(note)
        self.check_due()
        return note

    def check_due(self) -> None:
        due = self.store.due()
        self.sig_due.emit(due)
        fresh = [n for n in due if n.id not in self._reminded]
        self._reminded.update(n.id for n in fresh if n.id is not None)
        if fresh:
            self.sig_newly_due.emit(fresh)
            self.sig_message.emit(
                _("Follow-up due: {person} — {reason}").format(
                    person=fresh[0].person, reason=fresh[0].reason
                )
            )


# -- the panel's notes pages ---------------------------------------------------


class PanelNotes(_Window):
    """The notes side of the panel window (mixed into it, before the Qt class)."""

    controller: Controller
    notes: NotesController
    settings: Settings
    pages: QStackedWidget
    title: ElidedLabel
    subtitle: ElidedLabel
    note_bar: WrapButton
    notes_button: QToolButton
    _note_form: NoteForm | None
    _notes_page: NotesPage | None
    _search_panel: SearchPanel | None
    _return_to: QWidget | None

    if TYPE_CHECKING:  # the window's own

        def message(self, text: str) -> None: ...
        def show_start_or_view(self) -> None: ...
        def _show_details(self, visible: bool) -> None: ...
        def _message(self, title: str, text: str) -> QMessageBox: ...
        @property
        def search_panel(self) -> SearchPanel: ...

    def follow_notes(self, notes: NotesController) -> None:
        """Draft the note as the call reaches its outcome, and show what the notes say."""
        self.controller.sig_view.connect(notes.view_shown)
        self.controller.sig_new_customer.connect(notes.flush)  # the last keystrokes, now
        notes.sig_draft.connect(self._draft_changed)
        notes.sig_due.connect(self._due_changed)
        notes.sig_message.connect(self.message)

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

    def _start_notes(self) -> None:
        self.notes.sig_newly_due.connect(lambda _due: QApplication.alert(self))
        self.notes.start()
        if self.notes.unavailable is not None:  # a full disk, a read-only folder
            warning = (_("Notes unavailable"), self.notes.unavailable)
        elif self.notes.store.recovery is not None:  # the database was damaged or lost
            warning = (_("Notes restored"), self.notes.store.recovery.message)
        else:
            return
        box = self._message(*warning)  # said in a box, not in passing
        box.setIcon(box.Icon.Warning)
        box.open()

    # -- the note of the interaction ----------------------------------------------------

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

    def save_note(self) -> None:
        """Ctrl+S, on the note form."""
        if self._note_form is not None and self.pages.currentWidget() is self._note_form:
            self.note_form._save()

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

    def _draft_changed(self, draft: Draft | None) -> None:
        on_form = self._note_form is not None and self.pages.currentWidget() is self._note_form
        if draft is None or on_form:
            self.note_bar.hide()
            return
        who = draft.person or _("no person yet")
        self.note_bar.setText(
            with_key(_("Note to complete: {who} — open it").format(who=who), "open_note")
        )
        self.note_bar.show()

    # -- the history --------------------------------------------------------------------

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

    def _update_note(self, note: Note) -> None:
        from agentdesk.core.notes import NoteError

        try:
            saved = self.notes.update(note)
        except NoteError as exc:
            self.note_form.show_problems([str(exc)])
            return
        self.note_form.show_note(saved)
        self.message(_("Note {id} saved.").format(id=saved.id))

    def _due_changed(self, due: list[Note]) -> None:
        self.notes_button.setText(_("Notes") + (f" ({len(due)})" if due else ""))
        if self._notes_page is not None:
            self._notes_page.show_due(len(due))

    def export_notes(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from agentdesk.core.notes.export import Format, export_file

        parent: QWidget = self
        path, chosen = QFileDialog.getSaveFileName(
            parent, _("Export notes"), "notas.csv", "CSV (*.csv);;JSON Lines (*.jsonl)"
        )
        if not path:
            return
        mask = (
            QMessageBox.question(
                parent, _("Export notes"), _("Mask ID and phone numbers in the export?")
            )
            == QMessageBox.StandardButton.Yes
        )
        fmt: Format = "jsonl" if path.endswith(".jsonl") or "jsonl" in chosen else "csv"
        try:
            count = export_file(self.notes.store.iter_notes(), Path(path), fmt, mask)
        except OSError as exc:
            self.message(_("The notes could not be exported: {error}").format(error=exc))
            return
        self.message(
            ngettext("{n} note exported to {path}", "{n} notes exported to {path}", count).format(
                n=count, path=path
            )
        )

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

    # -- moving between pages -----------------------------------------------------------

    def _show_page(self, page: QWidget, title: str) -> None:
        """A page of the panel's own (notes), not of the flow: its own title, no details."""
        self._show_details(False)
        self.title.setText(title)
        self.subtitle.setText(self.settings.agent_name)
        self.pages.setCurrentWidget(page)

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
