"""The administrator's PIN on a kiosk: a big numeric keypad, touch first.

:class:`PinPad` only takes a PIN (the keypad is also the on-screen keyboard for it; a
physical keyboard's digits work too). :class:`PinGate` asks for the administrator PIN and
lets :class:`~agentdesk.core.kiosk.PinLimiter` decide: right, wrong, or locked for a while
after too many wrong PINs. Both are pages of the kiosk window, not separate windows: a
kiosk has no window manager to put a dialog in front.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QGridLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from agentdesk.core.i18n import _, ngettext
from agentdesk.core.kiosk import PIN_MAX_DIGITS, PinLimiter, Verdict
from agentdesk.ui.shell.widgets import text_label

KEY_SIZE = 72
"""Smallest side of a keypad key, in pixels (a touch target is at least 48); the kiosk's
style sheet sizes ``QPushButton#pinKey`` with it."""


class PinPad(QWidget):
    """A masked PIN field over a 3×4 keypad: digits, erase, OK; and a Cancel button."""

    sig_submit = Signal(str)
    """OK was pressed: the PIN typed."""
    sig_cancel = Signal()
    """The administrator gave up: back to the kiosk."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("page")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        outer.setSpacing(14)
        outer.addStretch(1)
        self.title = text_label("", "prompt")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = text_label("", "stepText")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.field = QLineEdit()
        self.field.setObjectName("pinField")
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setMaxLength(PIN_MAX_DIGITS)
        self.field.setValidator(
            QRegularExpressionValidator(QRegularExpression("[0-9]*"), self.field)
        )
        self.field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.field.setAccessibleName(_("PIN"))
        self.field.setAccessibleDescription(_("The administrator PIN, digits only"))
        self.field.setProperty("touchKeyboard", False)  # the keypad below is its keyboard
        self.field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.field.returnPressed.connect(self._submit)
        self.field.setFixedWidth(KEY_SIZE * 3 + 36)
        for widget in (self.title, self.message):
            outer.addWidget(widget)
        outer.addWidget(self.field, 0, Qt.AlignmentFlag.AlignHCenter)

        keypad = QWidget()
        grid = QGridLayout(keypad)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(12)
        self.keys: list[QPushButton] = []
        labels = [*"123456789", "⌫", "0", "OK"]
        for n, label in enumerate(labels):
            key = self._key(label)
            grid.addWidget(key, n // 3, n % 3)
        self.erase, self.ok = self.keys[9], self.keys[11]
        self.erase.setAccessibleName(_("Erase"))
        self.ok.setProperty("tone", "primary")
        self.ok.setAccessibleName(_("Confirm the PIN"))
        outer.addWidget(keypad, 0, Qt.AlignmentFlag.AlignHCenter)
        self.cancel = QPushButton(_("Cancel"))
        self.cancel.setAccessibleDescription(_("Back to the kiosk, still locked"))
        self.cancel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel.setFixedWidth(KEY_SIZE * 3 + 36)
        self.cancel.clicked.connect(self._cancel)
        outer.addWidget(self.cancel, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)

    def _key(self, label: str) -> QPushButton:
        key = QPushButton(label)
        key.setObjectName("pinKey")
        key.setAccessibleDescription(_("A key of the PIN keypad"))
        key.setMinimumSize(KEY_SIZE, KEY_SIZE)
        key.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the focus
        key.setAutoRepeat(label == "⌫")
        if label.isdigit():
            key.clicked.connect(lambda _=False, d=label: self.field.insert(d))
        elif label == "⌫":
            key.clicked.connect(self.field.backspace)
        else:
            key.clicked.connect(self._submit)
        self.keys.append(key)
        return key

    def ask(self, title: str, message: str = "") -> None:
        """Start over: an empty field with a title and a line under it."""
        self.title.setText(title)
        self.message.setText(message)
        self.forget()
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def forget(self) -> None:
        """Empty the field; setText also drops its undo history."""
        self.field.setText("")

    def set_enabled(self, on: bool) -> None:
        for key in self.keys:
            key.setEnabled(on)
        self.field.setEnabled(on)
        if on:
            self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _submit(self) -> None:
        pin = self.field.text()
        self.forget()
        if pin and self.field.isEnabled():
            self.sig_submit.emit(pin)

    def _cancel(self) -> None:
        self.forget()
        self.sig_cancel.emit()


class PinGate(PinPad):
    """Asks for the administrator PIN; emits ``sig_unlocked`` only for the right one."""

    sig_unlocked = Signal()
    """The right PIN was typed."""

    def __init__(self, limiter: PinLimiter, stored: Callable[[], str]) -> None:
        super().__init__()
        self.limiter = limiter
        self._stored = stored
        self.verdict: Verdict | None = None
        self.sig_submit.connect(self._check)
        self._lock_timer = QTimer(self)
        self._lock_timer.setInterval(1000)
        self._lock_timer.timeout.connect(self.refresh)

    def open(self) -> None:
        """Show the gate as it is now: ready for a PIN, locked, or with no PIN set."""
        self.verdict = None
        self.ask(_("Administration"), _("Type the administrator PIN."))
        self.refresh()

    def close_gate(self) -> None:
        self.forget()
        self._lock_timer.stop()

    def refresh(self) -> None:
        """Update the lock countdown; unlock the keypad when the lock is over."""
        if not self._stored():
            self._lock_timer.stop()
            self.set_enabled(False)
            self.message.setText(
                _(
                    "No administrator PIN is set, so this kiosk cannot be left from its "
                    "screen. An administrator sets one with: agentdesk kiosk set-pin"
                )
            )
            return
        left = self.limiter.remaining()
        if left > 0:
            self.set_enabled(False)
            self.message.setText(
                _("Too many wrong PINs. Try again in {seconds} s.").format(seconds=math.ceil(left))
            )
            self._lock_timer.start()
            return
        self._lock_timer.stop()
        if not self.field.isEnabled():
            self.set_enabled(True)
            self.message.setText(_("Type the administrator PIN."))

    def _check(self, pin: str) -> None:
        verdict = self.verdict = self.limiter.attempt(pin, self._stored())
        if verdict.ok:
            self.close_gate()
            self.sig_unlocked.emit()
            return
        if verdict.outcome == "wrong" and verdict.attempts_left:
            self.message.setText(
                ngettext(
                    "Wrong PIN. {n} attempt left before a pause.",
                    "Wrong PIN. {n} attempts left before a pause.",
                    verdict.attempts_left,
                ).format(n=verdict.attempts_left)
            )
            return
        self.refresh()
