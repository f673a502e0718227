"""Benchmark the usage figures (issue 17): what recording costs an agent's intent, and what
loading a year of figures costs the stats page, against floors measured in the same run.

1. One intent of the call (choose, back, open, home…) on the bundled packs with recording
   on (the app's ``CallUsage`` and ``UsageWriter``: the events are written by a thread of
   their own), floor: the same intents with recording off. Also shown: the same intents
   writing each event at once on the GUI thread (what the writer thread spares). Goal:
   p99 well under a frame (16.7 ms); the extra over the floor under a millisecond.
2. The stats page's load of 1,000,000 events (``overview.load``: read and aggregate), floor:
   raw ``sqlite3`` reading the same rows as tuples. It runs on a worker thread; the page's
   event loop is timed meanwhile (the longest gap between 10 ms timer ticks), floor: the
   same timer with nothing loading. Goal: no gap over 100 ms.

Run: ``.venv/bin/python scripts/bench_usage.py`` (about a minute).
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synthetic_usage import simulate

from agentdesk.core.interaction.call import Call
from agentdesk.core.packs.library import Library
from agentdesk.core.usage.events import Event
from agentdesk.core.usage.recording import CallUsage, UsageWriter
from agentdesk.core.usage.store import UsageStore

MIGRATION = "migracion-pre-post"
WALK = [("next",), ("respondio",), ("titular",)]


def row(name: str, value: float, floor: float | None, goal: str) -> None:
    ratio = f"{value / floor:6.2f}x" if floor else "    -  "
    floor_text = f"{floor * 1000:9.3f} ms" if floor else "        -    "
    print(f"{name:<44} {value * 1000:9.3f} ms  floor {floor_text}  {ratio}  goal {goal}")


def intents(library: Library, usage: CallUsage | None, rounds: int) -> list[float]:
    """Seconds per intent over ``rounds`` calls of the contact flow (open, three answers,
    back, the answer again, home)."""
    call = Call(library.get, "desk", lambda: date(2024, 6, 1))
    call.usage = usage
    samples: list[float] = []

    def timed(intent: Callable[[], object]) -> None:
        start = time.perf_counter()
        intent()
        samples.append(time.perf_counter() - start)

    for _ in range(rounds):
        timed(lambda: call.open(MIGRATION, "contacto"))
        for (answer,) in WALK:
            timed(lambda a=answer: call.choose(a))  # type: ignore[misc]
        timed(call.back)
        timed(lambda: call.choose(WALK[-1][0]))
        timed(call.home)
    return samples


def intent_costs(library: Library, folder: Path) -> None:
    rounds = 1500
    intents(library, None, 50)  # warm: templates compiled, modules loaded
    off = intents(library, None, rounds)
    writer = UsageWriter(folder / "usage.db")
    on = intents(library, CallUsage(writer, "on"), rounds)
    writer.close()
    direct = intents(library, CallUsage(UsageStore(folder / "direct.db").add, "on"), rounds // 5)
    for name, samples in (
        ("recording on (writer thread)", on),
        ("writing on the GUI thread", direct),
    ):
        print(f"{name}: {len(samples)} intents")
        for label, q in (("p50", 0.5), ("p99", 0.99)):
            ours = sorted(samples)[int(len(samples) * q)]
            floor = sorted(off)[int(len(off) * q)]
            row(f"  intent {label}", ours, floor, "< 16.7 ms (a frame)" if label == "p99" else "")
        row(
            "  extra per intent (mean)",
            statistics.mean(samples) - statistics.mean(off),
            None,
            "< 1 ms",
        )
    events = len(list(UsageStore(folder / "usage.db").events()))
    print(f"  ({events} events written by the writer thread)")


def million(library: Library, path: Path, total: int = 1_000_000) -> None:
    """``total`` events: a few thousand simulated calls, repeated with new call ids over a
    year (setting up the data; what the page does with it is what is timed)."""
    base: list[Event] = []
    simulate(library, 2000, base.extend)
    first = min(e.at for e in base)
    rng = random.Random(1)
    store = UsageStore(path)
    batch: list[Event] = []
    written = copy = 0
    while written < total:
        shift = rng.uniform(0, 365 * 86400)
        for e in base:
            batch.append(e._replace(call=f"{e.call}-{copy}", at=e.at - first + time.time() - shift))
        copy += 1
        written += len(base)
        if len(batch) > 200_000:
            store.add(batch)
            batch = []
    store.add(batch)
    print(f"{written} events in {path.stat().st_size / 1e6:.0f} MB")


def load_costs(library: Library, path: Path) -> None:
    from agentdesk.core.usage.overview import load

    query = f"SELECT {', '.join(Event._fields)} FROM events ORDER BY at, rowid"  # what load reads

    def raw() -> None:
        with sqlite3.connect(path) as db:
            db.execute(query).fetchall()

    raw()  # the file in the page cache for both
    start = time.perf_counter()
    raw()
    floor = time.perf_counter() - start
    start = time.perf_counter()
    figures = load(path, None, None)
    ours = time.perf_counter() - start
    row("stats page: load 1M events (worker thread)", ours, floor, "off the GUI thread")
    print(f"  ({figures.calls} calls, {len(figures.steps)} steps)")
    start = time.perf_counter()
    load(path, MIGRATION, None)
    row("  one pack's figures", time.perf_counter() - start, None, "")
    gaps(library, path)


def gaps(library: Library, path: Path) -> None:
    """The page's event loop while the worker loads: the longest wait between timer ticks."""
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from agentdesk.core.paths import Paths
    from agentdesk.core.settings import Settings
    from agentdesk.ui.shell.controller import Controller
    from agentdesk.ui.stats.stats_page import StatsDialog

    app = QApplication.instance() or QApplication(sys.argv[:1])
    paths = Paths(path.parent, path.parent / "config", path.parent / "cache")

    def longest_gap(busy: Callable[[], bool], at_least: float) -> float:
        clock, worst = QElapsedTimer(), [0.0]
        clock.start()
        last = [clock.nsecsElapsed()]

        def tick() -> None:
            now = clock.nsecsElapsed()
            worst[0] = max(worst[0], (now - last[0]) / 1e9 - 0.010)
            last[0] = now

        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(tick)
        timer.start()
        started = time.perf_counter()
        while busy() or time.perf_counter() - started < at_least:
            app.processEvents()
            time.sleep(0.001)
        timer.stop()
        return worst[0]

    controller = Controller(paths, Settings(), library, "desk", date.today())
    start = time.perf_counter()
    dialog = StatsDialog(controller)
    dialog.show()
    dialog.period.setCurrentIndex(dialog.period.findData(None))
    worst = longest_gap(lambda: dialog._job is not None, 0)
    shown = time.perf_counter() - start
    floor = longest_gap(lambda: False, shown)
    row("stats page: open to figures shown (1M)", shown, None, "")
    row("  longest event-loop gap while loading", worst, floor, "< 100 ms")
    dialog.close()


def main() -> None:
    library = Library(None).load()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        intent_costs(library, folder)
        path = folder / "big" / "usage.db"
        million(library, path)
        load_costs(library, path)


if __name__ == "__main__":
    main()
