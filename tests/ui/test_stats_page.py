"""The usage figures page (menu ☰ → "Uso de los flujos…"): a trainer on the desk sees what
agents use, turns recording on or off, and exports the figures as CSV."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from agentdesk.cli.main import main
from agentdesk.core.paths import Paths
from agentdesk.core.settings import Settings
from agentdesk.core.usage.events import Event
from agentdesk.core.usage.store import UsageStore
from agentdesk.ui.kiosk.kiosk_window import KioskWindow
from agentdesk.ui.panel.main_window import MainWindow
from agentdesk.ui.shell.controller import Controller
from agentdesk.ui.stats.bars import BAR_ROLE, KIND_ROLE
from agentdesk.ui.stats.stats_page import StatsDialog
from tests.helpers import kiosk_example_library
from tests.ui.conftest import Make

PACK = "migracion-pre-post"
DAY = 86400.0


def known_events(at: float) -> list[Event]:
    """Three calls of the contact flow: two answered, one of them to the end; and one
    offer shown twice and accepted once."""

    def event(call: str, kind: str, step: str, **extra: object) -> Event:
        return Event(call, at, kind, PACK, "1", "contacto", step)._replace(**extra)  # type: ignore[arg-type]

    found = []
    for call in ("a", "b", "c"):
        found += [
            event(call, "visit", "escenario-venta"),
            event(call, "answer", "escenario-venta", choice="next"),
            event(call, "visit", "primer-contacto"),
            event(call, "time", "escenario-venta", seconds=30.0),
        ]
    found += [
        event("a", "answer", "primer-contacto", choice="respondio"),
        event("b", "answer", "primer-contacto", choice="respondio"),
        event("c", "answer", "primer-contacto", choice="no-responde"),
        event("c", "drop_off", "primer-contacto"),
        event("a", "visit", "cliente-no-contesta"),
        event("a", "outcome", "cliente-no-contesta"),
        event("a", "offer_shown", "primer-contacto", offer="descuento"),
        event("b", "offer_shown", "primer-contacto", offer="descuento"),
        event("b", "offer_accepted", "primer-contacto", offer="descuento"),
    ]
    return found


def open_page(qtbot: QtBot, window: MainWindow) -> StatsDialog:
    """Through the menu, as a trainer does; then wait for the figures."""
    menu = window._build_menu()
    entry = next(a for a in menu.actions() if a.text() == "Uso de los flujos…")
    entry.trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, StatsDialog))
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    loaded(qtbot, dialog)
    return dialog


def loaded(qtbot: QtBot, dialog: StatsDialog) -> None:
    qtbot.waitUntil(lambda: dialog._job is None and dialog.export_button.isEnabled())


def choose(box: QComboBox, data: object) -> None:
    box.setCurrentIndex(box.findData(data))


@pytest.fixture
def with_events() -> None:
    """The known calls the day before the panel's today, and one call two months before."""
    today = datetime(2024, 6, 1, 12).timestamp()  # make_window's today
    store = UsageStore(Paths.resolve().usage_db)
    store.add(known_events(today - DAY))
    store.add([Event("old", today - 60 * DAY, "visit", PACK, "1", "contacto", "retomar")])


def test_the_page_shows_the_figures_of_the_events(
    qtbot: QtBot, make_window: Make, with_events: None
) -> None:
    window = make_window()
    window.controller.open(PACK, "contacto")  # the page opens on the pack in use
    dialog = open_page(qtbot, window)
    assert dialog.packs.currentData() == PACK
    assert dialog.summary.text() == "3 llamadas · 1 resultado alcanzado · 1 sin resultado"
    titles = dialog.chart.texts("title")
    assert titles == [
        "Visitas por paso",
        "Respuestas: proporción por paso",
        "Resultados alcanzados",
        "Ofertas: aceptadas de mostradas",
        "Tiempo mediano por paso",
        "Dónde quedan sin resultado",
        "Pasos sin visitas",
    ]
    charts = charted(dialog)
    assert charts["Visitas por paso"] == [
        ("Escenario de venta", "3"),
        ("Primer contacto", "3"),
        ("Cliente no contesta", "1"),
    ]  # the step titles, the most visited first
    assert charts["Respuestas: proporción por paso"] == [
        ("Escenario de venta → La cuenta es Prepago", "100% (3)"),
        ("Primer contacto → No responde", "33% (1)"),
        ("Primer contacto → Respondió con su solicitud", "67% (2)"),
    ]
    assert charts["Resultados alcanzados"] == [("Cliente no contesta", "1 (33%)")]
    assert charts["Ofertas: aceptadas de mostradas"] == [("descuento", "1 de 2 · 0 rechazadas")]
    assert charts["Tiempo mediano por paso"] == [("Escenario de venta", "30 s")]
    assert charts["Dónde quedan sin resultado"] == [("Primer contacto", "1 de 3 llamadas")]
    unvisited = [label for label, _ in charts["Pasos sin visitas"]]
    assert "Retomar el proceso normal" in unvisited  # visited two months ago only
    assert "Primer contacto" not in unvisited

    choose(dialog.period, None)  # everything kept: the call of two months ago too
    loaded(qtbot, dialog)
    assert dialog.summary.text().startswith("4 llamadas")
    unvisited = [label for label, _ in charted(dialog)["Pasos sin visitas"]]
    assert "Retomar el proceso normal" not in unvisited


def charted(dialog: StatsDialog) -> dict[str, list[tuple[str, str]]]:
    """Each chart's bars as (label, figure); each row's text is "label (where): figure"."""
    found: dict[str, list[tuple[str, str]]] = {}
    bars: list[tuple[str, str]] = []
    for row in (dialog.chart.item(n) for n in range(dialog.chart.count())):
        if row.data(KIND_ROLE) == "title":
            bars = found.setdefault(row.text(), [])
        elif row.data(KIND_ROLE) == "bar":
            bar = row.data(BAR_ROLE)
            where = f" ({bar.where})" if bar.where else ""
            assert row.text() == f"{bar.label}{where}: {bar.text}"
            bars.append((bar.label, bar.text))
    return found


def test_every_control_has_a_name_and_the_keyboard_reaches_the_bars(
    qtbot: QtBot, make_window: Make, with_events: None
) -> None:
    dialog = open_page(qtbot, make_window())
    controls = [w for w in dialog.findChildren(QWidget) if isinstance(w, QComboBox | QPushButton)]
    assert len(controls) == 4 and all(w.accessibleName() for w in controls)
    assert dialog.chart.accessibleName() == "Cifras de uso"
    assert QApplication.focusWidget() is dialog.packs
    dialog.chart.setFocus()
    qtbot.keyClick(dialog.chart, Qt.Key.Key_Down)
    current = dialog.chart.currentItem()
    assert current is not None and current.text() == dialog.chart.texts()[0]  # titles skipped


def test_turning_recording_on_counts_the_next_call_of_the_panel(
    qtbot: QtBot, make_window: Make
) -> None:
    window = make_window()
    controller = window.controller
    dialog = open_page(qtbot, window)
    assert dialog.recording.currentData() == "off"
    assert "no se cuenta ninguna llamada nueva" in dialog.state.text()
    controller.open(PACK, "contacto")
    controller.choose("next")
    controller.home()  # recording is off: not counted
    choose(dialog.recording, "on")
    assert Settings.load(controller.paths.settings_file).usage_stats == "on"  # saved at once
    controller.open(PACK, "contacto")
    controller.choose("next")
    controller.home()
    assert controller.usage_writer.flush(30)
    choose(dialog.period, 7)  # loads the figures again
    loaded(qtbot, dialog)
    assert dialog.summary.text() == "1 llamada · 0 resultados alcanzados · 1 sin resultado"
    choose(dialog.recording, "off")
    assert controller.settings.usage_stats == "off"
    assert controller.call.usage is not None and controller.call.usage.setting == "off"


def test_export_writes_the_same_csv_as_the_command(
    qtbot: QtBot,
    make_window: Make,
    with_events: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog = open_page(qtbot, make_window())
    choose(dialog.packs, None)
    choose(dialog.period, None)
    loaded(qtbot, dialog)
    target = tmp_path / "uso.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.state.text() == f"Cifras guardadas en {target}"
    assert main(["stats", "--csv", str(tmp_path / "cli.csv")]) == 0
    with (
        target.open(encoding="utf-8") as page,
        (tmp_path / "cli.csv").open(encoding="utf-8") as cli,
    ):
        assert list(csv.reader(page)) == list(csv.reader(cli))
    assert target.read_text(encoding="utf-8").startswith("figure,pack,flow,step,item,count,value")


def test_an_unreadable_file_is_said_and_nothing_breaks(qtbot: QtBot, make_window: Make) -> None:
    path = Paths.resolve().usage_db
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a database" * 100)
    window = make_window()
    dialog = StatsDialog(window.controller, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog._job is None)
    assert dialog.state.text().startswith("No se pueden leer las cifras:")
    assert not dialog.export_button.isEnabled()


def test_the_kiosk_records_its_calls(qtbot: QtBot, tmp_path: Path) -> None:
    paths = Paths.resolve()
    kiosk_packs = kiosk_example_library(tmp_path)
    controller = Controller(paths, Settings(usage_stats="on"), kiosk_packs, "kiosk")
    window = KioskWindow(controller)
    qtbot.addWidget(window)
    window.show()
    controller.open("ejemplo", "consulta")
    controller.choose("horarios")
    qtbot.mouseClick(window.new_customer_button, Qt.MouseButton.LeftButton)
    controller.open("ejemplo", "consulta")
    qtbot.mouseClick(window.new_customer_button, Qt.MouseButton.LeftButton)  # left at the question
    assert controller.usage_writer.flush(30)
    kinds = [(e.call, e.kind, e.step) for e in UsageStore(paths.usage_db).events()]
    assert [(k, s) for _, k, s in kinds if k in ("outcome", "drop_off")] == [
        ("outcome", "horarios"),
        ("drop_off", "tema"),
    ]
    assert len({c for c, _, _ in kinds}) == 2
    window.release()
