"""The notes history reads a page at a time as it scrolls, and reaches every note (issue 14;
the history showed the newest 200 before)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from agentdesk.core.notes import Note, open_notes
from agentdesk.core.notes.store import INSERT, note_row
from agentdesk.core.paths import Paths
from agentdesk.ui.notes.notes_model import FIRST_PAGE, PAGE
from tests.ui.conftest import Make

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
COUNT = 2 * PAGE + FIRST_PAGE + 37  # more than the 200 the history used to show


def many_notes(count: int = COUNT) -> None:
    """``count`` notes, one transaction (one at a time would take a second of syncs)."""
    paths = Paths.resolve()
    open_notes(paths).close()  # the schema, through the migrations
    conn = sqlite3.connect(paths.notes_db)
    start = datetime(2024, 1, 1, 9)
    with conn:
        for n in range(count):
            when = start + timedelta(minutes=n)
            note = Note(person=f"Cliente {n}", medium="phone", reason=f"Consulta {n}")
            conn.execute(INSERT, note_row(note, when, when))
    conn.close()


def test_the_history_reads_every_note_a_page_at_a_time_as_it_scrolls(
    qtbot: QtBot, make_window: Make
) -> None:
    many_notes()
    window = make_window()
    qtbot.waitUntil(lambda: window.notes._store is not None)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL_SHIFT)
    page = window.notes_page
    assert page.list.count() == FIRST_PAGE  # not all of them: a page
    assert "Cliente " + str(COUNT - 1) in page.list.item(0).text()  # the newest first
    bar = page.list.verticalScrollBar()
    reads = [page.list.count()]
    while page.model.canFetchMore(page.list.rootIndex()):
        bar.setValue(bar.maximum())  # scrolled to the end: the next page is read
        qtbot.waitUntil(lambda: page.list.count() > reads[-1])
        reads.append(page.list.count())
    assert reads == [FIRST_PAGE, FIRST_PAGE + PAGE, FIRST_PAGE + 2 * PAGE, COUNT]
    ids = [page.model.note(row).id for row in range(page.list.count())]
    assert ids == list(range(COUNT, 0, -1))  # every note, once, newest first
    assert "Cliente 0" in page.list.item(COUNT - 1).text()


def test_down_in_the_search_box_reads_on_past_the_last_row_read(
    qtbot: QtBot, make_window: Make
) -> None:
    many_notes(FIRST_PAGE + 5)
    window = make_window()
    qtbot.waitUntil(lambda: window.notes._store is not None)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL_SHIFT)
    page = window.notes_page
    assert page.search.hasFocus() and page.list.count() == FIRST_PAGE
    for _ in range(FIRST_PAGE):  # the arrows move while the typing stays in the box
        qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert page.list.count() == FIRST_PAGE + 5 and page.search.hasFocus()
    assert page.list.currentIndex().row() == FIRST_PAGE
    qtbot.keyClick(page.search, Qt.Key.Key_Return)  # Enter opens the selected note
    assert window.note_form.person.text() == "Cliente 4"


def test_a_search_starts_over_from_the_newest_match(qtbot: QtBot, make_window: Make) -> None:
    many_notes()
    window = make_window()
    qtbot.waitUntil(lambda: window.notes._store is not None)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL_SHIFT)
    page = window.notes_page
    page.list.verticalScrollBar().setValue(page.list.verticalScrollBar().maximum())
    qtbot.waitUntil(lambda: page.list.count() > FIRST_PAGE)
    qtbot.keyClicks(page.search, "consulta 12")
    qtbot.waitUntil(lambda: page.list.count() == 1)
    assert "Cliente 12" in page.list.item(0).text()
    assert page.list.currentIndex().row() == 0 and not page.empty.isVisible()
