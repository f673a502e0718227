"""Small building blocks shared by the pages: text labels, cards, banners, buttons whose
labels wrap.

Pack content is always shown as plain text (never as Qt rich text), so nothing a trainer
writes can inject markup or links.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QEvent, QObject, QRect, QSize, QTimer, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from agentdesk.core.i18n import _
from agentdesk.ui.shell.qt_start import PLAIN_TEXT, Qt, set_enum

if TYPE_CHECKING:
    from PySide6.QtGui import QMouseEvent

W = TypeVar("W", bound=QWidget)


class _FirstPaint(QObject):
    """The actions waiting for a widget's first paint, in the order they are to run."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.actions: list[Callable[[], object]] = []
        self.painted = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self.painted = True
            for action in self.actions:  # each in its own turn: typing is not held up
                QTimer.singleShot(0, watched, action)  # not if the widget is gone by then
        return False


def after_first_paint(
    widget: QWidget, action: Callable[[], object], *, first: bool = False
) -> None:
    """Run ``action`` once ``widget`` has painted for the first time: work that can wait
    does not delay what the user sees first. Actions run in the order they were given;
    ``first`` puts one ahead of those given before it. Given after that paint, it runs on
    the event loop's next turn."""
    hook = next((c for c in widget.children() if isinstance(c, _FirstPaint)), None)
    if hook is None:
        hook = _FirstPaint(widget)
    if hook.painted:  # painted already: on the next turn
        QTimer.singleShot(0, widget, action)
        return
    hook.actions.insert(0 if first else len(hook.actions), action)


def text_label(text: str = "", name: str = "", selectable: bool = False) -> QLabel:
    """A word-wrapped plain-text label."""
    label = QLabel()
    set_enum(label, "textFormat", PLAIN_TEXT)  # before the first paint: see qt_start
    label.setWordWrap(True)
    label.setText(text)
    if name:
        label.setObjectName(name)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


def describe(widget: W, about: str, name: str = "") -> W:
    """What a control is for, for a screen reader (its description) and on hover (its
    tooltip); ``name``: what a screen reader calls it, when its text does not say it."""
    widget.setAccessibleDescription(about)
    widget.setToolTip(about)
    if name:
        widget.setAccessibleName(name)
    return widget


def set_text(label: QLabel, text: str | None) -> None:
    """Show ``text``, or hide the label when there is none."""
    label.setText(text or "")
    label.setVisible(bool(text))


class ElidedLabel(QLabel):
    """One line; what does not fit ends in '…' (the full text is in the tooltip)."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:
        return QSize(20, super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.fontMetrics().horizontalAdvance(self.text()) <= self.contentsRect().width():
            super().paintEvent(event)  # it fits: nothing to cut
            return
        painter = QPainter(self)
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.rect(), int(self.alignment()), text)


class WrapButton(QPushButton):
    """A push button whose label wraps over several lines in a narrow panel."""

    def __init__(self, text: str, name: str = "") -> None:
        super().__init__()
        if name:
            self.setObjectName(name)
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(12, 9, 12, 9)
        self.label = text_label(text)
        self._row.addWidget(self.label)
        self.setAccessibleName(text)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def text(self) -> str:
        return self.label.text()

    def showEvent(self, event: QShowEvent) -> None:
        """The label lets the mouse through to the button; set when first shown, as a
        bar hidden at start-up must not make the ``Qt`` namespace then (see qt_start)."""
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        super().showEvent(event)

    def setText(self, text: str) -> None:
        self.label.setText(text)
        self.setAccessibleName(text)

    def sizeHint(self) -> QSize:
        """As wide as its text on one line (where there is room it does not wrap), and as
        tall as it then is; narrower, its layout's height for the width applies."""
        hint = self._row.sizeHint()
        margins = self._row.contentsMargins()
        line = self.label.fontMetrics().boundingRect(QRect(), 0, self.label.text()).width()
        width = max(hint.width(), line + margins.left() + margins.right() + 2)
        return QSize(width, max(hint.height(), self.heightForWidth(width)))

    def minimumSizeHint(self) -> QSize:
        return self._row.minimumSize()


class WrapCheck(QWidget):
    """A check box whose text wraps; clicking the text ticks it too."""

    toggled = Signal(bool)
    """Ticked or unticked."""

    def __init__(self, text: str, checked: bool = False) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        from PySide6.QtWidgets import QCheckBox  # here: the first paint does not need it

        self.box = QCheckBox()
        self.box.setChecked(checked)
        self.box.setAccessibleName(text)
        self.box.toggled.connect(self.toggled.emit)
        self.label = text_label(text)
        row.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.label, 1)

    def isChecked(self) -> bool:
        return self.box.isChecked()

    def setChecked(self, on: bool) -> None:
        self.box.setChecked(on)

    def text(self) -> str:
        return self.label.text()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.box.isEnabled() and event.button() == Qt.MouseButton.LeftButton:
            self.box.toggle()


def section_title(text: str) -> QLabel:
    return text_label(text.upper(), "sectionTitle")


def banner(text: str, tone: str = "warning") -> QLabel:
    label = text_label(text, "banner")
    label.setProperty("tone", tone)
    return label


class Card(QFrame):
    """A titled box with a body text and an optional copy button."""

    sig_copy = Signal(str)
    """The copy button was pressed; carries the text to put on the clipboard."""

    def __init__(self, title: str, body: str = "", copy_label: str = "") -> None:
        super().__init__()
        self.setObjectName("card")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(12, 10, 12, 10)
        self._layout.setSpacing(6)
        top = QHBoxLayout()
        top.setSpacing(8)
        self.title = text_label(title, "cardTitle")
        top.addWidget(self.title, 1)
        self.copy_button: QPushButton | None = None
        self._copy_text = body
        if copy_label:
            button = QPushButton(_("Copy"))
            button.setAccessibleName(copy_label)
            button.setToolTip(copy_label)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda: self.sig_copy.emit(self._copy_text))
            top.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self.copy_button = button
        self._layout.addLayout(top)
        self.body = text_label(body, "cardBody", selectable=True)
        self._layout.addWidget(self.body)  # parent it before hiding or showing it
        self.body.setVisible(bool(body))

    def add(self, widget: W) -> W:
        self._layout.addWidget(widget)
        return widget

    def set_body(self, text: str, copy_text: str | None = None) -> None:
        self.body.setText(text)
        self.body.setVisible(bool(text))
        self._copy_text = text if copy_text is None else copy_text
