"""Feedback where the agent looks: a toast over the top of the page, and the running
countdowns pinned under the header.

- :class:`Toast`: a short message ("Copiado", "Nota guardada", a note kept for later...)
  floating over the top of the page for a few seconds. It floats rather than pushing the
  page down, so the view never moves under the pointer; clicks go through it.
- :class:`TimerStrip`: the call's countdowns (:meth:`Call.running`), one line each, in a
  strip under the header while any runs: minutes and seconds left, then a red line, a beep
  and the timer's alert when the time is up, until the agent dismisses it.

Both are built on first use: the start screen does not pay for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agentdesk.core.i18n import _, ngettext
from agentdesk.ui.shell.parts import Pool, chain_tabs
from agentdesk.ui.shell.widgets import set_text, text_label

if TYPE_CHECKING:
    from agentdesk.core.interaction.call import Call, Countdown, TimerKey

MESSAGE_MS = 6000
"""How long a short message for the agent stays."""
MARGIN = 8
SHOWN = 3
"""Countdowns shown at once (the strip must not take the page's room)."""


def restyle(widget: QWidget, tone: str) -> None:
    """Give ``widget`` the style sheet's ``tone`` (ok, warning, danger) now."""
    if widget.property("tone") != tone:
        widget.setProperty("tone", tone)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def announce(widget: QWidget) -> None:
    """Tell a screen reader that ``widget`` says something new (an alert)."""
    QAccessible.updateAccessibility(QAccessibleEvent(widget, QAccessible.Event.Alert))


class Toast(QLabel):
    """A message floating over the top of ``host`` for a few seconds."""

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.setObjectName("toast")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAccessibleName(_("Message"))
        self.hide()
        self._host = host
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(MESSAGE_MS)
        self._timer.timeout.connect(self.hide)
        host.installEventFilter(self)
        if isinstance(host, QStackedWidget):  # a page shown is raised over its siblings
            host.currentChanged.connect(self._stay_on_top)

    def say(self, text: str, tone: str = "ok") -> None:
        self.setText(text)
        self.setAccessibleDescription(text)
        restyle(self, tone)
        self._fit()
        self.raise_()
        self.show()
        self._timer.start()
        announce(self)

    def _stay_on_top(self) -> None:
        if self.isVisible():
            self.raise_()

    def _fit(self) -> None:
        self.ensurePolished()  # the tone's style (its padding) counts in the height
        width = max(0, self._host.width() - 2 * MARGIN)
        self.setGeometry(MARGIN, MARGIN, width, self.heightForWidth(width))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() == QEvent.Type.Resize and self.isVisible():
            self._fit()
        return False


class TimerRow(QWidget):
    """One countdown: its label and time left, and a button to dismiss it."""

    sig_dismiss = Signal(object)
    """The agent is done with it (its key)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("timerRow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 4, 4)
        self.label = text_label("", "timerText")
        self.dismiss = QToolButton()
        self.dismiss.setText("✕")
        self.dismiss.setToolTip(_("Dismiss this timer"))
        self.dismiss.setAccessibleName(_("Dismiss this timer"))
        self.dismiss.clicked.connect(lambda: self.sig_dismiss.emit(self.key))
        row.addWidget(self.label, 1)
        row.addWidget(self.dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self.key: TimerKey = ()

    def show_left(self, countdown: Countdown, left: int) -> None:
        """Show the time left (red, with its alert, when the time is up)."""
        self.key = countdown.key
        if left > 0:
            text = f"{countdown.label}: {left // 60:02d}:{left % 60:02d}"
        else:
            alert = f" — {countdown.alert}" if countdown.alert else ""
            text = f"⚠ {countdown.label}: " + _("time is up") + alert
        if text != self.label.text():
            self.label.setText(text)
            self.setAccessibleName(text)
        restyle(self, "ok" if left > 0 else "danger")


class TimerStrip(QWidget):
    """The call's running countdowns, pinned under the header (hidden when none runs)."""

    sig_done = Signal(str)
    """A countdown ran out: its label and alert, to tell the agent."""

    def __init__(self, call: Call) -> None:
        super().__init__()
        self.setObjectName("timerStrip")
        self.setAccessibleName(_("Timers"))
        self.call = call
        column = QVBoxLayout(self)
        column.setContentsMargins(MARGIN, 4, MARGIN, 4)
        column.setSpacing(0)
        self.rows: Pool[TimerRow] = Pool(self._make_row, spacing=2)
        column.addWidget(self.rows.box)
        self.more = text_label("", "muted")
        self.more.hide()
        column.addWidget(self.more)
        self._alerted: set[TimerKey] = set()
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self.refresh)
        self.hide()

    def _make_row(self) -> TimerRow:
        row = TimerRow()
        row.sig_dismiss.connect(self._dismiss)
        return row

    def refresh(self) -> None:
        """Show the countdowns as they are now (every second while one runs): the first
        to end, at most SHOWN of them (how many more there are on a line under them)."""
        running = self.call.running()
        now = self.call.clock()
        for countdown in running:
            if countdown.left(now) <= 0 and countdown.key not in self._alerted:
                self._alerted.add(countdown.key)
                QApplication.beep()
                announce(self)
                alert = f"{countdown.label}: {countdown.alert}" if countdown.alert else ""
                self.sig_done.emit(alert or countdown.label)
        shown = running[:SHOWN]
        made = len(self.rows.widgets)
        rows = self.rows.fill(shown, lambda row, countdown: None)
        if len(self.rows.widgets) != made:  # new rows: Tab reaches them in reading order
            chain_tabs(self.window())
        for row, countdown in zip(rows, shown, strict=True):
            row.show_left(countdown, countdown.left(now))
        more = len(running) - len(shown)
        words = ngettext("{n} more timer", "{n} more timers", more).format(n=more)
        set_text(self.more, words if more else None)
        self.setVisible(bool(running))
        if running and not self._clock.isActive():
            self._clock.start()
        elif not running:
            self._clock.stop()
            self._alerted.clear()

    def _dismiss(self, key: TimerKey) -> None:
        self.call.dismiss(key)
        self.refresh()
