"""Each shortcut declared once: the keys that work, the menu, the F1 help and the README
say the same; and Qt's own words (buttons, context menus, key names) speak Spanish."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QLibraryInfo, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QGridLayout, QLabel, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from agentdesk.core import i18n
from agentdesk.ui.panel.shortcuts_help import ShortcutsHelp
from agentdesk.ui.shell.app import use_qt_language
from agentdesk.ui.shell.shortcuts import key_text, shortcuts
from tests.conftest import REPO
from tests.ui.conftest import Make


def test_every_declared_shortcut_is_bound_to_the_window(qtbot: QtBot, make_window: Make) -> None:
    window = make_window()
    bound = {s.key().toString() for s in window.findChildren(QShortcut)}
    for shortcut in shortcuts():
        for key in shortcut.keys:
            assert QKeySequence(key).toString() in bound, key
    window.controller.open("ejemplo", "reclamo")
    qtbot.keyClick(window.wizard, Qt.Key.Key_1)  # a numbered key chooses that answer
    assert window.controller.view is not None and window.controller.view.step_id != "inicio"
    qtbot.keyClick(window.wizard, Qt.Key.Key_Backspace)
    assert window.controller.view.step_id == "inicio"


def test_the_menu_names_the_same_keys_and_runs_the_same_intent(
    qtbot: QtBot, make_window: Make
) -> None:
    window = make_window()
    menu = window._build_menu()
    in_menu = {a.text().split("\t")[0]: a for a in menu.actions()}
    # beside the entry, the keys as the F1 help names them (and no keys in the words)
    assert in_menu["Nuevo cliente"].text() == "Nuevo cliente\tCtrl+Mayús+R"
    assert in_menu["Atajos de teclado"].text() == "Atajos de teclado\tF1"
    assert not [t for t in in_menu if "(" in t and "+" in t]
    window.controller.open("ejemplo", "reclamo")
    window.controller.set_value("nombre", "Ana")
    in_menu["Nuevo cliente"].trigger()  # what Ctrl+Shift+R does
    assert window.controller.view is None and window.controller.session.values == {}


def test_f1_lists_every_shortcut_in_aligned_columns(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    shown: list[ShortcutsHelp] = []
    monkeypatch.setattr(ShortcutsHelp, "exec", lambda dialog: shown.append(dialog) or 0)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    (help_dialog,) = shown
    assert isinstance(help_dialog, QDialog) and not isinstance(help_dialog, QMessageBox)
    expected = [(key_text(s), s.what) for s in shortcuts() if s.listed]
    assert help_dialog.rows == expected
    assert ("Ctrl+K", "Buscar") in expected and (
        "1 … 9",
        "Elegir la respuesta con ese número",
    ) in expected
    grid = help_dialog.findChild(QGridLayout)
    assert grid is not None and grid.rowCount() == len(expected)
    for row, (keys, what) in enumerate(expected):  # keys in one column, words in the next
        key_label = grid.itemAtPosition(row, 0).widget()
        what_label = grid.itemAtPosition(row, 1).widget()
        assert isinstance(key_label, QLabel) and key_label.text() == keys
        assert isinstance(what_label, QLabel) and what_label.text() == what
    assert not [lb for lb in help_dialog.findChildren(QLabel) if "\t" in lb.text()]


def test_the_readme_lists_the_same_keys() -> None:
    i18n.set_language("en")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("| Keys | Does |", 1)[1].split("\n\n", 1)[0]
    documented = [m.group(1) for m in re.finditer(r"^\| ([^|]+?) \|", table, re.M)][1:]
    assert documented == [key_text(s) for s in shortcuts() if s.listed]


def test_qt_speaks_spanish_from_the_catalog_the_wheel_ships(qapp: QApplication) -> None:
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    assert (Path(folder) / "qtbase_es.qm").is_file()  # the wheel ships it
    try:
        assert use_qt_language(qapp, "es")
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "",
            "",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        assert [b.text() for b in box.buttons()] == ["&Sí", "&No"]
        field = QLineEdit()
        menu = field.createStandardContextMenu()
        texts = [a.text().split("\t")[0] for a in menu.actions() if a.text()]
        assert texts[:2] == ["&Deshacer", "&Rehacer"] and "&Pegar" in texts
    finally:
        assert use_qt_language(qapp, "en")  # English: Qt's own words again
    box = QMessageBox(QMessageBox.Icon.Question, "", "", QMessageBox.StandardButton.Yes)
    assert [b.text() for b in box.buttons()] == ["&Yes"]
