"""The branch kiosk: the same start screen and wizard, locked down and touch first.

A separate top-level window, not a modified side panel: full screen and frameless, a
larger style (every touch target 48 px high or more), no menu, no search, no notes. Only
flows whose audience includes kiosks are listed or followed. Closing, Alt+F4, Escape and
the usual quit keys do nothing; the administrator PIN opens the kiosk's settings, where
kiosk mode can be left.

After ``kiosk_idle_seconds`` without input a countdown shows; when it runs out (or when
"New customer" is pressed) :meth:`KioskWindow.reset` forgets the customer: the session's
values and path, checklist ticks, timers, copied items, the pages that showed them, and
the clipboard. The app cannot lock the operating system around it: see docs/kiosk.md.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QClipboard, QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QScroller,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agentdesk.core.i18n import _
from agentdesk.core.kiosk import (
    PIN_MAX_DIGITS,
    PIN_MIN_DIGITS,
    IdlePolicy,
    PinLimiter,
    hash_pin,
    idle_seconds,
    limiter_file,
    pin_problem,
    stored_pin_hash,
)
from agentdesk.ui.kiosk.kiosk_idle import CountdownOverlay, IdleWatcher
from agentdesk.ui.kiosk.kiosk_pin import PinGate, PinPad
from agentdesk.ui.kiosk.kiosk_start import KioskStartPage, QuitGuard
from agentdesk.ui.kiosk.kiosk_style import CONTENT_WIDTH, TOUCH_TARGET, kiosk_style_sheet
from agentdesk.ui.kiosk.touch_keyboard import TouchKeyboard, qt_virtual_keyboard_in_use
from agentdesk.ui.kiosk.touch_keyboard import wants_touch_keyboard as _wants_keyboard
from agentdesk.ui.shell.controller import CallWindow, Controller
from agentdesk.ui.wizard.details_form import DetailsArea, DetailsForm

if TYPE_CHECKING:
    from agentdesk.ui.kiosk.kiosk_admin import KioskAdminPage
    from agentdesk.ui.shell.feedback import TimerStrip
    from agentdesk.ui.wizard.wizard_page import WizardPage

__all__ = ["TOUCH_TARGET", "KioskWindow"]


class KioskWindow(CallWindow, QWidget):
    details_area: DetailsArea

    def __init__(
        self,
        controller: Controller,
        *,
        limiter: PinLimiter | None = None,
        clock: Callable[[], float] = time.monotonic,
        idle_interval_ms: int = 500,
        touch_keyboard: bool | None = None,
    ) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        if controller.audience != "kiosk":
            raise ValueError("a kiosk shows kiosk content only: use Controller(audience='kiosk')")
        self.controller = controller
        self.settings = controller.settings
        self.limiter = limiter or PinLimiter(limiter_file(controller.paths))
        self._may_close = False
        self._keep_full_screen = False
        self._watching_handle = False
        self._restoring = False
        #: How many times the kiosk's window was made again after it stopped showing.
        self.restored = 0
        self.setObjectName("page")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setWindowTitle("AgentDesk")
        self.setStyleSheet(kiosk_style_sheet())

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self._header())
        self._middle = middle = QHBoxLayout()
        middle.setContentsMargins(0, 0, 0, 0)
        self.content = QWidget()
        self._column = QVBoxLayout(self.content)
        self._column.setContentsMargins(8, 8, 8, 0)
        self._column.setSpacing(0)
        # the details scroll on their own, within a share of the screen: pages stay
        self.details_area = DetailsArea(self._details_share, least=TOUCH_TARGET * 2)
        self._column.addWidget(self.details_area)
        self.pages = QStackedWidget()
        self._column.addWidget(self.pages, 1)
        middle.addWidget(self.content, 1)
        column.addLayout(middle, 1)

        self.own_keyboard = (
            (not qt_virtual_keyboard_in_use())
            and os.environ.get("AGENTDESK_KIOSK_KEYBOARD", "") != "system"
            if touch_keyboard is None
            else touch_keyboard
        )
        self.keyboard = TouchKeyboard()
        self.keyboard.hide()
        self.keyboard.sig_hide.connect(self._hide_keyboard)
        column.addWidget(self.keyboard)

        self.start = KioskStartPage()
        self.start.sig_open.connect(lambda pack, flow: self.controller.open(pack, flow))
        self.pages.addWidget(self.start)
        self._wizard: WizardPage | None = None
        self._details: DetailsForm | None = None
        self._gate: PinGate | None = None
        self._admin: KioskAdminPage | None = None
        self._new_pin: PinPad | None = None
        self._first_pin = ""

        self.overlay = CountdownOverlay(self)
        self.overlay.sig_continue.connect(self._still_there)
        self.watcher = IdleWatcher(
            IdlePolicy(idle_seconds(self.settings.kiosk_idle_seconds)),
            self._has_something_to_clear,
            clock,
            idle_interval_ms,
            self,
        )
        self.watcher.sig_warning.connect(self.overlay.show_seconds)
        self.watcher.sig_active.connect(self.overlay.hide)
        self.watcher.sig_reset.connect(self.reset)
        self.guard = QuitGuard(self)

        self.follow(controller)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
            app.installEventFilter(self.guard)
        self.watcher.start()
        self.show_start()

    # -- building -----------------------------------------------------------------------

    def _header(self) -> QWidget:
        header, row = self.header(QHBoxLayout)
        row.setContentsMargins(20, 10, 12, 10)
        row.setSpacing(10)
        row.addLayout(self.titles(), 1)
        self.new_customer_button = self._touch_tool(
            "⟲  " + _("New customer"), _("Clear everything and go to the start"), self.reset
        )
        self.admin_button = self._touch_tool("⚙", _("Administration"), self.open_admin)
        row.addWidget(self.new_customer_button)
        row.addWidget(self.admin_button)
        return header

    def _touch_tool(self, text: str, name: str, slot: Callable[[], object]) -> QToolButton:
        button = self.tool(text, name, slot, Qt.FocusPolicy.NoFocus)
        button.setMinimumSize(TOUCH_TARGET + 8, TOUCH_TARGET + 4)
        return button

    def _wizard_built(self, page: WizardPage) -> None:
        page.why_button.setToolTip("")
        page.back_button.setToolTip("")
        page.restart_button.setToolTip("")
        QScroller.grabGesture(page.scroller.viewport(), QScroller.ScrollerGestureType.TouchGesture)

    def _new_details(self) -> DetailsForm:
        form = DetailsForm(_("Customer details"))  # no keyboard shortcut on a kiosk
        form.setObjectName("kioskDetails")
        return form

    def _place_details(self, form: DetailsForm) -> None:
        self.details_area.hold(form)

    def _details_share(self) -> float:
        """The share of the screen the details may take: less while the keyboard shows."""
        return 0.25 if self.keyboard.isVisibleTo(self) else 0.5

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        handle = self.windowHandle()
        if watched is handle and event.type() == QEvent.Type.Expose:
            if handle.isExposed():
                self._restoring = False  # shown again
            elif not self._restoring:
                QTimer.singleShot(0, self._window_lost)  # not while Qt delivers the event
        return False

    @property
    def gate(self) -> PinGate:
        if self._gate is None:
            paths, settings = self.controller.paths, self.settings
            gate = PinGate(self.limiter, lambda: stored_pin_hash(paths, settings))
            gate.sig_unlocked.connect(self._unlocked)
            gate.sig_cancel.connect(self.show_start_or_view)
            self.pages.addWidget(gate)
            self._gate = gate
        return self._gate

    @property
    def admin(self) -> KioskAdminPage:
        if self._admin is None:
            from agentdesk.ui.kiosk.kiosk_admin import KioskAdminPage

            page = KioskAdminPage(self.settings)
            page.sig_leave.connect(self.leave)
            page.sig_change_pin.connect(self._ask_new_pin)
            page.sig_idle_changed.connect(self._idle_changed)
            page.sig_reload.connect(lambda: self.controller.reload())
            page.sig_done.connect(self.show_start_or_view)
            page.sig_saved.connect(self._save_settings)
            self.pages.addWidget(page)
            self._admin = page
        return self._admin

    @property
    def new_pin(self) -> PinPad:
        if self._new_pin is None:
            pad = PinPad()
            pad.sig_submit.connect(self._new_pin_typed)
            pad.sig_cancel.connect(lambda: self._show_admin(""))
            self.pages.addWidget(pad)
            self._new_pin = pad
        return self._new_pin

    # -- showing ------------------------------------------------------------------------

    def _start_subtitle(self) -> str:
        return _("Choose the situation")

    def _list_flows(self) -> None:
        self.start.show_flows(self.controller.flows(include_expired=False), 0, "")

    def show_start_or_view(self) -> None:
        """Back from the administrator's pages to where the kiosk was."""
        if self._gate is not None:
            self._gate.close_gate()
        super().show_start_or_view()

    def _place_timers(self, strip: TimerStrip) -> None:
        self._column.insertWidget(0, strip)  # above the details and the page

    # -- forgetting the customer --------------------------------------------------------

    def _has_something_to_clear(self) -> bool:
        return (
            self.controller.call.has_customer
            or self.pages.currentWidget() is not self.start
            or self.keyboard.isVisible()
        )

    def reset(self) -> None:
        """Forget the customer, from memory and screen, and show the start screen."""
        self.overlay.hide()
        self._hide_keyboard()
        if self._toast is not None:
            self._toast.hide()
        self.controller.new_customer()  # values, ticks, timers, copied items, the path
        for page in (self._wizard, self._new_pin):
            if page is not None:  # its labels still hold the last step's texts
                self.pages.removeWidget(page)
                page.deleteLater()
        if self._details is not None:  # its fields, and their undo history
            self.details_area.takeWidget()
            self._details.deleteLater()
        self.details_area.hide()
        self._wizard = self._details = self._new_pin = None
        self._first_pin = ""
        if self._gate is not None:
            self._gate.close_gate()
        clipboard = QApplication.clipboard()
        clipboard.clear(QClipboard.Mode.Clipboard)
        if clipboard.supportsSelection():
            clipboard.clear(QClipboard.Mode.Selection)
        self.watcher.touch()
        self.show_start()

    def _still_there(self) -> None:
        self.watcher.touch()
        self.overlay.hide()

    # -- the administrator --------------------------------------------------------------

    def open_admin(self) -> None:
        """Ask for the administrator PIN."""
        self._hide_keyboard()
        self.details_area.hide()
        self.pages.setCurrentWidget(self.gate)
        self.gate.open()
        self.title.setText(_("Administration"))
        self.subtitle.setText(_("Only for the branch's administrator"))

    def _unlocked(self) -> None:
        self._show_admin("")

    def _show_admin(self, message: str) -> None:
        self.admin.open(message)
        self.pages.setCurrentWidget(self.admin)

    def _ask_new_pin(self) -> None:
        self._first_pin = ""
        self.pages.setCurrentWidget(self.new_pin)
        digits = _("{low} to {high} digits.").format(low=PIN_MIN_DIGITS, high=PIN_MAX_DIGITS)
        self.new_pin.ask(_("New administrator PIN"), digits)

    def _new_pin_typed(self, pin: str) -> None:
        pad = self.new_pin
        if not self._first_pin:
            problem = pin_problem(pin)
            if problem:
                pad.ask(_("New administrator PIN"), problem)
                return
            self._first_pin = pin
            pad.ask(_("Repeat the new PIN"))
            return
        first, self._first_pin = self._first_pin, ""
        if pin != first:
            pad.ask(_("New administrator PIN"), _("The two PINs differ. Try again."))
            return
        self.settings.kiosk_pin_hash = hash_pin(pin)
        self._save_settings()
        self.limiter.reset()
        self._show_admin(_("The administrator PIN was changed."))

    def _idle_changed(self, seconds: int) -> None:
        self.watcher.policy = IdlePolicy(idle_seconds(seconds))

    def _save_settings(self) -> None:
        try:
            self.settings.save(self.controller.paths.settings_file)
        except OSError as exc:
            self.message(_("The settings could not be saved: {error}").format(error=exc))

    def leave(self) -> None:
        """Leave kiosk mode: only from the administrator's page, after the PIN."""
        self.release()
        self.close()

    def release(self) -> None:
        """Let the window close and stop watching the application's input."""
        self._may_close = True
        self._keep_full_screen = False
        self.watcher.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.guard)

    # -- the window ---------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._may_close:
            super().closeEvent(event)
        else:
            event.ignore()

    def show_full_screen(self) -> None:
        """Full screen. A bare X session (no window manager, a common kiosk set-up) does not
        act on the full-screen request, so the window also takes the screen's geometry."""
        self.setGeometry(self.screen().geometry())
        self.setWindowState(Qt.WindowState.WindowFullScreen)  # not minimized any more
        self.showFullScreen()
        self.raise_()
        self.activateWindow()
        handle = self.windowHandle()
        if handle is not None and not self._watching_handle:
            handle.installEventFilter(self)  # the native window: is it still shown?
            self._watching_handle = True

    def changeEvent(self, event: QEvent) -> None:
        """Once full screen, back to full screen whenever something minimizes it (a
        minimized full-screen window is still "full screen" to Qt: minimized counts)."""
        super().changeEvent(event)
        if event.type() != QEvent.Type.WindowStateChange:
            return
        if self.isFullScreen() and not self.isMinimized():
            self._keep_full_screen = not self._may_close
        elif self._keep_full_screen:
            QTimer.singleShot(0, self.show_full_screen)

    def _window_lost(self) -> None:
        """The native window stopped showing while the kiosk is on (another X client
        unmapped it, or destroyed it, or a window manager iconified it without saying so):
        a new one is made and shown full screen. (A killed connection to the display ends
        the app instead; the service that starts the kiosk starts it again: docs/kiosk.md.)"""
        handle = self.windowHandle()
        if not self._keep_full_screen or handle is None or handle.isExposed():
            return
        self._restoring = True  # until it shows again: no second restore meanwhile
        self.restored += 1
        self.hide()
        handle.destroy()  # the old native window may be gone: a new one is made
        self.show_full_screen()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        side = max(0, (self.width() - CONTENT_WIDTH) // 2)
        self._middle.setContentsMargins(side, 0, side, 0)
        if self.overlay.isVisible():
            self.overlay.setGeometry(self.rect())
        self.details_area.fit()

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if not self.own_keyboard:
            return
        if new is not None and _wants_keyboard(new) and self.isAncestorOf(new):
            self.keyboard.show()
            self.details_area.fit()
            if self.details_area.isAncestorOf(new):
                self.details_area.ensureWidgetVisible(new)
        elif new is None or not self.keyboard.isAncestorOf(new):
            self.keyboard.hide()
            self.details_area.fit()

    def _hide_keyboard(self) -> None:
        focus = QApplication.focusWidget()
        if focus is not None and _wants_keyboard(focus):
            focus.clearFocus()
        self.keyboard.hide()
        self.details_area.fit()
