"""F1: every shortcut of the panel, from the one list (:mod:`agentdesk.ui.shell.shortcuts`),
its keys in one column and what it does in the next, aligned.

Loaded when F1 is first pressed: the panel's first paint does not wait for it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGridLayout, QVBoxLayout, QWidget

from agentdesk.core.i18n import _
from agentdesk.ui.shell.shortcuts import key_text, shortcuts
from agentdesk.ui.shell.widgets import text_label


class ShortcutsHelp(QDialog):
    """F1: every shortcut, its keys in one column and what it does in the next."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Keyboard shortcuts"))
        self.setObjectName("page")
        column = QVBoxLayout(self)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)
        self.rows: list[tuple[str, str]] = []
        for row, shortcut in enumerate(s for s in shortcuts() if s.listed):
            keys = text_label(key_text(shortcut), "shortcutKeys")
            keys.setWordWrap(False)
            grid.addWidget(keys, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(text_label(shortcut.what), row, 1, Qt.AlignmentFlag.AlignTop)
            self.rows.append((keys.text(), shortcut.what))
        column.addLayout(grid)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
