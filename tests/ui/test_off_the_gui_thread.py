"""Nothing slow on the GUI thread (issue 14): the notes open and are backed up on workers,
the search index is built in idle time, the start list shows before the packs load."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from agentdesk.core.notes import Note, open_notes, upkeep
from agentdesk.core.packs import start_list
from agentdesk.core.packs.library import Library
from agentdesk.core.paths import Paths
from agentdesk.core.search import index
from agentdesk.core.settings import Settings
from agentdesk.ui.panel.main_window import MainWindow
from agentdesk.ui.shell.controller import Controller
from tests.helpers import SIMPLE_FLOW, write_pack
from tests.ui.conftest import Make

TODAY = date(2024, 6, 1)


class Paints(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def panel(qtbot: QtBot, library: Library, listed: start_list.StartList | None = None) -> MainWindow:
    window = MainWindow(Controller(Paths.resolve(), Settings(), library, "desk", TODAY, listed))
    qtbot.addWidget(window)
    window.resize(420, 900)
    return window


# -- the notes ----------------------------------------------------------------------------


def test_the_notes_open_and_are_backed_up_on_workers_while_the_panel_paints(
    qtbot: QtBot, bundled: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: dict[str, int] = {}
    release = threading.Event()
    real_open, real_daily = upkeep.open_for_use, upkeep.daily

    def opening(paths: Paths, **options: object) -> object:
        threads["open"] = threading.get_ident()
        return real_open(paths, **options)  # type: ignore[arg-type]

    def daily(paths: Paths) -> upkeep.Upkeep:  # a backup that takes as long as we say
        threads["daily"] = threading.get_ident()
        release.wait(60)
        return real_daily(paths)

    monkeypatch.setattr(upkeep, "open_for_use", opening)
    monkeypatch.setattr(upkeep, "daily", daily)
    window = panel(qtbot, bundled)
    paints = Paints()
    window.installEventFilter(paints)
    try:
        window.show()
        qtbot.waitUntil(lambda: window.notes._store is not None and "daily" in threads)
        assert paints.count > 0 and window.notes.opening  # painted, the backup still running
        saved = window.notes.store.add(Note(person="Ana", medium="phone", reason="Cobro"))
        assert saved.id == 1  # the notes work meanwhile
        gui = threading.get_ident()
        assert threads["open"] != gui and threads["daily"] != gui
    finally:
        release.set()
    qtbot.waitUntil(lambda: not window.notes.opening)
    assert list((Paths.resolve().data / "backups").glob("notes-*.db"))  # taken, checked


def test_damage_the_daily_check_finds_is_recovered_and_told(
    qtbot: QtBot, bundled: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = Paths.resolve()
    with open_notes(paths) as store:
        store.add(Note(person="Ana", medium="phone", reason="Cobro"))
        store.backup()
    damaged = upkeep.Upkeep(None, "database disk image is malformed", ("page 7: bad",))
    monkeypatch.setattr(upkeep, "daily", lambda paths: damaged)
    window = panel(qtbot, bundled)
    window.show()
    qtbot.waitUntil(lambda: bool(window.findChildren(QMessageBox)))
    (box,) = window.findChildren(QMessageBox)
    assert box.windowTitle() == "Notas restauradas"
    assert "copia de seguridad" in box.text()
    recovery = window.notes.store.recovery
    assert recovery is not None and recovery.set_aside is not None
    assert [n.person for n in window.notes.store.list_notes()] == ["Ana"]
    box.close()


# -- the search ---------------------------------------------------------------------------


@pytest.fixture
def gated_build(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """The index is built one chunk of entries per slice, and only while ``open``."""
    state = {"open": 1, "slices": 0}
    real = index.IndexBuild.step

    def step(self: index.IndexBuild, seconds: float = 0.004) -> index.SearchIndex | None:
        if seconds == float("inf"):  # run(): at once
            return real(self, seconds)
        if not state["open"]:
            return None
        state["slices"] += 1
        return real(self, 0.0)

    monkeypatch.setattr(index.IndexBuild, "step", step)
    return state


def test_the_search_index_is_built_in_idle_time_a_slice_at_a_time(
    qtbot: QtBot, make_window: Make, gated_build: dict[str, int]
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.controller.search_ready)  # no Ctrl+K pressed
    assert gated_build["slices"] > 1
    qtbot.waitUntil(lambda: window.controller.idle.done)  # then memory is settled


def test_ctrl_k_before_the_index_is_ready_shows_its_results_when_it_is(
    qtbot: QtBot, make_window: Make, gated_build: dict[str, int]
) -> None:
    gated_build["open"] = 0
    window = make_window(today=date(2023, 10, 10))
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    panel_ = window.search_panel
    qtbot.keyClicks(panel_.field, "konfio")
    assert panel_.results.count() == 0 and panel_.hint.text() == "Preparando la búsqueda…"
    gated_build["open"] = 1
    qtbot.waitUntil(lambda: panel_.results.count() > 0)
    c = window.controller
    expected = index.SearchIndex.from_packs(c._searched_packs(), "desk").search("konfio", 20)
    shown = [panel_.results.item(row).text().split("\n")[0] for row in range(len(expected))]
    assert shown == [item.title for item in expected]
    assert panel_.hint.text() != "Preparando la búsqueda…"
    qtbot.keyClick(panel_.field, Qt.Key.Key_Return)  # Enter opens the first, as always
    assert window.wizard.view.pack_id == "gestionix-nueva-plataforma"


# -- the start list -----------------------------------------------------------------------

MANIFEST = 'id: prueba\ntitle: {title}\nversion: "1.0.0"\nlocale: es-MX\n'


def titles(window: MainWindow) -> list[str]:
    tree = window.start.list
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]


def test_the_start_list_shows_before_the_packs_load_and_never_stale(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(start_list, "RECENT_NS", -(10**18))  # files just written count
    root = write_pack(tmp_path / "pack", {"f.yaml": SIMPLE_FLOW}, MANIFEST.format(title="Uno"))

    windows: list[MainWindow] = []

    def start() -> MainWindow:
        """A start of the app: the previous one closes first, as it would."""
        for earlier in windows:
            earlier.close()
        library = Library(Paths.resolve(), folders=[root], include_bundled=False)
        window = panel(qtbot, library, start_list.read(library))
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    first = start()  # the very first start: nothing kept, the packs load first
    assert first.start.empty.text() == "Cargando paquetes…" and titles(first) == []
    first.controller.reload()  # what the app does right after the first paint
    assert titles(first) == ["Uno"]
    second = start()
    assert not second.controller.library.loaded and titles(second) == ["Uno"]  # at once
    second.controller.reload()
    assert titles(second) == ["Uno"]
    write_pack(root, {}, MANIFEST.format(title="Un título nuevo"))
    third = start()
    assert titles(third) == []  # not the old title: the packs load before they show
    third.controller.reload()
    assert titles(third) == ["Un título nuevo"]
