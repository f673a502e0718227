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
from PySide6.QtGui import QClipboard, QCloseEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
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
from agentdesk.ui.kiosk.kiosk_pin import KEY_SIZE as PIN_KEY
from agentdesk.ui.kiosk.kiosk_pin import PinGate, PinPad
from agentdesk.ui.kiosk.touch_keyboard import TouchKeyboard, qt_virtual_keyboard_in_use
from agentdesk.ui.kiosk.touch_keyboard import wants_touch_keyboard as _wants_keyboard
from agentdesk.ui.shell.controller import Controller
from agentdesk.ui.shell.theme import ACCENT, BORDER, DANGER, DANGER_BG, style_sheet
from agentdesk.ui.shell.widgets import ElidedLabel, banner
from agentdesk.ui.wizard.details_form import DetailsForm
from agentdesk.ui.wizard.start_page import StartPage

if TYPE_CHECKING:
    from agentdesk.core.flows.view import StepView
    from agentdesk.core.packs.library import Entry
    from agentdesk.core.packs.model import Flow, Pack
    from agentdesk.ui.kiosk.kiosk_admin import KioskAdminPage
    from agentdesk.ui.wizard.wizard_page import WizardPage

KIOSK_SCALE = 1.35
TOUCH_TARGET = 48
CONTENT_WIDTH = 1100
"""Widest the pages grow on a large screen: lines stay readable."""


def kiosk_style_sheet() -> str:
    """The desk's style sheet, larger, with touch-sized rows, boxes and keys."""
    return (
        style_sheet(KIOSK_SCALE)
        + f"""
    WrapButton, WrapCheck QCheckBox {{ min-height: {TOUCH_TARGET}px; }}
    QCheckBox::indicator {{ width: 30px; height: 30px; }}
    QToolButton {{ min-height: {TOUCH_TARGET}px; min-width: {TOUCH_TARGET}px; }}
    #header QToolButton {{ min-height: {TOUCH_TARGET - 10}px; padding: 4px 14px; }}
    QLineEdit, QComboBox {{ min-height: {TOUCH_TARGET - 12}px; }}
    QTreeView {{ background: white; border: 1px solid {BORDER}; border-radius: 10px;
        outline: 0; show-decoration-selected: 1; }}
    QTreeView::item {{ min-height: 56px; padding: 0 8px; border: none; }}
    QTreeView::item:selected {{ background: #d6ebf5; color: #1f2933; }}
    QScrollBar:vertical {{ background: transparent; width: 18px; margin: 2px; }}
    QScrollBar::handle:vertical {{ background: #b8c2cc; border-radius: 7px;
        min-height: {TOUCH_TARGET}px; }}
    QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; }}
    QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: none; }}
    #kioskDetails QToolButton {{ background: white; border: 1px solid {BORDER};
        border-radius: 8px; padding: 4px 14px; }}
    QPushButton#key, QPushButton#pinKey {{ font-weight: 600; padding: 0; }}
    QPushButton#pinKey {{ min-height: {PIN_KEY}px; min-width: {PIN_KEY}px; font-size: 28px; }}
    QPushButton#pinKey[tone="primary"] {{ background: {ACCENT}; color: white;
        border-color: {ACCENT}; font-size: 22px; }}
    QPushButton#pinKey:disabled {{ background: #eef1f4; color: #9aa5b1; border-color: {BORDER}; }}
    QPushButton#key:checked {{ background: #d6ebf5; }}
    #touchKeyboard {{ background: #dde3ea; border-top: 1px solid {BORDER}; }}
    #touchKeyboard QPushButton#key {{ font-size: 21px; min-height: {TOUCH_TARGET}px; }}
    QLineEdit#pinField {{ font-size: 30px; letter-spacing: 6px; min-height: 56px; }}
    #countdownSeconds {{ font-size: 64px; font-weight: 700; color: {ACCENT}; }}
    QPushButton[tone="danger"] {{ color: {DANGER}; background: {DANGER_BG}; }}
    """
    )


class KioskStartPage(StartPage):
    """The start screen for touch: every flow showing, one tap opens it; no search."""

    def __init__(self) -> None:
        super().__init__()
        for button in self.findChildren(QPushButton):
            if button is not self.problems:
                button.hide()  # the search: a kiosk offers only its listed flows
        tree = self.list
        tree.setRootIsDecorated(False)
        tree.setItemsExpandable(False)
        tree.setExpandsOnDoubleClick(False)
        tree.setIndentation(28)
        tree.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        tree.itemClicked.connect(self._activated)
        QScroller.grabGesture(tree.viewport(), QScroller.ScrollerGestureType.TouchGesture)

    def show_flows(
        self,
        flows: list[tuple[Pack, Flow, bool]],
        failed: list[Entry] | None = None,
        last_pack: str = "",
    ) -> None:
        super().show_flows(flows, [], "")  # pack problems are for the administrator
        self.list.expandAll()
        self.list.scrollToTop()


def is_quit_key(event: QKeyEvent) -> bool:
    """Escape, Alt+F4, Ctrl+F4, Ctrl+Q, Ctrl+W (Cmd on a Mac), and the Close/Exit keys."""
    key = event.key()
    mods = event.modifiers()
    ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
    alt = bool(mods & Qt.KeyboardModifier.AltModifier)
    return (
        key in (Qt.Key.Key_Escape, Qt.Key.Key_Close, Qt.Key.Key_Exit)
        or (key == Qt.Key.Key_F4 and (alt or ctrl))
        or (ctrl and key in (Qt.Key.Key_Q, Qt.Key.Key_W))
    )


class QuitGuard(QObject):
    """An application event filter that swallows the keys that close or quit."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kinds = (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.KeyRelease)
        if event.type() in kinds and isinstance(event, QKeyEvent) and is_quit_key(event):
            event.accept()
            return True
        return False


class KioskWindow(QWidget):
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
        self.details_area = QScrollArea()  # the details scroll on their own: pages stay
        self.details_area.setWidgetResizable(True)
        self.details_area.setFrameShape(QFrame.Shape.NoFrame)
        self.details_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.details_area.hide()
        self._column.addWidget(self.details_area)
        self.pages = QStackedWidget()
        self._column.addWidget(self.pages, 1)
        self.status = banner("", "ok")
        self.status.hide()
        self._column.addWidget(self.status)
        middle.addWidget(self.content, 1)
        column.addLayout(middle, 1)
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(6000)
        self._status_timer.timeout.connect(self.status.hide)

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
        self.start.sig_open.connect(self._open)
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

        controller.sig_view.connect(self.show_view)
        controller.sig_home.connect(self.show_start)
        controller.sig_packs_changed.connect(self._packs_changed)
        controller.sig_message.connect(self.message)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
            app.installEventFilter(self.guard)
        self.watcher.start()
        self.show_start()

    # -- building -----------------------------------------------------------------------

    def _header(self) -> QWidget:
        header = QWidget()
        header.setObjectName("header")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(header)
        row.setContentsMargins(20, 10, 12, 10)
        row.setSpacing(10)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        self.title = ElidedLabel("AgentDesk")
        self.title.setObjectName("headerTitle")
        self.subtitle = ElidedLabel()
        self.subtitle.setObjectName("headerSubtitle")
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        row.addLayout(titles, 1)
        self.new_customer_button = self._tool(
            "⟲  " + _("New customer"), _("Clear everything and go to the start"), self.reset
        )
        self.admin_button = self._tool("⚙", _("Administration"), self.open_admin)
        row.addWidget(self.new_customer_button)
        row.addWidget(self.admin_button)
        return header

    def _tool(self, text: str, name: str, slot: Callable[[], object]) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setAccessibleName(name)
        button.setToolTip(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setMinimumSize(TOUCH_TARGET + 8, TOUCH_TARGET + 4)
        button.clicked.connect(slot)
        return button

    @property
    def wizard(self) -> WizardPage:
        if self._wizard is None:
            from agentdesk.ui.wizard.wizard_page import wizard_for

            page = wizard_for(self.controller)
            page.sig_copied.connect(self._copied)
            page.sig_timer_done.connect(self._timer_done)
            page.why_button.setToolTip("")
            page.back_button.setToolTip("")
            page.restart_button.setToolTip("")
            QScroller.grabGesture(
                page.scroller.viewport(), QScroller.ScrollerGestureType.TouchGesture
            )
            self.pages.addWidget(page)
            self._wizard = page
        return self._wizard

    @property
    def details(self) -> DetailsForm:
        if self._details is None:
            form = DetailsForm(_("Customer details"))  # no keyboard shortcut on a kiosk
            form.setObjectName("kioskDetails")
            form.sig_changed.connect(self.controller.set_value)
            form.installEventFilter(self)  # its layout changed: fit the panel to it
            self.details_area.setWidget(form)
            self._details = form
        return self._details

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._details and event.type() == QEvent.Type.LayoutRequest:
            self._fit_details()
        return False

    def _fit_details(self) -> None:
        """As tall as the details need, within a share of the screen; they scroll beyond."""
        if self._details is None or not self.details_area.isVisibleTo(self):
            return
        share = 0.25 if self.keyboard.isVisibleTo(self) else 0.5
        most = max(TOUCH_TARGET * 2, int(self.height() * share))
        self.details_area.setFixedHeight(min(self._details.sizeHint().height(), most))

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

    def show_start(self) -> None:
        self.details_area.hide()
        self.title.setText("AgentDesk")
        self.subtitle.setText(_("Choose the situation"))
        if not self.controller.library.loaded:
            self.start.show_loading()
        else:
            self.start.show_flows(self.controller.flows(include_expired=False))
        self.pages.setCurrentWidget(self.start)
        self.start.focus_list()

    def show_view(self, view: StepView) -> None:
        walk = self.controller.session.walk
        self.title.setText(view.flow_title)
        self.subtitle.setText(view.pack_title)
        self.details.show_pack(walk.pack, self.controller.session.values)
        self.details_area.setVisible(bool(walk.pack.variables))
        self._fit_details()
        if self.pages.currentWidget() is not self.wizard:
            self.pages.setCurrentWidget(self.wizard)
        self.wizard.show_view(view)

    def show_start_or_view(self) -> None:
        """Back from the administrator's pages to where the kiosk was."""
        if self._gate is not None:
            self._gate.close_gate()
        if self.controller.view is not None:
            self.show_view(self.controller.view)
        else:
            self.show_start()

    def message(self, text: str) -> None:
        self.status.setText(text)
        self.status.show()
        self._status_timer.start()

    def _open(self, pack_id: str, flow_id: str) -> None:
        self.controller.open(pack_id, flow_id)

    def _copied(self, item_id: str, text: str) -> None:
        self.message(_("Copied to the clipboard."))

    def _timer_done(self, text: str) -> None:
        self.message("⚠ " + text)
        QApplication.alert(self)

    def _packs_changed(self) -> None:
        if self.pages.currentWidget() is self.start:
            self.show_start()

    # -- forgetting the customer --------------------------------------------------------

    def _has_something_to_clear(self) -> bool:
        c = self.controller
        return bool(
            c.is_open
            or c.session.values
            or c.ticks
            or c.copied
            or self.pages.currentWidget() is not self.start
            or self.keyboard.isVisible()
        )

    def reset(self) -> None:
        """Forget the customer, from memory and screen, and show the start screen."""
        self.overlay.hide()
        self._hide_keyboard()
        self.status.hide()
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
        self.showFullScreen()

    def changeEvent(self, event: QEvent) -> None:
        """Once full screen, back to full screen whenever something minimizes it."""
        super().changeEvent(event)
        if event.type() != QEvent.Type.WindowStateChange:
            return
        if self.isFullScreen():
            self._keep_full_screen = not self._may_close
        elif self._keep_full_screen:
            QTimer.singleShot(0, self.show_full_screen)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        side = max(0, (self.width() - CONTENT_WIDTH) // 2)
        self._middle.setContentsMargins(side, 0, side, 0)
        if self.overlay.isVisible():
            self.overlay.setGeometry(self.rect())
        self._fit_details()

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if not self.own_keyboard:
            return
        if new is not None and _wants_keyboard(new) and self.isAncestorOf(new):
            self.keyboard.show()
            self._fit_details()
            if self.details_area.isAncestorOf(new):
                self.details_area.ensureWidgetVisible(new)
        elif new is None or not self.keyboard.isAncestorOf(new):
            self.keyboard.hide()
            self._fit_details()

    def _hide_keyboard(self) -> None:
        focus = QApplication.focusWidget()
        if focus is not None and _wants_keyboard(focus):
            focus.clearFocus()
        self.keyboard.hide()
        self._fit_details()
