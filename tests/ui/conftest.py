"""Fixtures for the desktop app: a real window over the bundled packs, offscreen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from agentdesk.core.packs.library import Library
from agentdesk.core.paths import Paths
from agentdesk.core.settings import Settings
from agentdesk.ui.panel.main_window import MainWindow
from agentdesk.ui.shell.controller import Controller
from agentdesk.ui.shell.theme import style_sheet

Make = Callable[..., MainWindow]


@pytest.fixture(autouse=True)
def spanish_ui(spanish: None) -> None:
    """The app speaks Spanish unless told otherwise."""


@pytest.fixture(scope="session")
def bundled() -> Library:
    return Library(None).load()


@pytest.fixture
def make_window(qtbot: QtBot, bundled: Library, qapp: object) -> Make:
    def make(
        today: date | None = date(2024, 6, 1),
        audience: str = "desk",
        library: Library | None = None,
    ) -> MainWindow:
        qapp.setStyleSheet(style_sheet())  # type: ignore[attr-defined]
        packs = library or bundled
        controller = Controller(Paths.resolve(), Settings(), packs, audience, today)  # type: ignore[arg-type]
        window = MainWindow(controller)
        qtbot.addWidget(window)
        window.resize(420, 900)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        return window

    return make
