"""The wizard: what to say or paste first, then what to do, then the question and its
numbered answers.

The page shows a :class:`StepView` and reports what the agent does through signals; it
decides nothing. In a narrow panel it reads top to bottom in the order of the call:

1. where the agent is (the path), and what must not be missed (expired, decided...);
2. the words: the step's main macro (or script), the one Ctrl+Shift+C copies, with its
   title, the start of its text and its Copy button in view without scrolling;
3. the procedure, folded after its first lines when the step has words (one key or click
   unfolds it), its rules, the checklist, the facts to record and the offers;
4. the question and its numbered answers (keys 1 to 9 reach them wherever they are);
5. the step's other scripts and macros.

Things the agent changes (ticks, records, offers) sit above the answers they may change,
and the page keeps its height until the next step: the view never moves under the
pointer. Its parts are built once and updated for every step, so an answer shows the next
step within a frame, and typing a customer detail only changes texts: the scroll
position, the focus and the ticked items stay where the agent left them.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
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
from agentdesk.ui.shell.parts import Pool, Scrolled, chain_tabs
from agentdesk.ui.shell.shortcuts import with_key
from agentdesk.ui.shell.theme import ACCENT
from agentdesk.ui.shell.widgets import Card, WrapButton, banner, section_title, set_text, text_label
from agentdesk.ui.wizard.cards import (
    Check,
    ChoiceButton,
    MacroCard,
    OfferCard,
    ScriptCard,
    StepText,
)

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

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("page")
        self._step: tuple[object, ...] | None = None
        self.view: StepView | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(self.scroller, 1)
        self.body = Scrolled()
        self.body.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        content = QVBoxLayout(self.body)
        content.setContentsMargins(14, 10, 14, 12)
        content.setSpacing(10)
        self.scroller.setWidget(self.body)
        self._build(content)
        outer.addLayout(self._nav())
        self._pools = (
            self.checks,
            self.facts,
            self.offers,
            self.choices,
            self.scripts,
            self.macros,
        )
        self._built = 0  # widgets the pools had when the tab order was last set

    # -- the parts, built once ----------------------------------------------------------

    def _build(self, content: QVBoxLayout) -> None:
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
        self.handover = banner("", "ok")
        # the words: the step's main macro (or script), first
        self.lead_title = section_title("")
        self.lead_macro = self._make_macro()
        self.lead_script = self._make_script()
        lead_tip = with_key(_("Copy the main macro (or script) to the clipboard"), "copy_primary")
        for card in (self.lead_macro, self.lead_script):
            assert card.copy_button is not None
            card.copy_button.setToolTip(lead_tip)
        self.procedure = StepText()
        self.procedure.toggle.toggled.connect(self._fold)
        self.rules = Pool(lambda: banner("", "danger"))
        self.checklist = Card(_("Checklist"))
        self.checks = Pool(lambda: self._make_check(self.sig_tick.emit), spacing=4)
        self.checklist.add(self.checks.box)
        self.facts_title = section_title(_("Record"))
        self.facts = Pool(lambda: self._make_check(self.sig_record.emit), spacing=4)
        self.offers_title = section_title(_("Offers"))
        self.offers = Pool(self._make_offer)
        self.prompt = text_label("", "prompt", selectable=True)
        self.choices = Pool(self._make_choice)
        self.scripts_title = section_title(_("What to say"))
        self.scripts = Pool(self._make_script)
        self.macros_title = section_title(_("Macros"))
        self.macros = Pool(self._make_macro)
        for widget in (
            self.crumbs,
            self.why,
            self.expired,
            self.notices,
            self.decided,
            self.handover,
            self.lead_title,
            self.lead_macro,
            self.lead_script,
            self.procedure,
            self.rules.box,
            self.checklist,
            self.facts_title,
            self.facts.box,
            self.offers_title,
            self.offers.box,
            self.prompt,
            self.choices.box,
            self.scripts_title,
            self.scripts.box,
            self.macros_title,
            self.macros.box,
        ):
            content.addWidget(widget)
        content.addStretch(1)

    def _nav(self) -> QHBoxLayout:
        nav = QHBoxLayout()
        nav.setContentsMargins(14, 8, 14, 10)
        self.back_button = QPushButton(_("Back"))
        self.back_button.setToolTip(with_key(_("Back one answer"), "back"))
        self.back_button.setAccessibleDescription(_("Back one answer"))
        self.back_button.clicked.connect(self.sig_back.emit)
        self.restart_button = QPushButton(_("Restart"))
        self.restart_button.setToolTip(with_key(_("Start this flow again"), "restart"))
        self.restart_button.setAccessibleDescription(_("Start this flow again"))
        self.restart_button.clicked.connect(self.sig_restart.emit)
        self.why_button = WrapButton(_("Why am I here?"))  # two lines in a narrow panel
        self.why_button.setCheckable(True)
        self.why_button.setToolTip(_("The answers that led to this step"))
        self.why_button.setAccessibleDescription(_("The answers that led to this step"))
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
        card.sig_copied.connect(self._copy)
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
        # Until the next step, the page never gets shorter (a record or a refusal that
        # takes lines away below must not scroll the view up under the pointer), and what
        # the agent just used stays where it was (see _keep_in_place).
        self.body.setMinimumHeight(0 if new_step else self.body.height())
        anchor = None if new_step else self._anchor()

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
        handover = _("Continues in another flow: {flow}").format(flow=view.handover)
        set_text(self.handover, handover if view.handover else None)
        self._show_words(view)
        self.procedure.show_text(view.text, fold=bool(view.macros or view.scripts), new=new_step)
        self.rules.fill(view.rules, set_text)
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
        self.facts.fill(view.facts, self._show_fact)
        self.facts_title.setVisible(bool(view.facts))
        self.offers.fill(view.offers, OfferCard.update_from)
        self.offers_title.setVisible(bool(view.offers))
        set_text(self.prompt, view.prompt)
        self.choices.fill(view.choices, ChoiceButton.update_from)
        self.back_button.setEnabled(len(view.crumbs) > 1)

        if anchor is not None:
            self._keep_in_place(*anchor)
        if new_step:
            self.scroller.verticalScrollBar().setValue(0)
            buttons = self.choice_buttons
            target: QWidget = buttons[0] if buttons else self.body
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        built = sum(len(pool.widgets) for pool in self._pools)
        if built != self._built:  # new widgets: Tab goes through them in reading order
            self._built = built
            chain_tabs(self)

    def _show_words(self, view: StepView) -> None:
        """The main macro (or script) first; the others after the answers."""
        macros, scripts = view.macros, view.scripts
        lead_macro = macros[0] if macros else None
        lead_script = scripts[0] if scripts and lead_macro is None else None
        if lead_macro is not None:
            self.lead_macro.update_from(lead_macro)
            macros = macros[1:]
        if lead_script is not None:
            self.lead_script.update_from(lead_script)
            scripts = scripts[1:]
        self.lead_macro.setVisible(lead_macro is not None)
        self.lead_script.setVisible(lead_script is not None)
        title = _("What to paste") if lead_macro else _("What to say") if lead_script else ""
        set_text(self.lead_title, title.upper())
        self.scripts.fill(scripts, ScriptCard.update_from)
        self.scripts_title.setVisible(bool(scripts))
        self.macros.fill(macros, MacroCard.update_from)
        self.macros_title.setVisible(bool(macros))

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
        if fact.by_answer:  # read-only: it says so, and looks it
            text = _("{label} — recorded by your answer").format(label=fact.label)
            tip = _("Recorded by your answer; go back to change it.")
            check.set(fact.id, text, fact.recorded, False, tip)
        else:
            check.set(fact.id, fact.label, fact.recorded)

    def _anchor(self) -> tuple[QWidget, int] | None:
        """The control the agent just used (it has the focus) and its height in the view."""
        focus = QApplication.focusWidget()
        if focus is None or not self.body.isAncestorOf(focus):
            return None
        top = focus.mapTo(self.body, QPoint()).y()
        return focus, top - self.scroller.verticalScrollBar().value()

    def _keep_in_place(self, widget: QWidget, was: int) -> None:
        """Scroll so that ``widget`` is where it was in the view, if what is above it
        changed height."""
        if not widget.isVisibleTo(self.body):
            return
        QApplication.sendPostedEvents(self.body, QEvent.Type.LayoutRequest)  # sizes now
        bar = self.scroller.verticalScrollBar()
        moved = widget.mapTo(self.body, QPoint()).y() - bar.value() - was
        if moved:
            bar.setValue(bar.value() + moved)

    def _fold(self) -> None:
        """The procedure was folded or unfolded: the toggle stays under the pointer."""
        anchor = self._anchor()
        self.procedure.apply()
        if anchor is not None:
            self._keep_in_place(*anchor)

    # -- what the agent does ------------------------------------------------------------

    def _crumb(self, link: str) -> None:
        depth, _, step = link.partition(":")
        self.sig_jump.emit(int(depth), step)

    def _copy(self, item_id: str, text: str) -> None:
        QApplication.clipboard().setText(text)
        self.sig_copied.emit(item_id, text)

    def copy_primary(self) -> str | None:
        """Put the main macro body (or the first script) on the clipboard: what the page
        shows first."""
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
    copy is its own business."""
    c = controller
    page = WizardPage()
    page.sig_copied.connect(c.note_copied)  # (item id, text): the id is noted
    page.sig_choose.connect(c.choose)
    page.sig_back.connect(c.back)
    page.sig_restart.connect(c.restart)
    page.sig_jump.connect(c.jump)
    page.sig_record.connect(c.record)
    page.sig_decide.connect(c.decide)
    page.sig_tick.connect(c.tick)
    return page
