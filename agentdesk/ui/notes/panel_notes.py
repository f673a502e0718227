"""The panel window's side of the notes (mixed into it; kiosks keep no notes): the note of
the call (and the unfinished notes of earlier calls, listed on it and on the note bar),
the history, export. Its pages are built on first use; :class:`NotesController`
(:mod:`.notes_controller`) keeps the drafts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from agentdesk.core.i18n import _, ngettext
from agentdesk.ui.shell.shortcuts import with_key

if TYPE_CHECKING:
    from PySide6.QtWidgets import (
        QMainWindow,
        QMessageBox,
        QStackedWidget,
        QToolButton,
        QWidget,
    )

    from agentdesk.core.notes import Draft, Note
    from agentdesk.core.settings import Settings
    from agentdesk.ui.notes.note_form import NoteForm
    from agentdesk.ui.notes.notes_controller import NotesController
    from agentdesk.ui.notes.notes_page import NotesPage
    from agentdesk.ui.shell.controller import Controller
    from agentdesk.ui.shell.widgets import ElidedLabel, WrapButton
    from agentdesk.ui.wizard.search_popup import SearchPanel

    _Window = QMainWindow
else:
    _Window = object


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

        def message(self, text: str, tone: str = "ok") -> None: ...
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
            form.sig_done.connect(self._mark_done)
            form.sig_close.connect(self._leave)
            form.sig_pick.connect(self._pick_note)
            self.pages.addWidget(form)
            self._note_form = form
        return self._note_form

    @property
    def notes_page(self) -> NotesPage:
        if self._notes_page is None:
            from agentdesk.ui.notes.notes_page import NotesPage

            page = NotesPage(self.notes, self._where)
            page.sig_query.connect(self._refresh_notes)
            page.sig_open.connect(self._open_saved_note)
            page.sig_export.connect(self.export_notes)
            page.sig_close.connect(self._leave)
            self.pages.addWidget(page)
            self._notes_page = page
        return self._notes_page

    def _start_notes(self) -> None:
        """Open the notes (off the GUI thread: :meth:`NotesController.start`)."""
        self.notes.sig_newly_due.connect(lambda _due: QApplication.alert(self))
        self.notes.sig_opened.connect(self._notes_opened)
        app = QApplication.instance()
        if app is not None:  # a quit without closing the window (a log-out) closes them too
            app.aboutToQuit.connect(self.notes.close)
        self.notes.start()

    def _notes_opened(self) -> None:
        """Show the history if it waited for the notes; say in a box what the agent must
        know of the notes just opened, if anything."""
        notes = self.notes
        if self._notes_page is not None and self._notes_page.waiting:
            self._refresh_notes()
        if notes.unavailable is not None:  # a full disk, a read-only folder
            warning = (_("Notes unavailable"), notes.unavailable)
        elif notes.recovered is not None:  # the database was damaged or lost
            warning = (_("Notes restored"), notes.recovered.message)
        else:
            return
        box = self._message(*warning)  # said in a box, not in passing
        box.setIcon(box.Icon.Warning)
        box.open()

    # -- the note of the interaction ----------------------------------------------------

    def open_note(self) -> None:
        """Ctrl+N: the note of the call in progress (a blank one if it has none yet); the
        unfinished notes of earlier calls are listed on it."""
        self.notes.for_call()
        self._open_note_form()

    def open_bar_note(self) -> None:
        """The note bar was pressed: the note it names (the open one, or else the latest
        of the earlier calls')."""
        waiting = self.notes.waiting
        if self.notes.draft is None and waiting:
            self.notes.pick(waiting[0].key)
        if self.notes.draft is None:
            self.notes.for_call()
        self._open_note_form()

    def _open_note_form(self) -> None:
        self._remember_page()
        self._show_open_draft()
        self._show_page(self.note_form, _("Interaction note"))
        self.note_bar.hide()
        self.note_form.focus_first()

    def _show_open_draft(self) -> None:
        draft = self.notes.draft
        assert draft is not None
        self.note_form.show_draft(draft, self._where(draft))
        self.note_form.show_waiting([(d, self._where(d)) for d in self.notes.waiting])

    def _pick_note(self, key: str) -> None:
        """The agent opens the note of an earlier call, from the note form."""
        self.notes.pick(key)
        self._show_open_draft()
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
        """The note bar: the notes to complete, the open one named (hidden on the form)."""
        on_form = self._note_form is not None and self.pages.currentWidget() is self._note_form
        waiting = self.notes.waiting
        first = draft or (waiting[0] if waiting else None)
        if first is None or on_form:
            self.note_bar.hide()
            return
        who = first.person or _("no person yet")
        count = len(waiting) + (draft is not None)
        text = (
            _("Note to complete: {who} — open it")
            if count == 1
            else _("{n} notes to complete: {who} and earlier calls — open them")
        )
        self.note_bar.setText(with_key(text.format(who=who, n=count), "open_note"))
        self.note_bar.show()

    # -- the history --------------------------------------------------------------------

    def open_notes(self) -> None:
        self._remember_page()
        self._show_page(self.notes_page, _("Notes"))
        self._refresh_notes()
        self.notes_page.start()

    def _where(self, note: Note | Draft) -> str:
        """A note's pack and flow as the agent knows them, by title ("Modelo de atención
        Movistar · Cobranza"); the ids only for content that is no longer installed."""
        pack = self.controller.packs().get(note.pack_id)
        if pack is None:
            return " · ".join(x for x in (note.pack_id, note.flow_id) if x)
        flow = pack.flows.get(note.flow_id)
        return " · ".join(x for x in (pack.title, flow.title if flow else note.flow_id) if x)

    def _refresh_notes(self) -> None:
        self.notes_page.refresh(waiting=not self.notes.ready)

    def _open_saved_note(self, note: Note) -> None:
        self.note_form.show_note(note, self._where(note))
        self._show_page(self.note_form, _("Interaction note"))

    def _update_note(self, note: Note) -> None:
        from agentdesk.core.notes import NoteError

        try:
            saved = self.notes.update(note)
        except NoteError as exc:
            self.note_form.show_problems([str(exc)])
            return
        self.note_form.show_note(saved, self._where(saved))
        self.message(_("Note {id} saved.").format(id=saved.id))

    def _mark_done(self, note_id: int, done: bool) -> None:
        from agentdesk.core.notes import NoteError

        try:
            self.notes.mark_done(note_id, done)
        except NoteError as exc:  # NotesUnavailable: read-only, a full disk
            self.note_form.done_button.setChecked(not done)  # as it is stored
            self.note_form.show_problems([str(exc)])

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
