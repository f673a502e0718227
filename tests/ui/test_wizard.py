"""The side panel driven like an agent drives it: keyboard first, mouse too."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from agentdesk.core.packs.library import Library
from agentdesk.ui.panel.main_window import MainWindow
from tests.conftest import REPO
from tests.ui.conftest import Make


def press(
    qtbot: QtBot,
    window: MainWindow,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, key, modifier)


def shown(window: MainWindow, kind: type = QLabel, name: str = "") -> list:  # type: ignore[type-arg]
    """The widgets of a kind the agent can see now (parts of earlier steps are hidden)."""
    return [
        w
        for w in window.wizard.findChildren(kind)
        if w.isVisibleTo(window) and (not name or w.objectName() == name)
    ]


def open_flow(window: MainWindow, pack: str, flow: str) -> None:
    window.controller.open(pack, flow)


def test_start_lists_current_flows_and_enter_opens_the_start_flow(
    qtbot: QtBot, make_window: Make
) -> None:
    window = make_window()
    assert window.pages.currentWidget() is window.start
    item = window.start.list.currentItem()
    assert item.text(0) == "¿Qué necesita el cliente?"
    press(qtbot, window, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.wizard
    assert window.wizard.view.prompt == "¿Qué necesita el cliente?"


def test_number_keys_choose_and_hand_over_to_the_right_pack(
    qtbot: QtBot, make_window: Make
) -> None:
    window = make_window()
    open_flow(window, "inicio", "inicio")
    buttons = [b.text() for b in window.wizard.choice_buttons]
    assert buttons[0].startswith("1  Pasar su línea móvil de prepago a pospago")
    press(qtbot, window, Qt.Key.Key_1)
    view = window.wizard.view
    assert view.pack_id == "migracion-pre-post" and view.flow_id == "contacto"
    assert view.crumbs[0].title == "Inicio"


def test_back_with_alt_left_and_breadcrumb_click(qtbot: QtBot, make_window: Make) -> None:
    window = make_window()
    open_flow(window, "ejemplo", "reclamo")
    press(qtbot, window, Qt.Key.Key_2)  # Quiere reclamar el cobro
    assert window.wizard.view.step_id == "verificar"
    press(qtbot, window, Qt.Key.Key_1)  # Continuar
    assert window.wizard.view.step_id == "registrar"
    press(qtbot, window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.wizard.view.step_id == "verificar"
    crumbs = window.wizard.crumbs
    assert crumbs.text().count("<a href=") == 1  # the current step is not a link
    assert "Motivo" in crumbs.text() and "<b>Documentos</b>" in crumbs.text()
    crumbs.linkActivated.emit("0:inicio")  # what a click or Tab+Enter on "Motivo" sends
    assert window.wizard.view.step_id == "inicio"


def test_outcome_shows_macro_with_statuses_and_copies_it(qtbot: QtBot, make_window: Make) -> None:
    window = make_window()
    open_flow(window, "ejemplo", "reclamo")
    window.controller.set_value("nombre", "Ana")
    window.controller.set_value("monto", "150")
    window.controller.choose("verificar")
    window.controller.choose("next")
    view = window.wizard.view
    assert view.ended and view.macros[0].ticket_status == "Pendiente"
    labels = {w.text() for w in shown(window)}
    assert "Ejemplo :: Reclamos :: Registrado" in labels
    assert "Ticket: Pendiente" in labels and "Pedido: En progreso :: En Gestión" in labels
    QApplication.clipboard().clear()
    press(
        qtbot,
        window,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    copied = QApplication.clipboard().text()
    assert copied.startswith("Estimado(a) Ana, registramos su reclamo por $150.00.")
    assert window.controller.copied == ["reclamo-registrado"]


def test_copy_button_copies_a_script(qtbot: QtBot, make_window: Make) -> None:
    window = make_window()
    open_flow(window, "ejemplo", "reclamo")
    (button,) = [
        b for b in shown(window, QPushButton) if b.accessibleName() == "Copiar guion: Saludo"
    ]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text().startswith("Buenos días, cliente.")


def test_typing_a_detail_rerenders_live_and_flags_bad_values(
    qtbot: QtBot, make_window: Make
) -> None:
    window = make_window()
    open_flow(window, "ejemplo", "reclamo")
    assert window.wizard.view.prompt == "¿Qué pide cliente?"
    press(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    field = window.details.fields["nombre"]
    assert isinstance(field, QLineEdit) and field.hasFocus()
    qtbot.keyClicks(field, "Ana")
    assert window.wizard.view.prompt == "¿Qué pide Ana?"
    (prompt,) = shown(window, QLabel, "prompt")
    assert prompt.text() == "¿Qué pide Ana?"
    cedula = window.details.fields["cedula"]
    qtbot.keyClicks(cedula, "123")
    assert cedula.property("invalid") is True
    assert window.details.errors["cedula"].text() == "La cédula tiene 10 dígitos"
    qtbot.keyClicks(cedula, "4567890")
    assert cedula.property("invalid") is False


def test_offer_ladder_guards_show_and_refusing_unlocks_the_second(
    qtbot: QtBot, make_window: Make
) -> None:
    window = make_window()
    open_flow(window, "ejemplo", "reclamo")
    window.controller.choose("amenaza")
    refuse = [b for b in shown(window, QPushButton) if b.text() == "Rechazada"]
    assert [b.isEnabled() for b in refuse] == [True, False]
    qtbot.mouseClick(refuse[0], Qt.MouseButton.LeftButton)
    refuse = [b for b in shown(window, QPushButton) if b.text() == "Rechazada"]
    assert [b.isEnabled() for b in refuse] == [True, True]
    assert window.wizard.view.offers[1].available


def test_expired_content_shows_a_banner(qtbot: QtBot, make_window: Make) -> None:
    window = make_window(today=date(2024, 1, 1))
    open_flow(window, "gestionix-nueva-plataforma", "gestionix-dejara-de-funcionar")
    banners = [w.text() for w in shown(window, QLabel, "banner")]
    assert any(t.startswith("VENCIDO: vigente hasta el 2023-10-31") for t in banners)


def test_the_expired_header_is_listed_but_never_selected(qtbot: QtBot, make_window: Make) -> None:
    """It only holds the expired packs: it folds and unfolds, nothing opens or selects it
    (its flags are set right after the first paint: see agentdesk.ui.shell.qt_start)."""
    window = make_window(today=date(2024, 1, 1))
    tree = window.start.list
    header = tree.topLevelItem(tree.topLevelItemCount() - 1)
    assert header.text(0) == "Vencidos (solo como referencia)"
    assert header.childCount() == 2 and header.isExpanded()
    qtbot.waitUntil(lambda: header.flags() == Qt.ItemFlag.ItemIsEnabled)
    tree.setCurrentItem(header)
    assert header.isSelected() is False


def test_search_finds_by_synonym_and_opens_the_flow(qtbot: QtBot, make_window: Make) -> None:
    window = make_window(today=date(2023, 10, 10))
    press(qtbot, window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.search_panel
    qtbot.keyClicks(window.search_panel.field, "konfio")
    results = window.search_panel.results
    assert results.count() > 0
    assert "Gestionix" in results.item(0).text() or "Administrador" in results.item(0).text()
    press(qtbot, window, Qt.Key.Key_Return)
    assert window.wizard.view.pack_id == "gestionix-nueva-plataforma"


def test_escape_leaves_search(qtbot: QtBot, make_window: Make) -> None:
    window = make_window()
    press(qtbot, window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, window, Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.start


def test_no_stray_windows_and_focus_stays_on_the_answers(qtbot: QtBot, make_window: Make) -> None:
    """Building a step must not flash parentless widgets as windows (they steal focus)."""
    window = make_window()
    open_flow(window, "ejemplo", "reclamo")
    press(qtbot, window, Qt.Key.Key_1)
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert visible == [window]
    assert QApplication.activeWindow() is window
    assert QApplication.focusWidget() is window.wizard.choice_buttons[0]


def test_new_customer_forgets_the_details(qtbot: QtBot, make_window: Make) -> None:
    window = make_window()
    open_flow(window, "ejemplo", "reclamo")
    press(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    field = window.details.fields["nombre"]
    assert isinstance(field, QLineEdit)
    qtbot.keyClicks(field, "Ana")
    assert window.controller.session.values == {"nombre": "Ana"}
    press(
        qtbot,
        window,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.pages.currentWidget() is window.start
    assert window.controller.session.values == {}
    assert field.text() == ""


def test_a_choice_hint_shows_under_its_answer(qtbot: QtBot, make_window: Make) -> None:
    """The hint says when to pick the answer: a tooltip alone is never seen by keyboard."""
    window = make_window()
    open_flow(window, "ejemplo", "reclamo")
    hint = "Solo si lo dice el cliente; nunca ofrezcas descuentos por iniciativa propia."
    (button,) = [b for b in window.wizard.choice_buttons if b.choice_id == "amenaza"]
    (label,) = [w for w in button.findChildren(QLabel) if w.text() == hint]
    assert label.isVisibleTo(window)
    assert label.geometry().top() >= button.label.geometry().bottom()  # below the answer
    others = [b for b in window.wizard.choice_buttons if b is not button]
    assert not any(w.isVisibleTo(window) for b in others for w in b.findChildren(QLabel)[1:])


def test_a_decision_shows_what_the_details_decided_and_waits_for_them(
    qtbot: QtBot, make_window: Make
) -> None:
    window = make_window()
    open_flow(window, "modelo-atencion-movistar", "cobranza")
    window.controller.choose("linea-tiempo")
    window.controller.choose("etapa-mora")
    assert window.wizard.view.step_id == "etapa-mora"  # no details yet: answer by hand
    assert len(window.wizard.choice_buttons) == 9
    window.details.toggle.setChecked(True)
    field = window.details.fields["dias_mora"]
    assert isinstance(field, QLineEdit)
    qtbot.keyClicks(field, "45")  # typing decides, live
    assert window.wizard.view.step_id == "lt-personas-pymes"
    decided = (
        "Decidido por los datos: Días de mora (días hábiles) = 45 → "
        "DICOM (desde día 36 al 50 de mora)"
    )
    assert decided in [w.text() for w in shown(window, QLabel, "banner")]
    field.setText("70")  # SS for TCH, or DICOM for Movistar: the decision waits
    banners = [w.text() for w in shown(window, QLabel, "banner")]
    assert "Para decidir, escribe: Compañía de la deuda; o responde a mano." in banners
    assert [b.text() for b in window.wizard.choice_buttons] == [
        "1  SS (desde día 60 de mora TCH)",
        "2  DICOM (desde día 36 al 50 de mora)",
    ]
    window.details.fields["compania"].setCurrentText("TCH")  # type: ignore[union-attr]
    assert window.wizard.view.decisions[0].answer == "SS (desde día 60 de mora TCH)"


def test_answers_decide_the_offers_and_the_cards_leave_it_to_them(
    qtbot: QtBot, make_window: Make
) -> None:
    window = make_window(today=date(2023, 10, 10))
    open_flow(window, "gestionix-nueva-plataforma", "retencion")
    press(qtbot, window, Qt.Key.Key_1)  # amenaza con cancelar
    first, second = window.wizard.offers.widgets[:2]
    assert not first.refuse.isVisibleTo(window) and not first.accept.isVisibleTo(window)
    assert second.refuse.isVisibleTo(window)  # not decided by this step's answers
    assert [b.text() for b in window.wizard.choice_buttons] == [
        "1  Acepta el descuento de $50 por 3 meses (contención)",
        "2  Rechaza el descuento de $50 por 3 meses (contención)",
    ]
    press(qtbot, window, Qt.Key.Key_2)  # rechaza la contención
    assert window.wizard.view.step_id == "retencion"
    assert [o.decision for o in window.wizard.view.offers] == ["refused", "open"]


def test_ticking_a_counted_check_changes_the_answer_on_offer(
    qtbot: QtBot, make_window: Make
) -> None:
    lost_card = REPO / "tests" / "packs" / "tarjeta-perdida"
    window = make_window(library=Library(None, folders=[lost_card]).load())
    window.resize(360, 900)
    open_flow(window, "tarjeta-perdida", "reporte")
    assert [b.text() for b in window.wizard.choice_buttons] == [
        "1  No se pudo verificar (menos de 2 correctas)"
    ]
    checks = [w for w in window.wizard.checks.widgets if w.isVisibleTo(window)]
    assert len(checks) == 3
    qtbot.mouseClick(checks[0].box, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(checks[2].box, Qt.MouseButton.LeftButton)
    assert [c.ticked for c in window.wizard.view.checklist] == [True, False, True]
    assert [b.text() for b in window.wizard.choice_buttons] == [
        "1  Identidad verificada (2 o 3 correctas)"
    ]
    assert checks[0].isChecked() and checks[2].isChecked()  # the redraw keeps the ticks
    press(qtbot, window, Qt.Key.Key_1)
    assert window.wizard.view.step_id == "bloqueo"


def test_the_crumb_of_a_decision_by_the_details_goes_back_as_alt_left_does(
    qtbot: QtBot, make_window: Make
) -> None:
    window = make_window()
    open_flow(window, "modelo-atencion-movistar", "cobranza")
    window.controller.set_value("dias_mora", "45")
    window.controller.choose("linea-tiempo")
    asked = window.wizard.view.step_id  # the last question the agent answered
    window.controller.choose("etapa-mora")
    view = window.wizard.view
    assert view.path[-3:] == (asked, "etapa-mora", "lt-personas-pymes")  # decided: 45 days
    assert 'href="0:etapa-mora"' in window.wizard.crumbs.text()
    window.wizard.crumbs.linkActivated.emit("0:etapa-mora")  # a click on its crumb
    by_crumb = window.wizard.view.step_id
    window.controller.choose("etapa-mora")
    press(qtbot, window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert by_crumb == window.wizard.view.step_id == asked
