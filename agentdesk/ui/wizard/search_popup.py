"""Ctrl+K: find a flow, script, macro or offer by any word, accent-free, as you type."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout

from agentdesk.core.i18n import _
from agentdesk.core.search.index import Item
from agentdesk.ui.shell.parts import ListKeys
from agentdesk.ui.shell.widgets import describe, text_label

_ROLE = Qt.ItemDataRole.UserRole


def kind_name(kind: str) -> str:
    return {"flow": _("Flow"), "script": _("Script"), "macro": _("Macro"), "offer": _("Offer")}[
        kind
    ]


class SearchPanel(QFrame):
    sig_query = Signal(str)
    """The query changed."""
    sig_open = Signal(object)
    """A result was chosen (a search Item)."""
    sig_close = Signal()
    """Escape: back to where the agent was."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("page")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(8)
        self.field = QLineEdit()
        self.field.setPlaceholderText(_("Search: migración, token, cobranza, Konfío…"))
        describe(self.field, _("Type any word; the arrows move in the results"), _("Search"))
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self.sig_query.emit)
        layout.addWidget(self.field)
        self.results = QListWidget()
        describe(self.results, _("Enter opens the selected result"), _("Results"))
        # One size for every row and no wrapping: the list redraws within a frame per key.
        self.results.setUniformItemSizes(True)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.itemActivated.connect(lambda item: self.sig_open.emit(item.data(_ROLE)))
        self.keys = ListKeys(
            self.field,
            self.results,
            lambda index: self.sig_open.emit(index.data(_ROLE)),
            self.sig_close.emit,
        )
        layout.addWidget(self.results, 1)
        self.hint = text_label(_("Type to search. Enter opens, Esc goes back."), "muted")
        layout.addWidget(self.hint)

    def start(self) -> None:
        self.field.selectAll()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_waiting(self) -> None:
        """The search is still being prepared (just after start-up): no results yet."""
        self.results.clear()
        self._hint(_("Preparing the search…"))

    def show_results(self, items: list[Item]) -> None:
        """Rewrite the rows in place: clearing and refilling the list would make the scroll
        bar come and go, and the whole panel relayout and repaint, on every key."""
        results = self.results
        for row, item in enumerate(items):
            entry = results.item(row)
            if entry is None:
                entry = QListWidgetItem()
                results.addItem(entry)
            entry.setText(f"{item.title}\n{kind_name(item.kind)} · {item.detail}")
            entry.setToolTip(item.title)  # the row may end in "…"
            entry.setData(_ROLE, item)
        while results.count() > len(items):
            results.takeItem(results.count() - 1)
        if items:
            results.setCurrentRow(0)
        query = self.field.text().strip()
        self._hint(
            _("No results.")
            if query and not items
            else _("Type to search. Enter opens, Esc goes back.")
        )

    def _hint(self, text: str) -> None:
        if text != self.hint.text():  # a label that changes makes the whole panel repaint
            self.hint.setText(text)
