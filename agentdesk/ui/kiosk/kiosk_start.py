"""The kiosk's start screen (every kiosk flow, one tap away) and the guard that swallows
the keys that close or quit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QPushButton, QScroller, QTreeWidgetItem

from agentdesk.ui.wizard.start_page import StartPage

if TYPE_CHECKING:
    from agentdesk.ui.wizard.start_page import Listed


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
        QScroller.grabGesture(tree.viewport(), QScroller.ScrollerGestureType.TouchGesture)

    def _clicked(self, item: QTreeWidgetItem) -> None:
        """A tap opens the flow, or a pack's first flow (packs do not fold on a kiosk)."""
        self._activated(item)

    def show_flows(self, flows: Listed, failed: int = 0, last_pack: str = "") -> None:
        super().show_flows(flows, 0, "")  # pack problems are for the administrator
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
