"""The boxes of the wizard: scripts, macros, offers, choices, checks. Each is built once
and then updated from step to step (creating and styling widgets costs more than a frame
when a step has many of them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from agentdesk.core.flows.step_view import ChoiceView, MacroView, OfferView, ScriptView
from agentdesk.core.i18n import _
from agentdesk.ui.shell.theme import fixed_pitch
from agentdesk.ui.shell.widgets import Card, WrapButton, WrapCheck, banner, set_text, text_label

W = TypeVar("W", bound=QWidget)
T = TypeVar("T")


class Pool(Generic[W]):
    """A box of widgets of one kind, reused: a step shows the first N and hides the rest."""

    def __init__(self, make: Callable[[], W], spacing: int = 8) -> None:
        self.box = QWidget()
        self.layout = QVBoxLayout(self.box)
        self.layout.setContentsMargins(0, 0, 0, 0)
        self.layout.setSpacing(spacing)
        self.widgets: list[W] = []
        self._make = make

    def fill(self, items: Sequence[T], update: Callable[[W, T], None]) -> list[W]:
        while len(self.widgets) < len(items):
            widget = self._make()
            self.layout.addWidget(widget)
            self.widgets.append(widget)
        for widget, item in zip(self.widgets, items, strict=False):
            update(widget, item)
            widget.setVisible(True)
        for widget in self.widgets[len(items) :]:
            widget.setVisible(False)
        self.box.setVisible(bool(items))
        return self.widgets[: len(items)]


class ChoiceButton(WrapButton):
    """An answer, with its hint (when to pick it) in a smaller line below."""

    def __init__(self) -> None:
        super().__init__("", "choice")
        self.choice_id = ""
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.hint = text_label("", "muted")
        self.hint.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        column = QVBoxLayout()
        column.setSpacing(2)
        self._row.removeWidget(self.label)
        column.addWidget(self.label)
        column.addWidget(self.hint)
        self._row.addLayout(column)
        self.hint.hide()

    def update_from(self, choice: ChoiceView) -> None:
        self.choice_id = choice.id
        key = f"{choice.number}  " if choice.number <= 9 else ""
        self.label.setText(f"{key}{choice.label}")
        set_text(self.hint, choice.hint)
        self.setAccessibleName(choice.label)
        self.setToolTip(choice.hint or "")
        self.setAccessibleDescription(choice.hint or "")


class ScriptCard(Card):
    sig_copied = Signal(str, str)
    """Copy pressed: (script id, text)."""

    def __init__(self) -> None:
        super().__init__("", "", _("Copy script"))
        self.item_id = ""
        self.meta = self.add(text_label("", "cardMeta"))
        self.inactive = self.add(banner(_("Inactive in the helpdesk")))
        self.sig_copy.connect(lambda text: self.sig_copied.emit(self.item_id, text))

    def update_from(self, script: ScriptView) -> None:
        self.item_id = script.id
        self.title.setText(script.title)
        self.set_body(script.text)
        set_text(self.meta, " · ".join(x for x in (script.channel, script.when) if x))
        self.inactive.setVisible(not script.active)
        assert self.copy_button is not None
        self.copy_button.setAccessibleName(_("Copy script: {title}").format(title=script.title))


class ChipRow(QWidget):
    """Short labels side by side, one under the other when the panel is too narrow for
    that. (Labels that wrap would do it too, but each answer would then lay their text out
    again for every width tried: a row that only turns costs nothing while it fits.)"""

    def __init__(self, *chips: QLabel) -> None:
        super().__init__()
        self.chips = chips
        self._row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(6)
        for chip in chips:
            chip.setWordWrap(False)
            self._row.addWidget(chip, 0, Qt.AlignmentFlag.AlignLeft)
        self._row.addStretch(1)

    def refresh(self) -> None:
        """The chips' texts changed: as narrow as the widest of them, and turned to fit."""
        widths = [c.sizeHint().width() for c in self.chips if not c.isHidden()]
        self.setMinimumWidth(max(widths, default=0))
        self._turn(self.width())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._turn(event.size().width())
        super().resizeEvent(event)

    def _turn(self, width: int) -> None:
        shown = [c.sizeHint().width() for c in self.chips if not c.isHidden()]
        fits = sum(shown) + self._row.spacing() * max(0, len(shown) - 1) <= width
        direction = QBoxLayout.Direction.LeftToRight if fits else QBoxLayout.Direction.TopToBottom
        if self._row.direction() != direction:
            self._row.setDirection(direction)


class MacroCard(Card):
    sig_copied = Signal(str, str)
    """Copy pressed: (macro id, what was copied: the body, or the path if it has none)."""

    def __init__(self) -> None:
        super().__init__("", "", _("Copy macro"))
        self.item_id = ""
        self.path = self.add(fixed_pitch(text_label("", "macroPath", selectable=True)))
        self.ticket = text_label("", "status")
        self.order = text_label("", "status")
        self.chips = ChipRow(self.ticket, self.order)
        self._layout.insertWidget(2, self.chips)
        self.fields = self.add(text_label("", "cardMeta", selectable=True))
        self.description = self.add(text_label("", "cardMeta"))
        self.note = self.add(text_label("", "cardMeta"))
        self.expired = self.add(banner(_("Expired"), "danger"))
        self.inactive = self.add(banner(_("Inactive in the helpdesk")))
        self.sig_copy.connect(lambda text: self.sig_copied.emit(self.item_id, text))

    def update_from(self, macro: MacroView) -> None:
        self.item_id = macro.id
        self.title.setText(macro.title)
        self.set_body(macro.text, copy_text=macro.clipboard)
        self.path.setText(macro.path)
        ticket, order = macro.ticket_status, macro.order_status
        set_text(self.ticket, ticket and _("Ticket: {status}").format(status=ticket))
        set_text(self.order, order and _("Order: {status}").format(status=order))
        self.chips.refresh()
        set_text(self.fields, "\n".join(f"{label}: {value}" for label, value in macro.fields))
        self.inactive.setVisible(not macro.active)
        set_text(self.description, macro.description)
        set_text(self.note, macro.note)
        self.expired.setVisible(macro.expired)
        assert self.copy_button is not None
        self.copy_button.setAccessibleName(_("Copy macro: {title}").format(title=macro.title))


class OfferCard(Card):
    sig_decide = Signal(str, str)
    """(offer id, 'refused' | 'accepted' | 'open')"""

    def __init__(self) -> None:
        super().__init__("", "")
        self.item_id = ""
        self.code = self.add(fixed_pitch(text_label("", "macroPath", selectable=True)))
        self.badge = self.add(text_label(_("Never offer on your own initiative"), "badge"))
        self.locks = self.add(text_label("", "cardMeta"))
        row = QWidget()
        buttons = QHBoxLayout(row)
        buttons.setContentsMargins(0, 0, 0, 0)
        self.refuse = QPushButton(_("Refused"))
        self.accept = QPushButton(_("Accepted"))
        for button, decision in ((self.refuse, "refused"), (self.accept, "accepted")):
            button.setCheckable(True)
            button.clicked.connect(
                lambda on, d=decision: self.sig_decide.emit(self.item_id, d if on else "open")
            )
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.add(row)

    def update_from(self, offer: OfferView) -> None:
        self.item_id = offer.id
        rank = _("Option {n}").format(n=offer.rank) + " · " if offer.rank else ""
        self.title.setText(f"{rank}{offer.title}")
        self.set_body(offer.description)
        self.code.setText(offer.code)
        self.badge.setVisible(offer.never_volunteer)
        set_text(self.locks, "\n".join("• " + lock for lock in offer.locks))
        for button, decision in ((self.refuse, "refused"), (self.accept, "accepted")):
            button.setChecked(offer.decision == decision)
            button.setEnabled(offer.available or offer.decision == decision)
            button.setAccessibleName(f"{button.text()}: {offer.code}")
            button.setVisible(not offer.answered)  # the step's answers accept or refuse it


class Check(WrapCheck):
    """A check box that remembers what it stands for (a fact id, a checklist key)."""

    sig_toggled = Signal(object, bool)
    """Ticked by the agent: (key, on). Not emitted when the page sets it."""

    def __init__(self) -> None:
        super().__init__("")
        self.key: object = None
        self.box.toggled.connect(self._toggled)
        self._quiet = False

    def set(self, key: object, text: str, on: bool, enabled: bool = True, tip: str = "") -> None:
        self.key = key
        self.label.setText(text)
        self.box.setAccessibleName(text)
        self._quiet = True
        self.box.setChecked(on)
        self._quiet = False
        self.box.setEnabled(enabled)
        self.setToolTip(tip)

    def _toggled(self, on: bool) -> None:
        if not self._quiet:
            self.sig_toggled.emit(self.key, on)
