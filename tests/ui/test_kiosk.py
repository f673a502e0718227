"""The branch kiosk, driven by touch (clicks) and keys: it will not quit, lists only kiosk
content, forgets the customer when left alone, and opens only with the administrator PIN.

Time is injected: the idle clock and the wall clock of the PIN limiter move when a test
says so; nothing waits for real seconds.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QCloseEvent, QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidgetItemIterator,
    QWidget,
)
from pytestqt.qtbot import QtBot

from agentdesk.cli.main import main
from agentdesk.core.kiosk import FIRST_LOCK, FREE_ATTEMPTS, PinLimiter, hash_pin, limiter_file
from agentdesk.core.kiosk import verify_pin as matches
from agentdesk.core.packs.library import Library
from agentdesk.core.packs.validity import may_use
from agentdesk.core.paths import Paths
from agentdesk.core.settings import Settings
from agentdesk.ui.kiosk.kiosk_window import TOUCH_TARGET, KioskWindow
from agentdesk.ui.kiosk.touch_keyboard import TouchKeyboard
from agentdesk.ui.shell.controller import Controller
from tests.conftest import REPO
from tests.helpers import kiosk_example_library

PIN = "480135"
STORED = hash_pin(PIN)
IN_CAMPAIGN = date(2021, 3, 20)  # recuperacion-equipos is current only in March 2021


class Clock:
    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Kiosk(KioskWindow):
    """A kiosk with its clocks at hand."""

    idle_clock: Clock
    wall_clock: Clock


Make = Callable[..., Kiosk]


@pytest.fixture(scope="session")
def kiosk_packs(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The bundled packs, and the example pack as a trainer would make it for kiosks."""
    return kiosk_example_library(tmp_path_factory.mktemp("kiosk"))


@pytest.fixture
def make_kiosk(qtbot: QtBot, kiosk_packs: Library, qapp: QApplication) -> Iterator[Make]:
    made: list[Kiosk] = []

    def make(
        today: date | None = date(2024, 6, 1),
        pin: str | None = PIN,
        idle: int = 90,
        interval_ms: int = 60_000,
    ) -> Kiosk:
        settings = Settings(kiosk_idle_seconds=idle, kiosk_pin_hash=STORED if pin else "")
        paths = Paths.resolve()
        controller = Controller(paths, settings, kiosk_packs, "kiosk", today)
        idle_clock, wall_clock = Clock(), Clock(1_700_000_000.0)
        window = Kiosk(
            controller,
            limiter=PinLimiter(limiter_file(paths), wall_clock),
            clock=idle_clock,
            idle_interval_ms=interval_ms,
            touch_keyboard=True,
        )
        window.idle_clock, window.wall_clock = idle_clock, wall_clock
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        made.append(window)
        return window

    yield make
    for window in made:
        window.release()  # what the administrator's "Leave kiosk mode" does


def settle() -> None:
    """Let posted layout requests run, as the event loop would before the next frame."""
    for _ in range(3):
        QApplication.processEvents()


def tap(qtbot: QtBot, widget: QWidget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def listed(window: KioskWindow) -> set[tuple[str, str]]:
    found = set()
    it = QTreeWidgetItemIterator(window.start.list)
    while it.value():
        data = it.value().data(0, Qt.ItemDataRole.UserRole)
        if data:
            found.add(tuple(data))
        it += 1
    return found


def type_pin(qtbot: QtBot, window: KioskWindow, pin: str) -> None:
    pad = window.pages.currentWidget()
    keys = {k.text(): k for k in pad.keys}  # type: ignore[attr-defined]
    for digit in pin:
        tap(qtbot, keys[digit])
    tap(qtbot, keys["OK"])


def unlock(qtbot: QtBot, window: KioskWindow) -> None:
    tap(qtbot, window.admin_button)
    assert window.pages.currentWidget() is window.gate
    type_pin(qtbot, window, PIN)
    assert window.pages.currentWidget() is window.admin


# -- it does not quit -----------------------------------------------------------------------


def test_closing_and_quit_keys_do_nothing(qtbot: QtBot, make_kiosk: Make) -> None:
    window = make_kiosk()
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert not window.close()
    event = QCloseEvent()
    QApplication.sendEvent(window, event)  # what Alt+F4 or the window manager sends
    assert not event.isAccepted()

    fired: list[str] = []
    for keys in ("Ctrl+Q", "Ctrl+W", "Alt+F4", "Escape"):  # as if something had bound them
        shortcut = QShortcut(QKeySequence(keys), window)
        shortcut.activated.connect(lambda k=keys: fired.append(k))
    presses = [
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_F4, Qt.KeyboardModifier.ControlModifier),
    ]
    window.controller.open("ejemplo", "reclamo")
    window.details.toggle.setChecked(True)
    targets = [window, window.start.list, window.details.fields["nombre"]]
    for target in targets:
        target.setFocus()
        for key, modifier in presses:
            qtbot.keyClick(QApplication.focusWidget() or window, key, modifier)
    assert fired == []
    assert window.isVisible() and QApplication.activeWindow() is window

    tap(qtbot, window.admin_button)  # the PIN's keypad, with its field focused
    cancelled: list[bool] = []
    window.gate.sig_cancel.connect(lambda: cancelled.append(True))
    for key, modifier in presses:
        qtbot.keyClick(window.gate.field, key, modifier)
    assert fired == [] and cancelled == []
    assert window.pages.currentWidget() is window.gate and window.isVisible()


def test_only_the_administrator_leaves_kiosk_mode(qtbot: QtBot, make_kiosk: Make) -> None:
    window = make_kiosk()
    unlock(qtbot, window)
    tap(qtbot, window.admin.leave)
    assert not window.isVisible()


# -- only kiosk content ---------------------------------------------------------------------


def test_only_kiosk_packs_and_flows_are_listed(qtbot: QtBot, make_kiosk: Make) -> None:
    window = make_kiosk(today=IN_CAMPAIGN)
    flows = listed(window)
    packs = {pack for pack, _ in flows}
    assert "recuperacion-equipos" in packs and "inicio" in packs
    assert "modelo-atencion-movistar" in packs
    assert not packs & {"migracion-pre-post", "gestionix-nueva-plataforma"}
    assert "soporte-reglas-generales" not in packs
    library = window.controller.library
    for pack_id, flow_id in flows:
        pack = library.get(pack_id)
        assert pack is not None and may_use(pack, pack.flows[flow_id], "kiosk")
    assert window.controller.audience == "kiosk"


def test_expired_content_is_not_listed_on_a_kiosk(qtbot: QtBot, make_kiosk: Make) -> None:
    packs = {pack for pack, _ in listed(make_kiosk(today=date(2024, 6, 1)))}
    assert "recuperacion-equipos" not in packs  # its campaign ended in March 2021
    assert "ejemplo" in packs


def test_a_tap_opens_a_flow_and_desk_choices_are_hidden(qtbot: QtBot, make_kiosk: Make) -> None:
    window = make_kiosk()
    tree = window.start.list
    item = tree.findItems("¿Qué necesita el cliente?", Qt.MatchFlag.MatchRecursive)[0]
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.pages.currentWidget() is window.wizard
    choices = {b.choice_id for b in window.wizard.choice_buttons}
    assert {"sucursal-mixta", "sucursal-unica", "cabinas"} <= choices
    assert not choices & {"migracion-pre-post", "gestionix", "otro-servicio", "cobranza"}


def test_a_desk_flow_never_shows_on_a_kiosk(qtbot: QtBot, make_kiosk: Make) -> None:
    window = make_kiosk()
    window.controller.open("migracion-pre-post", "contacto")
    assert window.pages.currentWidget() is window.start
    assert not window.controller.is_open
    assert window.status.isVisible()


def test_opening_a_desk_flow_on_a_kiosk_fails_with_a_message(
    qtbot: QtBot, make_kiosk: Make
) -> None:
    window = make_kiosk()
    controller = window.controller
    with (
        qtbot.assertNotEmitted(controller.sig_view),
        qtbot.waitSignal(controller.sig_message) as message,
    ):
        assert not controller.open("migracion-pre-post", "contacto")
    assert message.args[0] == "Este flujo no está disponible en los quioscos."
    assert window.status.text() == message.args[0]
    assert not controller.is_open


def test_no_search_and_no_notes(qtbot: QtBot, make_kiosk: Make) -> None:
    window = make_kiosk()
    visible = [w for w in window.findChildren(QWidget) if w.isVisibleTo(window)]
    assert not [w for w in visible if isinstance(w, QLineEdit)]  # nothing to search with
    names = {type(w).__name__ for w in window.findChildren(QWidget)}
    assert not {n for n in names if "Search" in n or "Note" in n}
    texts = [b.text() for b in window.findChildren(QPushButton) if b.isVisibleTo(window)]
    assert not [t for t in texts if "Ctrl+K" in t]
    window.controller.open("ejemplo", "reclamo")
    toggle = window.details.toggle  # the customer details name no keyboard shortcut
    assert toggle.text() == toggle.accessibleName() == "Datos del cliente"


# -- forgetting the customer ----------------------------------------------------------------


def fill_in_a_customer(qtbot: QtBot, window: Kiosk) -> None:
    c = window.controller
    c.open("ejemplo", "reclamo")
    window.details.toggle.setChecked(True)
    field = window.details.fields["nombre"]
    field.setFocus()
    qtbot.keyClicks(field, "Ana Perez")
    assert c.session.values["nombre"] == "Ana Perez"
    c.choose("verificar")
    check = next(w for w in window.wizard.checks.widgets if w.isVisibleTo(window))
    qtbot.mouseClick(check.box, Qt.MouseButton.LeftButton)
    window.wizard.copy_primary() or window.wizard._copy("saludo", "Ana Perez, 150")
    assert c.ticks and c.timer_starts and c.copied
    assert QApplication.clipboard().text()


def test_idle_reset_forgets_the_customer(qtbot: QtBot, make_kiosk: Make) -> None:
    window = make_kiosk(idle=90)
    fill_in_a_customer(qtbot, window)
    c = window.controller
    old_wizard, old_details = window.wizard, window.details

    window.idle_clock.advance(89)
    window.watcher.check()
    assert not window.overlay.isVisible()
    window.idle_clock.advance(1)
    window.watcher.check()
    assert window.overlay.isVisible() and window.overlay.seconds.text() == "10"
    window.idle_clock.advance(7)
    window.watcher.check()
    assert window.overlay.seconds.text() == "3"
    assert c.session.values  # nothing is cleared during the countdown

    window.idle_clock.advance(3)
    with qtbot.waitSignals([old_wizard.destroyed, old_details.destroyed]):
        window.watcher.check()  # the pages that showed the customer are destroyed
    assert c.session.values == {}
    assert c.session.walks == () and not c.is_open and c.view is None  # the path
    assert c.ticks == set() and c.timer_starts == {} and c.copied == []
    assert QApplication.clipboard().text() == ""
    assert window.pages.currentWidget() is window.start
    assert window._wizard is None and window._details is None
    assert not window.overlay.isVisible() and not window.details_area.isVisible()
    assert window.title.text() == "AgentDesk"

    c.open("ejemplo", "reclamo")  # the next customer starts from nothing
    assert window.details.fields["nombre"].text() == ""
    assert not [label.text() for label in window.findChildren(QLabel) if "Ana" in label.text()]
    assert window.wizard.view is not None and window.wizard.view.step_id == "inicio"


def test_a_touch_during_the_countdown_keeps_the_customer(qtbot: QtBot, make_kiosk: Make) -> None:
    window = make_kiosk(idle=90)
    fill_in_a_customer(qtbot, window)
    window.idle_clock.advance(95)
    window.watcher.check()
    assert window.overlay.isVisible()
    with qtbot.waitSignal(window.watcher.sig_active):
        qtbot.mouseClick(window.overlay, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert not window.overlay.isVisible()
    window.idle_clock.advance(60)
    window.watcher.check()
    assert window.controller.session.values["nombre"] == "Ana Perez"
    assert window.pages.currentWidget() is window.wizard


def test_the_idle_timer_resets_by_itself(qtbot: QtBot, make_kiosk: Make) -> None:
    window = make_kiosk(idle=90, interval_ms=10)
    window.controller.open("ejemplo", "reclamo")
    window.idle_clock.advance(100)
    with qtbot.waitSignal(window.watcher.sig_reset, timeout=5000):
        pass
    assert window.pages.currentWidget() is window.start and not window.controller.is_open


def test_an_untouched_start_screen_does_not_count_down(qtbot: QtBot, make_kiosk: Make) -> None:
    window = make_kiosk()
    with qtbot.assertNotEmitted(window.watcher.sig_warning):
        window.idle_clock.advance(95)
        window.watcher.check()
    assert not window.overlay.isVisible()


def test_new_customer_button_clears_at_once(qtbot: QtBot, make_kiosk: Make) -> None:
    window = make_kiosk()
    fill_in_a_customer(qtbot, window)
    tap(qtbot, window.new_customer_button)
    c = window.controller
    assert c.session.values == {} and not c.is_open and not c.ticks
    assert window.pages.currentWidget() is window.start


# -- the administrator's PIN ----------------------------------------------------------------


def test_the_right_pin_opens_the_settings(qtbot: QtBot, make_kiosk: Make) -> None:
    window = make_kiosk()
    tap(qtbot, window.admin_button)
    type_pin(qtbot, window, "111357")
    assert window.gate.verdict is not None and window.gate.verdict.outcome == "wrong"
    assert window.pages.currentWidget() is window.gate
    assert window.gate.field.text() == ""  # a wrong PIN is not left on screen
    type_pin(qtbot, window, PIN)
    assert window.pages.currentWidget() is window.admin
    tap(qtbot, window.admin.done)
    assert window.pages.currentWidget() is window.start


def test_cancel_goes_back_to_the_customer(qtbot: QtBot, make_kiosk: Make) -> None:
    window = make_kiosk()
    window.controller.open("ejemplo", "consulta")
    tap(qtbot, window.admin_button)
    tap(qtbot, window.gate.cancel)
    assert window.pages.currentWidget() is window.wizard


def test_wrong_pins_are_rate_limited(qtbot: QtBot, make_kiosk: Make) -> None:
    window = make_kiosk()
    tap(qtbot, window.admin_button)
    for n in range(FREE_ATTEMPTS):
        type_pin(qtbot, window, f"11135{n}")
    gate = window.gate
    assert gate.verdict is not None and gate.verdict.locked_for == FIRST_LOCK
    assert not any(k.isEnabled() for k in gate.keys) and not gate.field.isEnabled()
    assert str(int(FIRST_LOCK)) in gate.message.text()

    gate.sig_submit.emit(PIN)  # even the right PIN waits for the lock to end
    assert gate.verdict.outcome == "locked"
    assert window.pages.currentWidget() is gate

    window.wall_clock.advance(FIRST_LOCK - 1)
    gate.refresh()
    assert not gate.field.isEnabled() and "1" in gate.message.text()
    window.wall_clock.advance(1)
    gate.refresh()
    assert all(k.isEnabled() for k in gate.keys)
    type_pin(qtbot, window, "111999")  # one more wrong PIN: twice as long
    assert gate.verdict.locked_for == 2 * FIRST_LOCK
    window.wall_clock.advance(2 * FIRST_LOCK)
    gate.refresh()
    type_pin(qtbot, window, PIN)
    assert window.pages.currentWidget() is window.admin


def test_the_limit_outlives_the_app(qtbot: QtBot, make_kiosk: Make) -> None:
    first = make_kiosk()
    tap(qtbot, first.admin_button)
    for n in range(FREE_ATTEMPTS):
        type_pin(qtbot, first, f"11135{n}")
    second = make_kiosk()  # the kiosk was switched off and on
    tap(qtbot, second.admin_button)
    assert not second.gate.field.isEnabled()
    second.gate.sig_submit.emit(PIN)
    assert second.gate.verdict is not None and second.gate.verdict.outcome == "locked"


def test_without_a_pin_the_kiosk_cannot_be_left(qtbot: QtBot, make_kiosk: Make) -> None:
    window = make_kiosk(pin=None)
    tap(qtbot, window.admin_button)
    assert not any(k.isEnabled() for k in window.gate.keys)
    assert "agentdesk kiosk set-pin" in window.gate.message.text()
    window.gate.sig_submit.emit("")
    assert window.pages.currentWidget() is window.gate


def test_a_pin_set_from_the_command_line_is_used_at_once(qtbot: QtBot, make_kiosk: Make) -> None:
    window = make_kiosk(pin=None)
    settings = Settings(kiosk_pin_hash=hash_pin("271828"))
    settings.save(Paths.resolve().settings_file)  # agentdesk kiosk set-pin, meanwhile
    tap(qtbot, window.admin_button)
    type_pin(qtbot, window, "271828")
    assert window.pages.currentWidget() is window.admin


def test_set_pin_from_the_command_line_lifts_the_lock_of_a_running_kiosk(
    qtbot: QtBot, make_kiosk: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_kiosk()
    tap(qtbot, window.admin_button)
    for n in range(FREE_ATTEMPTS):
        type_pin(qtbot, window, f"11135{n}")
    assert not window.gate.field.isEnabled()
    monkeypatch.setattr("sys.stdin", io.StringIO("271828\n"))
    assert main(["kiosk", "set-pin", "--pin-stdin"]) == 0
    window.gate.refresh()  # its timer does, every second
    assert window.gate.field.isEnabled()
    type_pin(qtbot, window, "271828")
    assert window.pages.currentWidget() is window.admin


def test_the_administrator_changes_the_pin(qtbot: QtBot, make_kiosk: Make) -> None:
    window = make_kiosk()
    unlock(qtbot, window)
    tap(qtbot, window.admin.change_pin)
    type_pin(qtbot, window, "271828")
    type_pin(qtbot, window, "271829")  # a typo: start again
    assert window.pages.currentWidget() is window.new_pin
    type_pin(qtbot, window, "271828")
    type_pin(qtbot, window, "271828")
    assert window.pages.currentWidget() is window.admin
    on_disk = Settings.load(Paths.resolve().settings_file).kiosk_pin_hash
    assert matches("271828", on_disk) and not matches(PIN, on_disk)
    assert "271828" not in Paths.resolve().settings_file.read_text(encoding="utf-8")
    tap(qtbot, window.admin.done)
    tap(qtbot, window.admin_button)
    type_pin(qtbot, window, PIN)
    assert window.gate.verdict is not None and window.gate.verdict.outcome == "wrong"


def test_the_administrator_sets_the_idle_time(qtbot: QtBot, make_kiosk: Make) -> None:
    window = make_kiosk(idle=90)
    unlock(qtbot, window)
    tap(qtbot, window.admin.more)
    assert window.settings.kiosk_idle_seconds == 120
    assert window.watcher.policy.idle == 120
    assert Settings.load(Paths.resolve().settings_file).kiosk_idle_seconds == 120
    tap(qtbot, window.admin.less)
    tap(qtbot, window.admin.less)
    assert window.settings.kiosk_idle_seconds == 60


def test_the_settings_lock_again_when_left_alone(qtbot: QtBot, make_kiosk: Make) -> None:
    window = make_kiosk(idle=90)
    unlock(qtbot, window)
    window.idle_clock.advance(100)
    window.watcher.check()
    assert window.pages.currentWidget() is window.start
    tap(qtbot, window.admin_button)
    assert window.pages.currentWidget() is window.gate  # the PIN again


# -- touch ----------------------------------------------------------------------------------


def too_small(window: QWidget) -> list[str]:
    settle()
    kinds = (QAbstractButton, QLineEdit, QComboBox)
    return [
        f"{type(w).__name__} {w.accessibleName() or getattr(w, 'text', lambda: '')()!r}: "
        f"{w.height()} px"
        for w in window.findChildren(QWidget)
        if isinstance(w, kinds) and w.isVisibleTo(window) and w.height() < TOUCH_TARGET
    ]


def test_every_touch_target_is_at_least_48_px_high(qtbot: QtBot, make_kiosk: Make) -> None:
    window = make_kiosk(today=IN_CAMPAIGN)
    assert too_small(window) == []
    tree = window.start.list
    rows = [tree.visualItemRect(tree.topLevelItem(0).child(0))]
    rows += [tree.visualItemRect(tree.topLevelItem(n)) for n in range(tree.topLevelItemCount())]
    assert min(r.height() for r in rows) >= TOUCH_TARGET

    window.controller.open("inicio", "inicio")
    assert window.wizard.choice_buttons
    assert too_small(window) == []
    window.controller.open("ejemplo", "reclamo")
    window.controller.choose("verificar")  # a checklist, a timer, cards
    window.details.toggle.setChecked(True)
    assert too_small(window) == []
    assert min(c.height() for c in window.wizard.checks.widgets) >= TOUCH_TARGET

    window.details.fields["nombre"].setFocus()
    assert window.keyboard.isVisible()
    assert too_small(window) == []

    tap(qtbot, window.admin_button)
    assert too_small(window) == []
    assert min(k.height() for k in window.gate.keys) >= TOUCH_TARGET
    type_pin(qtbot, window, PIN)
    assert too_small(window) == []


def test_the_touch_keyboard_types_the_customer_details(qtbot: QtBot, make_kiosk: Make) -> None:
    window = make_kiosk()
    window.controller.open("ejemplo", "reclamo")
    window.details.toggle.setChecked(True)
    assert not window.keyboard.isVisible()
    field = window.details.fields["nombre"]
    tap(qtbot, field)
    assert window.keyboard.isVisible()
    keyboard: TouchKeyboard = window.keyboard
    keys = {k.accessibleName(): k for k in keyboard.keys}
    for name in (keyboard.shift_key.accessibleName(), "a", "n", "a", "Espacio", "p", "é"):
        tap(qtbot, keys[name])
    assert field.text() == "Ana pé"
    tap(qtbot, keys["Borrar"])
    assert field.hasFocus()  # the keys never take the focus
    assert window.controller.session.values["nombre"] == "Ana p"
    tap(qtbot, keys["Ocultar el teclado"])
    assert not window.keyboard.isVisible()

    tap(qtbot, window.admin_button)  # the PIN has its own keypad
    assert window.gate.field.hasFocus() and not window.keyboard.isVisible()


def test_the_details_panel_fits_the_details_as_they_open_close_and_flag(
    qtbot: QtBot, make_kiosk: Make
) -> None:
    window = make_kiosk()
    window.resize(1280, 1400)  # tall enough to show all the details
    window.controller.open("ejemplo", "reclamo")
    settle()
    closed = window.details_area.height()
    window.details.toggle.setChecked(True)
    settle()
    height = window.details_area.height()
    assert height == window.details.sizeHint().height() > closed
    window.details.fields["cedula"].setText("12")  # too short: a line says so
    settle()
    assert window.details_area.height() == window.details.sizeHint().height() > height
    window.details.fields["cedula"].setText("1712345678")  # the line goes, and its room
    settle()
    assert window.details_area.height() == height
    window.details.toggle.setChecked(False)
    settle()
    # closed, it names what was typed under its title (issue 12): one line more than empty
    assert window.details.summary.text() == "Cédula: 1712345678"
    assert window.details_area.height() == window.details.sizeHint().height() > closed
    window.details.fields["cedula"].setText("")
    settle()
    assert window.details_area.height() == closed


# -- the command line -----------------------------------------------------------------------


def _screenshot(tmp_path: Path, *options: str) -> QImage:
    target = tmp_path / "kiosk.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "agentdesk", "--lang", "es", *options, "--screenshot", str(target)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return QImage(str(target))


def test_kiosk_screenshot_from_the_option_or_the_setting(tmp_path: Path) -> None:
    image = _screenshot(tmp_path, "--kiosk", "--pack", "inicio", "--choose", "cabinas")
    assert (image.width(), image.height()) == (1280, 800)
    Settings(kiosk=True).save(Paths.resolve().settings_file)
    image = _screenshot(tmp_path)
    assert (image.width(), image.height()) == (1280, 800)


def test_a_kiosk_needs_a_kiosk_controller(qtbot: QtBot, bundled: Library) -> None:
    desk = Controller(Paths.resolve(), Settings(), bundled, "desk", date(2024, 6, 1))
    with pytest.raises(ValueError, match="kiosk"):
        KioskWindow(desk)


def test_the_kiosk_fills_the_screen_even_when_nothing_acts_on_full_screen(
    qtbot: QtBot, make_kiosk: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bare X session has no window manager to honour the full-screen request."""
    window = make_kiosk()
    monkeypatch.setattr(window, "showFullScreen", lambda: None)
    window.show_full_screen()
    assert window.geometry() == window.screen().geometry()


# -- issue 12: full screen whatever happens to the window; only current kiosk content -------


def test_a_minimized_kiosk_goes_back_to_full_screen(qtbot: QtBot, make_kiosk: Make) -> None:
    window = make_kiosk()
    window.show_full_screen()
    qtbot.waitUntil(window.isFullScreen)
    window.setWindowState(window.windowState() | Qt.WindowState.WindowMinimized)  # the WM
    qtbot.waitUntil(lambda: not window.isMinimized() and window.isFullScreen())


def test_a_kiosk_whose_window_stops_showing_shows_it_again(qtbot: QtBot, make_kiosk: Make) -> None:
    """Another X client unmapped (or destroyed) the native window: the app would stay alive
    with nothing on screen. A new native window is made and shown full screen."""
    window = make_kiosk()
    window.show_full_screen()
    qtbot.waitUntil(window.isFullScreen)
    handle = window.windowHandle()
    handle.hide()  # as an unmap looks to Qt: the native window no longer shows
    qtbot.waitUntil(lambda: window.restored == 1)
    qtbot.waitUntil(lambda: window.windowHandle().isExposed() and window.isFullScreen())


def test_the_trainers_example_is_not_on_a_kiosk(
    qtbot: QtBot, bundled: Library, qapp: QApplication
) -> None:
    controller = Controller(Paths.resolve(), Settings(), bundled, "kiosk", date(2024, 6, 1))
    window = KioskWindow(controller, touch_keyboard=True)
    qtbot.addWidget(window)
    try:
        packs = {pack for pack, _ in listed(window)}
        assert "inicio" in packs and "ejemplo" not in packs
    finally:
        window.release()


def test_a_kiosk_never_offers_expired_content_as_an_answer(qtbot: QtBot, make_kiosk: Make) -> None:
    window = make_kiosk(today=date(2024, 6, 1))
    window.controller.open("inicio", "inicio")
    choices = window.wizard.choice_buttons
    assert choices and choices[0].choice_id != "equipos"  # a campaign that ended in 2021
    assert "equipos" not in {b.choice_id for b in choices}
    in_campaign = make_kiosk(today=IN_CAMPAIGN)
    in_campaign.controller.open("inicio", "inicio")
    assert "equipos" in {b.choice_id for b in in_campaign.wizard.choice_buttons}


def test_every_kiosk_control_has_a_name_and_a_description(qtbot: QtBot, make_kiosk: Make) -> None:
    from tests.ui.test_accessibility import unnamed

    window = make_kiosk(today=IN_CAMPAIGN)
    found = {"start": unnamed(window)}
    window.controller.open("recuperacion-equipos", "cliente-recibio-mensaje")
    window.details.toggle.setChecked(True)
    next(iter(window.details.fields.values())).setFocus()  # the on-screen keyboard comes up
    settle()
    found["a step, its details and the keyboard"] = unnamed(window)
    tap(qtbot, window.admin_button)
    found["the PIN"] = unnamed(window)
    type_pin(qtbot, window, PIN)
    assert window.pages.currentWidget() is window.admin
    found["administration"] = unnamed(window)
    assert {state: controls for state, controls in found.items() if controls} == {}
