"""Benchmarks of the desktop panel: what the agent waits for, each figure beside a floor
measured in the same run.

    .venv/bin/python scripts/bench_ui.py [--only startup,steps,search,notes] [--keep DIR]
    .venv/bin/python scripts/bench_ui.py --bundle dist/agentdesk --only startup

- start-up: the whole process, from its start to the first paint that shows the packs
  (the start list; the hook AGENTDESK_QUIT_AFTER_PAINT in agentdesk.ui.shell.app), against
  a bare PySide6 window started and painted the same way, median of interleaved pairs:
  with the bundled packs (goal <= 1.5x) and with a 10,000-step pack given by --pack (goal
  <= 2x), each with the start list kept by the previous start (every start of a desk
  after its first) and without it; with a million notes in the data folder; with
  ``--bundle``, the bundle that scripts/package built
- a choice to the next step painted, on packs of 10,000 and 100,000 steps, loaded before
  the timed part (goal p99 <= 16 ms, a frame); floor: a full repaint of the panel
- Ctrl+K on the 100,000-step pack (60,200 items): typing a word right after start-up,
  while the index is still built in idle time, and after idle time; every keystroke to
  results painted (goal p95 <= 10 ms at 50,000 items, the first keystroke included)
- the notes history over a million notes: opening it, scrolling page after page (the
  next 100 at 350 to 29,950 rows read, goal: flat), the memory at 100,050 rows, a resize,
  searching; floors: the raw keyset SELECT of the same rows, a full repaint at that depth

``--keep DIR`` keeps the million notes (made in the set-up by scripts/bench_notes.py's
builder, about four minutes) for the next run.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtCore import QEvent, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from synthetic_pack import write_synthetic_pack
from ui_timing import (
    PaintClock,
    dispose,
    idle_until_prepared,
    median,
    panel,
    quantile,
    repaint_floor,
    report,
    until_painted,
)

from agentdesk.ui.panel.main_window import MainWindow

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
class Window(QWidget):
    def paintEvent(self, event):
        super().paintEvent(event)
        QTimer.singleShot(0, done)
def done():
    import os, time
    spawned = float(os.environ['AGENTDESK_SPAWNED_AT'])
    print(f"first-paint {time.time() - spawned:.6f} {time.process_time():.6f}", flush=True)
    app.quit()
app = QApplication(sys.argv[:1])
window = Window()
window.resize(420, 900)
window.show()
app.exec()
"""
LIST = "start-list.json"
CTRL = Qt.KeyboardModifier.ControlModifier
TYPED = ["migracion", "macro 1234", "guion 77", "cedula titular", "canales de pago"]
TYPED += ["vigencia token", "plan plus", "seguimiento grupo 12", "whatsapp paso 999"]


# -- start-up -----------------------------------------------------------------------------


class Start(NamedTuple):
    """One way of starting the app, timed against the bare window."""

    name: str
    argv: list[str]
    home: Path  # its data, config and cache folders
    goal: str
    before: Callable[[], None] = lambda: None  # run before each start (e.g. drop a cache)


def startup(runs: int, bundle: Path | None, scratch: Path, notes_db: Path | None) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", AGENTDESK_QUIT_AFTER_PAINT="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app runs from cached bytecode

    def timed(start: Start | None) -> tuple[float, float]:
        """Seconds from starting the process to the paint, as the child saw it (process
        teardown is not part of the figure), and the CPU seconds the child had used by
        then (steadier than the wall clock on a busy machine)."""
        argv = [sys.executable, "-c", BARE] if start is None else start.argv
        if start is not None:
            start.before()
            for name in ("DATA", "CONFIG", "CACHE"):
                env[f"AGENTDESK_{name}_DIR"] = str(start.home / name.lower())
        env["AGENTDESK_SPAWNED_AT"] = repr(time.time())
        done = subprocess.run(argv, env=env, check=True, capture_output=True, text=True)
        line = next(x for x in done.stdout.splitlines() if x.startswith("first-paint "))
        _, wall, cpu = line.split()
        return float(wall), float(cpu)

    command = Path(sys.executable).with_name("agentdesk")  # as scripts/run starts it
    app = [str(command)] if command.exists() else [sys.executable, "-m", "agentdesk"]
    large = [*app, "--pack", str(write_synthetic_pack(scratch / "pack-10000"))]
    desk, trainer, busy = scratch / "desk", scratch / "trainer", scratch / "busy"
    starts = [
        Start("bundled packs, start list kept", app, desk, "<= 1.5x"),
        Start("bundled packs, no start list", app, desk, "-", lambda: _drop(desk, LIST)),
        Start("bundled packs, first start (no caches)", app, desk, "-", lambda: _drop(desk)),
        Start("10,000-step pack (--pack), start list kept", large, trainer, "<= 2x"),
        Start("10,000-step pack, no start list", large, trainer, "-", lambda: _drop(trainer, LIST)),
    ]
    if notes_db is not None:  # the notes open on a worker: the same paint as without them
        (busy / "data").mkdir(parents=True, exist_ok=True)
        _link(notes_db, busy / "data" / "notes.db")
        starts.append(Start("1,000,000 notes, bundled packs, start list kept", app, busy, "-"))
    if bundle is not None:
        bundled = [str(bundle.resolve() / "agentdesk")]
        starts.append(Start("bundle: bundled packs, start list kept", bundled, desk, "<= 1.5x"))
    # The first starts fill the pack cache and keep the start list, as the first start on
    # a desk does (and the first of the day backs the notes up). A list is only kept once
    # the packs' files are older than start_list.RECENT_NS (these were just written).
    for start in starts:
        timed(start)
        for _ in range(20):
            if (start.home / "cache" / LIST).exists():
                break
            time.sleep(0.5)
            timed(start)
    timed(None)
    bare: list[tuple[float, float]] = []
    ours: dict[str, list[tuple[float, float]]] = {start.name: [] for start in starts}
    for _ in range(runs):  # interleaved, so all see the same machine
        bare.append(timed(None))
        for start in starts:
            ours[start.name].append(timed(start))
    # The ratio is the median of each pair's ratio: the machine's speed drifts from one
    # pair to the next more than between the two starts of a pair.
    print(f"start-up to the first paint with the packs shown, {runs} interleaved pairs:")
    for start in starts:
        pairs = list(zip(ours[start.name], bare, strict=True))
        for label, column, goal in ((start.name, 0, start.goal), ("  CPU time by then", 1, "-")):
            value = median([our[column] for our, _ in pairs])
            floor = median([other[column] for _, other in pairs])
            ratio = median([our[column] / other[column] for our, other in pairs])
            report(label, value, floor, goal, ratio)
    print("  floor: a bare PySide6 window started and painted the same way (median)")


def _drop(home: Path, name: str | None = None) -> None:
    """Remove one file of the cache folder, or the whole folder."""
    cache = home / "cache"
    if name is not None:
        (cache / name).unlink(missing_ok=True)
    else:
        shutil.rmtree(cache, ignore_errors=True)


def _link(source: Path, target: Path) -> None:
    try:
        target.hardlink_to(source)
    except OSError:
        shutil.copyfile(source, target)


# -- steps --------------------------------------------------------------------------------


def steps_to_paint(window: MainWindow, answers: int = 400) -> None:
    controller = window.controller
    controller.session.values = {"nombre": "Juan Pérez", "monto": "1500"}
    pack = controller.packs()["sintetico"]
    flows = list(pack.flows)
    rng = random.Random(5)
    controller.open(pack.id, flows[0])
    for _ in range(20):
        QApplication.processEvents()
    floor = repaint_floor(window)
    clock = PaintClock()
    QApplication.instance().installEventFilter(clock)  # type: ignore[union-attr]
    samples: list[float] = []
    while len(samples) < answers:
        view = controller.view
        if view is None or not view.choices:
            controller.open(pack.id, rng.choice(flows))
            for _ in range(5):
                QApplication.processEvents()
            continue
        number = rng.randint(1, min(9, len(view.choices)))
        start = time.perf_counter()
        QTest.keyClick(QApplication.focusWidget() or window, getattr(Qt.Key, f"Key_{number}"))
        samples.append(until_painted(clock, start))
        for _ in range(3):  # idle time between answers, as an agent's reading
            QApplication.processEvents()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.instance().removeEventFilter(clock)  # type: ignore[union-attr]
    size = sum(len(f.steps) for f in pack.flows.values())
    print(f"choice to next step painted, pack of {size:,} steps, {answers} answers:")
    report("  p50", median(samples), floor, "")
    report("  p95", quantile(samples, 0.95), floor, "")
    report("  p99", quantile(samples, 0.99), floor, "<= 16 ms")
    print("  floor: a full repaint of the panel (median)")


# -- search -------------------------------------------------------------------------------


def ctrl_k(window: MainWindow, text: str) -> float:
    """Ctrl+K, then ``text`` in the field at once, until its results are painted."""
    panel_ = window.search_panel
    shown: list[float] = []
    show_results = panel_.show_results

    def recorded(items: list[object]) -> None:  # when the results are set
        show_results(items)  # type: ignore[arg-type]
        if items:
            shown.append(time.perf_counter())

    panel_.show_results = recorded  # type: ignore[method-assign,assignment]
    clock = PaintClock()
    QApplication.instance().installEventFilter(clock)  # type: ignore[union-attr]
    start = time.perf_counter()
    QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_K, CTRL)
    panel_.field.setText(text)  # typed, or pasted: one search
    while not shown and time.perf_counter() - start < 60:
        QApplication.processEvents()
    until_painted(clock, shown[0])
    QApplication.instance().removeEventFilter(clock)  # type: ignore[union-attr]
    panel_.show_results = show_results  # type: ignore[method-assign]
    return clock.painted - start


def search(home: Path, root: Path) -> None:
    from agentdesk.core.search.index import IndexBuild

    window = panel(home, [root])
    idle = idle_until_prepared(window)
    ready = ctrl_k(window, "migracion")
    floor = repaint_floor(window)
    samples = keystrokes(window)
    items = len(window.controller.idle._index.items)  # type: ignore[union-attr]
    dispose(window)
    first = panel(home, [root])  # a fresh start: the packs just loaded, the index not built
    waited = ctrl_k(first, "migracion")
    packs = first.controller.idle._packs()
    dispose(first)
    start = time.perf_counter()
    IndexBuild.from_packs(packs, "desk").run()
    at_once = time.perf_counter() - start
    print(f"Ctrl+K and 'migracion' typed, until its results are painted ({items:,} items):")
    report("  right after start-up (index still building)", waited, at_once, "")
    print("    floor: the index built at once (what the first Ctrl+K cost before)")
    report(f"  after idle time ({idle:.1f} s: index, settle)", ready, floor, "")
    print(f"search keystroke to results painted, {len(samples)} keystrokes:")
    report("  p50", median(samples), floor, "")
    report("  p95", quantile(samples, 0.95), floor, "<= 10 ms")
    report("  max", max(samples), floor, "")
    print("  floor: a full repaint of the panel (median)")


def keystrokes(window: MainWindow) -> list[float]:
    clock = PaintClock()
    QApplication.instance().installEventFilter(clock)  # type: ignore[union-attr]
    samples = []
    field = window.search_panel.field
    for query in TYPED:
        field.clear()
        for _ in range(3):
            QApplication.processEvents()
        for char in query:  # the first keystroke of each word included
            start = time.perf_counter()
            QTest.keyClicks(field, char)
            samples.append(until_painted(clock, start))
    QApplication.instance().removeEventFilter(clock)  # type: ignore[union-attr]
    return samples


# -- the notes history --------------------------------------------------------------------


#: Rows read when the next page is timed (each figure: the median of the three pages up
#: to it); the list then reads on to MEMORY rows for the memory figure.
DEPTHS = (350, 950, 4_950, 9_950, 29_950)
MEMORY = 100_050


def history(home: Path, notes_db: Path) -> None:
    (home / "data").mkdir(parents=True, exist_ok=True)
    if not (home / "data" / "notes.db").exists():
        _link(notes_db, home / "data" / "notes.db")
    window = panel(home, [], bundled=True)
    notes = window.notes
    while notes._store is None or notes.opening:  # opened, the day's backup taken
        QApplication.processEvents()
    floor = repaint_floor(window)
    raw = sqlite3.connect(home / "data" / "notes.db")  # the same file by the same name
    page = window.notes_page
    clock = PaintClock()
    QApplication.instance().installEventFilter(clock)  # type: ignore[union-attr]
    start = time.perf_counter()
    QTest.keyClick(window, Qt.Key.Key_N, CTRL | Qt.KeyboardModifier.ShiftModifier)
    opened = until_painted(clock, start)
    first_raw = _raw_page(raw, None, 50)
    print(f"notes history over {notes.store.count():,} notes:")
    report("  open: first page painted", opened, first_raw + floor, "")
    print("    floor: the raw SELECT of the page + a full repaint")
    print("  scrolled to the end: the next 100 painted, with this many rows read")
    bar = page.list.verticalScrollBar()
    pages: list[tuple[float, float]] = []  # (the page painted, its raw keyset SELECT)
    start_rss = _rss()
    while page.list.count() < MEMORY:
        after = page.model.note(page.list.count() - 1)
        start = time.perf_counter()
        bar.setValue(bar.maximum())  # scrolled to the end: the next page is read
        took = until_painted(clock, start)
        pages.append((took, _raw_page(raw, after.id if after else None, 100)))
        if page.list.count() in DEPTHS:
            last = pages[-3:]
            deep = median([r for _, r in last]) + repaint_floor(window, 10)
            report(f"    {page.list.count():>7,} rows", median([t for t, _ in last]), deep, "flat")
    print("    floor: the raw keyset SELECT of the same pages + a full repaint at that depth")
    grown = _rss() - start_rss
    texts = sum(sys.getsizeof(page.list.item(r).text()) for r in range(page.list.count()))
    print(f"  memory: {page.list.count():,} rows read, the process grew {grown / 2**20:.1f} MB")
    print(f"    floor: the rows' texts as Python strings, {texts / 2**20:.1f} MB")
    for width in (360, 420):  # every row wraps again: the rows on screen at once
        start = time.perf_counter()
        window.resize(width, 900)
        report(f"  resized to {width} px: painted", until_painted(clock, start), floor, "")
        while page.list.wrapping:  # the others in idle time (the list goes on working)
            QApplication.processEvents()
        report(f"    all {page.list.count():,} rows wrapped again", clock.painted - start, None, "")
    print("    floor: a full repaint")
    for query, period in (("migr", 3), ("ana", 3), ("cedula", 1), ("", 1)):
        page.search.setText(query)
        page.period.setCurrentIndex(period)
        start = time.perf_counter()
        page.refresh()
        took = until_painted(clock, start)
        report(f"  search '{query}', {page.period.currentText()}", took, floor, "")
    print("    (after the 120 ms pause in the typing the search waits for)")
    QApplication.instance().removeEventFilter(clock)  # type: ignore[union-attr]
    dispose(window)


def _rss() -> int:
    """The bytes of memory the process holds now."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _raw_page(conn: sqlite3.Connection, after: int | None, limit: int) -> float:
    start = time.perf_counter()
    sql = "SELECT * FROM notes" + (" WHERE id < ?" if after else "")
    conn.execute(sql + f" ORDER BY id DESC LIMIT {limit}", (after,) if after else ()).fetchall()
    return time.perf_counter() - start


def notes_database(keep: Path | None, scratch: Path, count: int) -> Path:
    from bench_notes import make_notes

    folder = keep or scratch
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"notes-{count}.db"
    if not path.exists():
        print(f"making {count:,} notes (set-up, nobody waits for it)...", flush=True)
        make_notes(path, count)
    return path


def fill_cache(steps: int, root: Path, home: Path) -> None:
    """A synthetic pack, loaded once (cold: YAML) to fill the pack cache of ``home``, as
    the first start on a desk does."""
    from agentdesk.core.packs.library import Library
    from agentdesk.core.paths import Paths

    if not root.exists():
        write_synthetic_pack(root, steps=steps)
    Library(Paths(home / "data", home / "config", home / "cache"), [root], None, False).load()


def child(part: str, root: Path, home: Path) -> None:
    """One part, in a process of its own that loads the pack from the cache, as the app
    does at every start after the first (a pack loaded cold in the same process, or even
    in the process that starts this one, leaves every figure after it slower)."""
    QApplication.instance() or QApplication(sys.argv[:1])
    if part == "steps":
        window = panel(home, [root])
        idle_until_prepared(window)
        steps_to_paint(window)
        dispose(window)
    else:
        search(home, root)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="startup,steps,search,notes", help="parts to run")
    parser.add_argument("--bundle", type=Path, help="also time this bundle (dist/agentdesk)")
    parser.add_argument("--runs", type=int, default=15, help="interleaved starts of each kind")
    parser.add_argument("--steps", type=int, default=100_000, help="steps of the large pack")
    parser.add_argument("--notes", type=int, default=1_000_000, help="notes of the history")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the notes database here")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--fill", nargs=3, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.fill:
        steps, root, home = options.fill
        fill_cache(int(steps), Path(root), Path(home))
        return
    if options.child:
        part, root, home = options.child
        child(part, Path(root), Path(home))
        return
    parts = set(options.only.split(","))
    with tempfile.TemporaryDirectory(prefix="agentdesk-bench-") as folder:
        scratch = Path(folder)
        notes = None
        if parts & {"startup", "notes"}:
            notes = notes_database(options.keep, scratch, options.notes)
        if "startup" in parts:
            startup(options.runs, options.bundle, scratch, notes)
        runs = [(p, n) for p in ("steps",) if p in parts for n in (10_000, options.steps)]
        runs += [("search", options.steps)] if "search" in parts else []
        for part, steps in runs:  # each in a home of its own (no notes of the others)
            home = scratch / f"{part}-{steps}"
            root = scratch / f"steps-{steps}"
            for argv in (["--fill", str(steps), root, home], ["--child", part, root, home]):
                subprocess.run([sys.executable, __file__, *argv], check=True)
        if "notes" in parts and notes is not None:
            QApplication.instance() or QApplication(sys.argv[:1])
            history(scratch / "busy", notes)


if __name__ == "__main__":
    main()
