"""What a screen reader gets: every control of the panel has a name and a description,
read through Qt's accessibility interface (what the platform's screen reader asks), and
Tab goes through the controls in the order they are read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import pairwise

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from agentdesk.core.packs.library import Library
from agentdesk.ui.panel.main_window import MainWindow
from tests.conftest import REPO
from tests.ui.conftest import Make

Role = QAccessible.Role
CONTROLS = {
    Role.Button,
    Role.CheckBox,
    Role.RadioButton,
    Role.ComboBox,
    Role.EditableText,
    Role.SpinBox,
    Role.List,
    Role.Tree,
    Role.Table,
    Role.Link,
    Role.ButtonMenu,
    Role.ButtonDropDown,
    Role.Slider,
}


def walk(interface: QAccessibleInterface) -> Iterator[QAccessibleInterface]:
    """Every interface under ``interface`` that is on screen, as a screen reader meets it."""
    for index in range(interface.childCount()):
        child = interface.child(index)
        if child is None or child.state().invisible or child.state().offscreen:
            continue
        yield child
        if child.role() not in (Role.List, Role.Tree, Role.Table):  # their rows: the data
            yield from walk(child)


def unnamed(window: QWidget) -> list[str]:
    """The controls on screen without a name or without a description, and what they are."""
    QApplication.processEvents()
    root = QAccessible.queryAccessibleInterface(window)
    assert root is not None and root.isValid()
    missing = []
    for interface in walk(root):
        if interface.role() not in CONTROLS:
            continue
        name = interface.text(QAccessible.Text.Name).strip()
        about = interface.text(QAccessible.Text.Description).strip()
        if not name or not about:
            what = f"{interface.role().name} named {name!r} described {about!r}"
            obj = interface.object()
            found = type(obj).__name__ if obj is not None else "?"
            missing.append(f"{found}: {what}")
    return missing


def test_every_control_on_every_page_has_a_name_and_a_description(
    qtbot: QtBot, make_window: Make
) -> None:
    window = make_window(today=date(2024, 6, 1))
    qtbot.waitUntil(lambda: window.notes._store is not None)
    states: dict[str, list[str]] = {"start": unnamed(window)}
    c = window.controller
    c.open("ejemplo", "reclamo")
    window.toggle_details()
    states["a step, the details open"] = unnamed(window)
    c.choose("amenaza")  # facts, offers with their buttons and codes
    states["offers"] = unnamed(window)
    c.back()
    c.choose("verificar")  # a checklist, a countdown
    states["checklist and timer"] = unnamed(window)
    c.choose("next")  # the outcome: macros, the note bar
    states["outcome"] = unnamed(window)
    window.open_note()
    states["note"] = unnamed(window)
    window.open_notes()
    states["history"] = unnamed(window)
    window.open_search()
    states["search"] = unnamed(window)
    assert {state: found for state, found in states.items() if found} == {}


def tab_order(window: QWidget, start: QWidget) -> list[QWidget]:
    """The widgets Tab visits from ``start`` until it comes back, as Qt's focus chain
    has them (only those the agent can see and reach)."""
    seen: list[QWidget] = []
    widget = start.nextInFocusChain()
    while widget is not start and len(seen) < 500:
        if (
            widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and window.isAncestorOf(widget)
        ):
            seen.append(widget)
        widget = widget.nextInFocusChain()
    return seen


def test_tab_follows_the_reading_order(qtbot: QtBot, make_window: Make) -> None:
    """Top to bottom, and left to right on a line: the header, the countdowns, the
    details, the step (cards, offers, answers: in the order of the page, scrolled or not),
    the buttons under it, the note bar; parts built on first use included."""
    lost_card = REPO / "tests" / "packs" / "tarjeta-perdida"
    window: MainWindow = make_window(library=Library(None, folders=[lost_card]).load())
    c = window.controller
    c.open("ejemplo", "reclamo")
    c.choose("verificar")  # a countdown: its strip is made now, under the header
    c.choose("next")
    window.toggle_details()
    c.back()
    c.back()
    c.choose("amenaza")  # offers, with their buttons
    c.open("tarjeta-perdida", "reporte")  # a checklist and answers: more parts made later
    window.toggle_details()
    QApplication.processEvents()
    order = tab_order(window, window.home_button)
    page = window.wizard
    assert {page.choice_buttons[0], page.restart_button, window.details.toggle} <= set(order)
    assert any(window.timers.isAncestorOf(w) for w in order)
    places = [reading_place(window, w) for w in order]
    for (a, a_place), (b, b_place) in pairwise(zip(order, places, strict=True)):
        assert reads_before(a_place, b_place), (a, b, a_place, b_place)


Place = tuple[QRect, QRect | None, object]


def reading_place(window: MainWindow, widget: QWidget) -> Place:
    """Where the agent reads ``widget``: its place in the window; for what a scroll area
    holds (the step, the details: scrolling may take it out of view) the area's place in
    the window, the widget's place in the area's content, and which area."""
    for area in window.findChildren(QScrollArea):
        content = area.widget()
        if content is not None and content.isAncestorOf(widget):
            outer = QRect(area.mapTo(window, QPoint()), area.size())
            return outer, QRect(widget.mapTo(content, QPoint()), widget.size()), area
    return QRect(widget.mapTo(window, QPoint()), widget.size()), None, None


def reads_before(a: Place, b: Place) -> bool:
    """Whether ``a`` comes before ``b`` in reading order: on an earlier line, or on the
    same line (their heights overlap) further left; within a scroll area, by its content."""
    same_area = a[2] is not None and a[2] is b[2]
    first, second = (a[1], b[1]) if same_area else (a[0], b[0])  # type: ignore[assignment]
    if first == second:
        return True
    overlap = min(first.bottom(), second.bottom()) - max(first.top(), second.top())
    if overlap > min(first.height(), second.height()) // 2:
        return second.left() > first.left()
    return second.top() > first.top()
