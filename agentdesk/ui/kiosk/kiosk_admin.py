"""The kiosk's settings, behind the administrator PIN: leave kiosk mode, idle time, PIN.

Every change is saved at once: a kiosk is often switched off at the wall.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from agentdesk.core.i18n import _
from agentdesk.core.kiosk import idle_seconds
from agentdesk.core.settings import Settings
from agentdesk.ui.shell.widgets import banner, section_title, set_text, text_label

IDLE_STEPS = (30, 45, 60, 90, 120, 180, 300, 600, 900, 1800)
"""The idle times the − and + buttons step through, in seconds."""


class KioskAdminPage(QWidget):
    sig_leave = Signal()
    """Leave kiosk mode: close the app."""
    sig_change_pin = Signal()
    """Type a new administrator PIN."""
    sig_idle_changed = Signal(int)
    """The idle time changed (seconds)."""
    sig_reload = Signal()
    """Reload the packs."""
    sig_done = Signal()
    """Back to the kiosk, locked again."""
    sig_saved = Signal()
    """A setting changed: save the settings now."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.setObjectName("page")
        outer = QHBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        card = QFrame()
        card.setObjectName("card")
        card.setMaximumWidth(760)
        column = QVBoxLayout(card)
        column.setContentsMargins(28, 24, 28, 24)
        column.setSpacing(14)
        outer.addWidget(card)

        column.addWidget(text_label(_("Kiosk administration"), "prompt"))
        self.message = banner("", "ok")
        self.message.hide()
        column.addWidget(self.message)

        column.addWidget(section_title(_("Idle reset")))
        row = QHBoxLayout()
        row.setSpacing(12)
        self.less = self._button("−", self._less, _("Forget the customer sooner"))
        self.less.setAccessibleName(_("Shorter idle time"))
        self.idle_label = QLabel()
        self.idle_label.setObjectName("stepText")
        self.idle_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.more = self._button("+", self._more, _("Forget the customer later"))
        self.more.setAccessibleName(_("Longer idle time"))
        for widget in (self.less, self.more):
            widget.setFixedWidth(72)
        row.addWidget(self.less)
        row.addWidget(self.idle_label, 1)
        row.addWidget(self.more)
        column.addLayout(row)

        column.addWidget(section_title(_("Security")))
        self.change_pin = self._button(
            _("Change the administrator PIN"), self.sig_change_pin.emit, _("Typed twice")
        )
        column.addWidget(self.change_pin)
        self.start_as_kiosk = self._button(
            "", self._toggle_start, _("Whether AgentDesk starts as a kiosk on this computer")
        )
        self.start_as_kiosk.setCheckable(True)
        column.addWidget(self.start_as_kiosk)

        column.addWidget(section_title(_("Content")))
        column.addWidget(
            self._button(_("Reload packs"), self._reload, _("Read the installed packs again"))
        )

        column.addStretch(1)
        bottom = QHBoxLayout()
        bottom.setSpacing(12)
        self.leave = self._button(
            _("Leave kiosk mode"), self.sig_leave.emit, _("Close the kiosk: the desktop shows")
        )
        self.leave.setProperty("tone", "danger")
        self.done = self._button(
            _("Back to the kiosk"), self.sig_done.emit, _("Lock the administration again")
        )
        self.done.setObjectName("primary")
        bottom.addWidget(self.leave)
        bottom.addStretch(1)
        bottom.addWidget(self.done)
        column.addLayout(bottom)

    def _button(self, text: str, slot: object, about: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleDescription(about)
        button.setMinimumHeight(56)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(slot)
        return button

    def open(self, message: str = "") -> None:
        set_text(self.message, message)
        self._show_settings()

    def _show_settings(self) -> None:
        seconds = idle_seconds(self.settings.kiosk_idle_seconds)
        self.idle_label.setText(
            _("Clear the screen after {seconds} s without use").format(seconds=seconds)
        )
        self.less.setEnabled(seconds > IDLE_STEPS[0])
        self.more.setEnabled(seconds < IDLE_STEPS[-1])
        on = self.settings.kiosk
        self.start_as_kiosk.setChecked(on)
        self.start_as_kiosk.setText(
            _("Start AgentDesk as a kiosk: yes")
            if on
            else _("Start AgentDesk as a kiosk: no (only with --kiosk)")
        )

    def _set_idle(self, seconds: int) -> None:
        self.settings.kiosk_idle_seconds = seconds
        self.sig_saved.emit()
        self.sig_idle_changed.emit(seconds)
        self.open()

    def _less(self) -> None:
        now = idle_seconds(self.settings.kiosk_idle_seconds)
        self._set_idle(max([s for s in IDLE_STEPS if s < now], default=IDLE_STEPS[0]))

    def _more(self) -> None:
        now = idle_seconds(self.settings.kiosk_idle_seconds)
        self._set_idle(min([s for s in IDLE_STEPS if s > now], default=IDLE_STEPS[-1]))

    def _toggle_start(self) -> None:
        self.settings.kiosk = not self.settings.kiosk
        self.sig_saved.emit()
        self.open()

    def _reload(self) -> None:
        self.sig_reload.emit()
        self.open(_("Packs reloaded."))
