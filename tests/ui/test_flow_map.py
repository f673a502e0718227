"""The flow map window: a trainer sees a flow as a map and clicks a step to open it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from agentdesk.ui.packs.flow_map import FlowMapDialog
from tests.ui.conftest import Make


def _dialog(qtbot: QtBot, make_window: Make, flow: str) -> FlowMapDialog:
    window = make_window()
    window.controller.open("migracion-pre-post", flow)
    dialog = FlowMapDialog(window.controller, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_clicking_a_box_opens_that_step_in_the_panel(qtbot: QtBot, make_window: Make) -> None:
    dialog = _dialog(qtbot, make_window, "preanalisis")
    assert dialog.flows.currentData() == "preanalisis"  # the flow open in the panel
    fmap = dialog.view.fmap
    assert fmap is not None
    node = next(n for n in fmap.nodes if n.step == "linea-3g")
    dialog.view.centerOn(node.x, node.y)
    where = dialog.view.mapFromScene(node.x, node.y)
    with qtbot.waitSignal(dialog.controller.sig_view) as shown:
        qtbot.mouseClick(dialog.view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    view = shown.args[0]
    assert (view.flow_id, view.step_id) == ("preanalisis", "linea-3g")
    assert view.title == "Línea 3G"


def test_a_click_outside_the_boxes_opens_nothing(qtbot: QtBot, make_window: Make) -> None:
    dialog = _dialog(qtbot, make_window, "preanalisis")
    before = dialog.controller.view
    qtbot.mouseClick(dialog.view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    assert dialog.controller.view is before


def test_keyboard_only_picks_and_opens_a_step(qtbot: QtBot, make_window: Make) -> None:
    dialog = _dialog(qtbot, make_window, "contacto")
    dialog.view.setFocus()
    for _ in range(3):
        qtbot.keyClick(dialog.view, Qt.Key.Key_Right)
    fmap = dialog.view.fmap
    assert fmap is not None
    chosen = fmap.nodes[2]
    with qtbot.waitSignal(dialog.controller.sig_view) as shown:
        qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    assert shown.args[0].step_id == chosen.step


def test_zoom_and_the_whole_pack(qtbot: QtBot, make_window: Make) -> None:
    dialog = _dialog(qtbot, make_window, "contacto")
    dialog.flows.setCurrentIndex(0)  # all flows
    fmap = dialog.view.fmap
    assert fmap is not None and {n.flow for n in fmap.nodes} >= {"contacto", "preanalisis"}
    scale = dialog.view.transform().m11()
    qtbot.keyClick(dialog.view, Qt.Key.Key_Plus)
    assert dialog.view.transform().m11() > scale
