"""Rows of a view that wrap their text at the view's width, as tall as they then need.

Qt's own size hint for a row ignores the width, so a long title is cut (and a tree with
word wrap on still lays out one line per row). :func:`wrap_rows` gives a view a delegate
whose size hint wraps the text at the width the row has, and lays the rows out again when
the width changes (a tree: all its rows; a view that keeps its rows' heights itself, such
as the notes history's table, says how with ``rewrap``). Used by the start list (its first
paint shows wrapped rows) and the notes history.

Before the first paint every lookup counts: the delegate never asks for the view's
viewport or style (PySide looks up every widget class, or creates the style's hundreds of
enum members, the first time either crosses into Python: 4 to 7 ms each). The rows' width
is the view's viewport size without scroll bars, less the vertical bar when it shows; the
margins around the text are what Qt's own one-line size hint adds to the text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTreeView

from agentdesk.ui.shell.qt_start import ELIDE_NONE, FONT_ROLE, WORD_WRAP, set_enum

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTableView

    Rows = QTreeView | QTableView  # the views with rows that can wrap

_FAR = 10**6


class WrapDelegate(QStyledItemDelegate):
    """Rows as tall as their text needs at the view's width."""

    def __init__(self, view: Rows, rewrap: Callable[[], object]) -> None:
        super().__init__(view)
        self.view = view
        self._rewrap = rewrap
        self._tree = view if isinstance(view, QTreeView) else None
        self._bar = view.verticalScrollBar()
        self._width = self.row_width()
        view.installEventFilter(self)
        self._bar.installEventFilter(self)

    def row_width(self) -> int:
        """The width of the view's viewport (rows start at its left edge)."""
        width = self.view.maximumViewportSize().width()
        if self._bar.isVisibleTo(self.view):
            width -= self._bar.width()
        return width

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        one_line = super().sizeHint(option, index)  # the view asks with no width
        text = str(index.data() or "")  # the display role
        font = index.data(FONT_ROLE)  # a bold title: only its weight is set
        metrics = (
            QFontMetrics(font.resolve(option.font)) if font is not None else option.fontMetrics
        )
        unwrapped = metrics.boundingRect(QRect(0, 0, _FAR, _FAR), 0, text)
        margins = one_line.width() - unwrapped.width()  # around the text: padding, focus
        room = self.row_width() - margins
        if self._tree is not None:  # a tree's rows start after their indentation
            depth, parent = int(self._tree.rootIsDecorated()), index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            room -= self._tree.indentation() * depth
        wrapped = metrics.boundingRect(QRect(0, 0, max(room, 40), _FAR), WORD_WRAP, text)
        extra = one_line.height() - unwrapped.height()  # the row's padding
        return QSize(one_line.width(), max(one_line.height(), wrapped.height() + extra))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The view resized, or its vertical bar came or went: wrap at the new width."""
        kind = event.type()
        if watched is self._bar:
            changed = kind in (QEvent.Type.Show, QEvent.Type.Hide)
        else:
            changed = kind == QEvent.Type.Resize
        if changed and self.row_width() != self._width:
            self._width = self.row_width()
            self._rewrap()  # the rows' heights at the new width
        return False


def wrap_rows(view: Rows, rewrap: Callable[[], object] | None = None) -> None:
    """From now on ``view``'s rows wrap their text (nothing cut, no "…"). When the width
    changes ``rewrap`` lays the rows out again (by default the view's own layout, which
    asks every row its height)."""
    view.setWordWrap(True)
    set_enum(view, "textElideMode", ELIDE_NONE)
    view.setItemDelegate(WrapDelegate(view, rewrap or view.doItemsLayout))
