"""The history's rows at depth (issue 14): a page read sets the heights of its own rows only
(a list or tree view laid out every row read again, a cost that grew with them), a new
width wraps the rows on screen at once and the rest in idle time without moving the list,
and the keys of a list still work."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QSize, Qt
from PySide6.QtWidgets import QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from agentdesk.ui.notes.notes_model import FIRST_PAGE, PAGE
from agentdesk.ui.notes.notes_page import NotesPage
from agentdesk.ui.wizard.wrap_rows import WrapDelegate
from tests.ui.conftest import Make
from tests.ui.test_history_pages import CTRL_SHIFT, many_notes

COUNT = FIRST_PAGE + 6 * PAGE + 13  # several pages


def history(qtbot: QtBot, make_window: Make) -> NotesPage:
    many_notes(COUNT)
    window = make_window()
    qtbot.waitUntil(lambda: window.notes.ready and window.notes._store is not None)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL_SHIFT)
    return window.notes_page


def heights(page: NotesPage) -> list[int]:
    return [page.list.rowHeight(row) for row in range(page.list.count())]


def wrapped(page: NotesPage) -> list[int]:
    """Each row's height as its text wraps at the list's width now."""
    return [page.list.wrapped_height(row) for row in range(page.list.count())]


class Counted(WrapDelegate):
    """The wrapping delegate, noting the rows whose heights it is asked for."""

    def __init__(self, page: NotesPage) -> None:
        super().__init__(page.list, lambda: None)  # the list's own delegate rewraps
        self.asked: list[int] = []

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        self.asked.append(index.row())
        return super().sizeHint(option, index)


def test_a_page_read_wraps_its_own_rows_and_no_other(qtbot: QtBot, make_window: Make) -> None:
    page = history(qtbot, make_window)
    qtbot.waitUntil(lambda: not page.list.wrapping)
    page.list.setItemDelegate(counted := Counted(page))
    asked = counted.asked
    bar = page.list.verticalScrollBar()
    while page.model.canFetchMore(page.list.rootIndex()):
        read = page.list.count()
        asked.clear()
        bar.setValue(bar.maximum())  # scrolled to the end: the next page is read
        qtbot.waitUntil(lambda: page.list.count() > read)  # noqa: B023 - waited on here
        page.list.viewport().repaint()  # and painted
        assert set(asked) == set(range(read, page.list.count()))
    assert page.list.count() == COUNT
    bar.setValue(bar.maximum())
    bottom = page.list.indexAt(QPoint(5, page.list.viewport().height() - 5))
    assert "Cliente 0" in str(bottom.data())  # the oldest note, shown at the end
    assert heights(page) == wrapped(page)


def test_a_new_width_wraps_the_rows_shown_at_once_and_the_rest_after(
    qtbot: QtBot, make_window: Make
) -> None:
    page = history(qtbot, make_window)
    bar = page.list.verticalScrollBar()
    for _ in range(4):
        bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: not page.list.wrapping)
    bar.setValue(bar.maximum() // 2)
    top = page.list.rowAt(0)
    page.window().resize(360, 900)  # narrower: the rows grow taller
    on_screen = range(top, page.list.rowAt(page.list.viewport().height() - 1) + 1)
    assert page.list.wrapping  # the other rows: later
    assert [heights(page)[r] for r in on_screen] == [wrapped(page)[r] for r in on_screen]
    qtbot.waitUntil(lambda: not page.list.wrapping)
    assert heights(page) == wrapped(page)
    assert page.list.rowAt(0) == top  # the list did not move meanwhile


def test_home_end_and_the_arrows_go_by_row(qtbot: QtBot, make_window: Make) -> None:
    page = history(qtbot, make_window)
    page.list.setFocus()
    read = page.list.count()
    qtbot.keyClick(page.list, Qt.Key.Key_End)  # the last row read (shown: the next page)
    assert page.list.currentIndex().row() == read - 1 < page.list.count() - 1
    qtbot.keyClick(page.list, Qt.Key.Key_Home)
    assert page.list.currentIndex().row() == 0
    qtbot.keyClick(page.list, Qt.Key.Key_Down)
    qtbot.keyClick(page.list, Qt.Key.Key_Right)  # one column: stays on the row
    assert page.list.currentIndex().row() == 1
    assert page.list.selectionModel().selectedRows() == [page.list.currentIndex()]
    page.search.setFocus()
    qtbot.keyClick(page.search, Qt.Key.Key_Up)  # from the search box too
    assert page.list.currentIndex().row() == 0 and page.search.hasFocus()
    assert page.list.accessibleName() == "Notas"
