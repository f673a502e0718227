"""Interaction notes in the panel: drafted at the outcome, autosaved, never lost."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from agentdesk.core.notes import Note, open_notes
from agentdesk.core.notes.export import read_csv
from agentdesk.core.packs.library import Library
from agentdesk.core.paths import Paths
from agentdesk.core.settings import Settings
from agentdesk.ui.panel.main_window import MainWindow
from agentdesk.ui.shell.controller import Controller
from tests.ui.conftest import Make

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def ready(qtbot: QtBot, window: MainWindow) -> MainWindow:
    qtbot.waitUntil(lambda: window.notes._store is not None)
    return window


def key(
    qtbot: QtBot,
    window: MainWindow,
    k: Qt.Key,
    mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    qtbot.keyClick(QApplication.focusWidget() or window, k, mod)


def reach_outcome(window: MainWindow) -> None:
    c = window.controller
    c.open("ejemplo", "reclamo")
    c.set_value("monto", "150")
    c.choose("verificar")
    c.choose("next")


def test_an_outcome_drafts_a_durable_note(qtbot: QtBot, make_window: Make) -> None:
    window = ready(qtbot, make_window())
    reach_outcome(window)
    draft = window.notes.store.load_draft()
    assert draft is not None
    assert (draft.pack_id, draft.flow_id, draft.medium) == ("ejemplo", "reclamo", "phone")
    assert draft.reason == "Cobro no reconocido de $150.00"
    assert draft.path == ("inicio: Quiere reclamar el cobro", "verificar: Continuar", "registrar")
    assert draft.scripts_shown == ("saludo", "asunto-correo")
    assert window.note_bar.isVisible()


def test_the_agent_completes_and_saves_the_note(qtbot: QtBot, make_window: Make) -> None:
    window = ready(qtbot, make_window())
    reach_outcome(window)
    window.wizard.copy_primary()
    key(qtbot, window, Qt.Key.Key_N, CTRL)
    form = window.note_form
    assert window.pages.currentWidget() is form and form.person.hasFocus()
    assert form.texts["solution"].toPlainText() == "Reclamo registrado"
    qtbot.keyClicks(form.person, "Ana Perez")
    qtbot.waitUntil(lambda: window.notes.store.load_draft().person == "Ana Perez")  # type: ignore[union-attr]
    key(qtbot, window, Qt.Key.Key_S, CTRL)
    (note,) = window.notes.store.list_notes()
    assert note.person == "Ana Perez" and note.macros_copied == ("reclamo-registrado",)
    assert window.notes.store.load_draft() is None
    assert not window.note_bar.isVisible()
    assert window.pages.currentWidget() is window.wizard


def test_an_incomplete_note_says_what_is_missing_and_stays(qtbot: QtBot, make_window: Make) -> None:
    window = ready(qtbot, make_window())
    reach_outcome(window)
    window.open_note()
    window.note_form.save_button.click()
    assert window.note_form.problems.isVisible()
    assert "persona" in window.note_form.problems.text()
    assert window.notes.store.load_draft() is not None
    assert window.notes.store.count() == 0


def test_a_draft_comes_back_after_a_restart(qtbot: QtBot, make_window: Make) -> None:
    window = ready(qtbot, make_window())
    reach_outcome(window)
    window.open_note()
    qtbot.keyClicks(window.note_form.person, "Luis")
    qtbot.waitUntil(lambda: window.notes.store.load_draft().person == "Luis")  # type: ignore[union-attr]
    window.notes.close()  # as a kill would leave it: only what is on disk counts
    again = ready(qtbot, make_window())
    qtbot.waitUntil(lambda: again.note_bar.isVisible())
    assert "Luis" in again.note_bar.text()
    again.note_bar.click()
    assert again.note_form.person.text() == "Luis"


def test_discarding_asks_first(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = ready(qtbot, make_window())
    reach_outcome(window)
    window.open_note()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    window.note_form.discard_button.click()
    assert window.notes.store.load_draft() is not None
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    window.note_form.discard_button.click()
    assert window.notes.store.load_draft() is None


def test_history_search_is_accent_free_and_due_follow_ups_show(
    qtbot: QtBot, make_window: Make
) -> None:
    with open_notes(Paths.resolve()) as store:
        store.add(Note(person="Ana", medium="whatsapp", reason="Migración a pospago"))
        store.add(
            Note(
                person="Luis",
                medium="phone",
                reason="Cobro",
                follow_up=datetime.now() - timedelta(hours=1),
            )
        )
    window = ready(qtbot, make_window())
    qtbot.waitUntil(lambda: window.notes_button.text() == "Notas (1)")
    key(
        qtbot,
        window,
        Qt.Key.Key_N,
        CTRL | SHIFT,
    )
    page = window.notes_page
    assert page.list.count() == 2
    qtbot.keyClicks(page.search, "migracion")
    qtbot.waitUntil(lambda: page.list.count() == 1)
    assert "Ana" in page.list.item(0).text()
    page.search.clear()
    page.due.setChecked(True)
    qtbot.waitUntil(lambda: page.list.count() == 1 and "Luis" in page.list.item(0).text())
    key(qtbot, window, Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.start


def test_a_damaged_database_is_restored_and_the_agent_is_told(qtbot: QtBot) -> None:
    paths = Paths.resolve()
    with open_notes(paths) as store:
        store.add(Note(person="Ana", medium="phone", reason="Cobro"))
        store.backup()
    data = bytearray(paths.notes_db.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # wreck the first page
    paths.notes_db.write_bytes(bytes(data))
    controller = Controller(paths, Settings(), Library(None).load(), "desk", date(2024, 6, 1))
    window = MainWindow(controller)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(window.findChildren(QMessageBox)))
    (box,) = window.findChildren(QMessageBox)
    assert "copia de seguridad" in box.text()
    assert window.notes.store.count() == 1
    box.close()


def test_a_due_follow_up_alerts_once_not_at_every_check(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    alerts: list[object] = []
    monkeypatch.setattr(QApplication, "alert", lambda widget, msec=0: alerts.append(widget))
    with open_notes(Paths.resolve()) as store:
        store.add(Note(person="Luis", medium="phone", reason="Cobro", follow_up=datetime.now()))
    window = ready(qtbot, make_window())
    qtbot.waitUntil(lambda: window.notes_button.text() == "Notas (1)")
    assert alerts == [window]
    window.notes.check_due()  # what the timer does every 30 s
    assert alerts == [window] and window.notes_button.text() == "Notas (1)"
    window.notes.store.add(
        Note(person="Ana", medium="email", reason="Alta", follow_up=datetime.now())
    )
    window.notes.check_due()
    assert alerts == [window, window] and window.notes_button.text() == "Notas (2)"


def test_the_next_customer_does_not_overwrite_an_unfinished_note(
    qtbot: QtBot, make_window: Make
) -> None:
    window = ready(qtbot, make_window())
    reach_outcome(window)
    window.open_note()
    qtbot.keyClicks(window.note_form.person, "Ana")
    key(qtbot, window, Qt.Key.Key_R, CTRL | SHIFT)  # new customer, note left unfinished
    c = window.controller
    c.open("ejemplo", "consulta")
    c.choose("horarios")  # the next customer's outcome: the note follows the call
    assert window.notes.draft is not None and window.notes.draft.flow_id == "consulta"
    window.notes.flush()
    (kept,) = window.notes.store.load_aside()  # the earlier one, kept whole to complete
    assert (kept.person, kept.flow_id) == ("Ana", "reclamo")
    assert kept.path == ("inicio: Quiere reclamar el cobro", "verificar: Continuar", "registrar")
    assert "llamada anterior" in window.status.text() and window.status.isVisible()


def test_a_keystroke_in_the_details_at_an_outcome_builds_the_view_once(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = ready(qtbot, make_window())
    reach_outcome(window)
    session = window.controller.session
    built: list[int] = []
    view = session.view
    monkeypatch.setattr(session, "view", lambda: built.append(1) or view())
    window.controller.set_value("monto", "1500")
    assert len(built) == 1
    assert window.notes.draft is not None
    assert window.notes.draft.reason == "Cobro no reconocido de $1,500.00"


def test_the_app_exports_csv_with_a_bom_like_the_command_line(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = ready(qtbot, make_window())
    saved = window.notes.store.add(Note(person="Ana Pérez", medium="phone", reason="Migración"))
    target = tmp_path / "notas.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), "CSV (*.csv)"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    window.export_notes()
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # spreadsheets read the accents
    with target.open(encoding="utf-8-sig", newline="") as f:
        assert list(read_csv(f)) == [saved]
    assert str(target) in window.status.text()


def test_an_export_that_cannot_be_written_is_told_and_nothing_breaks(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = ready(qtbot, make_window())
    window.notes.store.add(Note(person="Ana Pérez", medium="phone", reason="Migración"))
    target = tmp_path / "no such folder" / "notas.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), "CSV (*.csv)"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    window.export_notes()
    assert "No se pudieron exportar las notas" in window.status.text()
    assert not target.parent.exists()


def test_a_failed_backup_is_told_once_in_the_status_line(qtbot: QtBot, make_window: Make) -> None:
    paths = Paths.resolve()
    paths.data.mkdir(parents=True, exist_ok=True)
    (paths.data / "backups").write_text("a file where the backups folder should be")
    window = ready(qtbot, make_window())
    qtbot.waitUntil(lambda: not window.notes.opening)  # the daily backup runs on a worker
    assert window.notes.store.backup_error is not None
    qtbot.waitUntil(lambda: "copia de seguridad" in window.status.text())
    assert not window.findChildren(QMessageBox)


def test_the_period_filter_counts_days_back(qtbot: QtBot, make_window: Make) -> None:
    page = ready(qtbot, make_window()).notes_page
    today = date(2024, 6, 10)
    assert page.filters(today).since is None  # all, at first
    page.period.setCurrentIndex(0)
    assert page.filters(today).since == today
    page.period.setCurrentIndex(1)
    assert page.filters(today).since == date(2024, 6, 3)
