"""The "Paquetes" dialog: install from a file, update from a channel, roll back, cancel;
refusals and being offline said plainly; what changed listed; the app uses the new version
at once. Real signed archives, a real worker thread, no sleeps."""

from __future__ import annotations

import shutil
import socket
import threading
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from agentdesk.core.packs.library import Library
from agentdesk.core.paths import Paths
from agentdesk.core.settings import Settings
from agentdesk.core.shipping import install, verify
from agentdesk.core.shipping.keys import generate, load_private
from agentdesk.core.shipping.manifest import FILES_PREFIX
from agentdesk.ui.packs.packs_dialog import STEPS, Outcome, PacksDialog, change_lines
from agentdesk.ui.shell.controller import Controller
from agentdesk.ui.shell.theme import style_sheet
from tests.core.shipping.channels import Keys, new_channel, trust
from tests.core.shipping.forge import build, copy_example, example_files, forge, replace

LEFT = Qt.MouseButton.LeftButton
TITLE = "Pack de ejemplo (todas las funciones)"


@pytest.fixture
def paths() -> Paths:
    return Paths.resolve()


@pytest.fixture
def key(tmp_path: Path, paths: Paths) -> Ed25519PrivateKey:
    """A trainer's key, trusted by this desk (its .pub in the trusted keys folder)."""
    pair = generate(tmp_path / "keys")
    paths.trusted_keys.mkdir(parents=True)
    shutil.copy(pair.public, paths.trusted_keys / pair.public.name)
    return load_private(pair.private)


@pytest.fixture
def src(tmp_path: Path) -> Path:
    """The example pack, as a trainer edits it for 1.1.0: one flow renamed."""
    root = copy_example(tmp_path / "src")
    flow = root / "flows" / "consulta.yaml"
    flow.write_text(
        flow.read_text(encoding="utf-8").replace("title: Consulta general", "title: Consulta"),
        "utf-8",
    )
    return root


def archive(src: Path, key: Ed25519PrivateKey, version: str) -> Path:
    out = src.parent / "dist" / f"ejemplo-{version}.adpack"
    build(src, out, key, version)
    return out


@pytest.fixture
def controller(paths: Paths, qapp: QApplication) -> Controller:
    qapp.setStyleSheet(style_sheet())
    library = Library(paths).load()  # the bundled packs (ejemplo 1.0.0) and installed ones
    return Controller(paths, Settings(), library, "desk", date(2024, 6, 1))


@pytest.fixture
def dialog(qtbot: QtBot, controller: Controller) -> PacksDialog:
    dialog = PacksDialog(controller)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def run(qtbot: QtBot, dialog: PacksDialog, start: object) -> Outcome:
    """Start a job (a click or a call) and wait for the worker to finish."""
    with qtbot.waitSignal(dialog.sig_done, timeout=30_000) as done:
        start()  # type: ignore[operator]
    outcome: Outcome = done.args[0]
    assert not dialog.busy and dialog.job is None
    return outcome


def test_lists_the_packs_in_use_with_origin_and_validity(dialog: PacksDialog) -> None:
    card = dialog.pack_cards["ejemplo"]
    assert card.title.text() == TITLE
    assert card.meta.text() == "ejemplo · versión 1.0.0 · incluido · vigente hasta el 2099-12-31"
    assert card.rollback_button is None and not card.expired
    assert {"inicio", "ejemplo", "migracion-pre-post"} <= dialog.pack_cards.keys()
    assert dialog.windowTitle() == "Paquetes"
    assert not dialog.failed_cards and dialog.failed_title.isHidden()


def test_expired_packs_are_flagged(qtbot: QtBot, controller: Controller) -> None:
    controller.fixed_today = date(2100, 1, 1)
    dialog = PacksDialog(controller)
    qtbot.addWidget(dialog)
    card = dialog.pack_cards["ejemplo"]
    assert card.expired and "vencido el 2099-12-31" in card.meta.text()


def test_packs_that_fail_to_load_show_their_problems(
    qtbot: QtBot, tmp_path: Path, paths: Paths
) -> None:
    good = copy_example(tmp_path / "good")
    broken = copy_example(tmp_path / "broken")
    flow = broken / "flows" / "reclamo.yaml"
    flow.write_text(flow.read_text(encoding="utf-8").replace("    steps:", "    steps: ["), "utf-8")
    library = Library(paths, folders=[good, broken], include_bundled=False).load()
    flow = good / "flows" / "reclamo.yaml"  # a save that breaks a pack already in use
    flow.write_text(flow.read_text(encoding="utf-8").replace("    steps:", "    steps: ["), "utf-8")
    library.reload(good)
    controller = Controller(paths, Settings(), library, "desk", date(2024, 6, 1))
    dialog = PacksDialog(controller)
    qtbot.addWidget(dialog)

    assert len(dialog.failed_cards) == 2 and dialog.failed_title.isVisibleTo(dialog)
    texts = {card.entry.source.root: card for card in dialog.failed_cards}
    assert "reclamo.yaml:" in texts[good].problems.text()
    assert ": error: " in texts[good].problems.text()
    assert texts[good].status.text() == "Se sigue usando la versión anterior (1.0.0)."
    assert texts[broken].status.text() == "No se puede usar hasta que se corrija."
    assert "ejemplo" in dialog.pack_cards  # the last good version is still in use
    assert dialog.subtitle.text() == "1 en uso · 2 con problemas"


def test_install_from_a_file_shows_progress_and_what_changed(
    qtbot: QtBot,
    dialog: PacksDialog,
    controller: Controller,
    src: Path,
    key: Ed25519PrivateKey,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    adpack = archive(src, key, "1.1.0")
    asked: list[str] = []

    def choose(parent: object, title: str, folder: str, filter: str) -> tuple[str, str]:
        asked.append(filter)
        return str(adpack), filter

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    seen: list[int] = []
    dialog.progress.valueChanged.connect(seen.append)
    threads: list[bool] = []
    busy: list[bool] = []
    dialog.sig_busy.connect(busy.append)
    main = QThread.currentThread()

    original = dialog._progress

    def spy(*args: object) -> None:  # the slot the worker's progress signal reaches
        threads.append(QThread.currentThread() is main)
        original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(dialog, "_progress", spy)

    with qtbot.waitSignal(controller.sig_packs_changed, timeout=30_000):
        outcome = run(qtbot, dialog, lambda: qtbot.mouseClick(dialog.install_button, LEFT))

    assert asked == ["Archivos de paquete (*.adpack)"]
    assert outcome.status == "done" and outcome.action == "install"
    assert busy == [True, False]
    # fed by the core's progress callbacks, on the GUI thread, up to the end
    assert len(seen) >= 2 and seen[-1] == STEPS
    assert dialog.progress.value() == dialog.progress.maximum() == STEPS
    assert threads and all(threads)

    assert dialog.result_banner.text() == "Se instaló ejemplo 1.1.0."
    assert dialog.result_banner.property("tone") == "ok"
    text = dialog.changes_text.toPlainText()
    assert f"{TITLE}: ejemplo 1.0.0 → 1.1.0" in text  # against the bundled 1.0.0 in use
    assert "1 flujo modificado: Consulta" in text
    (changes,) = outcome.changes
    assert [(i.section, i.id, i.change) for i in changes.items] == [
        ("flows", "consulta", "changed")
    ]

    pack = controller.library.get("ejemplo")  # the running app serves the new version
    assert pack is not None and pack.version == "1.1.0"
    meta = dialog.pack_cards["ejemplo"].meta.text()
    assert meta.startswith("ejemplo · versión 1.1.0 · instalado")


def test_a_tampered_archive_is_refused_and_nothing_is_installed(
    qtbot: QtBot,
    dialog: PacksDialog,
    controller: Controller,
    paths: Paths,
    tmp_path: Path,
    key: Ed25519PrivateKey,
) -> None:
    data = example_files()["scripts.yaml"]
    changed = data.replace(b"a", b"o", 1)
    bad = forge(
        tmp_path / "ejemplo-2.0.0.adpack",
        key,
        edit=lambda entries: replace(entries, FILES_PREFIX + "scripts.yaml", data=changed),
    )
    before = controller.library.get("ejemplo")

    outcome = run(qtbot, dialog, lambda: dialog.install_file(bad))

    assert outcome.status == "refused" and outcome.reason == "hash-mismatch"
    assert dialog.result_banner.text() == (
        "No se instaló: Un archivo se modificó después de firmarlo, o la copia está dañada. "
        "No se cambió nada."
    )
    assert dialog.result_banner.property("tone") == "danger"
    assert "[hash-mismatch]" in dialog.technical.text()  # the core's words, for IT
    assert dialog.changes_text.isHidden()
    assert install.installed(paths) == []
    assert controller.library.get("ejemplo") is before


def test_an_untrusted_archive_is_refused(
    qtbot: QtBot, dialog: PacksDialog, paths: Paths, src: Path, key: Ed25519PrivateKey
) -> None:
    adpack = archive(src, key, "1.1.0")
    for pub in paths.trusted_keys.iterdir():
        pub.unlink()
    outcome = run(qtbot, dialog, lambda: dialog.install_file(adpack))
    assert outcome.reason == "no-trusted-keys"
    assert "Este equipo aún no confía en ninguna clave de firma" in outcome.summary
    assert install.installed(paths) == []


def test_update_from_a_folder_channel_then_everything_is_current(
    qtbot: QtBot,
    dialog: PacksDialog,
    controller: Controller,
    paths: Paths,
    src: Path,
    key: Ed25519PrivateKey,
) -> None:
    folder = new_channel(src.parent / "channel", Keys(key, key, key), archive(src, key, "1.1.0"))
    trust(paths, folder)
    dialog.source.setText(str(folder))

    outcome = run(qtbot, dialog, lambda: qtbot.mouseClick(dialog.update_button, LEFT))

    assert outcome.status == "done" and outcome.action == "update"
    assert dialog.result_banner.text() == "Se actualizó 1 paquete."
    assert "1 flujo modificado: Consulta" in dialog.changes_text.toPlainText()
    assert dialog.progress.value() == STEPS
    assert controller.library.get("ejemplo").version == "1.1.0"  # type: ignore[union-attr]
    # the source is remembered, also on disk
    assert controller.settings.update_source == str(folder)
    assert Settings.load(paths.settings_file).update_source == str(folder)

    again = run(qtbot, dialog, lambda: qtbot.keyClick(dialog.source, Qt.Key.Key_Return))
    assert again.status == "current"
    assert dialog.result_banner.text() == "Todo está al día."
    assert "ejemplo 1.1.0: ya está al día." in dialog.changes_text.toPlainText()
    assert dialog.isVisible()  # Enter in the source field checks; it does not close


def test_offline_is_a_calm_message(
    qtbot: QtBot, dialog: PacksDialog, controller: Controller, paths: Paths
) -> None:
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    before = controller.library.get("ejemplo")

    outcome = run(qtbot, dialog, lambda: dialog.check_updates(f"http://127.0.0.1:{port}/"))

    assert outcome.status == "offline"
    assert dialog.result_banner.text() == (
        "No se puede conectar con la fuente de actualizaciones ahora. No se cambió nada; "
        "puedes intentarlo más tarde."
    )
    assert dialog.result_banner.property("tone") == "info"
    assert dialog.technical.text().startswith(f"cannot reach http://127.0.0.1:{port}/")
    assert install.installed(paths) == []
    assert controller.library.get("ejemplo") is before  # not even reloaded


def test_a_source_that_is_not_a_folder_or_web_address(qtbot: QtBot, dialog: PacksDialog) -> None:
    outcome = run(qtbot, dialog, lambda: dialog.check_updates("ftp://example.com/packs"))
    assert outcome.status == "failed"
    assert outcome.summary == "La fuente debe ser una carpeta o una dirección http(s)."


def test_rollback_restores_the_previous_version(
    qtbot: QtBot,
    dialog: PacksDialog,
    controller: Controller,
    paths: Paths,
    src: Path,
    key: Ed25519PrivateKey,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run(qtbot, dialog, lambda: dialog.install_file(archive(src, key, "1.1.0")))
    assert dialog.pack_cards["ejemplo"].rollback_button is None  # nothing installed before
    scripts = src / "scripts.yaml"
    text = scripts.read_text(encoding="utf-8")
    scripts.write_text(text.replace("por llamar", "por su llamada"), "utf-8")
    outcome = run(qtbot, dialog, lambda: dialog.install_file(archive(src, key, "1.2.0")))
    assert dialog.changes_text.toPlainText().splitlines() == [
        f"{TITLE}: ejemplo 1.1.0 → 1.2.0",
        "  1 guion modificado: Saludo",  # a new version number alone is no news
    ]

    card = dialog.pack_cards["ejemplo"]
    assert card.rollback_button is not None
    assert card.notes is not None
    assert card.notes.text() == "Versión anterior guardada: 1.1.0"
    questions: list[str] = []

    def answer(parent: object, title: str, text: str) -> QMessageBox.StandardButton:
        questions.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    outcome = run(qtbot, dialog, lambda: qtbot.mouseClick(card.rollback_button, LEFT))

    assert "¿Volver a usar ejemplo 1.1.0 en lugar de 1.2.0?" in questions[0]
    assert outcome.status == "done" and outcome.action == "rollback"
    assert dialog.result_banner.text() == "ejemplo volvió a la versión 1.1.0."
    assert f"{TITLE}: ejemplo 1.2.0 → 1.1.0" in dialog.changes_text.toPlainText()
    assert controller.library.get("ejemplo").version == "1.1.0"  # type: ignore[union-attr]
    found = install.installed_pack(paths, "ejemplo")
    assert found is not None and found.held_back == "1.2.0" and found.previous_version is None
    card = dialog.pack_cards["ejemplo"]
    assert card.rollback_button is None


def test_cancel_stops_the_install_and_changes_nothing(
    qtbot: QtBot,
    dialog: PacksDialog,
    controller: Controller,
    paths: Paths,
    src: Path,
    key: Ed25519PrivateKey,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    adpack = archive(src, key, "1.1.0")
    real = install.install
    gate = threading.Event()

    def held(*args: object, progress: verify.Progress, **kw: object) -> object:
        progress(0, 1)  # the dialog hears the install has started...
        assert gate.wait(10)  # ...and it waits here until the agent has pressed Cancel
        return real(*args, progress=progress, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(install, "install", held)
    dialog.install_file(adpack)
    assert dialog.busy and not dialog.install_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.progress.maximum() == STEPS)  # the first report arrived

    with qtbot.waitSignal(dialog.sig_done, timeout=30_000) as done:
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Escape while busy cancels, stays open
        assert dialog.progress_label.text() == "Cancelando…"
        gate.set()
    outcome: Outcome = done.args[0]

    assert outcome.status == "cancelled"
    assert dialog.isVisible() and dialog.install_button.isEnabled()
    assert dialog.result_banner.text() == "Se canceló. No se cambió nada más."
    assert install.installed(paths) == []
    assert not list(paths.installed_packs.glob("ejemplo/.incoming-*"))
    assert controller.library.get("ejemplo").version == "1.0.0"  # type: ignore[union-attr]


def test_change_lines_agree_in_spanish_and_count_long_lists() -> None:
    from agentdesk.core.shipping.changes import ItemChange, PackChanges

    items = tuple(ItemChange("macros", f"m{i}", f"Macro {i}", "added") for i in range(8))
    items += (ItemChange("offers", "o", "Oferta", "removed"),)
    changes = PackChanges("p", "Pack", "1.0.0", "2.0.0", items, True, False)
    assert change_lines(changes) == [
        "Pack: p 1.0.0 → 2.0.0",
        "  8 macros nuevas: Macro 0, Macro 1, Macro 2, Macro 3, Macro 4, Macro 5 y 2 más",
        "  1 oferta eliminada: Oferta",
        "  Cambiaron los datos del paquete (título, vigencia o públicos).",
    ]
    new = PackChanges("p", "Pack", None, "1.0.0", (), False, False)
    assert change_lines(new) == [
        "Pack: p 1.0.0 (nuevo en este equipo)",
        "  Ningún cambio visible para los agentes.",
    ]
