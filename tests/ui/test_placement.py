"""Where the panel sits: docked in the work area, back at its edge after screen changes,
a normal window restored from the settings file as it was left, and above other windows
as the settings say."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from pytestqt.qtbot import QtBot

from agentdesk.core.packs.library import Library
from agentdesk.core.paths import Paths
from agentdesk.core.settings import Settings
from agentdesk.ui.panel.main_window import MainWindow
from agentdesk.ui.shell.controller import Controller


def _window(qtbot: QtBot, bundled: Library, settings: Settings) -> MainWindow:
    window = MainWindow(Controller(Paths.resolve(), settings, bundled))
    qtbot.addWidget(window)
    window.place()
    window.show()
    qtbot.waitExposed(window)
    return window


def _inside(outer: QRect, inner: QRect) -> bool:
    return outer.contains(inner.topLeft()) and outer.contains(inner.bottomRight())


def test_the_docked_panel_and_its_frame_stay_inside_the_work_area(
    qtbot: QtBot, bundled: Library
) -> None:
    for edge in ("right", "left"):
        window = _window(qtbot, bundled, Settings(edge=edge))
        area = window.screen().availableGeometry()
        qtbot.waitUntil(lambda w=window, a=area: w.frameGeometry().bottom() == a.bottom())
        frame = window.frameGeometry()
        assert _inside(area, frame)  # no edge cut, the bottom included
        assert frame.top() == area.top()
        assert (frame.right() if edge == "right" else frame.left()) == (
            area.right() if edge == "right" else area.left()
        )
        window.close()


def test_a_screen_change_docks_the_panel_again(qtbot: QtBot, bundled: Library) -> None:
    window = _window(qtbot, bundled, Settings())
    qtbot.waitUntil(lambda: _inside(window.screen().availableGeometry(), window.frameGeometry()))
    docked = window.geometry()
    window.setGeometry(QRect(30, 40, 500, 300))  # where the desktop left it
    screen = window.screen()
    screen.availableGeometryChanged.emit(screen.availableGeometry())
    qtbot.waitUntil(lambda: window.geometry() == docked)


def test_the_normal_window_comes_back_as_it_was_left(
    qtbot: QtBot, bundled: Library, tmp_path: Path
) -> None:
    window = _window(qtbot, bundled, Settings(mode="window"))
    window.setGeometry(QRect(60, 70, 640, 480))
    qtbot.waitUntil(lambda: window.geometry() == QRect(60, 70, 640, 480))
    window.close()  # remembered on close
    file = tmp_path / "settings.json"
    window.settings.save(file)
    assert '"window_geometry": "' in file.read_text()  # Qt's bytes, base64

    again = _window(qtbot, bundled, Settings.load(file))
    assert again.geometry() == QRect(60, 70, 640, 480)


def test_a_damaged_saved_geometry_gives_the_default_window(qtbot: QtBot, bundled: Library) -> None:
    window = _window(qtbot, bundled, Settings(mode="window", window_geometry="not base64!"))
    area = window.screen().availableGeometry()
    assert window.size().width() == min(1000, area.width())


class _Hides(QObject):
    """Counts a window's Hide events."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        self.count += event.type() == QEvent.Type.Hide
        return False


def test_stay_on_top_changes_in_place_without_hiding_the_panel(
    qtbot: QtBot, bundled: Library
) -> None:
    """Set from the first paint on, then switched from the menu: the desktop is told, the
    panel is neither hidden nor made again (no flicker), and Qt's two copies of the
    window's flags agree."""
    window = _window(qtbot, bundled, Settings(mode="panel", stay_on_top=True))
    top = Qt.WindowType.WindowStaysOnTopHint

    def on_top() -> tuple[bool, bool]:
        handle = window.windowHandle()
        return bool(handle.flags() & top), bool(window.windowFlags() & top)

    qtbot.waitUntil(lambda: on_top() == (True, True))  # once it has painted
    hides = _Hides()
    window.installEventFilter(hides)
    native = window.winId()
    window.set_stay_on_top(False)
    assert on_top() == (False, False)
    window.set_stay_on_top(True)
    assert on_top() == (True, True)
    window.set_mode("window")  # a normal window is never kept on top
    assert on_top() == (False, False)
    window.set_mode("panel")
    assert on_top() == (True, True)
    assert hides.count == 0 and window.isVisible()
    assert window.winId() == native
