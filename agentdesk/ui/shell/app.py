"""Start the desktop app: settings, language, packs, the window, and screenshot mode."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from agentdesk.core.i18n import language, set_language
from agentdesk.core.paths import Paths
from agentdesk.core.settings import Settings

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from agentdesk.core.packs.model import Audience
    from agentdesk.ui.kiosk.kiosk_window import KioskWindow
    from agentdesk.ui.panel.main_window import MainWindow
    from agentdesk.ui.shell.controller import Controller
    from agentdesk.ui.shell.crash import CrashGuard


def run_app(args: argparse.Namespace) -> int:
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # What start-up makes (modules, Qt types and enums, widgets) lives as long as the app:
    # the cycle collector would walk it again and again before the first paint and find
    # nothing. It is paused until then, and what exists by then is set aside (_started).
    gc.disable()
    # The core is imported before PySide6: PySide6 reads the source of every module
    # imported after it (for its __feature__ imports), about a millisecond each. So is
    # what of the interface needs no Qt.
    from agentdesk.core.interaction import call, drafting  # noqa: F401 - see above
    from agentdesk.core.packs.folder import pack_argument
    from agentdesk.core.packs.library import Library, unknown_pack
    from agentdesk.core.packs.start_list import read as read_start_list
    from agentdesk.core.usage import recording  # noqa: F401 - see above
    from agentdesk.ui.shell import shortcuts  # noqa: F401 - see above
    from agentdesk.ui.shell.qt_start import read_sources_faster

    paths = Paths.resolve(args.data_dir)
    settings = Settings.load(paths.settings_file)
    set_language(args.lang or settings.language)
    if args.lang:
        settings.language = args.lang

    from PySide6.QtWidgets import QApplication

    read_sources_faster()  # before the interface's modules are imported
    from agentdesk.ui.shell.controller import Controller
    from agentdesk.ui.shell.identity import set_identity
    from agentdesk.ui.shell.single_instance import SingleInstance, serve
    from agentdesk.ui.shell.widgets import after_first_paint
    from agentdesk.ui.wizard.start_page import when_listed

    instance = SingleInstance(paths.data)  # one app per user and data folder
    if not args.screenshot and not instance.acquire():
        return instance.hand_over(args.pack, args.flow)

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("AgentDesk")
    app.setOrganizationName("AgentDesk")

    folder = pack_argument(args.pack) if args.pack else None  # checked by cli.main
    folders = [folder] if folder else []
    library = Library(paths, folders=folders)
    # What the start screen lists, kept by the last load if the packs are unchanged: the
    # panel shows it at its first paint, and the packs themselves are loaded right after.
    listed = None if args.screenshot else read_start_list(library)
    if args.screenshot or (args.pack and not folder and listed is None):
        library.load()  # the state asked for, or the pack id to check, needs the packs now
    if args.pack and not folder:  # a folder with errors opens: the panel shows them
        known = library.packs() if library.loaded else dict.fromkeys(listed.ids if listed else ())
        if args.pack not in known:
            problem = unknown_pack(library.load(), args.pack)
            print(f"agentdesk: error: {problem}", file=sys.stderr)
            return 2
    today = date.fromisoformat(args.today) if args.today else None
    kiosk = bool(args.kiosk or settings.kiosk)
    audience: Audience = "kiosk" if kiosk else "desk"
    controller = Controller(paths, settings, library, audience, today, listed)
    desk: MainWindow | None = None
    booth: KioskWindow | None = None
    window: QWidget
    if kiosk:
        window = booth = build_kiosk(controller)
    else:
        window = desk = build_window(controller, app)
    if args.window:
        settings.mode = "window"
    set_identity(app, window)  # the desktop entry's id, the icon on every window

    def open_asked() -> None:
        """The pack, flow, values and answers given on the command line."""
        pack_id = args.pack
        if folder:
            entry = library.entries.get(folder)
            pack_id = entry.pack.id if entry and entry.pack else None
        for pair in args.var:
            key, _, value = pair.partition("=")
            controller.session.values[key.strip()] = value
        if pack_id and controller.open(pack_id, args.flow):
            for choice in args.choose:
                controller.choose(choice)

    if args.screenshot:
        open_asked()
        _started()  # no event loop follows: start-up ends here
        return screenshot(window, Path(args.screenshot), "kiosk" if kiosk else settings.mode)

    if booth is not None:
        booth.show_full_screen()  # the kiosk keeps itself full screen from then on
    if desk is not None:
        desk.place()
        desk.show()
    # Qt's own words (dialog buttons, context menus) first of what follows the first paint
    after_first_paint(window, lambda: use_qt_language(app, language()), first=True)
    if not library.loaded:
        after_first_paint(window, controller.reload)  # paint the panel first, then fill it
    after_first_paint(window, open_asked)
    after_first_paint(window, lambda: _watch_packs(controller, app))
    after_first_paint(window, _started)
    if desk is not None:  # notes to the central server, off the GUI thread (docs/central.md)
        after_first_paint(window, lambda: _start_central_sync(paths, app))
    quit_after = os.environ.get("AGENTDESK_QUIT_AFTER_PAINT")  # scripts/bench_ui.py
    if quit_after:  # the figure ends at the first paint that shows the packs: the start
        shown = desk or booth  # list, or the step of the flow asked for (if it shows first)
        assert shown is not None
        fired: list[bool] = []

        def report() -> None:
            if not fired:  # once, whichever paint comes first
                fired.append(True)
                _report_first_paint(app)

        controller.sig_view.connect(lambda _view: after_first_paint(shown.wizard, report))
        if quit_after != "step":  # "step": only the flow asked for
            when_listed(window.start, report)
    guards: list[CrashGuard] = []  # crash reports and the log file, from the first paint on
    after_first_paint(window, lambda: guards.append(_watch_crashes(paths, app)))
    serve(instance, window, controller)  # later starts hand their --pack/--flow over
    code = app.exec()
    controller.finish()
    settings.save(paths.settings_file)
    instance.release()
    for guard in guards:
        guard.uninstall()
    return int(code)


def build_window(controller: Controller, app: QApplication) -> MainWindow:
    """The agent's panel, in the desk's style: set on the application, for its dialogs and
    menus too (the kiosk's window carries its own)."""
    from agentdesk.ui.panel.main_window import MainWindow
    from agentdesk.ui.shell.theme import style_sheet

    app.setStyleSheet(style_sheet())

    def relaunch(code: str) -> None:
        """Switch language: rebuild the window over the same state."""
        use_qt_language(app, set_language(code))
        old = holder[0]
        new = MainWindow(controller, relaunch)
        new.setGeometry(old.geometry())
        if controller.view is not None:
            new.show_view(controller.view)
        new.place()
        new.show()
        holder[0] = new
        old.hide()
        old.deleteLater()

    holder = [MainWindow(controller, relaunch)]
    return holder[0]


def build_kiosk(controller: Controller) -> KioskWindow:
    """The locked-down branch kiosk (docs/kiosk.md)."""
    from agentdesk.ui.kiosk.kiosk_window import KioskWindow

    return KioskWindow(controller)


def use_qt_language(app: QApplication, language: str) -> bool:
    """Qt's own words in ``language`` from now on: message box buttons ("Sí", "Cancelar"),
    text fields' context menus, file dialogs. They come from Qt's catalog for the language,
    ``qtbase_<language>.qm``, which the PySide6 wheel ships (nothing is downloaded); English
    is Qt's own. False when Qt has no catalog for it."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    from agentdesk.ui.shell.qt_words import QtGaps

    for old in app.findChildren(QTranslator, "qtbase"):
        app.removeTranslator(old)
        old.deleteLater()
    if language == "en":
        return True
    translator = QTranslator(app)
    translator.setObjectName("qtbase")
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{language}", folder):
        return False
    app.installTranslator(translator)
    gaps = QtGaps(app)  # what Qt's catalog lacks; installed last, it is asked first
    gaps.setObjectName("qtbase")
    app.installTranslator(gaps)
    return True


def _start_central_sync(paths: Paths, app: QApplication) -> None:
    from agentdesk.core.central.sync import start_background_sync

    worker = start_background_sync(paths)
    if worker is not None:
        app.aboutToQuit.connect(worker.stop)


def _started() -> None:
    """Start-up is over: collect cycles again, skipping what start-up made (see run_app)."""
    gc.freeze()
    gc.enable()


def _watch_packs(controller: Controller, app: QApplication) -> None:
    from agentdesk.ui.shell.watcher import PackWatcher

    PackWatcher(controller, parent=app)


def _watch_crashes(paths: Paths, app: QApplication) -> CrashGuard:
    from agentdesk.ui.shell.crash import CrashGuard

    guard = CrashGuard(paths, app)
    guard.start_log()
    return guard


def _report_first_paint(app: QApplication) -> None:
    """Benchmark hook, at the first paint that shows the packs (the start list): print the
    seconds since the benchmark started this process, and the CPU seconds used so far."""
    import time

    spawned = os.environ.get("AGENTDESK_SPAWNED_AT")
    if spawned:
        wall, cpu = time.time() - float(spawned), time.process_time()
        print(f"first-paint {wall:.6f} {cpu:.6f}", flush=True)
    app.quit()


def screenshot(window: QWidget, target: Path, mode: str) -> int:
    """Render the window as it is now to a PNG and stop."""
    from PySide6.QtWidgets import QApplication

    size = {"panel": (420, 860), "kiosk": (1280, 800)}.get(mode, (1000, 760))
    window.resize(*size)
    window.show()
    QApplication.processEvents()
    target.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(target))
    if not ok:
        print(f"agentdesk: could not write {target}", file=sys.stderr)
        return 1
    print(target)
    return 0
