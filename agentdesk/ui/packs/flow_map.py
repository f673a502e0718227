"""The flow map for trainers: the picture ``agentdesk pack graph`` draws, in a window.

The core lays the map out and draws it as SVG (:mod:`agentdesk.core.flowmap`); this
window shows that SVG, zooms it, and opens the step whose box is clicked (or chosen with
the arrow keys and Enter) through the controller, in the panel behind it.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPen, QWheelEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtSvgWidgets import QGraphicsSvgItem
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agentdesk.core.flowmap import FlowMap, MapNode, Mark, flow_map
from agentdesk.core.flowmap.svg import to_svg
from agentdesk.core.i18n import _
from agentdesk.ui.shell.controller import Controller

ZOOM_STEP = 1.25


class FlowMapView(QGraphicsView):
    """One map. Click a box, or pick one with the arrow keys and press Enter, to open it."""

    sig_open = Signal(str, str)
    """(flow id, step id) of the box opened."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(_("Flow map"))
        self.fmap: FlowMap | None = None
        self.selected = -1
        self._renderer: QSvgRenderer | None = None
        self._cursor = QGraphicsRectItem()
        self._cursor.setPen(QPen(QColor("#1a73e8"), 4))
        self._cursor.setZValue(1)

    def show_map(self, fmap: FlowMap) -> None:
        scene = self.scene()
        if self._cursor.scene() is scene:
            scene.removeItem(self._cursor)  # kept: clear() would delete it
        scene.clear()
        self.fmap = fmap
        self._renderer = QSvgRenderer(QByteArray(to_svg(fmap).encode("utf-8")), self)
        item = QGraphicsSvgItem()
        item.setSharedRenderer(self._renderer)
        scene.addItem(item)
        scene.addItem(self._cursor)
        self._cursor.setVisible(False)
        scene.setSceneRect(QRectF(0, 0, fmap.width, fmap.height))
        self.selected = -1
        self.resetTransform()

    def zoom(self, factor: float) -> None:
        self.scale(factor, factor)

    def fit(self) -> None:
        self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def node_at_view(self, x: int, y: int) -> MapNode | None:
        point = self.mapToScene(x, y)
        return self.fmap.node_at(point.x(), point.y()) if self.fmap else None

    def open_node(self, node: MapNode | None) -> None:
        if node is not None and node.flow is not None and node.step is not None:
            self.sig_open.emit(node.flow, node.step)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            point = event.position().toPoint()
            self.open_node(self.node_at_view(point.x(), point.y()))

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP)
        else:
            super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        nodes = self.fmap.nodes if self.fmap else ()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(ZOOM_STEP)
        elif key == Qt.Key.Key_Minus:
            self.zoom(1 / ZOOM_STEP)
        elif key == Qt.Key.Key_0:
            self.fit()
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Up) and nodes:
            forward = key in (Qt.Key.Key_Right, Qt.Key.Key_Down)
            self.select((self.selected + (1 if forward else -1)) % len(nodes))
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and 0 <= self.selected < len(nodes):
            self.open_node(nodes[self.selected])
        else:
            super().keyPressEvent(event)

    def select(self, index: int) -> None:
        assert self.fmap is not None
        node = self.fmap.nodes[index]
        self.selected = index
        box = QRectF(node.x - node.width / 2, node.y - node.height / 2, node.width, node.height)
        self._cursor.setRect(box.adjusted(-4, -4, 4, 4))
        self._cursor.setVisible(True)
        self.ensureVisible(box)
        self.setAccessibleDescription(" ".join((node.caption, *node.lines)))


class FlowMapDialog(QDialog):
    """Choose a pack and a flow (or all its flows) and see the map; opening a box shows that
    step in the panel and leaves the map open."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(_("Flow map"))
        self.resize(1000, 720)
        self.packs = QComboBox()
        self.packs.setAccessibleName(_("Pack"))
        self.flows = QComboBox()
        self.flows.setAccessibleName(_("Flow"))
        self.view = FlowMapView(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.packs, 2)
        row.addWidget(self.flows, 3)
        for text, tip, slot in (
            ("−", _("Zoom out (−)"), lambda: self.view.zoom(1 / ZOOM_STEP)),
            ("+", _("Zoom in (+)"), lambda: self.view.zoom(ZOOM_STEP)),
            (_("Fit"), _("Fit the map to the window (0)"), self.view.fit),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.clicked.connect(slot)
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)
        for pack in controller.packs().values():
            self.packs.addItem(pack.title, pack.id)
        view = controller.view
        if view is not None:
            self.packs.setCurrentIndex(max(0, self.packs.findData(view.pack_id)))
        self.packs.currentIndexChanged.connect(self._fill_flows)
        self.flows.currentIndexChanged.connect(self._draw)
        self.view.sig_open.connect(self._open)
        self._fill_flows()
        if view is not None:
            self.flows.setCurrentIndex(max(0, self.flows.findData(view.flow_id)))
        self.view.setFocus()

    def _fill_flows(self) -> None:
        pack = self.controller.packs().get(self.packs.currentData() or "")
        self.flows.blockSignals(True)
        self.flows.clear()
        self.flows.addItem(_("All flows"), None)
        for flow in pack.flows.values() if pack else ():
            self.flows.addItem(flow.title, flow.id)
        self.flows.blockSignals(False)
        self._draw()

    def _draw(self) -> None:
        pack = self.controller.packs().get(self.packs.currentData() or "")
        if pack is None:
            return
        fmap = flow_map(pack, self.flows.currentData(), self.controller.library.get)
        self.view.show_map(fmap)
        lines = [_("Click a step to open it in the panel; arrow keys choose, Enter opens.")]
        marks: tuple[tuple[Mark, str], ...] = (
            ("unreachable", _("Unreachable")),
            ("dead-end", _("Dead end")),
        )
        for mark, words in marks:
            found = fmap.marked(mark)
            if found:
                lines.append(f"{words}: " + ", ".join(n.key for n in found))
        self.summary.setText("\n".join(lines))

    def _open(self, flow_id: str, step_id: str) -> None:
        pack_id = self.packs.currentData()
        if pack_id:
            self.controller.open(pack_id, flow_id, step_id)


def open_flow_map(controller: Controller, parent: QWidget | None = None) -> FlowMapDialog:
    dialog = FlowMapDialog(controller, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
