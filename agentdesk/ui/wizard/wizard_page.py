"""The wizard: the question with numbered answers, and what to say and paste.

The page shows a :class:`StepView` and reports what the agent does through signals; it
decides nothing. Its parts are built once and updated for every step, so an answer shows
the next step within a frame, and typing a customer detail only changes texts: the scroll
position, the focus and the ticked items stay where the agent left them.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

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

from agentdesk.core.flows.step_view import FactView, StepView
from agentdesk.core.i18n import _
from agentdesk.ui.shell.shortcuts import with_key
from agentdesk.ui.shell.theme import ACCENT
from agentdesk.ui.shell.widgets import Card, banner, section_title, set_text, text_label
from agentdesk.ui.wizard.cards import Check, ChoiceButton, MacroCard, OfferCard, Pool, ScriptCard

if TYPE_CHECKING:
    from agentdesk.ui.shell.controller import Controller


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

    def __init__(self, timer_start: Callable[[int], float]) -> None:
        super().__init__()
        self.setObjectName("page")
        self._timer_start = timer_start
        self._step: tuple[object, ...] | None = None
        self._timers: list[tuple[QLabel, float, int, str, str]] = []
        self._alerted: set[tuple[float, int]] = set()
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
        content = QVBoxLayout(self.body)
        content.setContentsMargins(14, 12, 14, 12)
        content.setSpacing(10)
        self.scroller.setWidget(self.body)
        self._build(content)
        outer.addLayout(self._nav())

        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick_timers)

    # -- the parts, built once ----------------------------------------------------------

    def _build(self, content: QVBoxLayout) -> None:
        self.where = text_label("", "muted")
        self.crumbs = QLabel()
        self.crumbs.setObjectName("crumbs")
        self.crumbs.setTextFormat(Qt.TextFormat.RichText)  # every piece of pack text is escaped
        self.crumbs.setWordWrap(True)
        self.crumbs.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.crumbs.setToolTip(_("Go back to a step"))
        self.crumbs.linkActivated.connect(self._crumb)
        self.why = text_label("", "muted")
        self.why.hide()
        self.expired = banner("", "danger")
        self.notices = banner("", "warning")
        self.decided = banner("", "ok")  # what the customer's details decided, and why
        self.prompt = text_label("", "prompt", selectable=True)
        self.text = text_label("", "stepText", selectable=True)
        self.rules = Pool(lambda: banner("", "danger"))
        self.choices = Pool(self._make_choice)
        self.handover = banner("", "ok")
        self.facts_title = section_title(_("Record"))
        self.facts = Pool(lambda: self._make_check(self.sig_record.emit), spacing=4)
        self.offers_title = section_title(_("Offers"))
        self.offers = Pool(self._make_offer)
        self.scripts_title = section_title(_("What to say"))
        self.scripts = Pool(self._make_script)
        self.macros_title = section_title(_("Macros"))
        self.macros = Pool(self._make_macro)
        self.checklist = Card(_("Checklist"))
        self.checks = Pool(lambda: self._make_check(self.sig_tick.emit), spacing=4)
        self.checklist.add(self.checks.box)
        self.timers = Card(_("Timers"))
        self.timer_rows = Pool(lambda: text_label("", "cardBody"), spacing=4)
        self.timers.add(self.timer_rows.box)
        for widget in (
            self.where,
            self.crumbs,
            self.why,
            self.expired,
            self.notices,
            self.decided,
            self.prompt,
            self.text,
            self.rules.box,
            self.choices.box,
            self.handover,
            self.facts_title,
            self.facts.box,
            self.offers_title,
            self.offers.box,
            self.scripts_title,
            self.scripts.box,
            self.macros_title,
            self.macros.box,
            self.checklist,
            self.timers,
        ):
            content.addWidget(widget)
        content.addStretch(1)

    def _nav(self) -> QHBoxLayout:
        nav = QHBoxLayout()
        nav.setContentsMargins(14, 8, 14, 10)
        self.back_button = QPushButton(_("Back"))
        self.back_button.setToolTip(with_key(_("Back one answer"), "back"))
        self.back_button.clicked.connect(self.sig_back.emit)
        self.restart_button = QPushButton(_("Restart"))
        self.restart_button.setToolTip(with_key(_("Start this flow again"), "restart"))
        self.restart_button.clicked.connect(self.sig_restart.emit)
        self.why_button = QPushButton(_("Why am I here?"))
        self.why_button.setCheckable(True)
        self.why_button.setToolTip(_("The answers that led to this step"))
        self.why_button.toggled.connect(self.why.setVisible)
        nav.addWidget(self.back_button)
        nav.addWidget(self.restart_button)
        nav.addStretch(1)
        nav.addWidget(self.why_button)
        return nav

    def _make_choice(self) -> ChoiceButton:
        button = ChoiceButton()
        button.clicked.connect(lambda _=False: self.sig_choose.emit(button.choice_id))
        return button

    def _make_check(self, report: Callable[..., None]) -> Check:
        check = Check()
        check.sig_toggled.connect(report)
        return check

    def _make_script(self) -> ScriptCard:
        card = ScriptCard()
        card.sig_copied.connect(self._copy)
        return card

    def _make_macro(self) -> MacroCard:
        card = MacroCard()
        card.sig_copied.connect(self._copy)
        return card

    def _make_offer(self) -> OfferCard:
        card = OfferCard()
        card.sig_decide.connect(self.sig_decide.emit)
        return card

    # -- showing a view -----------------------------------------------------------------

    @property
    def choice_buttons(self) -> list[ChoiceButton]:
        return [b for b in self.choices.widgets if b.isVisibleTo(self.choices.box)]

    def show_view(self, view: StepView) -> None:
        step = (view.pack_id, view.flow_id, view.step_id, view.handover, len(view.crumbs))
        new_step = step != self._step
        self._step = step
        self.view = view

        self.where.setText(f"{view.pack_title} · {view.flow_title}")
        self._show_crumbs(view)
        answers = [
            f"{c.title} → {c.answer}" + (f" ({c.decided})" if c.decided else "")
            for c in view.crumbs
            if c.answer
        ]
        self.why.setText("\n".join(answers) if answers else _("This is the first step."))
        until = view.valid_until.isoformat() if view.valid_until else "?"
        expired = _("EXPIRED: valid until {date}. Do not use it as current.").format(date=until)
        set_text(self.expired, expired if view.expired else None)
        set_text(
            self.notices, "\n".join((*view.errors, *view.warnings[1 if view.expired else 0 :]))
        )
        decided = [_("Decided by the details: {why}").format(why=d.text) for d in view.decisions]
        set_text(self.decided, "\n".join(decided))
        set_text(self.prompt, view.prompt)
        set_text(self.text, view.text)
        self.rules.fill(view.rules, set_text)
        self.choices.fill(view.choices, ChoiceButton.update_from)
        handover = _("Continues in another flow: {flow}").format(flow=view.handover)
        set_text(self.handover, handover if view.handover else None)
        self.facts.fill(view.facts, self._show_fact)
        self.facts_title.setVisible(bool(view.facts))
        self.offers.fill(view.offers, OfferCard.update_from)
        self.offers_title.setVisible(bool(view.offers))
        self.scripts.fill(view.scripts, ScriptCard.update_from)
        self.scripts_title.setVisible(bool(view.scripts))
        self.macros.fill(view.macros, MacroCard.update_from)
        self.macros_title.setVisible(bool(view.macros))
        items = [
            ((view.pack_id, view.flow_id, view.step_id, str(n)), c)
            for n, c in enumerate(view.checklist)
        ]
        self.checks.fill(
            items,
            lambda check, item: check.set(
                item[0],
                item[1].label
                if item[1].required
                else _("{label} (optional)").format(label=item[1].label),
                item[1].ticked,
            ),
        )
        self.checklist.setVisible(bool(view.checklist))
        self._show_timers(view)
        self.back_button.setEnabled(len(view.crumbs) > 1)

        if new_step:
            self.scroller.verticalScrollBar().setValue(0)
            buttons = self.choice_buttons
            target: QWidget = buttons[0] if buttons else self.body
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_crumbs(self, view: StepView) -> None:
        """The path as links: each earlier step takes the agent back to it (Tab, Enter)."""
        parts = []
        for n, crumb in enumerate(view.crumbs):
            title = html.escape(crumb.title)
            if n == len(view.crumbs) - 1:
                parts.append(f"<b>{title}</b>")
            else:
                target = html.escape(f"{crumb.depth}:{crumb.step_id}", quote=True)
                parts.append(f'<a href="{target}" style="color:{ACCENT}">{title}</a>')
        self.crumbs.setText(" › ".join(parts))
        self.crumbs.setAccessibleName(
            _("Path: {path}").format(path=" › ".join(c.title for c in view.crumbs))
        )

    def _show_fact(self, check: Check, fact: FactView) -> None:
        tip = _("Recorded by your answer; go back to change it.") if fact.by_answer else ""
        check.set(fact.id, fact.label, fact.recorded, not fact.by_answer, tip)

    def _show_timers(self, view: StepView) -> None:
        self._timers = []
        rows = self.timer_rows.fill(view.timers, lambda row, timer: None)
        for n, (row, timer) in enumerate(zip(rows, view.timers, strict=True)):
            row.setObjectName("cardBody")
            row.setProperty("tone", "")
            self._timers.append(
                (row, self._timer_start(n), timer.minutes * 60, timer.label, timer.alert or "")
            )
        self.timers.setVisible(bool(view.timers))
        if self._timers:
            self._tick_timers()
            self._clock.start()
        else:
            self._clock.stop()

    def _tick_timers(self) -> None:
        now = time.monotonic()
        for label, started, seconds, name, alert in self._timers:
            left = round(started + seconds - now)
            if left > 0:
                label.setText(f"{name}: {left // 60:02d}:{left % 60:02d}")
                continue
            label.setText(f"⚠ {name}: " + _("time is up") + (f" — {alert}" if alert else ""))
            if label.objectName() != "banner":
                label.setObjectName("banner")
                label.setProperty("tone", "danger")
                label.style().unpolish(label)
                label.style().polish(label)
            key = (started, seconds)
            if key not in self._alerted:
                self._alerted.add(key)
                self.sig_timer_done.emit(f"{name}: {alert}" if alert else name)

    # -- what the agent does ------------------------------------------------------------

    def _crumb(self, link: str) -> None:
        depth, _, step = link.partition(":")
        self.sig_jump.emit(int(depth), step)

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


def wizard_for(controller: Controller) -> WizardPage:
    """A wizard page whose choices go to ``controller``: the one wiring both windows use.

    A copy is noted in ``controller.copied`` before any slot a window connects to
    ``sig_copied`` runs (slots run in the order they were connected); how a window reports a
    copy or a finished countdown (``sig_timer_done``) is its own business."""
    c = controller
    page = WizardPage(c.timer_started)
    page.sig_copied.connect(c.note_copied)  # (item id, text): the id is noted
    page.sig_choose.connect(c.choose)
    page.sig_back.connect(c.back)
    page.sig_restart.connect(c.restart)
    page.sig_jump.connect(c.jump)
    page.sig_record.connect(c.record)
    page.sig_decide.connect(c.decide)
    page.sig_tick.connect(c.tick)
    return page
