"""Benchmark the notes store (issue 5): durable save cost and search latency.

1. A durable note save (``NoteStore.add``) against a raw ``sqlite3`` insert of the same row,
   same pragmas (WAL, synchronous=FULL), measured in the same run, interleaved so disk and
   CPU noise hit both alike. Goal: the save within 1.3x of the raw insert.
2. Search p95 over 1,000,000 notes through ``NoteStore.search``. Goal: under 20 ms.

Run: ``.venv/bin/python scripts/bench_notes.py`` (about two minutes, most of it making the
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
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentdesk.core.notes import Note, NoteFilter, NoteStore
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
    """What agents type: a name, a word or two, a ticket, accents or not, some filters."""
    found: list[tuple[str, NoteFilter | None]] = []
    plain = str.maketrans("áéíóúñÁÉÍÓÚÑ", "aeiounAEIOUN")
    for _ in range(60):
        found.append((rng.choice(WORDS).translate(plain), None))
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


def bench_search(folder: Path, count: int) -> None:
    path = folder / f"notes-{count}.db"
    print(f"Search over {count:,} notes ({path})")
    if not path.exists():
        make_notes(path, count)
    t = time.perf_counter()
    store = NoteStore.open(path, backup_every=None)
    print(f"  open with quick_check: {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    store.close()
    store = NoteStore.open(path, backup_every=None, quick_check=False)
    print(f"  open without the check: {(time.perf_counter() - t) * 1e3:.1f} ms")
    assert store.count() == count, "the kept database has another size; delete it"
    rng = random.Random(3)
    asked = queries(rng)
    for query, filters in asked:  # warm the page cache, as a running app has it
        store.search(query, filters)
    times = []
    found = []
    for query, filters in asked * 3:
        t = time.perf_counter()
        result = store.search(query, filters)
        times.append(time.perf_counter() - t)
        found.append(len(result))
    times.sort()
    p50 = times[len(times) // 2]
    p95 = times[int(len(times) * 0.95)]
    print(
        f"  {len(times)} searches (limit 50, newest first): p50 {p50 * 1e3:.2f} ms  "
        f"p95 {p95 * 1e3:.2f} ms  max {times[-1] * 1e3:.2f} ms  "
        f"(mean {statistics.fmean(found):.0f} results)"
    )
    print(f"  -> search p95 {p95 * 1e3:.2f} ms (goal < 20 ms)")
    t = time.perf_counter()
    listed = store.list_notes(NoteFilter(pending=True, medium="phone"))
    print(f"  list (pending, phone, 100 newest): {(time.perf_counter() - t) * 1e3:.2f} ms")
    t = time.perf_counter()
    due = store.due()
    print(f"  due list ({len(due):,} notes): {(time.perf_counter() - t) * 1e3:.0f} ms")
    assert listed
    store.close()


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
        bench_search(folder, args.notes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
