"""The customer's details: one field per pack variable, its label above it.

Texts re-render as the agent types; a value that does not match (a malformed ID) is
flagged under its field, in words that wrap; the fallback (or an example) shows as the
placeholder where there is no value. Each field takes the panel's whole width, so a narrow
panel cuts neither fields, placeholders nor messages. Closed, the form says what was typed
under its title, each value named: "Nombre: Ana · Cédula: 1712345678".

:class:`DetailsArea` holds the form in both windows: as tall as the form needs, up to a
share of the window (beyond, it scrolls), so the step under it keeps its room.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QLabel,
    QLineEdit,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agentdesk.core.i18n import _
from agentdesk.core.packs.model import Pack, Variable
from agentdesk.core.render.values import check_value
from agentdesk.ui.shell.parts import Scrolled, chain_tabs
from agentdesk.ui.shell.shortcuts import with_key
from agentdesk.ui.shell.widgets import set_text, text_label


class DetailsForm(Scrolled):
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
        self.toggle.setAccessibleDescription(_("Show or hide the customer's details"))
        self.toggle.setText(self._title)
        self.toggle.toggled.connect(self._set_open)
        outer.addWidget(self.toggle)
        self.summary = text_label("", "muted")  # what was typed, each value named
        self.summary.hide()
        outer.addWidget(self.summary)
        self.body = QWidget()
        self.rows = QVBoxLayout(self.body)  # each detail: its label, its field, its message
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setSpacing(6)
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
        while (item := self.rows.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.hide()  # now: it is deleted only when the event loop gets to it
                widget.deleteLater()
        self.fields.clear()
        self.errors.clear()
        for var in pack.variables.values():
            self._add_row(var, values.get(var.id, ""), pack.manifest.locale)
        self._summarize()
        chain_tabs(self.window())  # the new fields, in reading order

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
        example = _("For example: {example}").format(example=var.example) if var.example else ""
        field.setAccessibleDescription(" ".join(x for x in (var.hint, example) if x) or var.label)
        field.setToolTip(field.accessibleDescription())
        error = text_label("", "fieldError")
        error.hide()
        self.errors[var.id] = error
        self.fields[var.id] = field
        label = text_label(var.label)
        label.setBuddy(field)
        row = QWidget()
        column = QVBoxLayout(row)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        for part in (label, field, error):
            column.addWidget(part)
        self.rows.addWidget(row)
        if value:
            self._flag(var, value, locale)

    def _changed(self, var: Variable, value: str, locale: str) -> None:
        self._flag(var, value, locale)
        self.sig_changed.emit(var.id, value)
        self._summarize()

    def _summarize(self) -> None:
        """Under the title, what was typed, each value with its name: the form can stay
        closed, and "Santa Cruz" never runs into "350"."""
        assert self._pack is not None or not self.fields
        labels = self._pack.variables if self._pack is not None else {}
        typed = [
            f"{labels[name].label}: {value}"
            for name, field in self.fields.items()
            if (value := field.text() if isinstance(field, QLineEdit) else field.currentText())
        ]
        self.summary.setText(" · ".join(typed))
        self.summary.setVisible(bool(typed) and not self.toggle.isChecked())
        self.toggle.setAccessibleDescription(
            "; ".join(typed) or _("Show or hide the customer's details")
        )

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
        self.summary.setVisible(not on and bool(self.summary.text()))
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)

    def focus_first(self) -> None:
        """Ctrl+D: open the form on the first field, or close it when it is open."""
        if self.toggle.isChecked() and any(f.hasFocus() for f in self.fields.values()):
            self.toggle.setChecked(False)
            return
        self.toggle.setChecked(True)
        if self.fields:
            next(iter(self.fields.values())).setFocus(Qt.FocusReason.ShortcutFocusReason)


class DetailsArea(QScrollArea):
    """The details form, as tall as it needs up to ``share()`` of the window's height
    (beyond, it scrolls): the page under it keeps its room."""

    def __init__(self, share: Callable[[], float], least: int = 0) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._share = share
        self._least = least
        self._window: QWidget | None = None
        self.hide()

    def hold(self, form: DetailsForm) -> None:
        form.installEventFilter(self)  # its layout changed (opened, a message): fit it
        self.setWidget(form)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if (watched is self.widget() and kind == QEvent.Type.LayoutRequest) or (
            watched is self._window and kind == QEvent.Type.Resize
        ):
            self.fit()
        return False

    def fit(self) -> None:
        """As tall as the form needs at this width, up to the window's share."""
        form = self.widget()
        if form is None or not self.isVisibleTo(self.window()):
            return
        if self._window is not self.window():  # the window's height sets the share
            self._window = self.window()
            self._window.installEventFilter(self)
        width = self.viewport().width()
        needed = max(form.sizeHint().height(), form.heightForWidth(width))
        most = max(self._least, int(self.window().height() * self._share()))
        self.setFixedHeight(min(needed, most))
