"""What the UI benchmarks share: the panel over a library, the clock of paints, the rows
they print (each figure beside its floor)."""

from __future__ import annotations

import gc
import statistics
import time
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

from agentdesk.core.packs.library import Library
from agentdesk.core.paths import Paths
from agentdesk.core.settings import Settings
from agentdesk.ui.panel.main_window import MainWindow
from agentdesk.ui.shell.controller import Controller
from agentdesk.ui.shell.theme import style_sheet

TODAY = date(2024, 6, 1)


def report(
    name: str, value: float, floor: float | None, goal: str, ratio: float | None = None
) -> None:
    floor_text = f"{floor * 1000:8.2f} ms" if floor else "        -   "
    if floor and ratio is None:
        ratio = value / floor
    ratio_text = f"{ratio:6.2f}x" if ratio is not None else "    -  "
    print(f"{name:<50} {value * 1000:9.2f} ms  floor {floor_text}  {ratio_text}  goal {goal}")


def quantile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def median(samples: list[float]) -> float:
    return statistics.median(samples)


class PaintClock(QObject):
    """Notes when a widget last painted (installed on the application)."""

    def __init__(self) -> None:
        super().__init__()
        self.painted = 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted = time.perf_counter()
        return False


def show_active(window: QWidget) -> None:
    window.show()
    window.activateWindow()
    deadline = time.perf_counter() + 5
    while QApplication.activeWindow() is not window and time.perf_counter() < deadline:
        QApplication.processEvents()


def until_painted(clock: PaintClock, since: float, limit: float = 5.0) -> float:
    """Time from ``since`` to the end of the first repaint after it."""
    deadline = since + limit
    while clock.painted < since and time.perf_counter() < deadline:
        QApplication.processEvents()  # one pass paints every widget the change dirtied
    if clock.painted < since:
        raise RuntimeError("nothing was painted")
    return clock.painted - since


def repaint_floor(window: QWidget, runs: int = 50) -> float:
    """The median time of a full repaint of ``window``: what any change costs at most."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        window.repaint()
        times.append(time.perf_counter() - start)
    return median(times)


def panel(home: Path, folders: list[Path], bundled: bool = False) -> MainWindow:
    """The desk panel, 420 x 900, over the packs in ``folders`` (loaded from the pack
    cache in ``home``, as at every start after the first), shown and active."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setStyleSheet(style_sheet())
    paths = Paths(home / "data", home / "config", home / "cache")
    library = Library(paths, folders=folders, include_bundled=bundled).load()
    controller = Controller(paths, Settings(), library, "desk", TODAY)
    window = MainWindow(controller)
    window.resize(420, 900)
    show_active(window)
    return window


def idle_until_prepared(window: MainWindow, limit: float = 60.0) -> float:
    """Let the event loop run until the idle work (search index, memory) is done, as it
    is while the agent reads; how long that took."""
    start = time.perf_counter()
    while not window.controller.idle.done and time.perf_counter() - start < limit:
        QApplication.processEvents()
    if not window.controller.idle.done:
        raise RuntimeError("idle work not done")
    return time.perf_counter() - start


def dispose(window: QWidget) -> None:
    """Close and delete ``window``, and collect what it kept, before the next figure."""
    window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    gc.collect()
