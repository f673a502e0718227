"""Every step of every bundled pack, shown in the real panel offscreen at a narrow width:
nothing is cut at the right edge, and the words to say or paste come first, in view.

The steps are walked through the core (each flow's steps opened one by one, as the search
opens them) and shown in the window exactly as an agent would see them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItemIterator,
    QWidget,
)
from pytestqt.qtbot import QtBot

from agentdesk.core.i18n import _
from agentdesk.core.packs.library import Library
from agentdesk.core.packs.validity import may_use
from agentdesk.core.paths import Paths
from agentdesk.core.settings import Settings
from agentdesk.ui.panel.main_window import MainWindow
from agentdesk.ui.shell.controller import Controller
from agentdesk.ui.shell.qt_start import WORD_WRAP
from agentdesk.ui.shell.theme import style_sheet
from agentdesk.ui.shell.widgets import Card, ElidedLabel, WrapButton

TODAY = date(2024, 6, 1)  # two packs expired by then: their banners are shown too


def steps(library: Library) -> Iterator[tuple[str, str, str]]:
    for pack in library.packs().values():
        for flow in pack.flows.values():
            if may_use(pack, flow, "desk"):
                for step in flow.steps:
                    yield pack.id, flow.id, step


def settle() -> None:
    """Let posted layout requests run, as the event loop would before the next frame."""
    for _turn in range(5):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def visible_rect(widget: QWidget, window: QWidget) -> QRect:
    """The part of the window a widget may show itself in: its scroll area's viewport, or
    the window."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent.parentWidget(), QScrollArea) and parent.objectName() == (
            "qt_scrollarea_viewport"
        ):
            return QRect(parent.mapTo(window, QPoint()), parent.size())
        parent = parent.parentWidget()
    return window.rect()


def cut(window: QWidget) -> list[str]:
    """The visible widgets that end past the visible width, or whose text does not fit."""
    found = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.width() == 0:
            continue
        area = visible_rect(widget, window)
        right = widget.mapTo(window, QPoint(widget.width(), 0)).x()
        text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
        name = f"{type(widget).__name__} {text!r:.60}"
        if right > area.right() + 1:
            found.append(f"{name} ends at {right} px, past {area.right() + 1}")
            continue
        if isinstance(widget, ElidedLabel | WrapButton):
            continue  # one elides with the full text in its tooltip; one wraps its label
        if isinstance(widget, QLabel | QAbstractButton):
            needs = widget.minimumSizeHint().width()
            if needs > widget.width():
                found.append(f"{name} needs {needs} px, has {widget.width()}")
        if isinstance(widget, QLabel) and widget.wordWrap():  # lines cut at the bottom
            tall = widget.heightForWidth(widget.width())
            if tall > widget.height():
                found.append(f"{name} needs {tall} px of height, has {widget.height()}")
    return found


def lead_in_view(window: MainWindow) -> str | None:
    """Whether the step's main card (title, first line, Copy button) is in view without
    scrolling; None if it is, else what is not."""
    page = window.wizard
    view = page.view
    assert view is not None
    name = (
        _("Copy macro: {title}").format(title=view.macros[0].title)
        if view.macros
        else _("Copy script: {title}").format(title=view.scripts[0].title)
    )
    (card,) = {  # the card of the main macro (or script): the one Ctrl+Shift+C copies
        button.parentWidget()
        for button in page.findChildren(QPushButton)
        if button.isVisible() and button.accessibleName() == name
    }
    assert isinstance(card, Card) and card.copy_button is not None
    viewport = page.scroller.viewport()
    bottom = viewport.height()
    for part, height in (
        (card.copy_button, card.copy_button.height()),
        (card.title, card.title.height()),
        (card.body, card.body.fontMetrics().lineSpacing()),
    ):
        if not part.isVisible():
            continue
        top = part.mapTo(viewport, QPoint()).y()
        if top < 0 or top + height > bottom:
            return f"{type(part).__name__} at {top}..{top + height}, view ends at {bottom}"
    return None


@pytest.fixture
def panel(qtbot: QtBot, bundled: Library, qapp: QApplication) -> MainWindow:
    qapp.setStyleSheet(style_sheet())
    window = MainWindow(Controller(Paths.resolve(), Settings(), bundled, "desk", TODAY))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.mark.parametrize("width,height", [(360, 720), (420, 760), (320, 720)])
def test_every_bundled_step_fits_and_shows_its_words_first(
    qtbot: QtBot, bundled: Library, panel: MainWindow, width: int, height: int
) -> None:
    panel.resize(width, height)
    problems: list[str] = []
    shown = 0
    for pack_id, flow_id, step_id in steps(bundled):
        panel.new_customer()  # each step as a call starts on it (no earlier timers, no note)
        assert panel.controller.open(pack_id, flow_id, step_id)
        panel.details  # noqa: B018 - the customer details' header shows with every step
        settle()
        where = f"{pack_id}/{flow_id}/{step_id} at {width} px"
        problems += [f"{where}: {p}" for p in cut(panel)]
        view = panel.controller.view
        assert view is not None
        if (view.macros or view.scripts) and width >= 360:
            missing = lead_in_view(panel)
            if missing:
                problems.append(f"{where}: the words are not in view: {missing}")
        shown += 1
    assert shown > 150  # every step of the bundled packs
    assert problems == []


def test_the_customer_details_fit_open_at_320(
    qtbot: QtBot, panel: MainWindow, bundled: Library
) -> None:
    panel.resize(320, 720)
    for pack in bundled.packs().values():
        if not pack.variables:
            continue
        panel.controller.open(pack.id)
        settle()
        area = panel.details_area
        assert area is not None and not area.verticalScrollBar().isVisible()  # closed: it fits
        panel.details.toggle.setChecked(True)
        for field in panel.details.fields.values():  # a bad value shows its message too
            if hasattr(field, "setText"):
                field.setText("x" * 3)
        settle()
        assert [f"{pack.id}: {p}" for p in cut(panel)] == []
        panel.details.toggle.setChecked(False)  # closed again: what was typed, named
        settle()
        assert [f"{pack.id}: {p}" for p in cut(panel)] == []
        assert not area.verticalScrollBar().isVisible()


def cut_rows(tree: QTreeWidget) -> list[str]:
    """The rows of ``tree`` whose text needs more lines than the row gives it, measured as
    the delegate paints it (its font, the style's text rectangle)."""
    delegate = tree.itemDelegate()
    cut, found = [], QTreeWidgetItemIterator(tree)
    while (item := found.value()) is not None:
        index = tree.indexFromItem(item)
        option = QStyleOptionViewItem()
        option.initFrom(tree.viewport())
        option.font = tree.font()
        option.rect = tree.visualRect(index)
        option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        delegate.initStyleOption(option, index)
        text = tree.style().subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, tree)
        room = QRect(0, 0, text.width(), 10**6)
        needed = QFontMetrics(option.font).boundingRect(room, WORD_WRAP, item.text(0))
        if option.rect.height() and needed.height() > text.height():
            cut.append(f"{item.text(0)!r}: {text.height()} px, needs {needed.height()}")
        found += 1
    return cut


@pytest.mark.parametrize("width", [320, 360, 420])
def test_every_start_list_title_shows_whole(panel: MainWindow, width: int) -> None:
    """Pack titles are bold, in the style sheet's size: measured in the application's
    smaller font they were given too few lines and painted cut with "…"."""
    panel.resize(width, 760)
    panel.go_home()
    panel.start.list.expandAll()
    settle()
    assert cut_rows(panel.start.list) == []
