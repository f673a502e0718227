"""The notes history as a model that reads a page at a time, as the list scrolls.

A desk keeps a million notes and more; the history reads the first page when it opens
(or the search or a filter changes) and the next one each time the list reaches its end
(Qt's ``canFetchMore``/``fetchMore``). Pages follow by id (:meth:`NoteStore.page`), so
every note is reached, none twice, and the page a million notes down costs what the first
does. A row keeps only what it shows, its text (made as its page comes in: the list sets
the row's height from it), and the note's id: the note itself is read when it is opened
(100,000 rows kept as notes took 95 MB more than as their texts).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from agentdesk.core.i18n import _
from agentdesk.core.notes.model import shown_time
from agentdesk.ui.notes.notes_controller import medium_label

if TYPE_CHECKING:
    from agentdesk.core.notes import Note, NoteFilter, Page

    Index = QModelIndex | QPersistentModelIndex

#: Notes read when the list opens (a narrow panel shows about ten), then at each end.
FIRST_PAGE, PAGE = 50, 100
NOTE_ROLE = Qt.ItemDataRole.UserRole


class Pages(Protocol):
    """Where the pages come from (:class:`~.notes_controller.NotesController`)."""

    def page(self, query: str, filters: NoteFilter | None, after: int | None, limit: int) -> Page:
        """The notes after the note ``after`` (None: from the newest), newest first."""

    def note(self, note_id: int) -> Note | None:
        """The note by its id, as saved now (None: gone, or the notes cannot be read)."""


class Shown(NamedTuple):
    """A row of the list: the note's id and its text."""

    id: int
    text: str


def row_text(note: Note, where: Callable[[Note], str] | None = None) -> str:
    """A note in the list: when, who, how, a due follow-up; the reason; where (pack and
    flow by title)."""
    flags = ""
    if note.follow_up and not note.follow_up_done:
        flags = " · " + _("follow-up {when}").format(when=shown_time(note.follow_up))
    when = shown_time(note.created_at)
    text = f"{when} · {note.person} · {medium_label(note.medium)}{flags}\n{note.reason}"
    place = where(note) if where is not None else ""
    return f"{text}\n{place}" if place else text


class NotesModel(QAbstractListModel):
    """The notes matching a search and filters, newest first, read as they are needed."""

    def __init__(self, pages: Pages, where: Callable[[Note], str]) -> None:
        super().__init__()
        self._pages = pages
        self._where = where
        self._rows: list[Shown] = []
        self._next: int | None = None  # where the next page starts (None: no more)
        self._query: tuple[str, NoteFilter | None] = ("", None)
        self._paused = False

    def reset(self, text: str, filters: NoteFilter | None) -> None:
        """Show the first page for a new search or filter."""
        self.beginResetModel()
        self._query = (text, filters)
        self._rows, self._next = [], None
        self._add(self._pages.page(text, filters, None, FIRST_PAGE))
        self.endResetModel()

    def note(self, row: int) -> Note | None:
        """The note of a row, read as saved now."""
        return self._pages.note(self._rows[row].id)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """No page is read meanwhile (the view asks for more while it is laid out)."""
        self._paused = True
        try:
            yield
        finally:
            self._paused = False

    # -- Qt's model ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        if role == NOTE_ROLE:
            return self.note(index.row())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._rows[index.row()].text
        return None

    def canFetchMore(self, parent: Index) -> bool:
        return not (parent.isValid() or self._paused) and self._next is not None

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or self._next is None:
            return
        text, filters = self._query
        page = self._pages.page(text, filters, self._next, PAGE)
        first = len(self._rows)
        if not page.notes:
            self._next = None
            return
        self.beginInsertRows(QModelIndex(), first, first + len(page.notes) - 1)
        self._add(page)
        self.endInsertRows()

    def _add(self, page: Page) -> None:
        where = self._where
        self._rows.extend(Shown(n.id or 0, row_text(n, where)) for n in page.notes)
        self._next = page.next
