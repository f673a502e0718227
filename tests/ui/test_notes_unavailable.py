"""The panel when the notes cannot be used (issue 13): a message, not a crash."""

from __future__ import annotations

import pytest
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


def test_a_read_only_notes_database_is_read_and_the_agent_told_notes_cannot_be_saved(
    qtbot: QtBot, bundled: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agentdesk.core.notes import Note, open_notes
    from tests.readonly import read_only_disk

    with open_notes(Paths.resolve()) as store:
        store.add(Note(person="Ana", medium="phone", reason="Consulta de saldo"))
    db = Paths.resolve().notes_db
    before = db.read_bytes()
    read_only_disk(monkeypatch)  # a file of mode 0444, a read-only folder or disk
    window = MainWindow(Controller(Paths.resolve(), Settings(), bundled, "desk", None))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(window.findChildren(QMessageBox)))
    (box,) = window.findChildren(QMessageBox)
    assert f"Las notas en {db} se pueden leer pero no guardar" in box.text()
    box.close()
    window.open_notes()  # the history is still there to read
    qtbot.waitUntil(lambda: "Consulta de saldo" in shown_text(window))
    assert window.controller.open("ejemplo", "reclamo")  # the wizard goes on
    assert db.read_bytes() == before  # nothing written, nothing emptied


def shown_text(window: MainWindow) -> str:
    """The notes history's lines, as the agent reads them."""
    model = window.notes_page.list.model()
    return "\n".join(str(model.index(i, 0).data()) for i in range(model.rowCount()))


def test_ticking_a_follow_up_done_on_a_read_only_database_says_it_cannot_be_saved(
    qtbot: QtBot, bundled: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import datetime, timedelta

    from agentdesk.core.notes import Note, open_notes
    from tests.readonly import read_only_disk

    with open_notes(Paths.resolve()) as store:
        note = store.add(
            Note(
                person="Ana",
                medium="phone",
                reason="Consulta de saldo",
                follow_up=datetime.now() + timedelta(days=1),
            )
        )
    db = Paths.resolve().notes_db
    before = db.read_bytes()
    read_only_disk(monkeypatch)
    window = MainWindow(Controller(Paths.resolve(), Settings(), bundled, "desk", None))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(window.findChildren(QMessageBox)))
    window.findChildren(QMessageBox)[0].close()
    window._open_saved_note(note)  # as Enter on the history's row opens it
    form = window.note_form
    form.done_button.click()  # an error escaping this slot fails the test (pytest-qt)
    assert form.problems.isVisible()
    assert "No se pueden escribir las notas" in form.problems.text()
    assert not form.done_button.isChecked()  # shown as it is stored: not done
    assert db.read_bytes() == before
