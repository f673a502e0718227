"""Parts of the pages built after the first paint (the start screen does not need them):
pools of widgets reused from step to step, content as tall as it needs in a scroll area,
the keys of a search box over its results, and Tab in reading order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Generic, TypeVar

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSize, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLayout, QVBoxLayout, QWidget

W = TypeVar("W", bound=QWidget)
T = TypeVar("T")


class Pool(Generic[W]):
    """A box of widgets of one kind, reused: a step shows the first N and hides the rest."""

    def __init__(self, make: Callable[[], W], spacing: int = 8) -> None:
        self.box = QWidget()
        self.layout = QVBoxLayout(self.box)
        self.layout.setContentsMargins(0, 0, 0, 0)
        self.layout.setSpacing(spacing)
        self.widgets: list[W] = []
        self._make = make

    def fill(self, items: Sequence[T], update: Callable[[W, T], None]) -> list[W]:
        while len(self.widgets) < len(items):
            widget = self._make()
            self.layout.addWidget(widget)
            self.widgets.append(widget)
        for widget, item in zip(self.widgets, items, strict=False):
            update(widget, item)
            widget.setVisible(True)
        for widget in self.widgets[len(items) :]:
            widget.setVisible(False)
        self.box.setVisible(bool(items))
        return self.widgets[: len(items)]


class Scrolled(QWidget):
    """What a scroll area holds: as tall as its texts need at its width (their height for
    the width), never the sum of its parts' heights at their narrowest, which is what a
    scroll area would otherwise make it (a blank screen under the content)."""

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), 0)


class ListKeys(QObject):
    """The keys of a search box over a list of results: the arrows move in the list and
    Enter opens the selected row (Escape goes back, if asked), while the typing stays in
    the box. Used by every search of the panel: flows and notes. A list that reads its
    rows as they are needed (the notes history) reads the next ones when Down reaches
    its end."""

    def __init__(
        self,
        field: QWidget,
        rows: QAbstractItemView,
        enter: Callable[[QModelIndex], object],
        escape: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(field)
        self.rows, self.enter, self.escape = rows, enter, escape
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            model = self.rows.model()
            row = self.rows.currentIndex().row() + (1 if key == Qt.Key.Key_Down else -1)
            if row >= model.rowCount() and model.canFetchMore(QModelIndex()):
                model.fetchMore(QModelIndex())
            if 0 <= row < model.rowCount():
                self.rows.setCurrentIndex(model.index(row, 0))
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.rows.currentIndex()
            if index.isValid():
                self.enter(index)
            return True
        if key == Qt.Key.Key_Escape and self.escape is not None:
            self.escape()
            return True
        return False


def reading_order(root: QWidget) -> list[QWidget]:
    """The widgets under ``root`` that Tab stops at, in the order their layouts show them
    (top to bottom, left to right); pages of a stack and the inside of a scroll area too."""
    from PySide6.QtWidgets import QScrollArea  # here: the first paint does not need it

    found: list[QWidget] = []

    def widget(w: QWidget) -> None:
        if w is not root and w.focusPolicy() & Qt.FocusPolicy.TabFocus:
            found.append(w)
        inside = w.widget() if isinstance(w, QScrollArea) else None
        own = w.layout()
        if inside is not None:
            widget(inside)
        elif own is not None:
            layout(own)

    def layout(box: QLayout) -> None:
        for index in range(box.count()):
            item = box.itemAt(index)
            if item is None:
                continue
            child, sub = item.widget(), item.layout()
            if child is not None:
                widget(child)
            elif sub is not None:
                layout(sub)

    widget(root)
    return found


def chain_tabs(root: QWidget) -> None:
    """Tab goes through ``root``'s widgets in reading order (by default Qt follows the
    order they were made in, and parts made on first use would come last)."""
    order = reading_order(root)
    for first, second in pairwise(order):
        QWidget.setTabOrder(first, second)
