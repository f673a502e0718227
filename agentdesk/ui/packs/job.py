"""A pack job (install, update, roll back) on a worker thread.

The core's shipping functions block (they read archives, write and sync files, reach the
network), so each runs in a :class:`Job`. The worker never touches a widget: it reports
progress through a signal, which Qt delivers on the GUI thread, and the result is read
once the thread has finished. Cancel is Qt's interruption request: the next progress
report raises :class:`~agentdesk.core.shipping.outcome.Cancelled` and the core stops,
changing nothing (an update keeps the packs it already installed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, Signal

from agentdesk.core.shipping.outcome import Action, Cancelled, Outcome, job_outcome

if TYPE_CHECKING:
    from agentdesk.core.packs.model import Pack
    from agentdesk.core.shipping.channel import UpdateProgress


class Job(QThread):
    """Runs ``task(report)`` on a worker thread; :meth:`outcome` says how it ended.

    ``report`` is what the core's progress callbacks call. ``subject`` names what the job
    works on; ``before`` holds the packs in use when it started.
    """

    sig_progress = Signal(str, str, int, int)
    """Progress from the core: (pack id or "", phase, bytes done, bytes in all)."""

    def __init__(
        self,
        task: Callable[[UpdateProgress], object],
        action: Action,
        subject: str,
        cancellable: bool,
        before: dict[str, Pack],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._task = task
        self.action: Action = action
        self.subject = subject
        self.cancellable = cancellable
        self.before = before
        #: Cancel was pressed (read on the GUI thread; the worker asks Qt's flag).
        self.cancelled = False
        self.result: object = None
        self.error: Exception | None = None

    def run(self) -> None:  # on the worker thread
        try:
            self.result = self._task(self.report)
        except Exception as exc:  # every end goes back to the GUI thread, which says it
            self.error = exc

    def report(self, pack_id: str, phase: str, done: int, total: int) -> None:
        """The core's progress callback (on the worker thread)."""
        if self.isInterruptionRequested():
            raise Cancelled
        self.sig_progress.emit(pack_id, phase, done, total)

    def cancel(self) -> None:
        self.cancelled = True
        self.requestInterruption()

    def outcome(self) -> Outcome:
        """How the job ended (call once it has finished)."""
        return job_outcome(self.action, self.result, self.error)
