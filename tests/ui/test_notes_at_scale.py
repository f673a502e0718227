"""The notes side of issue 14 as the agent meets it: the panel works while the notes open
on a worker, and a window closed early opens nothing afterwards."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from pytestqt.qtbot import QtBot

from agentdesk.core.notes import Note, open_notes, upkeep
from agentdesk.core.packs.library import Library
from agentdesk.core.paths import Paths
from agentdesk.core.settings import Settings
from agentdesk.ui.notes.notes_page import NotesPage
from agentdesk.ui.panel.main_window import MainWindow
from agentdesk.ui.shell.controller import Controller
from tests.ui.conftest import Make

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def history(qtbot: QtBot, window: MainWindow) -> NotesPage:
    qtbot.waitUntil(lambda: window.notes.ready and window.notes._store is not None)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL_SHIFT)
    return window.notes_page


def top_shown(page: NotesPage) -> int | None:
    """The id of the note in the row at the top of the list, as the agent sees it."""
    return page.list.indexAt(QPoint(5, 5)).data(Qt.ItemDataRole.UserRole).id


def test_the_panel_works_while_the_notes_open_and_the_history_fills_when_they_are(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_notes(Paths.resolve()) as store:
        store.add(Note(person="Ana", medium="phone", reason="Cobro"))
    release = threading.Event()
    waited: list[bool] = []
    real_open = upkeep.open_for_use

    def opening(paths: Paths, **options: object) -> object:  # as slow as the test says
        waited.append(release.wait(60))
        return real_open(paths, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(upkeep, "open_for_use", opening)
    window = make_window()
    try:
        qtbot.waitUntil(lambda: bool(waited) or not window.notes.ready)
        assert not window.notes.ready  # the worker holds the open
        qtbot.keyClick(window, Qt.Key.Key_N, CTRL_SHIFT)  # the history, meanwhile
        page = window.notes_page
        assert window.pages.currentWidget() is page and page.empty.isVisible()
        assert page.empty.text() == "Abriendo las notas…"
        qtbot.keyClicks(page.search, "ana")  # typing works: nothing waits for the open
        assert page.search.text() == "ana" and not waited
    finally:
        release.set()
    qtbot.waitUntil(lambda: page.list.count() == 1)  # the notes open: the history shows
    assert waited == [True] and "Ana" in page.list.item(0).text()
    assert not page.empty.isVisible()


class CloseAtFirstPaint(QObject):
    """Closes the window right after its first paint, before the work that waits for that
    paint runs (installed last, it sees the paint first and queues the close first)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, watched.close)  # type: ignore[attr-defined]
        return False


def test_a_window_closed_before_its_notes_start_never_opens_them(
    qtbot: QtBot, bundled: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Such a late open raced the next window's open of a new database (the flaky
    "locking protocol" of test_off_the_gui_thread)."""
    opened: list[Path] = []
    monkeypatch.setattr(upkeep, "open_for_use", lambda paths, **_o: opened.append(paths.notes_db))
    paths = Paths.resolve()
    window = MainWindow(Controller(paths, Settings(), bundled, "desk", date(2024, 6, 1)))
    qtbot.addWidget(window)
    closer = CloseAtFirstPaint()
    window.installEventFilter(closer)
    window.show()
    qtbot.waitUntil(lambda: not window.isVisible())
    turns: list[int] = []
    QTimer.singleShot(0, lambda: turns.append(1))  # after what the first paint queued
    qtbot.waitUntil(lambda: bool(turns))
    assert opened == [] and window.notes.ready and not window.notes.opening
    assert not paths.notes_db.exists()
