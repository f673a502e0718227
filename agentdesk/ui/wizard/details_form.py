"""The customer's details: one compact row per pack variable.

Texts re-render as the agent types; a value that does not match (a malformed ID) is
flagged under its field; the fallback shows as the placeholder where there is no value.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agentdesk.core.i18n import _
from agentdesk.core.packs.model import Pack, Variable
from agentdesk.core.render.values import check_value
from agentdesk.ui.shell.shortcuts import with_key
from agentdesk.ui.shell.widgets import set_text, text_label


class DetailsForm(QWidget):
    sig_changed = Signal(str, str)
    """A detail changed: (variable id, value)."""

    def __init__(self, title: str = "") -> None:
        """``title``: the toggle's; the desk's (the default) names its shortcut."""
        super().__init__()
        self._title = title or with_key(_("Customer details"), "toggle_details")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 6, 14, 6)
        outer.setSpacing(4)
        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setAccessibleName(self._title)
        self.toggle.toggled.connect(self._set_open)
        outer.addWidget(self.toggle)
        self.body = QWidget()
        self.form = QFormLayout(self.body)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setVerticalSpacing(4)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        outer.addWidget(self.body)
        self._set_open(False)
        self.fields: dict[str, QLineEdit | QComboBox] = {}
        self.errors: dict[str, QLabel] = {}
        self._pack: Pack | None = None

    def show_pack(self, pack: Pack, values: dict[str, str]) -> None:
        """Rebuild the fields for ``pack`` (only when the pack changes)."""
        if self._pack is not None and self._pack.digest == pack.digest:
            return
        self._pack = pack
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields.clear()
        self.errors.clear()
        for var in pack.variables.values():
            self._add_row(var, values.get(var.id, ""), pack.manifest.locale)
        self._summarize()

    def _add_row(self, var: Variable, value: str, locale: str) -> None:
        field: QLineEdit | QComboBox
        if var.type == "choice":
            field = QComboBox()
            field.addItem("")
            field.addItems(list(var.choices))
            field.setCurrentText(value)
            field.currentTextChanged.connect(lambda text, v=var: self._changed(v, text, locale))
        else:
            field = QLineEdit(value)
            field.setPlaceholderText(var.fallback or var.example or "")
            field.textChanged.connect(lambda text, v=var: self._changed(v, text, locale))
        field.setAccessibleName(var.label)
        field.setToolTip(var.hint or var.label)
        error = text_label("", "fieldError")
        error.hide()
        self.errors[var.id] = error
        self.fields[var.id] = field
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(field)
        column.addWidget(error)
        self.form.addRow(var.label, holder)
        if value:
            self._flag(var, value, locale)

    def _changed(self, var: Variable, value: str, locale: str) -> None:
        self._flag(var, value, locale)
        self.sig_changed.emit(var.id, value)
        self._summarize()

    def _summarize(self) -> None:
        """The toggle shows what was typed, so the form can stay closed."""
        values = [
            f.text() if isinstance(f, QLineEdit) else f.currentText() for f in self.fields.values()
        ]
        typed = ", ".join(v for v in values if v)
        self.toggle.setText(f"{self._title}: {typed}" if typed else self._title)

    def _flag(self, var: Variable, value: str, locale: str) -> None:
        problem = check_value(var, value, locale)
        field = self.fields[var.id]
        field.setProperty("invalid", problem is not None)
        field.style().unpolish(field)
        field.style().polish(field)
        set_text(self.errors[var.id], problem)

    def clear(self) -> None:
        for field in self.fields.values():
            if isinstance(field, QLineEdit):
                field.clear()
            else:
                field.setCurrentIndex(0)
        self._summarize()

    def _set_open(self, on: bool) -> None:
        self.body.setVisible(on)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)

    def focus_first(self) -> None:
        """Ctrl+D: open the form on the first field, or close it when it is open."""
        if self.toggle.isChecked() and any(f.hasFocus() for f in self.fields.values()):
            self.toggle.setChecked(False)
            return
        self.toggle.setChecked(True)
        if self.fields:
            next(iter(self.fields.values())).setFocus(Qt.FocusReason.ShortcutFocusReason)
