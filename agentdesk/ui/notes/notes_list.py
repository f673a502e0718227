"""The notes history's rows: a one-column table whose rows are as tall as their wrapped text.

A table, not a tree or a list view: those lay out every row again when a page of rows
comes in, so the next 100 rows cost 0.9 s with 10,000 rows read, and more with more. A
table's rows are the sections of its vertical header, each as tall as it is told: each
row's height is set once, when its page comes in (the list's cost per page stays flat at
any depth, docs/performance.md).

A new width (the panel resized, the scroll bar shown) wraps every row again, about 80 µs a
row: the rows on screen at once, the others in steps of :data:`STEP` rows in idle time,
the rows further down first; the row at the top of the list stays where it is meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QModelIndex, QRect, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyleOptionViewItem, QTableView

from agentdesk.ui.notes.notes_model import NOTE_ROLE
from agentdesk.ui.wizard.wrap_rows import wrap_rows

if TYPE_CHECKING:
    from agentdesk.core.notes import Note
    from agentdesk.ui.notes.notes_model import NotesModel

#: Rows wrapped again in one step of idle time after a width change (about 12 ms).
STEP = 100


class Row(NamedTuple):
    """A row of the list, as the page (and its tests) address it."""

    at: QModelIndex

    def text(self) -> str:
        return str(self.at.data(Qt.ItemDataRole.DisplayRole) or "")

    @property
    def note(self) -> Note | None:
        note: Note | None = self.at.data(NOTE_ROLE)
        return note


class NotesList(QTableView):
    """The history's rows: one column, no header, no grid, a row selected at a time; rows
    by number as a list widget has them (:meth:`count`, :meth:`item`)."""

    def __init__(self, model: NotesModel) -> None:
        super().__init__()
        self.setObjectName("notesList")
        self.setShowGrid(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setTabKeyNavigation(False)  # Tab leaves the list, as it left the tree
        self.horizontalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # heights set here
        self.setModel(model)
        self._stale: list[range] = []  # rows still wrapped at an earlier width
        self._later = QTimer(self)
        self._later.setInterval(0)  # idle time: when the events waiting are handled
        self._later.timeout.connect(self._fit_stale)
        wrap_rows(self, self._rewrap)  # rows as tall as their text at the panel's width
        model.rowsInserted.connect(lambda _parent, first, last: self._fit(first, last + 1))
        model.modelReset.connect(self._reset)

    def count(self) -> int:
        """The rows read so far."""
        return self.model().rowCount()

    def item(self, row: int) -> Row:
        return Row(self.model().index(row, 0))

    def visualItemRect(self, row: Row) -> QRect:
        return self.visualRect(row.at)

    @property
    def wrapping(self) -> bool:
        """Some rows are still wrapped at an earlier width (they are, in idle time)."""
        return bool(self._stale)

    def moveCursor(
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        """Home and End go to the first and last row, as in a list (a table's go to the
        first and last column of the row); left and right stay put."""
        moves = QAbstractItemView.CursorAction
        last = self.model().rowCount() - 1
        if action == moves.MoveHome and last >= 0:
            return self.model().index(0, 0)
        if action == moves.MoveEnd and last >= 0:
            return self.model().index(last, 0)
        if action in (moves.MoveLeft, moves.MoveRight, moves.MoveNext, moves.MovePrevious):
            return self.currentIndex()
        return super().moveCursor(action, modifiers)

    def wrapped_height(self, row: int) -> int:
        """How tall ``row`` is with its text wrapped at the list's width now."""
        return self._wrapped_heights(row, row + 1)[0]

    def _wrapped_heights(self, start: int, stop: int) -> list[int]:
        # Asked as a tree asks, with no width (the delegate wraps at the list's width);
        # a table's sizeHintForRow gives the width, and the delegate's one-line size
        # would then be wrapped already.
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        delegate, model = self.itemDelegate(), self.model()
        return [delegate.sizeHint(option, model.index(r, 0)).height() for r in range(start, stop)]

    def _fit(self, start: int, stop: int) -> None:
        """The rows from ``start`` to before ``stop`` as tall as their text wraps to."""
        rows = self.verticalHeader()
        for row, height in enumerate(self._wrapped_heights(start, stop), start):
            rows.resizeSection(row, height)
        self.updateGeometries()  # the scroll bar's range now, not at the next event

    def _reset(self) -> None:
        self._stale.clear()
        self._fit(0, self.model().rowCount())

    def _rewrap(self) -> None:
        """A new width: the rows on screen wrap at once, the rest in idle time."""
        count = self.model().rowCount()
        top = max(self.rowAt(0), 0)
        shown, below = top, 2 * self.viewport().height()  # a screen more, if they shrink
        while shown < count and self.rowViewportPosition(shown) < below:
            shown += 1
        self._stale = [range(shown, count), range(0, top)]
        self._keeping_top(lambda: self._fit(top, shown))
        self._later.start()

    def _fit_stale(self) -> None:
        """One step of the rows still wrapped at an earlier width (below the top row
        first, then above it)."""
        while self._stale and not self._stale[0]:
            self._stale.pop(0)
        if not self._stale:
            self._later.stop()
            return
        stale = self._stale[0]
        step = stale[:STEP] if stale.start >= max(self.rowAt(0), 0) else stale[-STEP:]
        self._stale[0] = stale[STEP:] if step.start == stale.start else stale[:-STEP]
        self._keeping_top(lambda: self._fit(step.start, step.stop))

    def _keeping_top(self, fit: Callable[[], None]) -> None:
        """Run ``fit`` and scroll back to the row at the top as it was."""
        top = self.rowAt(0)
        if top < 0:
            fit()
            return
        into = -self.rowViewportPosition(top)  # how much of it is above the list
        fit()
        self.verticalScrollBar().setValue(self.verticalHeader().sectionPosition(top) + into)
