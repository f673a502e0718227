"""The notes history: filters, accent-free search, due follow-ups, export.

Keyboard first: typing searches, the arrows move in the list and Enter opens the selected
note without leaving the search box. Rows wrap in a narrow panel and name the pack by its
title (:mod:`.notes_list`). The list reads its notes a page at a time as it scrolls
(:mod:`.notes_model`), so it opens at once and reaches every note of a million.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agentdesk.core.i18n import _, ngettext
from agentdesk.core.packs.model import MEDIA
from agentdesk.ui.notes.notes_controller import medium_label
from agentdesk.ui.notes.notes_list import NotesList
from agentdesk.ui.notes.notes_model import NOTE_ROLE, NotesModel
from agentdesk.ui.shell.parts import ListKeys
from agentdesk.ui.shell.shortcuts import with_key
from agentdesk.ui.shell.widgets import describe, text_label

if TYPE_CHECKING:
    from agentdesk.core.notes import Note, NoteFilter
    from agentdesk.ui.notes.notes_model import Pages


class NotesPage(QWidget):
    sig_query = Signal()
    """The search text or a filter changed: the list must be refreshed."""
    sig_open = Signal(object)
    """A note was chosen (the Note)."""
    sig_export = Signal()
    """The agent wants to export notes."""
    sig_close = Signal()
    """Back to where the agent was."""

    def __init__(self, pages: Pages, where: Callable[[Note], str]) -> None:
        """``pages``: where pages of notes come from (see :class:`NotesModel`); ``where``:
        a note's pack and flow by title."""
        super().__init__()
        self.setObjectName("page")
        self.model = NotesModel(pages, where)
        column = QVBoxLayout(self)
        column.setContentsMargins(14, 12, 14, 12)
        column.setSpacing(8)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search notes: person, reason, solution…"))
        self.search.setAccessibleName(_("Search notes"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleDescription(_("Enter opens the selected note; arrows move."))
        column.addWidget(self.search)
        filters = QHBoxLayout()
        self.period = QComboBox()  # item data: how many days back (None: all)
        for label, days in (
            (_("Today"), 0),
            (_("Last 7 days"), 7),
            (_("Last 30 days"), 30),
            (_("All"), None),
        ):
            self.period.addItem(label, days)
        self.period.setCurrentIndex(self.period.count() - 1)
        describe(self.period, _("Which notes, by when they were saved"), _("Period"))
        self.medium = QComboBox()
        self.medium.addItem(_("Any medium"), None)
        for medium in MEDIA:
            self.medium.addItem(medium_label(medium), medium)
        describe(self.medium, _("Which notes, by medium"), _("Medium"))
        filters.addWidget(self.period)
        filters.addWidget(self.medium, 1)
        column.addLayout(filters)
        checks = QHBoxLayout()
        self.pending = QCheckBox(_("With pending items"))
        describe(self.pending, _("Only notes with something still to be done"))
        self.due = QCheckBox(_("Follow-up due"))
        describe(self.due, _("Only notes whose follow-up is due"))
        checks.addWidget(self.pending)
        checks.addWidget(self.due)
        checks.addStretch(1)
        column.addLayout(checks)
        self.due_banner = QPushButton()
        self.due_banner.setObjectName("banner")
        self.due_banner.setProperty("tone", "warning")
        describe(self.due_banner, _("Show only the notes whose follow-up is due"))
        self.due_banner.hide()
        self.due_banner.clicked.connect(lambda: self.due.setChecked(True))
        column.addWidget(self.due_banner)
        self.list = NotesList(self.model)
        self.list.setAccessibleName(_("Notes"))
        self.list.setAccessibleDescription(_("Enter or a double click opens a note."))
        self.list.activated.connect(self._open)
        self.keys = ListKeys(self.search, self.list, self._enter)
        column.addWidget(self.list, 1)
        self.empty = text_label(_("No notes match."), "muted")
        self.waiting = False  # the notes are still being opened: refreshed when they are
        column.addWidget(self.empty)
        bottom = QHBoxLayout()
        export = describe(QPushButton(_("Export…")), _("Save the notes to a CSV or JSON file"))
        export.clicked.connect(self.sig_export.emit)
        back = describe(QPushButton(with_key(_("Go back"), "escape")), _("Back to where you were"))
        back.clicked.connect(self.sig_close.emit)
        bottom.addWidget(export)
        bottom.addStretch(1)
        bottom.addWidget(back)
        column.addLayout(bottom)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(120)
        self._debounce.timeout.connect(self.sig_query.emit)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        for combo in (self.period, self.medium):
            combo.currentIndexChanged.connect(lambda _i: self.sig_query.emit())
        for check in (self.pending, self.due):
            check.toggled.connect(lambda _on: self.sig_query.emit())

    def filters(self, today: date | None = None) -> NoteFilter:
        from agentdesk.core.notes import NoteFilter

        days = self.period.currentData()
        since = (today or date.today()) - timedelta(days=days) if days is not None else None
        return NoteFilter(
            since=since,
            medium=self.medium.currentData(),
            pending=True if self.pending.isChecked() else None,
            follow_up_due=self.due.isChecked(),
        )

    def refresh(self, today: date | None = None, waiting: bool = False) -> None:
        """The notes for the search text and filters as they are now, from the newest.
        ``waiting``: the notes are still being opened (the list is empty until then)."""
        self.waiting = waiting
        self.empty.setText(_("Opening the notes…") if waiting else _("No notes match."))
        # While the list is emptied and laid out again its scroll range is empty, which
        # Qt takes for "scrolled to the end": no page is read on that account.
        with self.model.paused():
            self.model.reset(self.search.text(), self.filters(today))
            self.list.doItemsLayout()
            if self.model.rowCount():
                self.list.setCurrentIndex(self.model.index(0, 0))
        self.empty.setVisible(not self.model.rowCount())

    def show_due(self, count: int) -> None:
        self.due_banner.setText(
            ngettext("{n} follow-up due — show it", "{n} follow-ups due — show them", count).format(
                n=count
            )
        )
        self.due_banner.setVisible(count > 0)

    def start(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _enter(self, index: QModelIndex) -> None:
        """Enter in the search box: the selected note opens (what was just typed first
        finds its notes: the search waits for a pause in the typing)."""
        if self._debounce.isActive():
            self._debounce.stop()
            self.sig_query.emit()
            index = self.list.currentIndex()
        self._open(index)

    def _open(self, index: QModelIndex | QPersistentModelIndex) -> None:
        """The note of the row opens, read as saved now (one deleted since: nothing)."""
        note = index.data(NOTE_ROLE) if index.isValid() else None
        if note is not None:
            self.sig_open.emit(note)
