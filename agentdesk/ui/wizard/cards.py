"""The boxes of the wizard: scripts, macros, offers, choices, checks. Each is built once
and then updated from step to step (creating and styling widgets costs more than a frame
when a step has many of them)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from agentdesk.core.flows.step_view import ChoiceView, MacroView, OfferView, ScriptView
from agentdesk.core.i18n import _
from agentdesk.ui.shell.theme import fixed_pitch
from agentdesk.ui.shell.widgets import (
    Card,
    WrapButton,
    WrapCheck,
    banner,
    describe,
    set_text,
    text_label,
)


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
        key = _("Answer {n}: key {n}").format(n=choice.number) if choice.number <= 9 else ""
        self.setAccessibleDescription(" ".join(x for x in (choice.hint, key) if x) or _("Answer"))


#: A step's procedure, when it has words to say or paste, shows this much until unfolded.
FOLD_LINES = 3
FOLD_CHARS = 240


def excerpt(text: str) -> str:
    """The first lines of ``text`` (cut at a word), or all of it when it is that short."""
    lines = text.strip().split("\n")
    short = "\n".join(lines[:FOLD_LINES])
    if len(short) > FOLD_CHARS:
        short = short[:FOLD_CHARS].rsplit(" ", 1)[0]
    return text if short == text.strip() else short.rstrip(" ,;:.") + " …"


class StepText(QWidget):
    """The step's procedure: in full, or folded after its first lines (one click or key
    unfolds it) when it would push the words to say or paste out of view."""

    def __init__(self) -> None:
        super().__init__()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.label = text_label("", "stepText", selectable=True)
        self.toggle = QPushButton()
        self.toggle.setObjectName("link")
        self.toggle.setCheckable(True)
        self.toggle.setCursor(Qt.CursorShape.PointingHandCursor)
        self.toggle.setAccessibleDescription(_("The step's procedure, in full or folded"))
        column.addWidget(self.label)
        column.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        self._text = self._short = ""

    @property
    def folded(self) -> bool:
        return self._short != self._text and not self.toggle.isChecked()

    def show_text(self, text: str, fold: bool, new: bool) -> None:
        """Show ``text``, folded if ``fold`` and long; a new step starts folded again."""
        self._text, self._short = text, excerpt(text) if fold else text
        if new and self.toggle.isChecked():
            self.toggle.blockSignals(True)
            self.toggle.setChecked(False)
            self.toggle.blockSignals(False)
        self.apply()
        self.setVisible(bool(text))

    def apply(self) -> None:
        """Fold or unfold as the toggle says."""
        folded = self.folded
        self.label.setText(self._short if folded else self._text)
        self.toggle.setVisible(self._short != self._text)
        label = _("Show the whole procedure") if folded else _("Show less of the procedure")
        if self.toggle.text() != label:
            self.toggle.setText(label)


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


LEFT = Qt.AlignmentFlag.AlignLeft


class ChipRow(QWidget):
    """Short labels side by side, one under the other when the panel is too narrow for
    that, and then each wraps within the width (a status such as "En progreso :: Datos
    Insuficientes" never sets a minimum width). While they fit side by side they do not
    wrap: each answer would otherwise lay their text out again for every width tried."""

    def __init__(self, *chips: QLabel) -> None:
        super().__init__()
        self.chips = chips
        self._natural: list[int] = []  # each shown chip's width on one line
        self.setMinimumWidth(1)  # never as wide as its chips: it turns (and they wrap) instead
        self._row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(6)
        for chip in chips:
            chip.setWordWrap(False)
            self._row.addWidget(chip, 0, LEFT)
        self._row.addStretch(1)

    def refresh(self) -> None:
        """The chips' texts changed: measure them on one line, then turn to fit."""
        shown = [c for c in self.chips if not c.isHidden()]
        for chip in shown:
            chip.setWordWrap(False)
            self._row.setAlignment(chip, LEFT)
        self._natural = [c.sizeHint().width() for c in shown]
        self._row.setDirection(QBoxLayout.Direction.LeftToRight)
        self._turn(self.width())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._turn(event.size().width())
        super().resizeEvent(event)

    def _turn(self, width: int) -> None:
        fits = sum(self._natural) + self._row.spacing() * max(0, len(self._natural) - 1) <= width
        direction = QBoxLayout.Direction.LeftToRight if fits else QBoxLayout.Direction.TopToBottom
        if self._row.direction() != direction:
            self._row.setDirection(direction)
        # One under the other, a chip too long for a line takes the width and wraps (a
        # wrapping label keeps its height only where the layout does not align it).
        shown = [c for c in self.chips if not c.isHidden()]
        for chip, natural in zip(shown, self._natural, strict=False):
            wrap = not fits and natural > width
            if chip.wordWrap() != wrap:
                chip.setWordWrap(wrap)
                self._row.setAlignment(chip, Qt.AlignmentFlag(0) if wrap else LEFT)


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
    sig_copied = Signal(str, str)
    """Copy pressed: (offer id, its code: what the helpdesk is told)."""

    def __init__(self) -> None:
        super().__init__("", "", _("Copy the offer code"))
        self.item_id = ""
        self.sig_copy.connect(lambda text: self.sig_copied.emit(self.item_id, text))
        self.code = self.add(fixed_pitch(text_label("", "macroPath", selectable=True)))
        self.badge = self.add(text_label(_("Never offer on your own initiative"), "badge"))
        self.locks = self.add(text_label("", "cardMeta"))
        row = QWidget()
        buttons = QHBoxLayout(row)
        buttons.setContentsMargins(0, 0, 0, 0)
        self.refuse = describe(QPushButton(_("Refused")), _("The customer refused this offer"))
        self.accept = describe(QPushButton(_("Accepted")), _("The customer accepted this offer"))
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
        self.set_body(offer.description, copy_text=offer.code)
        self.code.setText(offer.code)
        assert self.copy_button is not None
        self.copy_button.setAccessibleName(_("Copy the offer code: {code}").format(code=offer.code))
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
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set(self, key: object, text: str, on: bool, enabled: bool = True, tip: str = "") -> None:
        """``enabled`` False: recorded by the app, not by the agent; it looks read-only
        (greyed, no pointing hand) and its text says why."""
        self.key = key
        self.label.setText(text)
        self.box.setAccessibleName(text)
        self.box.setAccessibleDescription(tip or text)
        self._quiet = True
        self.box.setChecked(on)
        self._quiet = False
        if self.box.isEnabled() != enabled:
            self.box.setEnabled(enabled)
            self.label.setEnabled(enabled)
            cursor = Qt.CursorShape.PointingHandCursor if enabled else Qt.CursorShape.ArrowCursor
            self.setCursor(cursor)
        self.setToolTip(tip)

    def _toggled(self, on: bool) -> None:
        if not self._quiet:
            self.sig_toggled.emit(self.key, on)
