"""Interaction notes for the panel: the draft that autosaves, the history, follow-ups.

The rules live in :mod:`agentdesk.core.notes`; this keeps the panel's side of them: one
draft per interaction, written to disk a moment after each keystroke (so a crash or a
kill loses at most that moment), brought back at the next start, and never dropped
without the agent choosing to.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from agentdesk.core.i18n import _
from agentdesk.core.paths import Paths
from agentdesk.core.settings import Settings

if TYPE_CHECKING:
    from agentdesk.core.flows.session import Session
    from agentdesk.core.flows.view import StepView
    from agentdesk.core.notes import Draft, Note, NoteFilter, NoteStore

AUTOSAVE_MS = 400
DUE_CHECK_MS = 30_000
#: What the agent writes in a draft (the flow only suggests it); the person is always kept.
WRITTEN = ("medium", "reason", "inputs", "pending", "solution", "protocol", "follow_up")


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

    def __init__(self, paths: Paths, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.settings = settings
        self._store: NoteStore | None = None
        self.unavailable: str | None = None  # why the notes cannot be used, if they cannot
        self.draft: Draft | None = None
        self.edited = False  # the agent has typed in the current draft
        self.interaction: str | None = None  # key of the draft of the interaction under way
        self.closed: datetime | None = None  # start of the last interaction saved or discarded
        self._reminded: set[int] = set()
        self._save = QTimer(self)
        self._save.setSingleShot(True)
        self._save.setInterval(AUTOSAVE_MS)
        self._save.timeout.connect(self.flush)
        self._due = QTimer(self)
        self._due.setInterval(DUE_CHECK_MS)
        self._due.timeout.connect(self.check_due)

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
            self.draft = self.store.load_draft()
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

    def new_interaction(self) -> None:
        """A new customer, or a flow opened from the start: its outcome starts a new note.

        An unfinished note of the interaction before stays as it is, never refreshed with
        the new walk: the agent is asked to complete it first.
        """
        self.interaction = None

    def outcome_reached(
        self, session: Session, view: StepView, copied: list[str], started: datetime
    ) -> None:
        """The walk ended at an outcome (``view``): draft the note from it (or refresh it)."""
        from agentdesk.core.notes.prefill import draft_from_session

        if started == self.closed:
            return  # this interaction's note was saved or discarded already
        fresh = draft_from_session(
            session, view, copied, agent=self.settings.agent_name, started_at=started
        )
        if self.draft is None:
            self._keep(fresh, flush=True)
            self.interaction = fresh.key
            self.edited = False
        elif self.draft.key == self.interaction:
            keep: dict[str, Any] = {"key": self.draft.key, "person": self.draft.person}
            if self.edited:  # what the agent wrote wins; only the record of the walk moves on
                keep.update({f: getattr(self.draft, f) for f in WRITTEN})
            self._keep(_replace(fresh, **keep))
        else:
            self.sig_message.emit(
                _("A note from an earlier interaction is not finished: complete it first (Ctrl+N).")
            )

    def macro_copied(self, copied: list[str]) -> None:
        if self.draft is not None and self.draft.key == self.interaction:
            self._keep(_replace(self.draft, macros_copied=tuple(copied)))

    def edit(self, **fields: Any) -> None:
        """The agent typed in the note: keep it, and write it to disk a moment later."""
        if self.draft is None:
            from agentdesk.core.notes import Draft

            self.draft = Draft(agent=self.settings.agent_name, started_at=datetime.now())
            self.interaction = self.draft.key
        self.edited = True
        self._keep(_replace(self.draft, **fields))

    def flush(self) -> None:
        """Write the draft now (before closing, and after the autosave delay)."""
        self._save.stop()
        if self.draft is not None:
            from agentdesk.core.notes import DraftConflict, NoteError

            try:
                self.draft = self.store.save_draft(self.draft)
            except DraftConflict as conflict:  # another process wrote one: never overwrite it
                self.draft = conflict.current
                self.sig_message.emit(str(conflict))
                self.sig_draft.emit(self.draft)
            except NoteError as exc:  # NotesUnavailable: the draft stays, in memory
                self.sig_message.emit(str(exc))

    def finish(self) -> Note:
        """Save the note; NoteError says what is missing (the draft stays)."""
        assert self.draft is not None
        self._save.stop()
        note = self.store.finish_draft(self.draft)
        self.closed = self.draft.started_at
        self.draft = None
        self.interaction = None
        self.edited = False
        self.sig_draft.emit(None)
        self.sig_saved.emit(note)
        return note

    def discard(self) -> None:
        """The agent chose to throw the draft away."""
        if self.draft is not None:
            self._save.stop()
            self.store.discard_draft(self.draft.key)
            self.closed = self.draft.started_at
        self.draft = None
        self.interaction = None
        self.edited = False
        self.sig_draft.emit(None)

    def _keep(self, draft: Draft, flush: bool = False) -> None:
        self.draft = draft
        if flush:
            self.flush()
            self.sig_draft.emit(self.draft)
        else:
            self._save.start()

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


def _replace(draft: Draft, **fields: Any) -> Draft:
    """``draft`` with ``fields`` changed. (dataclasses is imported here, when a note is first
    drafted: the panel's first paint does not wait for it.)"""
    from dataclasses import replace

    return replace(draft, **fields)
