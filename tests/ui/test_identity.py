"""The app as the desktop sees it: its icon on every window and in every size, and the
platform's own fixed-pitch font where text must line up."""

from __future__ import annotations

from PySide6.QtGui import QIcon, QImageReader
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from agentdesk.core.packs.library import Library
from agentdesk.core.paths import Paths, resources_dir
from agentdesk.core.settings import Settings
from agentdesk.ui.panel.main_window import MainWindow
from agentdesk.ui.shell.controller import Controller
from tests.ui.conftest import Make


def test_the_windows_icon_file_holds_every_size_up_to_256() -> None:
    reader = QImageReader(str(resources_dir() / "icons" / "agentdesk.ico"))
    sizes = []
    for index in range(reader.imageCount()):
        reader.jumpToImage(index)
        sizes.append(reader.read().width())
    assert sizes == [16, 24, 32, 48, 64, 128, 256]


def test_the_app_icon_is_on_every_window(qtbot: QtBot, bundled: Library) -> None:
    from PySide6.QtWidgets import QDialog

    from agentdesk.ui.shell.identity import DESKTOP_ID, set_identity

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setWindowIcon(QIcon())
    window = MainWindow(Controller(Paths.resolve(), Settings(), bundled))
    qtbot.addWidget(window)
    set_identity(app, window)
    assert window.windowIcon().isNull()  # not before the first paint
    window.show()
    qtbot.waitUntil(lambda: not window.windowIcon().isNull())
    sizes = {s.width() for s in window.windowIcon().availableSizes()}
    assert {16, 32, 48, 256} <= sizes
    assert {s.width() for s in QDialog(window).windowIcon().availableSizes()} == sizes
    assert app.desktopFileName() == DESKTOP_ID


def test_macro_paths_use_the_platforms_fixed_pitch_font(qtbot: QtBot, make_window: Make) -> None:
    from PySide6.QtGui import QFontDatabase, QFontInfo
    from PySide6.QtWidgets import QLabel

    window = make_window()
    window.controller.open("ejemplo", "reclamo")
    window.controller.choose("verificar")
    window.controller.choose("next")  # the step with the macros
    qtbot.waitUntil(lambda: any(w.isVisible() for w in window.findChildren(QLabel, "macroPath")))
    shown = [w for w in window.findChildren(QLabel, "macroPath") if w.isVisible()]
    fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    assert all(w.font().family() == fixed.family() for w in shown)
    assert all(QFontInfo(w.font()).fixedPitch() for w in shown)
