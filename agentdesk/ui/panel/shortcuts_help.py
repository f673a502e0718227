"""F1: every shortcut of the panel, from the one list (:mod:`agentdesk.ui.shell.shortcuts`),
its keys in one column and what it does in the next, in the menu's words.

The two columns line up row by row at any width: each row is as tall as the taller of its
two cells, and both wrap (the keys at their commas), so the help fits a narrow panel.
Loaded when F1 is first pressed: the panel's first paint does not wait for it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGridLayout, QVBoxLayout, QWidget

from agentdesk.core.i18n import _
from agentdesk.ui.shell.shortcuts import key_text, shortcuts
from agentdesk.ui.shell.widgets import text_label

TOP_LEFT = Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft


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
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        self.rows: list[tuple[str, str]] = []
        for row, shortcut in enumerate(s for s in shortcuts() if s.listed):
            keys = text_label(key_text(shortcut), "shortcutKeys")
            what = text_label(shortcut.what)
            detail = shortcut.detail or shortcut.what
            for label in (keys, what):  # aligned in the label, not the cell: a cell that
                label.setAlignment(TOP_LEFT)  # wraps keeps its height, rows line up
                label.setToolTip(detail)
                label.setAccessibleDescription(detail)
            grid.addWidget(keys, row, 0)
            grid.addWidget(what, row, 1)
            self.rows.append((keys.text(), shortcut.what))
        column.addLayout(grid)
        column.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        if parent is not None:  # never wider than the panel it helps with
            self.setMaximumWidth(max(parent.width(), 300))
