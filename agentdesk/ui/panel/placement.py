"""Where the panel's window sits, and keeping it there as screens come and go.

- Docked (mode ``panel``): flush with a screen edge, the work area's full height, its frame
  included (:mod:`agentdesk.core.placement` does the arithmetic). Where the desktop allows
  it, the panel reserves its strip so that maximized windows stop beside it: X11 struts
  (:mod:`.edge_x11`), a Windows AppBar (:mod:`.edge_windows`); nothing on Wayland, whose
  clients do not place themselves.
- A normal window (mode ``window``): Qt's ``saveGeometry``/``restoreGeometry`` (the bytes,
  base64, in the settings), which know about screens, maximized state and frames.
- Screens added or removed, resized, or with a new DPI: the panel is docked again, and a
  normal window left off every screen comes back to the main one.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRect, QTimer
from PySide6.QtGui import QGuiApplication

from agentdesk.core.placement import (
    Margins,
    Rect,
    outer_rect,
    panel_rect,
    strut_partial,
    to_device,
    work_area,
)

if TYPE_CHECKING:
    from PySide6.QtGui import QScreen
    from PySide6.QtWidgets import QWidget

    from agentdesk.core.settings import Settings

#: Screen changes come in bursts (geometry, work area, DPI): the panel moves once after.
SETTLE_MS = 50


def _rect(qrect: QRect) -> Rect:
    return Rect(qrect.x(), qrect.y(), qrect.width(), qrect.height())


class Placement(QObject):
    def __init__(self, window: QWidget, settings: Settings) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.frame = Margins()  # the frame's margins when last known (0 before the first show)
        self.reserved: Rect | None = None  # the strip the panel holds (logical pixels)
        self.placed = False  # the window goes where place() put it (until then: untouched)
        self._reserved_as: tuple[int, str, Rect] | None = None  # window id, edge, device strip
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.follow)
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.screenAdded.connect(self._screen_added)
        app.screenRemoved.connect(self._settle.start)
        app.primaryScreenChanged.connect(self._settle.start)
        for screen in app.screens():
            self._watch(screen)
        window.installEventFilter(self)

    # -- placing ------------------------------------------------------------------------

    def place(self) -> None:
        self.placed = True
        if self.settings.mode == "panel":
            self._dock()
        else:
            self._restore()

    def remember(self) -> None:
        """Keep where the window is in the settings (before a mode change and at the end)."""
        if self.settings.mode == "window":
            saved = bytes(self.window.saveGeometry().data())
            self.settings.window_geometry = base64.b64encode(saved).decode("ascii")
        else:
            self.settings.panel_width = self.window.geometry().width()
            screen = self.window.screen()
            self.settings.panel_screen = screen.name() if screen is not None else ""

    def follow(self) -> None:
        """After screens changed: dock again, or bring a lost window back on screen."""
        if not (self.placed and self.window.isVisible()):
            return
        if self.settings.mode == "panel":
            before = self.window.geometry()
            self._dock()
            if self.window.geometry() != before:
                from agentdesk.core.diagnostics import log

                where = _rect(self.window.geometry())
                log.info("panel docked at %s on screen %s", where, self.screen().name())
            return
        frame = self.window.frameGeometry()
        if not any(s.availableGeometry().intersects(frame) for s in QGuiApplication.screens()):
            area = QGuiApplication.primaryScreen().availableGeometry()
            self.window.move(area.center() - frame.center() + self.window.pos())

    def screen(self) -> QScreen:
        """The panel's screen: the one named in the settings while it is connected."""
        for screen in QGuiApplication.screens():
            if screen.name() and screen.name() == self.settings.panel_screen:
                return screen
        return self.window.screen() or QGuiApplication.primaryScreen()

    def _dock(self) -> None:
        screen = self.screen()
        frame = self._frame_margins()
        area = work_area(_rect(screen.availableGeometry()), _rect(screen.geometry()), self.reserved)
        content = panel_rect(area, self.settings.edge, self.settings.panel_width, frame)
        self.frame = frame
        self.window.setGeometry(QRect(*content))
        if self.window.isVisible():
            self._reserve(screen, outer_rect(content, frame))

    def _restore(self) -> None:
        from PySide6.QtCore import QByteArray  # here: the docked panel does not need it

        self.release()
        try:
            saved = base64.b64decode(self.settings.window_geometry, validate=True)
        except (binascii.Error, ValueError):
            saved = b""
        if saved and self.window.restoreGeometry(QByteArray(saved)):
            return
        area = (self.window.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        self.window.resize(min(1000, area.width()), min(760, area.height()))

    def _frame_margins(self) -> Margins:
        """The frame the desktop draws around the window (known once it is shown)."""
        if not self.window.isVisible():
            return self.frame
        outer, inner = self.window.frameGeometry(), self.window.geometry()
        found = Margins(
            inner.left() - outer.left(),
            inner.top() - outer.top(),
            outer.right() - inner.right(),
            outer.bottom() - inner.bottom(),
        )
        return found if min(found) >= 0 else self.frame

    # -- the reserved edge --------------------------------------------------------------

    def _reserve(self, screen: QScreen, strip: Rect) -> None:
        platform = QGuiApplication.platformName()
        if platform not in ("xcb", "windows"):
            return
        device = to_device(strip, _rect(screen.geometry()), screen.devicePixelRatio())
        key = (int(self.window.winId()), self.settings.edge, device)
        if key == self._reserved_as:
            return
        from agentdesk.core.diagnostics import log

        try:
            if platform == "xcb":
                from agentdesk.ui.panel import edge_x11

                root = device
                for other in QGuiApplication.screens():
                    whole = _rect(other.geometry())
                    root = root.united(to_device(whole, whole, other.devicePixelRatio()))
                edge_x11.reserve(key[0], strut_partial(root, device, self.settings.edge))
            else:
                from agentdesk.ui.panel import edge_windows

                granted = edge_windows.reserve(key[0], self.settings.edge, device)
                if granted != device:
                    log.info("the panel's strip %s was granted as %s", device, granted)
        except OSError as exc:
            log.warning("the panel's screen edge could not be reserved: %s", exc)
            return
        self.reserved = strip
        self._reserved_as = key

    def release(self) -> None:
        """Give the screen edge back (the panel is hidden, closed, or a normal window)."""
        if self._reserved_as is None:
            return
        window = self._reserved_as[0]
        self._reserved_as = None
        self.reserved = None
        try:
            if QGuiApplication.platformName() == "xcb":
                from agentdesk.ui.panel import edge_x11

                edge_x11.release(window)
            else:
                from agentdesk.ui.panel import edge_windows

                edge_windows.release(window)
        except OSError:
            pass  # the window, and so its reservation, is gone already

    # -- watching -----------------------------------------------------------------------

    def _watch(self, screen: QScreen) -> None:
        screen.geometryChanged.connect(self._settle.start)
        screen.availableGeometryChanged.connect(self._settle.start)
        screen.logicalDotsPerInchChanged.connect(self._settle.start)

    def _screen_added(self, screen: QScreen) -> None:
        self._watch(screen)
        self._settle.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.window and self.placed and self.settings.mode == "panel":
            if kind == QEvent.Type.Show:
                self._settle.start()  # the frame is known now, and the window can reserve
            elif kind in (QEvent.Type.Move, QEvent.Type.Resize):
                if self.window.isVisible() and self._frame_margins() != self.frame:
                    self._settle.start()  # the desktop framed the window after it was shown
            elif kind in (QEvent.Type.Hide, QEvent.Type.Close):
                self.release()
        return False
