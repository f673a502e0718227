"""Packs change under a running app: a trainer's save shows at once; a broken save keeps
the last good content and says what is wrong."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from agentdesk.core.packs.library import Library
from agentdesk.core.paths import Paths
from agentdesk.core.settings import Settings
from agentdesk.ui.panel.main_window import MainWindow
from agentdesk.ui.shell.controller import Controller
from agentdesk.ui.shell.watcher import PackWatcher
from tests.conftest import EXAMPLE


def make(qtbot: QtBot, folder: Path) -> tuple[MainWindow, Controller]:
    library = Library(Paths.resolve(), folders=[folder]).load()
    controller = Controller(Paths.resolve(), Settings(), library, "desk", date(2024, 6, 1))
    window = MainWindow(controller)
    qtbot.addWidget(window)
    PackWatcher(controller, parent=window)
    window.show()
    return window, controller


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_saved_change_shows_without_restarting(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "ejemplo"
    shutil.copytree(EXAMPLE, folder)
    window, controller = make(qtbot, folder)
    controller.open("ejemplo", "reclamo")
    controller.choose("explicar")
    edit(folder / "flows" / "reclamo.yaml", "Explica el cobro con el guion", "Explica el cargo")
    qtbot.waitUntil(lambda: window.wizard.view.text.startswith("Explica el cargo"), timeout=5000)
    assert window.wizard.view.step_id == "explicar"  # still where the agent was


def test_a_broken_save_keeps_the_last_good_content(
    qtbot: QtBot, tmp_path: Path, monkeypatch: object
) -> None:
    folder = tmp_path / "ejemplo"
    shutil.copytree(EXAMPLE, folder)
    window, controller = make(qtbot, folder)
    controller.open("ejemplo", "reclamo")
    good = controller.library.get("ejemplo")
    edit(folder / "flows" / "reclamo.yaml", "    steps:", "    steps: [")
    qtbot.waitUntil(lambda: bool(controller.failed()), timeout=5000)
    assert controller.library.get("ejemplo") is good
    assert window.wizard.view.prompt == "¿Qué pide cliente?"
    controller.home()
    assert window.start.problems.isVisible()
    assert "1" in window.start.problems.text()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()))  # type: ignore[attr-defined]
    window.start.problems.click()
    assert "reclamo.yaml" in shown[0] and "error" in shown[0]
    assert "Se sigue usando la versión anterior." in shown[0]


def test_packs_loaded_after_the_watcher_starts_are_watched(qtbot: QtBot, tmp_path: Path) -> None:
    """The app paints first and loads packs after: the watcher must follow that load."""
    folder = tmp_path / "ejemplo"
    shutil.copytree(EXAMPLE, folder)
    controller = Controller(
        Paths.resolve(),
        Settings(),
        Library(Paths.resolve(), folders=[folder]),
        "desk",
        date(2024, 6, 1),
    )
    window = MainWindow(controller)
    qtbot.addWidget(window)
    PackWatcher(controller, parent=window)
    window.show()
    controller.reload()  # as the app does once the panel has painted
    controller.open("ejemplo", "reclamo")
    controller.choose("explicar")
    edit(folder / "flows" / "reclamo.yaml", "Explica el cobro con el guion", "Explica el cargo")
    qtbot.waitUntil(lambda: window.wizard.view.text.startswith("Explica el cargo"), timeout=5000)
