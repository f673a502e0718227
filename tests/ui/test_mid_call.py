"""The panel mid-call (issue 12), driven as an agent drives it: what must be seen stays in
view, keys always do the same, nothing moves under the pointer, and the note follows the
call. Each test is for one thing an agent found wrong."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStatusBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from agentdesk.core.notes import Note, open_notes
from agentdesk.core.paths import Paths
from agentdesk.ui.panel.main_window import MainWindow
from agentdesk.ui.panel.shortcuts_help import ShortcutsHelp
from agentdesk.ui.shell.shortcuts import shortcuts
from tests.ui.conftest import Make
from tests.ui.test_notes_ui import key as press
from tests.ui.test_notes_ui import reach_outcome, ready

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def settle() -> None:
    """Let posted layout requests run, as the event loop would before the next frame."""
    for _turn in range(5):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def in_view(widget: QWidget, window: QWidget) -> bool:
    """Whether all of ``widget`` shows in the window (not scrolled or cut away)."""
    place = QRect(widget.mapTo(window, QPoint()), widget.size())
    return widget.isVisible() and window.rect().contains(place)


def viewport_y(window: MainWindow, widget: QWidget) -> int:
    return widget.mapTo(window.wizard.scroller.viewport(), QPoint()).y()


def narrow(make_window: Make, **options: object) -> MainWindow:
    """The panel at 360 × 720, the narrowest set-up it is made for."""
    window = make_window(**options)
    window.resize(360, 720)
    return window


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# -- what must be seen stays in view ----------------------------------------------------


def test_a_running_timer_stays_in_view_counts_down_and_alerts(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    beeps: list[int] = []
    monkeypatch.setattr(QApplication, "beep", lambda: beeps.append(1))
    window = narrow(make_window)
    clock = window.controller.call.clock = Clock()
    window.controller.open("ejemplo", "reclamo")
    window.controller.choose("verificar")  # a 10-minute timer
    settle()
    bar = window.wizard.scroller.verticalScrollBar()
    bar.setValue(bar.maximum())  # wherever the agent has scrolled to
    (row,) = [r for r in window.timers.rows.widgets if r.isVisible()]
    assert in_view(row, window) and row.label.text() == "Espera de documentos: 10:00"
    window.controller.choose("next")  # on to the next step: it keeps counting
    clock.now += 61
    window.timers.refresh()  # what its clock does every second
    assert in_view(row, window) and row.label.text() == "Espera de documentos: 08:59"
    clock.now += 600
    window.timers.refresh()
    assert row.label.text().startswith("⚠ Espera de documentos: se acabó el tiempo")
    assert row.property("tone") == "danger" and beeps == [1]
    assert in_view(window.status, window)
    assert "Si no llegan, envía la macro de recontacto." in window.status.text()
    window.timers.refresh()
    assert beeps == [1]  # once
    qtbot.mouseClick(row.dismiss, Qt.MouseButton.LeftButton)
    assert not window.timers.isVisible()


def test_feedback_shows_over_the_page_never_in_a_status_bar(
    qtbot: QtBot, make_window: Make
) -> None:
    window = narrow(make_window)
    window.controller.open("ejemplo", "reclamo")
    settle()
    copy = window.wizard.lead_script.copy_button
    assert copy is not None
    before = viewport_y(window, copy)
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert window.status.text() == "Copiado al portapapeles." and in_view(window.status, window)
    assert viewport_y(window, copy) == before  # it floats: nothing was pushed down
    assert window.findChildren(QStatusBar) == []  # no status line below the window's edge


def test_a_message_stays_over_a_page_shown_after_it(qtbot: QtBot, make_window: Make) -> None:
    """A message said just before the notes history is first opened (a follow-up reminder)
    stayed under the page shown (a stacked page is raised): its text hid behind the search box."""
    window = narrow(make_window)
    window.message("Seguimiento vencido: Ana")
    window.open_notes()  # the history page is built now, after the message
    settle()
    toast = window.status
    on_top = [c for c in toast.parentWidget().children() if isinstance(c, QWidget)][-1]
    assert toast.isVisible() and on_top is toast


# -- keys that always do the same -------------------------------------------------------


@pytest.mark.parametrize("keys", [(Qt.Key.Key_Home, CTRL), (Qt.Key.Key_R, CTRL | SHIFT)])
def test_home_and_new_customer_land_on_the_start_flow(
    qtbot: QtBot, make_window: Make, keys: tuple[Qt.Key, Qt.KeyboardModifier]
) -> None:
    window = make_window()
    window.controller.open("migracion-pre-post", "contacto")  # the last pack used
    press(qtbot, window, *keys)
    assert window.pages.currentWidget() is window.start
    press(qtbot, window, Qt.Key.Key_Return)
    press(qtbot, window, Qt.Key.Key_5)  # "Ctrl+Home, Enter, 5": always the same answer
    view = window.controller.view
    assert view is not None and (view.pack_id, view.flow_id) == (
        "modelo-atencion-movistar",
        "cobranza",
    )


def test_one_click_opens_a_flow_and_titles_are_whole(qtbot: QtBot, make_window: Make) -> None:
    window = narrow(make_window)
    settle()
    tree = window.start.list
    group = next(
        tree.topLevelItem(n)
        for n in range(tree.topLevelItemCount())
        if tree.topLevelItem(n).text(0).startswith("Migración Móvil")
    )
    assert group.toolTip(0).startswith(group.text(0))  # the full title, on hover
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(group).center()
    )
    assert group.isExpanded()  # a pack opens to its flows
    flow = group.child(0)
    rect = tree.visualItemRect(flow)
    needed = tree.fontMetrics().boundingRect(
        QRect(0, 0, rect.width() - 12, 10**6), int(Qt.TextFlag.TextWordWrap), flow.text(0)
    )
    assert rect.height() >= needed.height()  # the title wraps: nothing cut
    assert flow.toolTip(0).startswith(flow.text(0))
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.pages.currentWidget() is window.wizard
    assert window.controller.view is not None
    assert window.controller.view.flow_id == "contacto"


def test_f1_is_aligned_fits_the_panel_and_says_what_the_menu_says(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = narrow(make_window)
    shown: list[ShortcutsHelp] = []
    monkeypatch.setattr(ShortcutsHelp, "exec", lambda dialog: shown.append(dialog) or 0)
    press(qtbot, window, Qt.Key.Key_F1)
    (dialog,) = shown
    dialog.show()
    settle()
    assert dialog.width() <= window.width()
    grid = dialog.findChild(QGridLayout)
    assert grid is not None
    for row in range(grid.rowCount()):
        keys, what = (grid.itemAtPosition(row, col).widget() for col in (0, 1))
        assert isinstance(keys, QLabel) and isinstance(what, QLabel)
        assert keys.y() == what.y()  # each row on one line
        for label in (keys, what):  # and nothing cut
            assert label.height() >= label.heightForWidth(label.width())
    menu = window._build_menu()
    entries = {
        a.text().split("\t")[1]: a.text().split("\t")[0] for a in menu.actions() if "\t" in a.text()
    }
    words = dict(dialog.rows)
    for keys, text in entries.items():
        assert words.get(keys, text) == text  # the menu and F1 in the same words
    assert {s.what for s in shortcuts() if s.name == "new_customer"} == {"Nuevo cliente"}
    dialog.close()


# -- nothing moves under the pointer ------------------------------------------------------


def test_ticking_a_record_box_or_refusing_an_offer_keeps_the_view_still(
    qtbot: QtBot, make_window: Make
) -> None:
    window = narrow(make_window)
    window.controller.open("ejemplo", "reclamo", "retener")  # the agent records it by hand
    settle()
    page = window.wizard
    bar = page.scroller.verticalScrollBar()
    # a panel just short enough that the page scrolls a little, read to its end
    window.resize(360, window.height() + bar.maximum() - 100)
    settle()
    bar.setValue(bar.maximum())
    (record,) = [b for b in page.findChildren(QCheckBox) if b.isVisible() and b.isEnabled()]
    settle()
    assert bar.maximum() > 0 and in_view(record, window)
    before = viewport_y(window, record)
    qtbot.mouseClick(record, Qt.MouseButton.LeftButton, pos=QPoint(4, 4))
    settle()
    assert window.controller.session.walk.recorded == {"amenaza_cancelacion"}
    assert viewport_y(window, record) == before
    refuse = next(
        b for b in page.findChildren(QPushButton) if b.isVisible() and b.text() == "Rechazada"
    )
    bar.setValue(bar.maximum())
    settle()
    assert in_view(refuse, window)
    before = viewport_y(window, refuse)
    qtbot.mouseClick(refuse, Qt.MouseButton.LeftButton)
    settle()
    assert window.controller.view is not None
    assert window.controller.view.offers[0].decision == "refused"
    assert viewport_y(window, refuse) == before


def test_an_offer_code_can_be_copied(qtbot: QtBot, make_window: Make) -> None:
    window = make_window(today=date(2023, 10, 10))
    window.controller.open("gestionix-nueva-plataforma", "retencion")
    window.controller.choose("amenaza")
    (button,) = [
        b
        for b in window.wizard.findChildren(QPushButton)
        if b.isVisible()
        and b.accessibleName() == "Copiar el código de la oferta: CONTENCION $50 POR 3 MESES NEG"
    ]
    QApplication.clipboard().clear()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == "CONTENCION $50 POR 3 MESES NEG"


def test_a_tick_recorded_by_an_answer_looks_read_only(qtbot: QtBot, make_window: Make) -> None:
    window = make_window()
    window.controller.open("ejemplo", "reclamo")
    window.controller.choose("amenaza")  # the answer records the threat
    (check,) = [c for c in window.wizard.facts.widgets if c.isVisible()]
    assert check.isChecked() and not check.box.isEnabled()
    assert not check.label.isEnabled()  # greyed, like the box
    assert check.cursor().shape() != Qt.CursorShape.PointingHandCursor
    assert check.label.text().endswith("registrado por tu respuesta")
    qtbot.mouseClick(check.label, Qt.MouseButton.LeftButton)
    assert check.isChecked()


# -- the note follows the call ------------------------------------------------------------


def test_ctrl_n_shows_the_note_of_the_call_in_progress(qtbot: QtBot, make_window: Make) -> None:
    window = ready(qtbot, make_window())
    reach_outcome(window)
    window.open_note()
    qtbot.keyClicks(window.note_form.person, "Ana")
    press(qtbot, window, Qt.Key.Key_Escape)
    press(qtbot, window, Qt.Key.Key_K, CTRL)  # another flow
    qtbot.keyClicks(window.search_panel.field, "consulta general")
    press(qtbot, window, Qt.Key.Key_Return)
    window.controller.choose("horarios")  # its outcome
    assert window.note_bar.isVisible() and window.note_bar.text().startswith(
        "2 notas por completar"
    )
    press(qtbot, window, Qt.Key.Key_N, CTRL)
    form = window.note_form
    assert window.pages.currentWidget() is form
    assert form.person.text() == "" and "Consulta general" in form.context.text()
    (earlier,) = [b for b in form.waiting.widgets if b.isVisible()]
    assert "Ana" in earlier.text()  # the earlier call's note: kept, and one click away
    qtbot.mouseClick(earlier, Qt.MouseButton.LeftButton)
    assert form.person.text() == "Ana"
    assert "El cliente no reconoce un cobro" in form.context.text()  # the flow, by title
    assert window.notes.store.load_aside()[0].flow_id == "consulta"  # never lost


# -- the customer details -----------------------------------------------------------------


def test_the_details_fit_a_narrow_panel_and_name_each_value(
    qtbot: QtBot, make_window: Make
) -> None:
    window = narrow(make_window)
    window.controller.open("migracion-pre-post", "contacto")
    press(qtbot, window, Qt.Key.Key_D, CTRL)
    details = window.details
    settle()
    for field in details.fields.values():
        assert field.width() >= details.width() - 40  # the whole width, not 148 px
        if isinstance(field, QLineEdit) and field.placeholderText():
            room = field.width() - 20
            assert field.fontMetrics().horizontalAdvance(field.placeholderText()) <= room
    ci = details.fields["ci"]
    assert isinstance(ci, QLineEdit)
    qtbot.keyClicks(ci, "12")  # too short: a message says so, whole
    error = details.errors["ci"]
    settle()
    assert error.isVisible() and error.height() >= error.heightForWidth(error.width())
    assert error.width() >= details.width() - 40
    qtbot.keyClicks(details.fields["nombre"], "Juan")
    details.toggle.setChecked(False)
    settle()
    assert details.summary.text() == "Nombre Completo del Titular: Juan · Carnet de Identidad: 12"


# -- the notes history --------------------------------------------------------------------


def test_the_history_opens_with_enter_wraps_and_names_packs(
    qtbot: QtBot, make_window: Make
) -> None:
    with open_notes(Paths.resolve()) as store:
        store.add(
            Note(
                person="Ana",
                medium="phone",
                reason="Pide atención del otro servicio: una aclaración de su boleta del fijo",
                pack_id="modelo-atencion-movistar",
                flow_id="sucursal-mixta",
            )
        )
    window = narrow(make_window)
    qtbot.waitUntil(lambda: window.notes._store is not None)
    press(qtbot, window, Qt.Key.Key_N, CTRL | SHIFT)
    page = window.notes_page
    qtbot.keyClicks(page.search, "boleta")
    qtbot.waitUntil(lambda: page.list.count() == 1)
    row = page.list.item(0)
    assert "Modelo de atención Movistar (TCH y Movistar)" in row.text()
    assert "modelo-atencion-movistar" not in row.text()
    rect = page.list.visualItemRect(row)
    assert rect.height() > 4 * page.list.fontMetrics().lineSpacing()  # wrapped, not cut
    assert rect.width() <= page.list.viewport().width()
    press(qtbot, window, Qt.Key.Key_Return)  # from the search box
    form = window.note_form
    assert window.pages.currentWidget() is form and form.person.text() == "Ana"
    assert "modelo-atencion-movistar" not in form.context.text()
    assert "Sucursal mixta" in form.context.text()
