"""The panel when the notes cannot be used (issue 13): a message, not a crash."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from agentdesk.core.packs.library import Library
from agentdesk.core.paths import Paths
from agentdesk.core.settings import Settings
from agentdesk.ui.panel.main_window import MainWindow
from agentdesk.ui.shell.controller import Controller


def test_a_folder_in_place_of_the_notes_database_is_told_to_the_agent(
    qtbot: QtBot, bundled: Library
) -> None:
    db = Paths.resolve().notes_db
    db.mkdir(parents=True)
    window = MainWindow(Controller(Paths.resolve(), Settings(), bundled, "desk", None))
    qtbot.addWidget(window)
    window.show()  # the notes open right after the first paint
    qtbot.waitUntil(lambda: bool(window.findChildren(QMessageBox)))
    (box,) = window.findChildren(QMessageBox)
    assert box.windowTitle() == "Notas no disponibles"
    assert f"La base de notas {db} es una carpeta" in box.text()
    box.close()
    assert window.controller.open("ejemplo", "reclamo")  # the wizard goes on without notes
