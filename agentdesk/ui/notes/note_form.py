"""The interaction note: what the wizard already knows, completed by the agent.

In draft mode every keystroke goes to the notes controller, which writes it to disk a
moment later; in edit mode (a saved note from the history) changes are saved on request.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from agentdesk.core.i18n import _
from agentdesk.core.notes.model import TEXT_FIELDS, shown_time
from agentdesk.core.packs.model import MEDIA
from agentdesk.ui.notes.notes_controller import medium_label
from agentdesk.ui.shell.parts import Pool, Scrolled
from agentdesk.ui.shell.shortcuts import with_key
from agentdesk.ui.shell.widgets import WrapButton, describe, section_title, text_label

if TYPE_CHECKING:
    from agentdesk.core.notes import Draft, Note

TEXTS = tuple(f for f in TEXT_FIELDS if f != "person")  # the person has a line of its own


class NoteForm(QWidget):
    sig_edit = Signal(dict)
    """The agent changed fields of the draft: {field: value}."""
    sig_finish = Signal()
    """Save the draft as a note."""
    sig_discard = Signal()
    """Throw the draft away (after the agent confirmed)."""
    sig_update = Signal(object)
    """Save changes to a note from the history (the changed Note)."""
    sig_done = Signal(int, bool)
    """Mark the follow-up of a saved note done or not: (note id, done)."""
    sig_close = Signal()
    """Back to where the agent was."""
    sig_pick = Signal(str)
    """Open another unfinished draft (its key): the note of an earlier call."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("page")
        self.note: Note | None = None  # set in edit mode
        self._loading = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(scroller, 1)
        body = Scrolled()  # as tall as its fields need, no blank screen under them
        column = QVBoxLayout(body)
        column.setContentsMargins(14, 12, 14, 12)
        column.setSpacing(8)
        scroller.setWidget(body)

        self.heading = section_title(_("Interaction note"))
        self.context = text_label("", "muted", selectable=True)
        column.addWidget(self.heading)
        column.addWidget(self.context)
        # the unfinished notes of earlier calls, one button each (the note follows the call)
        self.waiting_title = section_title(_("Other notes to complete"))
        self.waiting = Pool(self._make_waiting, spacing=4)
        column.addWidget(self.waiting_title)
        column.addWidget(self.waiting.box)
        self.waiting_title.hide()
        self.waiting.box.hide()
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setVerticalSpacing(4)
        self.person = QLineEdit()
        self.person.setPlaceholderText(_("Who the interaction was with"))
        describe(self.person, _("Who the interaction was with (required)"), _("Person"))
        self.medium = QComboBox()
        self.medium.addItem("", None)
        for medium in MEDIA:
            self.medium.addItem(medium_label(medium), medium)
        describe(self.medium, _("How the interaction took place (required)"), _("Medium"))
        self.texts: dict[str, QPlainTextEdit] = {}
        labels = {
            "reason": _("Reason for contact *"),
            "inputs": _("Inputs given or received"),
            "pending": _("Pending items"),
            "solution": _("Solution"),
            "protocol": _("Protocol applied"),
        }
        about = {
            "reason": _("Why the customer got in touch (required)"),
            "inputs": _("What the customer gave or was given"),
            "pending": _("What is still to be done"),
            "solution": _("What was done"),
            "protocol": _("The procedure that was followed"),
        }
        form.addRow(_("Person *"), self.person)
        form.addRow(_("Medium *"), self.medium)
        for name in TEXTS:
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(64)
            describe(edit, about[name], labels[name])
            self.texts[name] = edit
            form.addRow(labels[name], edit)
        self.follow = QCheckBox(_("Schedule a call or session"))
        describe(self.follow, _("A reminder shows in the notes when the follow-up is due"))
        self.when = QDateTimeEdit()
        describe(self.when, _("When the follow-up is due"), _("Follow-up date and time"))
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setEnabled(False)
        follow = QWidget()
        follow_column = QVBoxLayout(follow)
        follow_column.setContentsMargins(0, 0, 0, 0)
        follow_column.addWidget(self.follow)
        follow_column.addWidget(self.when)
        form.addRow(_("Follow-up"), follow)
        column.addLayout(form)
        self.problems = text_label("", "banner")
        self.problems.setProperty("tone", "danger")
        self.problems.hide()
        column.addWidget(self.problems)
        self.status = text_label("", "muted")
        column.addWidget(self.status)
        column.addStretch(1)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(14, 8, 14, 10)
        # labels that wrap rather than be cut in a narrow panel
        self.save_button = WrapButton(with_key(_("Save"), "save_note"), "primary")
        describe(self.save_button, _("Save the note"))
        self.save_button.clicked.connect(self._save)
        self.done_button = QPushButton(_("Follow-up done"))
        self.done_button.setCheckable(True)
        describe(self.done_button, _("The follow-up was made: no more reminders"))
        self.done_button.clicked.connect(self._done)
        self.discard_button = WrapButton(_("Discard"))
        describe(self.discard_button, _("Throw this draft away (you are asked first)"))
        self.discard_button.clicked.connect(self._discard)
        self.back_button = WrapButton(with_key(_("Go back"), "escape"))
        describe(self.back_button, _("Back to where you were; the draft stays"))
        self.back_button.clicked.connect(self.sig_close.emit)
        for button in (self.save_button, self.done_button, self.discard_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        outer.addLayout(buttons)

        self.person.textEdited.connect(lambda text: self._changed(person=text))
        self.medium.activated.connect(lambda _i: self._changed(medium=self.medium.currentData()))
        for name, edit in self.texts.items():
            edit.textChanged.connect(
                lambda n=name: self._changed(**{n: self.texts[n].toPlainText()})
            )
        self.follow.toggled.connect(self._follow_toggled)
        self.when.dateTimeChanged.connect(lambda _v: self._changed(follow_up=self._follow_up()))

    # -- showing ------------------------------------------------------------------------

    def show_draft(self, draft: Draft, where: str = "") -> None:
        """The draft to complete; ``where``: its pack and flow, by title."""
        self.note = None
        self.heading.setText(_("Interaction note").upper())
        self._fill(draft)
        self._show_context(where, draft.path)
        self.done_button.hide()
        self.discard_button.show()
        self.show_problems([])
        self.status.setText(
            _("Draft saved {time}").format(time=draft.saved_at.strftime("%H:%M:%S"))
            if draft.saved_at
            else ""
        )

    def show_waiting(self, drafts: list[tuple[Draft, str]]) -> None:
        """The other unfinished drafts, newest first, each with its pack and flow."""
        self.waiting.fill(drafts, self._show_waiting)
        self.waiting_title.setVisible(bool(drafts))

    def _make_waiting(self) -> WrapButton:
        button = WrapButton("")
        button.setProperty("key", "")
        button.clicked.connect(lambda _=False: self.sig_pick.emit(button.property("key")))
        return button

    @staticmethod
    def _show_waiting(button: WrapButton, item: tuple[Draft, str]) -> None:
        draft, where = item
        when = (draft.started_at or draft.saved_at or datetime.now()).strftime("%H:%M")
        who = draft.person or _("no person yet")
        what = where or draft.reason
        button.setText(" · ".join(x for x in (when, who, what) if x))
        button.setProperty("key", draft.key)
        button.setAccessibleDescription(_("Open this note to complete it"))

    def show_note(self, note: Note, where: str = "") -> None:
        """A saved note; ``where``: its pack and flow, by title."""
        self.note = note
        self.heading.setText(_("Note {id}").format(id=note.id).upper())
        self._fill(note)
        saved = shown_time(note.created_at)
        self._show_context(" · ".join(x for x in (saved, where) if x), note.path)
        self.discard_button.hide()
        self.show_waiting([])
        self.done_button.setVisible(note.follow_up is not None)
        self.done_button.setChecked(note.follow_up_done)
        self.show_problems([])
        self.status.setText("")

    def _show_context(self, where: str, path: tuple[str, ...]) -> None:
        """Where the note comes from; the full path of answers is in the tooltip."""
        steps = _("{n} steps").format(n=len(path)) if path else ""
        self.context.setText(" · ".join(x for x in (where, steps) if x))
        self.context.setToolTip("\n".join(path))

    def show_problems(self, problems: list[str]) -> None:
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))

    def focus_first(self) -> None:
        first = self.texts["reason"] if self.person.text() else self.person
        first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _fill(self, item: Draft | Note) -> None:
        self._loading = True
        try:
            self.person.setText(item.person)
            index = self.medium.findData(item.medium)
            self.medium.setCurrentIndex(max(index, 0))
            for name, edit in self.texts.items():
                if edit.toPlainText() != getattr(item, name):
                    edit.setPlainText(getattr(item, name))
            self.follow.setChecked(item.follow_up is not None)
            when = item.follow_up or (datetime.now() + timedelta(days=1)).replace(
                minute=0, second=0, microsecond=0
            )
            self.when.setDateTime(QDateTime.fromSecsSinceEpoch(int(when.timestamp())))
            self.when.setEnabled(item.follow_up is not None)
        finally:
            self._loading = False

    # -- what the agent does ------------------------------------------------------------

    def _changed(self, **fields: Any) -> None:
        if self._loading:
            return
        if self.note is None:
            self.sig_edit.emit(fields)
        self.status.setText(_("Unsaved changes") if self.note is not None else "")

    def _follow_up(self) -> datetime | None:
        if not self.follow.isChecked():
            return None
        chosen: datetime = self.when.dateTime().toPython()  # type: ignore[assignment]
        return chosen.replace(second=0, microsecond=0)

    def _follow_toggled(self, on: bool) -> None:
        self.when.setEnabled(on)
        self._changed(follow_up=self._follow_up())

    def _save(self) -> None:
        if self.note is None:
            self.sig_finish.emit()
            return
        texts: dict[str, Any] = {name: edit.toPlainText() for name, edit in self.texts.items()}
        changed = self.note._replace(
            person=self.person.text().strip(),
            medium=self.medium.currentData() or self.note.medium,
            follow_up=self._follow_up(),
            **texts,
        )
        self.sig_update.emit(changed)

    def _done(self, on: bool) -> None:
        if self.note is not None and self.note.id is not None:
            self.sig_done.emit(self.note.id, on)

    def _discard(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self,
            _("Discard the note"),
            _("Throw this note away? The interaction will not be recorded."),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.sig_discard.emit()
