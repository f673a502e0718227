"""Benchmark the notes store (issues 5 and 14): durable save, opening, search, pages.

1. A durable note save (``NoteStore.add``) against a raw ``sqlite3`` insert of the same row,
   same pragmas (WAL, synchronous=FULL), measured in the same run, interleaved so disk and
   CPU noise hit both alike. Goal: the save within 1.3x of the raw insert.
2. Over 1,000,000 notes (made in the set-up; nobody waits for that): opening them, against
   sqlite3 opening the file; searches (words, the start of words, names, tickets) p95
   under 20 ms, and the first search after opening; searches with a period or "follow-up
   due" p95 under 10 ms, each against the same FTS5 query run raw; the first page of the
   history and a page a million notes down, against the raw SELECT of the same rows; the
   daily checked backup, against sqlite3's bare backup copy.

Run: ``.venv/bin/python scripts/bench_notes.py`` (about four minutes, most of it making the
million notes; ``--keep DIR`` keeps that database and reuses it on the next run).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentdesk.core.notes import Note, NoteFilter, NoteStore, query, upkeep
from agentdesk.core.notes.store import COLUMNS, INSERT, note_row
from agentdesk.core.packs.model import MEDIA


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST = words(
    "Ana Luis María José Carmen Jorge Lucía Pedro Sofía Diego Valeria Andrés Camila Javier "
    "Paula Fernando Gabriela Ricardo Daniela Tomás Inés Raúl Mónica Héctor Elena Iván Rocío "
    "Óscar Patricia Julián"
)
LAST = words(
    "Pérez García López Martínez Rodríguez Sánchez Gómez Díaz Torres Ramírez Flores Vásquez "
    "Castillo Jiménez Moreno Muñoz Rojas Ortiz Silva Núñez Cárdenas Ibáñez Zúñiga Peña Andrade "
    "Salazar Guzmán Herrera Aguilar Medina"
)
WORDS = words(
    "migración plan prepago pospago factura cobro reclamo equipo recuperación router módem "
    "señal internet lentitud corte servicio reconexión pago débito tarjeta saldo recarga "
    "promoción descuento portabilidad línea chip número contraseña correo cuenta acceso "
    "plataforma nueva gestionix retiro aviso cita técnico visita instalación cambio dirección "
    "titular cédula contrato renovación cancelación queja velocidad cobertura antena roaming "
    "paquete datos minutos mensajes llamada sucursal devolución garantía reparación entrega "
    "envío pedido seguimiento estado escalamiento supervisor ticket protocolo verificación "
    "identidad"
)
RARE = [f"orden{n}" for n in range(20_000)]  # ticket-like words a handful of notes share


class Text:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def words(self, n: int) -> str:
        words = self.rng.choices(WORDS, k=n)
        if self.rng.random() < 0.3:
            words.append(self.rng.choice(RARE))
        return " ".join(words)

    def phone(self) -> str:
        return f"09{self.rng.randint(10_000_000, 99_999_999)}"

    def note(self, when: datetime) -> Note:
        rng = self.rng
        return Note(
            person=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            medium=rng.choice(MEDIA),
            reason=self.words(6),
            inputs=f"Cédula 17{rng.randint(10_000_000, 99_999_999)}, teléfono {self.phone()}. "
            + self.words(10),
            pending=self.words(4) if rng.random() < 0.3 else "",
            solution=self.words(10),
            protocol=self.words(4),
            follow_up=when + timedelta(days=2) if rng.random() < 0.1 else None,
            follow_up_done=rng.random() < 0.99,  # most follow-ups were done long ago
            pack_id="migracion-pre-post",
            pack_version="1.2.0",
            flow_id="migracion",
            path=("inicio: Quiere migrar", "requisitos: Cumple", "cierre"),
            scripts_shown=("saludo", "requisitos"),
            macros_copied=("migracion-solicitud",),
            started_at=when - timedelta(minutes=7),
            ended_at=when,
            agent="Agente de prueba",
            created_at=when,
        )


# -- 1. durable save ----------------------------------------------------------------------


def bench_save(folder: Path, count: int) -> None:
    print(f"Durable save: {count} notes per variant, interleaved in batches of 50")
    store = NoteStore.open(folder / "store" / "notes.db", backup_every=None)
    # The raw baseline: a copy of the same schema (notes, FTS5 index and its triggers,
    # indexes), plain sqlite3, same pragmas, the same row.
    NoteStore.open(folder / "raw" / "notes.db", backup_every=None).close()
    raw = sqlite3.connect(folder / "raw" / "notes.db")
    bare = sqlite3.connect(folder / "bare.db")
    for conn in (raw, bare):
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA foreign_keys = ON")
    bare.execute(f"CREATE TABLE notes (id INTEGER PRIMARY KEY, {', '.join(COLUMNS[1:])})")
    text = Text(1)
    now = datetime.now().replace(microsecond=0)
    notes = [text.note(now) for _ in range(200)]
    rows = [note_row(n, n.created_at, now) for n in notes]

    def store_save(i: int) -> None:
        store.add(notes[i % len(notes)])

    def raw_insert(conn: sqlite3.Connection) -> Callable[[int], None]:
        def run(i: int) -> None:
            conn.execute(INSERT, rows[i % len(rows)])
            conn.commit()

        return run

    variants: dict[str, Callable[[int], None]] = {
        "NoteStore.add": store_save,
        "raw sqlite3, same schema": raw_insert(raw),
        "raw sqlite3, bare table": raw_insert(bare),
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    for run in variants.values():  # warm up
        for i in range(20):
            run(i)
    batch = 50
    for start in range(0, count, batch):
        for name, run in variants.items():
            for i in range(start, start + batch):
                t = time.perf_counter()
                run(i)
                times[name].append(time.perf_counter() - t)
    base = statistics.median(times["raw sqlite3, same schema"])
    for name, samples in times.items():
        median = statistics.median(samples)
        mean = statistics.fmean(samples)
        print(
            f"  {name:26} median {median * 1e3:6.3f} ms  mean {mean * 1e3:6.3f} ms  "
            f"ratio {median / base:4.2f}x"
        )
    ratio = statistics.median(times["NoteStore.add"]) / base
    print(f"  -> NoteStore.add / raw insert (same schema): {ratio:.2f}x (goal <= 1.30x)")
    bare_ratio = statistics.median(times["NoteStore.add"]) / statistics.median(
        times["raw sqlite3, bare table"]
    )
    print(f"  -> NoteStore.add / raw insert (bare table):  {bare_ratio:.2f}x")
    store.close()
    raw.close()
    bare.close()


# -- 2. search over a million notes -------------------------------------------------------


def make_notes(path: Path, count: int) -> None:
    """A database of ``count`` notes, written in bulk (executemany, one transaction)."""
    NoteStore.open(path, backup_every=None).close()  # the real schema, via the migrations
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")  # a scratch database: speed over safety
    text = Text(2)
    start = datetime(2020, 1, 1, 8, 0)

    def rows() -> Iterator[dict[str, object]]:
        for n in range(count):
            when = start + timedelta(minutes=3 * n)
            yield note_row(text.note(when), when, when)
            if n and n % 100_000 == 0:
                print(f"    {n:,} notes", flush=True)

    t = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(INSERT, rows())  # the FTS5 index is filled by the same triggers
    conn.execute("COMMIT")
    # No 'optimize': the index is searched as the triggers and FTS5's automerge left it.
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    print(f"  made {count:,} notes in {time.perf_counter() - t:.0f} s", flush=True)


def queries(rng: random.Random) -> list[tuple[str, NoteFilter | None]]:
    """What agents type: a name, a word or two, the start of a word, a ticket, accents or
    not, some filters."""
    found: list[tuple[str, NoteFilter | None]] = []
    plain = str.maketrans("áéíóúñÁÉÍÓÚÑ", "aeiounAEIOUN")
    for _ in range(60):
        found.append((rng.choice(WORDS).translate(plain), None))
    for _ in range(30):
        word = rng.choice(WORDS).translate(plain)
        found.append((word[: rng.randint(3, len(word))], None))  # still being typed
    for _ in range(40):
        found.append((f"{rng.choice(FIRST)} {rng.choice(LAST)}".lower().translate(plain), None))
    for _ in range(30):
        found.append((" ".join(rng.sample(WORDS, 2)).upper(), None))
    for _ in range(20):
        found.append((" ".join(rng.sample(WORDS, 3)), None))
    for _ in range(30):
        found.append((rng.choice(RARE), None))
    for _ in range(20):
        found.append((f"{rng.choice(RARE)} {rng.choice(WORDS)}", None))
    for _ in range(20):
        found.append((rng.choice(LAST), NoteFilter(medium=rng.choice(MEDIA))))
    for _ in range(10):
        found.append((rng.choice(WORDS), NoteFilter(pending=True)))
    for _ in range(10):
        found.append((f"noexiste{rng.randint(0, 999)}", None))
    rng.shuffle(found)
    return found


def filtered(rng: random.Random, today: date) -> list[tuple[str, NoteFilter]]:
    """A word, a name or a ticket with a period of the history, or 'follow-up due'."""
    periods = [NoteFilter(since=today - timedelta(days=days)) for days in (0, 7, 30)]
    periods.append(NoteFilter(since=today - timedelta(days=400), until=today - timedelta(365)))
    found: list[tuple[str, NoteFilter]] = []
    for _ in range(40):
        what = rng.choice([rng.choice(WORDS), rng.choice(LAST), rng.choice(RARE)])
        found.append((what, rng.choice([*periods, NoteFilter(follow_up_due=True)])))
    for _ in range(20):
        found.append((rng.choice(WORDS)[:4], NoteFilter(follow_up_due=True)))
    return found


def quantiles(times: list[float]) -> tuple[float, float, float]:
    times = sorted(times)
    return times[len(times) // 2], times[int(len(times) * 0.95)], times[-1]


def timed(func: Callable[..., object], *args: object) -> float:
    start = time.perf_counter()
    func(*args)
    return time.perf_counter() - start


def line(name: str, value: float, floor: float, goal: str, floor_name: str) -> None:
    print(
        f"  {name:<34} {value * 1e3:8.2f} ms   floor {floor * 1e3:8.2f} ms  "
        f"{value / floor:7.1f}x   goal {goal:<9} {floor_name}"
    )


def bench_open(path: Path) -> None:
    """What the app and every command wait for before the first note shows."""

    def raw() -> None:
        conn = sqlite3.connect(path)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.close()

    floor = min(timed(raw) for _ in range(3))
    fast = min(
        timed(lambda: NoteStore.open(path, quick_check=False, backup_every=None).close())
        for _ in range(3)
    )
    full = timed(lambda: NoteStore.open(path, backup_every=None).close())
    line("open for use (no full check)", fast, floor, "", "sqlite3.connect + schema")
    line("open with PRAGMA quick_check", full, floor, "", "(the check is now daily, in upkeep)")


def bench_upkeep(path: Path, folder: Path) -> None:
    """The daily checked backup: in a worker in the app, before a write on the command line."""
    floor_folder = folder / "raw-copy"
    floor_folder.mkdir(exist_ok=True)

    def raw_copy() -> None:
        source, copy = sqlite3.connect(path), sqlite3.connect(floor_folder / "copy.db")
        source.backup(copy)
        copy.close()
        source.close()

    floor = timed(raw_copy)
    done = None

    def run() -> None:
        nonlocal done
        done = upkeep.run(path, folder / "backups", datetime.now())

    took = timed(run)
    assert done is not None and done.backup is not None, done
    line("daily backup + integrity check", took, floor, "off GUI", "sqlite3 backup API, bare")


def bench_search(path: Path, count: int) -> None:
    print(f"Search over {count:,} notes ({path})")
    if not path.exists():
        make_notes(path, count)
    bench_open(path)
    store = NoteStore.open(path, quick_check=False, backup_every=None)
    newest = datetime.fromisoformat(
        store.conn.execute("SELECT max(created_at) FROM notes").fetchone()[0]
    )
    store.clock = lambda: newest  # the history seen on the day of the last note
    assert store.count() == count, "the kept database has another size; delete it"
    raw = sqlite3.connect(path)

    def raw_match(text: str) -> None:
        plan = query.plan(store.conn, text, None, newest)
        if plan is not None and plan.match:
            raw.execute(
                "SELECT rowid FROM notes_fts WHERE notes_fts MATCH ? ORDER BY rowid DESC LIMIT 50",
                (plan.match,),
            ).fetchall()

    rng = random.Random(3)
    asked = queries(rng)
    first_text, first_filters = asked[0]
    first = timed(lambda: store.search(first_text, first_filters))
    line("first search after open", first, timed(lambda: raw_match(first_text)), "", "")
    times, floors, found = [], [], []
    for text, filters in asked * 3:
        times.append(timed(store.search, text, filters))
        floors.append(timed(raw_match, text))
        found.append(len(store.search(text, filters)))
    (p50, p95, top), (f50, f95, _) = quantiles(times), quantiles(floors)
    print(
        f"  {len(times)} searches, limit 50, newest first ({statistics.fmean(found):.0f} "
        f"results on average), floor: the same FTS5 query, rowids only, raw sqlite3"
    )
    line("search p50", p50, f50, "", "")
    line("search p95", p95, f95, "< 20 ms", "")
    line("search max", top, f95, "", "(floor p95)")

    asked_filtered = filtered(rng, newest.date())
    times, floors = [], []
    for text, filters in asked_filtered * 3:
        times.append(timed(store.search, text, filters))
        floors.append(timed(raw_match, text))
    (p50, p95, top), (f50, f95, _) = quantiles(times), quantiles(floors)
    print(
        f"  {len(times)} searches with a period or 'follow-up due', floor: the word alone, raw FTS5"
    )
    line("filtered search p50", p50, f50, "", "")
    line("filtered search p95", p95, f95, "<= 10 ms", "")
    line("filtered search max", top, f95, "", "(floor p95)")

    deep = store.conn.execute("SELECT id FROM notes ORDER BY id LIMIT 1 OFFSET 1000").fetchone()
    for name, after in (
        ("first page of the history", None),
        ("a page 999,000 notes down", deep[0]),
    ):
        took = min(timed(partial(store.page, after=after, limit=50)) for _ in range(5))
        where, args = ("", ()) if after is None else (" WHERE id < ?", (after,))
        sql = f"SELECT * FROM notes{where} ORDER BY id DESC LIMIT 51"
        floor = min(timed(lambda q, a: raw.execute(q, a).fetchall(), sql, args) for _ in range(5))
        line(name, took, floor, "", "raw SELECT of the rows")
    due = timed(store.due)
    line(f"due list ({len(store.due()):,} notes)", due, due, "", "(no floor)")
    store.close()
    raw.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--saves", type=int, default=2000, help="saves per variant")
    parser.add_argument("--notes", type=int, default=1_000_000, help="notes to search")
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the search database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="agentdesk-bench-") as scratch:
        bench_save(Path(scratch), args.saves)
        folder = Path(args.keep) if args.keep else Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"notes-{args.notes}.db"
        bench_search(path, args.notes)
        with tempfile.TemporaryDirectory(prefix="agentdesk-bench-", dir=folder) as copies:
            bench_upkeep(path, Path(copies))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
