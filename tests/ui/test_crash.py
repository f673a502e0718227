"""An error in the running app: a crash report, the note draft kept, the agent told."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from agentdesk.core.notes import open_notes
from agentdesk.ui.panel.main_window import MainWindow
from agentdesk.ui.shell.crash import REPORTS_PER_RUN, CrashGuard
from tests.ui.conftest import Make

SECRET = "0912345678"  # what the agent typed: it stays out of every report


@pytest.fixture
def panel(make_window: Make, qtbot: QtBot) -> MainWindow:
    window = make_window()
    qtbot.waitUntil(lambda: window.notes._store is not None)  # notes open after the paint
    return window


@pytest.fixture
def guard(panel: MainWindow) -> Iterator[CrashGuard]:
    watching = CrashGuard(panel.controller.paths, panel)
    yield watching
    watching.uninstall()


def boom() -> None:
    raise ValueError(f"no service for {SECRET}")


def message_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]


@pytest.mark.qt_no_exception_capture  # the guard, not pytest-qt, takes the slot's exception
def test_a_failing_slot_writes_a_report_keeps_the_draft_and_tells_the_agent(
    qtbot: QtBot, panel: MainWindow, guard: CrashGuard
) -> None:
    panel.notes._save.setInterval(3_600_000)  # no autosave during the test: only the guard
    panel.notes.edit(person="Ana Pérez", reason=f"sin servicio {SECRET}")
    with qtbot.waitSignal(guard.sig_crashed) as crashed:
        QTimer.singleShot(0, boom)  # a Qt slot that raises
    report = Path(crashed.args[0])
    assert report.parent == panel.controller.paths.logs
    text = report.read_text(encoding="utf-8")
    assert "ValueError" in text and "in boom" in text and "qt: 6." in text
    assert SECRET not in text and "Ana" not in text

    store = open_notes(panel.controller.paths)  # as the next start would read it
    try:
        draft = store.load_draft()
    finally:
        store.close()
    assert draft is not None and draft.person == "Ana Pérez"

    qtbot.waitUntil(lambda: any(box.isVisible() for box in message_boxes()))
    (box,) = message_boxes()
    assert str(report) in box.text() and "borrador de la nota está guardado" in box.text()
    box.close()


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_failing_thread_writes_a_report(qtbot: QtBot, guard: CrashGuard) -> None:
    worker = threading.Thread(target=boom, name="pack-worker")
    with qtbot.waitSignal(guard.sig_crashed) as crashed:  # told on the GUI thread
        worker.start()
    worker.join()
    text = Path(crashed.args[0]).read_text(encoding="utf-8")
    assert "where: thread pack-worker" in text and "ValueError" in text
    qtbot.waitUntil(lambda: any(box.isVisible() for box in message_boxes()))
    for box in message_boxes():
        box.close()


def test_a_repeating_fault_writes_a_few_reports_and_one_message(
    qtbot: QtBot, guard: CrashGuard
) -> None:
    written = []
    for _ in range(REPORTS_PER_RUN + 3):
        try:
            boom()
        except ValueError as exc:
            written.append(guard.report(ValueError, exc, exc.__traceback__, "test"))
    assert len([p for p in written if p is not None]) == REPORTS_PER_RUN
    assert written[REPORTS_PER_RUN:] == [None] * 3
    qtbot.waitUntil(lambda: any(box.isVisible() for box in message_boxes()))
    assert len(message_boxes()) == 1
    message_boxes()[0].close()


def test_the_log_file_says_when_the_app_started_and_ended(guard: CrashGuard) -> None:
    log = guard.start_log()
    assert log == guard.paths.logs / "agentdesk.log"
    assert (guard.paths.logs / "fault.log").is_file()
    guard.uninstall()
    text = log.read_text(encoding="utf-8")
    assert "AgentDesk started: agentdesk " in text and "qt platform offscreen" in text
    assert text.rstrip().endswith("AgentDesk ended")
