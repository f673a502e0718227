"""Noticing that a kiosk was left alone, and warning before it clears itself.

:class:`IdleWatcher` is an application event filter: every touch, click, key or wheel
turn is input. A timer asks the core's :class:`~agentdesk.core.kiosk.IdlePolicy` what the
time since the last input means: in use, counting down (``sig_warning``), or time to
reset (``sig_reset``). The clock is injectable, so tests move time instead of waiting.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from agentdesk.core.i18n import _
from agentdesk.core.kiosk import IdlePolicy
from agentdesk.ui.shell.widgets import text_label

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TouchEnd,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletMove,
        QEvent.Type.InputMethod,
    }
)


class IdleWatcher(QObject):
    sig_warning = Signal(int)
    """Nobody touched the kiosk for a while: seconds left before it resets."""
    sig_active = Signal()
    """Input came back during the countdown: the reset is off."""
    sig_reset = Signal()
    """The countdown ran out: clear everything for the next customer."""

    def __init__(
        self,
        policy: IdlePolicy,
        needs_reset: Callable[[], bool] = lambda: True,
        clock: Callable[[], float] = time.monotonic,
        interval_ms: int = 500,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.policy = policy
        self.needs_reset = needs_reset
        self.clock = clock
        self.last_input = clock()
        self.warning = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.touch()
        self._timer.start()

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self.touch()
        return False

    def touch(self) -> None:
        """Input now: the kiosk is in use."""
        self.last_input = self.clock()
        if self.warning:
            self.warning = False
            self.sig_active.emit()

    def check(self) -> None:
        """What the quiet time means now (the timer calls this; tests may too)."""
        state = self.policy.state(self.last_input, self.clock())
        if state.phase == "active":
            return
        if not self.needs_reset():
            self.last_input = self.clock()  # nothing to clear: start the count again
            return
        if state.phase == "warning":
            self.warning = True
            self.sig_warning.emit(math.ceil(state.seconds_left))
            return
        self.warning = False
        self.last_input = self.clock()
        self.sig_reset.emit()


class CountdownOverlay(QWidget):
    """Covers the kiosk during the countdown; any touch on it cancels the reset."""

    sig_continue = Signal()
    """Touched: the person is still there."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("countdown")
        self.setAttribute(Qt.WidgetAttribute.WA_NoMousePropagation, True)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        card = QFrame()
        card.setObjectName("card")
        card.setFixedWidth(600)
        column = QVBoxLayout(card)
        column.setContentsMargins(32, 28, 32, 28)
        column.setSpacing(16)
        self.title = text_label(_("Are you still there?"), "prompt")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.seconds = QLabel()
        self.seconds.setObjectName("countdownSeconds")
        self.seconds.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = text_label(_("This screen will be cleared for the next customer."), "stepText")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.button = QPushButton(_("Continue"))
        self.button.setObjectName("primary")
        self.button.setMinimumHeight(64)
        self.button.clicked.connect(self.sig_continue.emit)
        for widget in (self.title, self.seconds, self.text, self.button):
            column.addWidget(widget)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)
        self.hide()

    def show_seconds(self, seconds: int) -> None:
        self.seconds.setText(str(seconds))
        self.seconds.setAccessibleName(_("{seconds} seconds left").format(seconds=seconds))
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()
        self.sig_continue.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(15, 23, 32, 170))
