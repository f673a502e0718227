"""Interaction notes in the panel: the drafts that autosave, follow-ups.

The rules live in the core: when a draft starts, merges, is set aside or closes in
:mod:`agentdesk.core.interaction.drafting`, what a note is and how it is stored in
:mod:`agentdesk.core.notes`. :class:`NotesController` adapts them to the panel: the drafts
are written to disk a moment after each keystroke (so a crash or a kill loses at most that
moment), brought back at the next start, and follow-ups are checked on a timer. The panel
window's side of the notes (its pages) is :mod:`.panel_notes`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, QTimer, Signal

from agentdesk.core.i18n import _, ngettext
from agentdesk.core.interaction.drafting import NoteDrafting, Write

if TYPE_CHECKING:
    from PySide6.QtWidgets import (
        QMainWindow,
    )

    from agentdesk.core.flows.step_view import StepView
    from agentdesk.core.notes import Draft, Note, NoteFilter, NoteStore, Page
    from agentdesk.core.notes.backup import Recovery
    from agentdesk.ui.shell.controller import Controller
    from agentdesk.ui.shell.worker import Worker

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
    sig_opened = Signal()
    """The notes were opened off the GUI thread (or could not be: ``unavailable``)."""

    def __init__(self, controller: Controller, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.paths = controller.paths
        self.settings = controller.settings
        self.drafting = NoteDrafting()
        self._store: NoteStore | None = None
        self._opening: Worker | None = None  # the notes being opened off the GUI thread
        self._upkeep: Worker | None = None  # the daily backup and check, off it too
        self._closed = False  # closed with its window: nothing opens the notes again
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
        """The open draft (the note form's), if any."""
        return self.drafting.draft

    @property
    def waiting(self) -> list[Draft]:
        """Unfinished drafts of earlier calls, set aside, the newest first."""
        return self.drafting.waiting

    # -- the database -------------------------------------------------------------------

    @property
    def store(self) -> NoteStore:
        """The notes database. Opened off the GUI thread by :meth:`start`; an agent
        faster than that open waits for it here (a fraction of a millisecond, or the
        recovery of a damaged file). Without :meth:`start`, or when the notes could not
        be opened, it is opened now (raising NotesUnavailable if it still cannot be)."""
        if self._store is None and self._opening is not None:
            self._opened(self._opening.outcome())
        if self._store is None:
            from agentdesk.core.notes.upkeep import open_for_use

            self._store = open_for_use(self.paths, reading=True)  # read-only: to read
        return self._store

    @property
    def recovered(self) -> Recovery | None:
        """What the open did to bring back damaged or lost notes, if it had to."""
        return self._store.recovery if self._store is not None else None

    @property
    def ready(self) -> bool:
        """Nothing waits for the notes to open: they are open, or could not be."""
        return self._opening is None

    @property
    def opening(self) -> bool:
        """The notes are being opened (or upkept) off the GUI thread."""
        return self._opening is not None or self._upkeep is not None

    def start(self) -> None:
        """Open the notes off the GUI thread (milliseconds at any size); then bring back
        an unfinished draft, watch follow-ups, and take the daily backup and full check,
        off the GUI thread too (seconds at a million notes).

        :attr:`sig_opened` says when they are open, or could not be: a recovery
        (``store.recovery``) is the window's to show, and so is a database that cannot be
        used (``unavailable``: a full disk, a folder in its place). A read-only one is read
        (history, drafts) and ``unavailable`` says notes cannot be saved. A failed backup is told
        here when the daily upkeep ends; damage it finds is recovered from like damage
        found at the open.

        A window closed before it got here (its notes start after its first paint) does
        not open them: a worker opening the database after the window closed would race
        the next window's open of it.
        """
        if not self._closed:
            self._open(damaged=False)

    def _open(self, damaged: bool) -> None:
        from agentdesk.core.notes.upkeep import open_for_use
        from agentdesk.ui.shell.worker import run_in_worker

        paths = self.paths
        self._opening = run_in_worker(
            lambda: open_for_use(paths, damaged=damaged, reading=True), self._opened, self
        )

    def _opened(self, result: object) -> None:
        """On the GUI thread: the open's result (a store, or why there is none)."""
        from agentdesk.core.notes import NotesUnavailable

        worker = self._opening
        if worker is None or result is not worker.result:
            return  # handled already (an agent faster than the open waited for it)
        self._opening = None
        if isinstance(result, NotesUnavailable):
            self.unavailable = str(result)
        elif isinstance(result, BaseException):
            raise result
        else:
            self._store = cast("NoteStore", result)
            self.unavailable = self._store.read_only  # read-only: read, not saved
            store = self._store
            self.drafting.restore(store.load_draft(), store.load_aside())
            self.flush()  # what was drafted meanwhile
            self.sig_draft.emit(self.draft)
            self.check_due()
            self._due.start()
            if (
                self._upkeep is None
                and store.recovery is None
                and not self._closed
                and not store.read_only
            ):
                self._upkeep = self._daily()
        self.sig_opened.emit()

    def _daily(self) -> Worker:
        from agentdesk.core.notes.upkeep import daily
        from agentdesk.ui.shell.worker import run_in_worker

        paths = self.paths
        return run_in_worker(lambda: daily(paths), self._upkept, self)

    def _upkept(self, result: object) -> None:
        """On the GUI thread: the daily backup and full check are done."""
        from agentdesk.core.notes.upkeep import Upkeep

        self._upkeep = None
        if not isinstance(result, Upkeep):  # an unexpected failure: the notes still work
            result = Upkeep(None, str(result))
        if result.damage and self._store is not None:
            self.flush()
            self._store.close()  # damaged: set aside, the newest good backup restored
            self._store = None
            self._open(damaged=True)
        elif result.error is not None and self._store is not None:
            self._store.backup_error = result.error
            self.sig_message.emit(
                _("The notes could not be backed up ({error}); they are still saved.").format(
                    error=result.error
                )
            )

    def close(self) -> None:
        """Write the drafts; wait for work off the GUI thread to end (the daily backup
        is not interrupted half-way: it takes seconds at a million notes). For good: the
        window goes, nothing is started afterwards (:meth:`start`)."""
        self._closed = True
        if self._upkeep is not None:
            self._upkeep.wait()
        if self._opening is not None:
            self._opened(self._opening.outcome())
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

    def for_call(self) -> None:
        """Ctrl+N: the draft of the call in progress opens (a blank one if it has none)."""
        self._write(self.drafting.for_call(self.controller.call, self._agent))
        if self.draft is None:
            self.edit()

    def pick(self, key: str) -> None:
        """Open a draft set aside; the open one is set aside in its place."""
        self._write(self.drafting.pick(key))

    def flush(self) -> list[Draft]:
        """Write the drafts now (before closing, and after the autosave delay): those just
        set aside, then the open one. Returns the ones set aside."""
        self._save.stop()
        if self._store is None and self._opening is not None:
            return []  # the notes are being opened: written once they are (_opened)
        from agentdesk.core.notes import NoteError

        moved = list(self.drafting.moved)
        try:
            for earlier in moved:
                self.store.set_aside(earlier)
            self.drafting.moved.clear()
            if self.draft is not None:
                self._store_open(self.draft)
        except NoteError as exc:  # NotesUnavailable: the drafts stay, in memory
            self.sig_message.emit(str(exc))
        return moved

    def _store_open(self, draft: Draft) -> None:
        from agentdesk.core.notes import DraftConflict

        try:
            self.drafting.stored(self.store.save_draft(draft))
        except DraftConflict as conflict:  # another process wrote one: never overwrite it
            self.store.set_aside(draft)  # ours is kept, aside
            self.drafting.stored(conflict.current)
            self.sig_message.emit(str(conflict))
            self.sig_draft.emit(self.draft)

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
            moved = self.flush()
            self.sig_draft.emit(self.draft)
            if moved:
                self.sig_message.emit(
                    ngettext(
                        "The note of an earlier call is kept to complete: Ctrl+N, then pick it.",
                        "{n} notes of earlier calls are kept to complete: Ctrl+N, then pick one.",
                        len(self.waiting),
                    ).format(n=len(self.waiting))
                )
        elif when == "soon":
            self._save.start()

    # -- the history --------------------------------------------------------------------

    def page(self, query: str, filters: NoteFilter | None, after: int | None, limit: int) -> Page:
        """A page of the history, newest first, after the note ``after`` (see
        :meth:`NoteStore.page`); an empty one when the notes cannot be used."""
        from agentdesk.core.notes import NoteError, Page

        if not self.ready:  # still opening: the history shows them once they are
            return Page([], None)
        try:
            return self.store.page(query, filters, after=after, limit=limit)
        except NoteError as exc:  # NotesUnavailable
            self.sig_message.emit(str(exc))
            return Page([], None)

    def note(self, note_id: int) -> Note | None:
        """A note of the history as saved now (None: gone, or the notes cannot be read)."""
        from agentdesk.core.notes import NoteError

        try:
            return self.store.get(note_id) if self.ready else None
        except NoteError as exc:  # NotesUnavailable
            self.sig_message.emit(str(exc))
            return None

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
