"""The wizard: the question with numbered answers, and what to say and paste.

The page shows a :class:`StepView` and reports what the agent does through signals; it
decides nothing. When only the customer's details change, texts are updated in place so
the scroll position and ticked items stay where the agent left them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from agentdesk.core.flows.view import MacroView, OfferView, StepView
from agentdesk.core.i18n import _
from agentdesk.ui.widgets import (
    Card,
    FlowLayout,
    WrapButton,
    WrapCheck,
    banner,
    clear_layout,
    section_title,
    text_label,
)

Getter = Callable[[StepView], str]


class WizardPage(QWidget):
    sig_choose = Signal(str)
    """An answer was picked (its choice id)."""
    sig_back = Signal()
    """Back one answer."""
    sig_restart = Signal()
    """Start the flow again."""
    sig_jump = Signal(int, str)
    """A breadcrumb was clicked: (depth of the flow, step id)."""
    sig_copied = Signal(str, str)
    """Something was put on the clipboard: (item id, text)."""
    sig_record = Signal(str, bool)
    """A fact was recorded or withdrawn."""
    sig_decide = Signal(str, str)
    """The customer refused or accepted an offer: (offer id, 'refused'|'accepted'|'open')."""
    sig_tick = Signal(tuple, bool)
    """A checklist item was ticked: (key, on)."""
    sig_timer_done = Signal(str)
    """A countdown ran out: its alert text."""

    def __init__(
        self, ticks: Callable[[], set[tuple[str, ...]]], timer_start: Callable[[int], float]
    ) -> None:
        super().__init__()
        self.setObjectName("page")
        self._ticks = ticks
        self._timer_start = timer_start
        self._structure: tuple[object, ...] | None = None
        self._texts: list[tuple[QLabel | Card, Getter]] = []
        self._timers: list[tuple[QLabel, float, int, str, str]] = []
        self._alerted: set[tuple[float, int]] = set()
        self.choice_buttons: list[QPushButton] = []
        self.view: StepView | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(self.scroller, 1)
        self.body = QWidget()
        self.body.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.content = QVBoxLayout(self.body)
        self.content.setContentsMargins(14, 12, 14, 12)
        self.content.setSpacing(10)
        self.scroller.setWidget(self.body)

        nav = QHBoxLayout()
        nav.setContentsMargins(14, 8, 14, 10)
        self.back_button = QPushButton(_("Back"))
        self.back_button.setToolTip(_("Back one answer (Alt+Left)"))
        self.back_button.clicked.connect(self.sig_back.emit)
        self.restart_button = QPushButton(_("Restart"))
        self.restart_button.setToolTip(_("Start this flow again (Ctrl+R)"))
        self.restart_button.clicked.connect(self.sig_restart.emit)
        self.why_button = QPushButton(_("Why am I here?"))
        self.why_button.setCheckable(True)
        self.why_button.setToolTip(_("The answers that led to this step"))
        self.why_button.toggled.connect(self._toggle_why)
        nav.addWidget(self.back_button)
        nav.addWidget(self.restart_button)
        nav.addStretch(1)
        nav.addWidget(self.why_button)
        outer.addLayout(nav)

        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick_timers)

    # -- showing a view -----------------------------------------------------------------

    def show_view(self, view: StepView) -> None:
        structure = _structure(view)
        self.view = view
        if structure == self._structure:
            for widget, getter in self._texts:
                text = getter(view)
                if isinstance(widget, Card):
                    widget.set_body(text)
                else:
                    widget.setText(text)
                    widget.setVisible(bool(text))
            return
        self._structure = structure
        self._rebuild(view)

    def _rebuild(self, view: StepView) -> None:
        self.setUpdatesEnabled(False)
        clear_layout(self.content)
        self._texts.clear()
        self._timers.clear()
        self.choice_buttons = []

        def add(widget: QWidget) -> QWidget:
            self.content.addWidget(widget)
            return widget

        add(self._crumbs(view))
        self.why = text_label(_why_text(view), "muted")
        self.why.setVisible(self.why_button.isChecked())
        add(self.why)
        if view.expired:
            add(
                banner(
                    _("EXPIRED: valid until {date}. Do not use it as current.").format(
                        date=view.valid_until.isoformat() if view.valid_until else "?"
                    ),
                    "danger",
                )
            )
        notices = text_label("", "banner")
        notices.setProperty("tone", "warning")
        self._bind(notices, lambda v: "\n".join((*v.errors, *v.warnings[1 if v.expired else 0 :])))
        add(notices)

        if view.prompt:
            self._bind(add(text_label(view.prompt, "prompt", selectable=True)), lambda v: v.prompt)
        if view.text:
            self._bind(add(text_label(view.text, "stepText", selectable=True)), lambda v: v.text)
        for n, rule in enumerate(view.rules):
            self._bind(add(banner(rule, "danger")), partial(_rule, n))

        if view.choices:
            for choice in view.choices:
                add(self._choice_button(choice.number, choice.label, choice.hint, choice.id))
        if view.handover:
            add(banner(_("Continues in another flow: {flow}").format(flow=view.handover), "ok"))

        facts = self._facts_bar(view)
        if facts is not None:
            add(facts)
        if view.offers:
            add(section_title(_("Offers")))
            for offer in view.offers:
                add(self._offer_card(offer))
        if view.scripts:
            add(section_title(_("What to say")))
            for n, script in enumerate(view.scripts):
                meta = " · ".join(x for x in (script.channel, script.when) if x)
                card = Card(
                    script.title, script.text, _("Copy script: {title}").format(title=script.title)
                )
                if meta:
                    card.add(text_label(meta, "cardMeta"))
                card.sig_copy.connect(lambda text, sid=script.id: self._copy(sid, text))
                self._bind(card, partial(_script, n))
                add(card)
        if view.macros:
            add(section_title(_("Macros")))
            for n, macro in enumerate(view.macros):
                add(self._macro_card(n, macro))
        if view.checklist:
            add(self._checklist(view))
        if view.timers:
            add(self._timer_card(view))
        self.content.addStretch(1)
        self.back_button.setEnabled(len(view.crumbs) > 1)
        self.setUpdatesEnabled(True)
        self.scroller.verticalScrollBar().setValue(0)
        if self.choice_buttons:
            self.choice_buttons[0].setFocus(Qt.FocusReason.OtherFocusReason)
        else:  # an outcome: Tab goes through the copy buttons from the top
            self.body.setFocus(Qt.FocusReason.OtherFocusReason)
        if self._timers:
            self._tick_timers()
            self._clock.start()
        else:
            self._clock.stop()

    def _bind(self, widget: QWidget, getter: Getter) -> None:
        assert isinstance(widget, (QLabel, Card))
        self._texts.append((widget, getter))
        if isinstance(widget, QLabel):
            widget.setVisible(bool(widget.text()))

    # -- parts --------------------------------------------------------------------------

    def _crumbs(self, view: StepView) -> QWidget:
        holder = QWidget()
        flow = FlowLayout(holder, spacing=0)
        title = text_label(f"{view.pack_title} · {view.flow_title}", "muted")
        for n, crumb in enumerate(view.crumbs):
            last = n == len(view.crumbs) - 1
            button = QPushButton(("› " if n else "") + crumb.title)
            button.setObjectName("crumbCurrent" if last else "crumb")
            button.setFlat(True)
            if last:
                button.setEnabled(True)
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            else:
                button.setToolTip(_("Go back to this step"))
                button.setAccessibleName(_("Go back to: {step}").format(step=crumb.title))
                button.clicked.connect(
                    lambda _=False, d=crumb.depth, s=crumb.step_id: self.sig_jump.emit(d, s)
                )
            flow.addWidget(button)
        box = QWidget()
        wrapper = QVBoxLayout(box)
        wrapper.setContentsMargins(0, 0, 0, 0)
        wrapper.setSpacing(2)
        wrapper.addWidget(title)
        wrapper.addWidget(holder)
        return box

    def _choice_button(
        self, number: int, label: str, hint: str | None, choice_id: str
    ) -> QPushButton:
        key = f"{number}  " if number <= 9 else ""
        button = WrapButton(f"{key}{label}", "choice")
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setAccessibleName(label)
        if hint:
            button.setToolTip(hint)
            button.setAccessibleDescription(hint)
        button.clicked.connect(lambda _=False: self.sig_choose.emit(choice_id))
        self.choice_buttons.append(button)
        return button

    def _macro_card(self, n: int, macro: MacroView) -> Card:
        card = Card(macro.title, macro.text, _("Copy macro: {title}").format(title=macro.title))
        path = text_label(macro.path, "macroPath", selectable=True)
        card.add(path)
        statuses = QHBoxLayout()
        statuses.setSpacing(6)
        for label, value in ((_("Ticket"), macro.ticket_status), (_("Order"), macro.order_status)):
            if value:
                chip = text_label(f"{label}: {value}", "status")
                chip.setWordWrap(False)
                statuses.addWidget(chip)
        statuses.addStretch(1)
        card._layout.insertLayout(2, statuses)
        for extra in (macro.description, macro.note):
            if extra:
                card.add(text_label(extra, "cardMeta"))
        if not macro.text:
            card.set_body("", copy_text=macro.path)
        card.sig_copy.connect(lambda text, mid=macro.id: self._copy(mid, text))
        self._bind(card, partial(_macro, n))
        if macro.expired:
            card.add(banner(_("Expired"), "danger"))
        return card

    def _offer_card(self, offer: OfferView) -> Card:
        rank = _("Option {n}").format(n=offer.rank) + " · " if offer.rank else ""
        card = Card(f"{rank}{offer.title}", offer.description)
        code = text_label(offer.code, "macroPath", selectable=True)
        card.add(code)
        if offer.never_volunteer:
            badge = text_label(_("Never offer on your own initiative"), "badge")
            card.add(badge)
        for lock in offer.locks:
            card.add(text_label("• " + lock, "cardMeta"))
        row = QHBoxLayout()
        refuse = QPushButton(_("Refused"))
        accept = QPushButton(_("Accepted"))
        for button, decision in ((refuse, "refused"), (accept, "accepted")):
            button.setCheckable(True)
            button.setChecked(offer.decision == decision)
            button.setEnabled(offer.available or offer.decision == decision)
            button.setAccessibleName(f"{button.text()}: {offer.code}")
            button.clicked.connect(
                lambda on, o=offer.id, d=decision: self.sig_decide.emit(o, d if on else "open")
            )
            row.addWidget(button)
        row.addStretch(1)
        card._layout.addLayout(row)
        card.setEnabled(True)
        if not offer.available and offer.decision == "open":
            card.setProperty("locked", True)
        return card

    def _facts_bar(self, view: StepView) -> QWidget | None:
        if not view.facts:
            return None
        box = QFrame()
        box.setObjectName("card")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(section_title(_("Record")))
        for fact in view.facts:
            check = WrapCheck(fact.label, fact.recorded)
            if fact.by_answer:
                check.box.setEnabled(False)
                check.setToolTip(_("Recorded by your answer; go back to change it."))
            check.toggled.connect(lambda value, f=fact.id: self.sig_record.emit(f, value))
            layout.addWidget(check)
        return box

    def _checklist(self, view: StepView) -> Card:
        card = Card(_("Checklist"))
        ticks = self._ticks()
        for item in view.checklist:
            key = (view.pack_id, view.flow_id, view.step_id, item.label)
            text = item.label if item.required else f"{item.label} ({_('optional')})"
            check = WrapCheck(text, key in ticks)
            check.toggled.connect(lambda on, k=key: self.sig_tick.emit(k, on))
            card.add(check)
        return card

    def _timer_card(self, view: StepView) -> Card:
        card = Card(_("Timers"))
        for n, timer in enumerate(view.timers):
            started = self._timer_start(n)
            row = text_label("", "cardBody")
            card.add(row)
            self._timers.append((row, started, timer.minutes * 60, timer.label, timer.alert or ""))
        return card

    def _tick_timers(self) -> None:
        now = time.monotonic()
        for label, started, seconds, name, alert in self._timers:
            left = round(started + seconds - now)
            if left > 0:
                label.setText(f"{name}: {left // 60:02d}:{left % 60:02d}")
                label.setProperty("tone", "")
            else:
                label.setText(f"⚠ {name}: " + _("time is up") + (f" — {alert}" if alert else ""))
                label.setObjectName("banner")
                label.setProperty("tone", "danger")
                label.style().unpolish(label)
                label.style().polish(label)
                key = (started, seconds)
                if key not in self._alerted:
                    self._alerted.add(key)
                    self.sig_timer_done.emit(f"{name}: {alert}" if alert else name)

    def _toggle_why(self, on: bool) -> None:
        if hasattr(self, "why"):
            self.why.setVisible(on)

    def _copy(self, item_id: str, text: str) -> None:
        QApplication.clipboard().setText(text)
        self.sig_copied.emit(item_id, text)

    def copy_primary(self) -> str | None:
        """Put the main macro body (or the first script) on the clipboard."""
        view = self.view
        if view is None:
            return None
        if view.macros:
            macro = view.macros[0]
            self._copy(macro.id, macro.clipboard)
            return macro.title
        if view.scripts:
            self._copy(view.scripts[0].id, view.scripts[0].text)
            return view.scripts[0].title
        return None


def _structure(view: StepView) -> tuple[object, ...]:
    """What, if unchanged, lets the page update texts in place instead of rebuilding."""
    return (
        view.pack_id,
        view.flow_id,
        view.step_id,
        view.handover,
        tuple(c.step_id for c in view.crumbs),
        tuple(c.id for c in view.choices),
        tuple((o.id, o.available, o.decision, o.locks) for o in view.offers),
        view.facts,
        view.expired,
        bool(view.prompt),
        bool(view.text),
        len(view.rules),
    )


def _rule(n: int, view: StepView) -> str:
    return view.rules[n]


def _script(n: int, view: StepView) -> str:
    return view.scripts[n].text


def _macro(n: int, view: StepView) -> str:
    return view.macros[n].text


def _why_text(view: StepView) -> str:
    answers = [f"{c.title} → {c.answer}" for c in view.crumbs if c.answer]
    return "\n".join(answers) if answers else _("This is the first step.")
