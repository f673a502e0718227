"""Rows of a tree that wrap their text at the tree's width, as tall as they then need.

Qt's own size hint for a row ignores the width, so a long title is cut (and a tree with
word wrap on still lays out one line per row). :func:`wrap_rows` gives a tree a delegate
whose size hint wraps the text at the width the row has, and lays the rows out again when
the width changes. Loaded when the start list first shows flows, after the first paint.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
)


class WrapDelegate(QStyledItemDelegate):
    """Rows as tall as their title needs at the tree's width."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self.view = view
        self._width = view.viewport().width()
        view.viewport().installEventFilter(self)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        shown = QStyleOptionViewItem(option)
        self.initStyleOption(shown, index)
        depth, parent = 1, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        left = self.view.indentation() * depth
        shown.rect = QRect(left, 0, self.view.viewport().width() - left, size.height())
        style = self.view.style()
        room = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, shown, self.view)
        flags = int(Qt.TextFlag.TextWordWrap)
        text = shown.fontMetrics.boundingRect(
            QRect(0, 0, max(room.width(), 40), 10**6), flags, shown.text
        )
        extra = size.height() - shown.fontMetrics.height()  # the row's padding
        return QSize(size.width(), max(size.height(), text.height() + extra))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.view.viewport().width() != self._width:
            self._width = self.view.viewport().width()
            self.view.doItemsLayout()  # the rows' heights at the new width
        return False


def wrap_rows(tree: QTreeView) -> None:
    """From now on ``tree``'s rows wrap their text (nothing cut, no "…")."""
    tree.setWordWrap(True)
    tree.setTextElideMode(Qt.TextElideMode.ElideNone)
    tree.setItemDelegate(WrapDelegate(tree))
