"""One piece of slow work off the GUI thread, its result delivered by a signal.

:class:`Worker` runs ``task()`` on a thread of its own and emits :attr:`Worker.sig_done`
with what it returned (or the exception it raised). The signal is emitted on the worker
thread; Qt delivers it queued to receivers living on the GUI thread, so connect it to a
method of a QObject made there (never to a lambda, which would run on the worker). The
task never touches a widget.

:meth:`Worker.outcome` gives the result on the GUI thread at once, waiting for the
worker if it is still running: for an agent faster than the work (a note saved while the
notes are still opening, a fraction of a millisecond).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal


class Worker(QThread):
    sig_done = Signal(object)
    """The task's result, or the exception it raised (emitted once, on the worker)."""

    def __init__(self, task: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._task = task
        self.result: object = None

    def run(self) -> None:  # on the worker thread: no widget here
        try:
            self.result = self._task()
        except Exception as exc:  # every end goes back to the GUI thread, which says it
            self.result = exc
        self.sig_done.emit(self.result)

    def outcome(self) -> object:
        """The result (or the exception), once the task has ended: waits for it."""
        self.wait()
        return self.result


def run_in_worker(
    task: Callable[[], object], done: Callable[[object], object], parent: QObject
) -> Worker:
    """Start ``task`` on a worker; ``done`` (a method of a QObject of the GUI thread, such
    as ``parent``) receives its result there."""
    worker = Worker(task, parent)
    worker.sig_done.connect(done)
    worker.start()
    return worker
