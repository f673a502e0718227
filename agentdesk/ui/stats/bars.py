"""Charts of horizontal bars, drawn with QPainter (PySide6-Essentials has no QtCharts).

One list view shows every chart: a row for each chart's title, then a row per bar, which an
item delegate paints as the bar's label (and, muted, where it is) with the figure on the
right, and the bar beneath. No widget per bar, so hundreds of steps cost little; the arrow
keys go from bar to bar, and each row's text (what a screen reader says, and its tooltip)
is the whole sentence: label, where, figure. Two lines per bar read the same in a 360 px
panel and in a wide window.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from agentdesk.core.i18n import _
from agentdesk.core.usage.overview import Bar, Chart
from agentdesk.ui.shell.theme import ACCENT, MUTED, TEXT

BAR_ROLE = Qt.ItemDataRole.UserRole + 1  # the Bar a row draws; None for a title or a note
KIND_ROLE = Qt.ItemDataRole.UserRole + 2  # "title", "bar" or "note"
BAR_HEIGHT = 10
PAD = 6
TRACK = QColor("#e6eef5")
HIGHLIGHT = QColor("#eaf4f9")

Index = QModelIndex | QPersistentModelIndex


class BarDelegate(QStyledItemDelegate):
    """Paints a chart's title, a bar, or a short note ("none in this period")."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = option.fontMetrics.height()
        kind = index.data(KIND_ROLE)
        if kind == "title":
            return QSize(0, round(line * 1.3) + 3 * PAD)
        if kind == "note":
            return QSize(0, line + 2 * PAD)
        return QSize(0, line + BAR_HEIGHT + 3 * PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        box = option.rect.adjusted(PAD * 2, 0, -PAD * 2, 0)
        kind = index.data(KIND_ROLE)
        if kind == "title":
            font = QFont(option.font)
            font.setBold(True)
            if font.pixelSize() > 0:  # the style sheet sizes text in pixels
                font.setPixelSize(round(font.pixelSize() * 1.1))
            else:
                font.setPointSizeF(font.pointSizeF() * 1.1)
            painter.setFont(font)
            painter.setPen(QColor(TEXT))
            text_box = box.adjusted(0, 2 * PAD, 0, -PAD)
            title = painter.fontMetrics().elidedText(
                index.data(), Qt.TextElideMode.ElideRight, text_box.width()
            )
            painter.drawText(
                text_box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, title
            )
        elif kind == "note":
            painter.setPen(QColor(MUTED))
            painter.drawText(box, Qt.AlignmentFlag.AlignVCenter, index.data())
        else:
            self._paint_bar(painter, option, box, index.data(BAR_ROLE))
        painter.restore()

    def _paint_bar(
        self, painter: QPainter, option: QStyleOptionViewItem, box: QRect, bar: Bar
    ) -> None:
        state = option.state
        if state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, HIGHLIGHT)
        metrics = option.fontMetrics
        line = metrics.height()
        top = box.top() + PAD
        figure_font = QFont(option.font)
        figure_font.setBold(True)
        painter.setFont(figure_font)
        figure_width = painter.fontMetrics().horizontalAdvance(bar.text)
        painter.setPen(QColor(TEXT))
        painter.drawText(
            QRect(box.right() - figure_width, top, figure_width, line),
            Qt.AlignmentFlag.AlignRight,
            bar.text,
        )
        painter.setFont(option.font)
        room = box.width() - figure_width - 2 * PAD
        label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, room)
        painter.drawText(QRect(box.left(), top, room, line), Qt.AlignmentFlag.AlignLeft, label)
        used = metrics.horizontalAdvance(label)
        if bar.where and used + 3 * PAD < room:
            where = metrics.elidedText(
                f"· {bar.where}", Qt.TextElideMode.ElideRight, room - used - PAD
            )
            painter.setPen(QColor(MUTED))
            painter.drawText(
                QRect(box.left() + used + PAD, top, room - used - PAD, line),
                Qt.AlignmentFlag.AlignLeft,
                where,
            )
        track = QRect(box.left(), top + line + PAD // 2, box.width(), BAR_HEIGHT)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(TRACK)
        painter.drawRoundedRect(track, 3, 3)
        if bar.value > 0:
            filled = QRect(track)
            filled.setWidth(max(3, round(track.width() * min(bar.value, 1.0))))
            painter.setBrush(QColor(ACCENT))
            painter.drawRoundedRect(filled, 3, 3)
        if state & QStyle.StateFlag.State_HasFocus:
            painter.setPen(QColor(ACCENT))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(option.rect.adjusted(1, 1, -2, -2))


class ChartList(QListWidget):
    """Every chart of the page, one after the other, in one scrolling list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(BarDelegate(self))
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAccessibleName(_("Usage figures"))

    def show_charts(self, charts: list[Chart]) -> None:
        self.clear()
        for chart in charts:
            self._row(chart.title, "title")
            if not chart.bars:
                self._row(_("None in this period."), "note")
            for bar in chart.bars:
                where = f" ({bar.where})" if bar.where else ""
                item = self._row(f"{bar.label}{where}: {bar.text}", "bar", selectable=True)
                item.setData(BAR_ROLE, bar)

    def _row(self, text: str, kind: str, selectable: bool = False) -> QListWidgetItem:
        item = QListWidgetItem(text, self)
        item.setData(KIND_ROLE, kind)
        item.setToolTip(text)  # the whole text, where a narrow panel cuts it short
        if not selectable:
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        return item

    def texts(self, kind: str = "bar") -> list[str]:
        """The rows' texts of one kind, in order (what a screen reader reads)."""
        rows = (self.item(n) for n in range(self.count()))
        return [row.text() for row in rows if row.data(KIND_ROLE) == kind]
