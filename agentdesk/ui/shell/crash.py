"""When the app fails: a crash report for IT, the note draft kept, and the agent told.

:class:`CrashGuard` is installed at start (two hooks: nothing is loaded for it before the
first paint). It catches exceptions on the GUI thread (PySide6 hands the exceptions of Qt
slots and event handlers to ``sys.excepthook``) and in other threads
(``threading.excepthook``). For each it writes a crash report
(:mod:`agentdesk.core.diagnostics`: no messages, no variables, no customer data), saves
every open note draft, and shows the agent where the report is; the app goes on. After the
first paint it opens the log file, and ``faulthandler`` writes the Python stacks of a hard
crash (a fault inside Qt) to ``fault.log`` beside it.

A failure during start-up, before the event loop runs, is reported by the command line's
handler (:func:`agentdesk.cli.main.main`), with the same report.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from agentdesk.core.i18n import _

if TYPE_CHECKING:
    from agentdesk.core.paths import Paths

#: A fault that repeats (in every paint, say) writes this many reports, then only log lines.
REPORTS_PER_RUN = 5
FAULT_LOG = "fault.log"


def qt_versions() -> dict[str, str]:
    import PySide6
    from PySide6.QtCore import qVersion
    from PySide6.QtGui import QGuiApplication

    platform = QGuiApplication.platformName() if QGuiApplication.instance() else ""
    return {"qt": qVersion(), "pyside6": PySide6.__version__, "qt platform": platform}


def keep_drafts() -> bool | None:
    """Write every open note draft to disk now: True if all were written, False if one
    could not be, None if there was none (the kiosk keeps no notes)."""
    from PySide6.QtWidgets import QApplication

    from agentdesk.core.diagnostics import log
    from agentdesk.ui.notes.notes_controller import NotesController

    kept: bool | None = None
    for window in QApplication.topLevelWidgets():
        for notes in window.findChildren(NotesController):
            if notes.draft is None:
                continue
            try:
                notes.flush()
                kept = kept is not False
            except Exception as exc:  # the report is written already; say this one failed
                log.error("the note draft could not be written: %s", type(exc).__name__)
                kept = False
    return kept


class CrashGuard(QObject):
    sig_crashed = Signal(str)
    """A crash report was written (its path); from any thread, handled on the GUI thread."""

    def __init__(self, paths: Paths, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.reports: list[Path] = []
        self._previous = (sys.excepthook, threading.excepthook)
        self._fault_file: IO[str] | None = None
        self._writing = threading.Lock()
        self._telling = False
        self.sig_crashed.connect(self._tell)  # queued when emitted from another thread
        sys.excepthook = self._on_exception
        threading.excepthook = self._on_thread_exception

    def start_log(self) -> Path:
        """Open the log file and the fault log (after the first paint: they load modules)."""
        import faulthandler

        from agentdesk.core.diagnostics import environment, log, start_log

        path = start_log(self.paths.logs)
        versions = environment(qt_versions())
        log.info("AgentDesk started: %s", ", ".join(f"{k} {v}" for k, v in versions.items()))
        if self._fault_file is None:
            self._fault_file = (self.paths.logs / FAULT_LOG).open("a", encoding="utf-8")
            faulthandler.enable(self._fault_file)
        return path

    def uninstall(self) -> None:
        """The app ends: the hooks as they were, the log files closed."""
        import faulthandler

        from agentdesk.core.diagnostics import log, stop_log

        sys.excepthook, threading.excepthook = self._previous
        if self._fault_file is not None:
            faulthandler.disable()
            self._fault_file.close()
            self._fault_file = None
        log.info("AgentDesk ended")
        stop_log()

    def _on_exception(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        self._previous[0](kind, exc, tb)  # a terminal, when there is one, still shows it
        if not issubclass(kind, KeyboardInterrupt):
            self.report(kind, exc, tb, f"thread {threading.current_thread().name}")

    def _on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        self._previous[1](args)
        if args.exc_value is not None and not issubclass(args.exc_type, SystemExit):
            name = args.thread.name if args.thread is not None else "?"
            self.report(args.exc_type, args.exc_value, args.exc_traceback, f"thread {name}")

    def report(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None, where: str
    ) -> Path | None:
        """Write the crash report and tell the agent (on the GUI thread); from any thread."""
        from agentdesk.core.diagnostics import crash_report, log, write_report

        with self._writing:
            if len(self.reports) >= REPORTS_PER_RUN:
                log.error("crash (%s) in %s: no more reports this run", kind.__name__, where)
                return None
            try:
                text = crash_report(kind, exc, tb, where, qt_versions())
                path = write_report(self.paths.logs, text)
            except OSError as error:
                log.error("crash (%s): no report written: %s", kind.__name__, error)
                return None
            self.reports.append(path)
        log.error("crash (%s) in %s: report %s", kind.__name__, where, path)
        self.sig_crashed.emit(str(path))
        return path

    def _tell(self, report: str) -> None:
        """Keep the drafts, then tell the agent what happened and where the report is."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        from agentdesk.ui.shell.single_instance import main_window

        kept = keep_drafts()
        if self._telling:  # one message at a time: the agent is reading the last one
            return
        parts = [_("AgentDesk ran into an unexpected error. You can go on working.")]
        if kept is not None:
            parts.append(
                _("Your note draft is saved.")
                if kept
                else _("Your note draft could not be saved: copy what you need before you close.")
            )
        parts.append(_("A report for IT was written to:") + f"\n{report}")
        text = "\n\n".join(parts)
        box = QMessageBox(main_window())
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("Unexpected error"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(text)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._told)
        self._telling = True
        box.open()

    def _told(self) -> None:
        self._telling = False
