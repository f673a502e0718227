"""An on-screen keyboard for the kiosk's customer details, where the platform has none.

Its keys never take the focus: they send key events to the field that has it, so the
field, its validation and the live re-rendering behave as with a physical keyboard. The
Qt Virtual Keyboard (PySide6-Addons, ``QT_IM_MODULE=qtvirtualkeyboard``) replaces it when
it is installed and asked for; see docs/kiosk.md.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QEvent, QLibraryInfo, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from agentdesk.core.i18n import _

KEY_HEIGHT = 48
"""Smallest height and width of a key, in pixels (a touch target is at least 48)."""

ROWS = (
    "1234567890",
    "qwertyuiop",
    "asdfghjklñ",
    "⇧zxcvbnm,.⌫",
    "áéíóú@-_ ⌄",
)
_SPECIAL = {"⇧", "⌫", " ", "⌄"}


def qt_virtual_keyboard_in_use() -> bool:
    """Whether Qt was asked for its virtual keyboard and its library is installed."""
    if os.environ.get("QT_IM_MODULE") != "qtvirtualkeyboard":
        return False
    folders = {
        QLibraryInfo.path(QLibraryInfo.LibraryPath.LibrariesPath),
        QLibraryInfo.path(QLibraryInfo.LibraryPath.BinariesPath),
        str(Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PrefixPath)).parent),
    }
    for folder in folders:
        path = Path(folder)
        if path.is_dir() and any(path.glob("*Qt6VirtualKeyboard*")):
            return True
    return False


def wants_touch_keyboard(widget: QWidget | None) -> bool:
    """Whether the on-screen keyboard should come up for ``widget`` (an editable line)."""
    return (
        isinstance(widget, QLineEdit)
        and not widget.isReadOnly()
        and widget.property("touchKeyboard") is not False
    )


class TouchKeyboard(QWidget):
    sig_hide = Signal()
    """The hide key was pressed."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("touchKeyboard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.shift = False
        self.keys: list[QPushButton] = []
        self._letters: list[QPushButton] = []
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 6, 12, 8)
        column.setSpacing(5)
        for row_keys in ROWS:
            row = QHBoxLayout()
            row.setSpacing(6)
            for char in row_keys:
                row.addWidget(self._key(char), 3 if char == " " else 1)
            column.addLayout(row)

    def _key(self, char: str) -> QPushButton:
        names = {
            "⇧": _("Capital letter"),
            "⌫": _("Erase"),
            " ": _("Space"),
            "⌄": _("Hide the keyboard"),
        }
        key = QPushButton(char if char != " " else _("Space"))
        key.setObjectName("key")
        key.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        key.setMinimumHeight(KEY_HEIGHT)
        key.setMinimumWidth(KEY_HEIGHT)
        key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        key.setAccessibleName(names.get(char, char))
        key.setAccessibleDescription(_("A key of the on-screen keyboard"))
        key.setAutoRepeat(char == "⌫")
        key.clicked.connect(lambda _=False, c=char: self.press(c))
        if char.isalpha():
            self._letters.append(key)
        if char == "⇧":
            key.setCheckable(True)
            self.shift_key = key
        self.keys.append(key)
        return key

    def press(self, char: str) -> None:
        """What a tap on a key does."""
        if char == "⇧":
            self._set_shift(not self.shift)
            return
        if char == "⌄":
            self.sig_hide.emit()
            return
        target = QApplication.focusWidget()
        if target is None:
            return
        if char == "⌫":
            self._send(target, Qt.Key.Key_Backspace, "")
            return
        text = char.upper() if self.shift else char
        self._send(target, Qt.Key.Key_Space if char == " " else Qt.Key.Key_unknown, text)
        if self.shift:
            self._set_shift(False)  # one capital, as on a phone

    def _send(self, target: QWidget, key: Qt.Key, text: str) -> None:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text)
            QApplication.sendEvent(target, event)

    def _set_shift(self, on: bool) -> None:
        self.shift = on
        for key in self._letters:
            key.setText(key.accessibleName().upper() if on else key.accessibleName())
        self.shift_key.setChecked(on)
