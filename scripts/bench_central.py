"""Load run of the central sync (issue 18): 500 simulated desks x 200 notes each.

Each desk is a real notes database (SQLite, outbox triggers on) holding 200 notes written
since its last sync. Then every desk syncs at once: worker threads (one pooled server
connection each) take the desks in turn and run the same ``push_pending`` as
``agentdesk central sync``: read the outbox, mask, one server transaction, acknowledge.

Figures: throughput (notes/s, start of the sync to the last acknowledgement) and the p95
of one desk's sync (its 200 notes, from reading its outbox to acknowledging them). The
floor, measured in the same run on the same server: the same rows (already masked JSON)
loaded with ``COPY``, and with ``executemany`` INSERTs, into a table of the same columns
with no key, trigger or index.

Run: ``.venv/bin/python scripts/bench_central.py`` (a throwaway server is started from
Debian's postgresql binaries, as in the tests; ``--url`` uses another). About a minute.
"""

from __future__ import annotations

import argparse
import queue
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg

from agentdesk.core.central import server, sync
from agentdesk.core.central.outbox import DeskOutbox, Entry
from agentdesk.core.central.server import Clash
from agentdesk.core.notes import Note, NoteStore
from agentdesk.core.notes.store import INSERT, note_row
from scripts.bench_notes import Text

FLOOR_TABLE = (
    "CREATE UNLOGGED TABLE IF NOT EXISTS floor_rows (desk_id text, kind text, record text, "
    "revision int, deleted bool, payload jsonb, digest text, seq bigint, queued_at timestamp)"
)


def make_desks(folder: Path, desks: int, notes: int) -> list[Path]:
    """``desks`` databases, each with ``notes`` notes in its outbox (not timed)."""
    paths = []
    start = datetime(2024, 6, 3, 8, 0)
    for n in range(desks):
        text = Text(n)
        path = folder / f"desk{n:04d}.db"
        with NoteStore.open(path, backup_every=None, quick_check=False) as store:
            DeskOutbox(store).enable()
            store.conn.execute("PRAGMA synchronous = OFF")  # set-up only
            with store.conn:
                for i in range(notes):
                    when = start + timedelta(minutes=3 * i)
                    written = text.note(when)
                    written = Note(**{**vars(written), "agent": f"agente{n % 97}"})
                    store.conn.execute(INSERT, note_row(written, when, when))
        paths.append(path)
    return paths


class TimedServer(server.Server):
    """Adds up the time spent in the server's transactions (the rest is the desk's part)."""

    def __init__(self, url: str, max_size: int) -> None:
        super().__init__(url, max_size=max_size)
        self.busy = 0.0
        self.lock = threading.Lock()

    def push(self, desk_id: str, desk_name: str, entries: Sequence[Entry]) -> list[Clash]:
        began = time.perf_counter()
        try:
            return super().push(desk_id, desk_name, entries)
        finally:
            with self.lock:
                self.busy += time.perf_counter() - began


def sync_all(url: str, paths: list[Path], workers: int) -> tuple[float, list[float], int, float]:
    """Every desk syncs once, ``workers`` at a time: wall time, each desk's time, notes sent,
    and the time spent in server transactions (added up over the workers)."""
    todo: queue.Queue[Path] = queue.Queue()
    for path in paths:
        todo.put(path)
    latencies: list[float] = []
    sent = [0]
    lock = threading.Lock()

    def work(pool: TimedServer) -> None:
        while True:
            try:
                path = todo.get_nowait()
            except queue.Empty:
                return
            with NoteStore.open(path, backup_every=None, quick_check=False) as store:
                outbox = DeskOutbox(store)
                began = time.perf_counter()
                count = sync.push_pending(outbox, pool, batch=500)
                took = time.perf_counter() - began
            with lock:
                latencies.append(took)
                sent[0] += count

    with TimedServer(url, max_size=workers) as pool:
        pool.pool.wait(30)
        threads = [threading.Thread(target=work, args=(pool,)) for _ in range(workers)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began
    return wall, latencies, sent[0], pool.busy


def floor_rows(paths: list[Path], desk_ids: list[str]) -> list[tuple[object, ...]]:
    """The rows the sync sent, as the floor loads them (read back from a fresh copy)."""
    rows: list[tuple[object, ...]] = []
    for path, desk_id in zip(paths, desk_ids, strict=True):
        with NoteStore.open(path, backup_every=None, quick_check=False) as store:
            entries: list[Entry] = DeskOutbox(store).pending(10**6)
        rows += [
            (desk_id, e.kind, e.record, e.revision, e.deleted, e.payload, e.digest, e.seq,
             e.queued_at)
            for e in entries
        ]  # fmt: skip
    return rows


def floors(url: str, rows: list[tuple[object, ...]]) -> tuple[float, float]:
    """notes/s of COPY and of executemany INSERT of ``rows`` (same server, same run)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(FLOOR_TABLE)
        conn.execute("TRUNCATE floor_rows")
        began = time.perf_counter()
        with (
            conn.transaction(),
            conn.cursor() as cur,
            cur.copy("COPY floor_rows FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        copy_rate = len(rows) / (time.perf_counter() - began)
        conn.execute("TRUNCATE floor_rows")
        began = time.perf_counter()
        with conn.transaction(), conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO floor_rows VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", rows
            )
        insert_rate = len(rows) / (time.perf_counter() - began)
        conn.execute("DROP TABLE floor_rows")
    return copy_rate, insert_rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="an existing server's database (default: a throwaway one)")
    parser.add_argument("--desks", type=int, default=500)
    parser.add_argument("--notes", type=int, default=200)
    parser.add_argument("--workers", type=int, default=8, help="desks syncing at the same time")
    args = parser.parse_args()

    cluster = None
    url = args.url
    if url is None:
        from tests.central.pgserver import Cluster

        cluster = Cluster().init()
        url = cluster.url(cluster.create_database("bench"))
    try:
        with server.connect(url) as conn:
            server.migrate(conn)
            conn.execute(f"TRUNCATE {server.SCHEMA}.revisions, {server.SCHEMA}.notes, "
                         f"{server.SCHEMA}.desks")  # fmt: skip
            conn.commit()
        with tempfile.TemporaryDirectory(prefix="agentdesk-bench-") as tmp:
            folder = Path(tmp)
            print(f"making {args.desks} desks x {args.notes} notes ...", flush=True)
            paths = make_desks(folder / "desks", args.desks, args.notes)
            spare = folder / "spare"  # untouched copies: the floor loads the same rows
            spare.mkdir()
            copies = []
            for path in paths:
                copy = spare / path.name
                with (
                    NoteStore.open(path, backup_every=None, quick_check=False) as store,
                    NoteStore.open(copy, backup_every=None, quick_check=False) as target,
                ):
                    store.conn.backup(target.conn)
                copies.append(copy)
            desk_ids = []
            for path in paths:
                with NoteStore.open(path, backup_every=None, quick_check=False) as store:
                    desk_ids.append(str(DeskOutbox(store).desk_id))

            wall, latencies, sent, busy = sync_all(url, paths, args.workers)
            rows = floor_rows(copies, desk_ids)
            copy_rate, insert_rate = floors(url, rows)
        with psycopg.connect(url) as conn:
            stored = conn.execute(f"SELECT count(*) FROM {server.SCHEMA}.revisions").fetchone()
    finally:
        if cluster is not None:
            cluster.destroy()

    assert stored is not None and stored[0] == sent == args.desks * args.notes, (stored, sent)
    p95 = statistics.quantiles(latencies, n=20)[18]
    print(f"desks: {args.desks}, notes each: {args.notes}, syncing at once: {args.workers}")
    print(f"sync throughput:   {sent / wall:9.0f} notes/s   ({sent} notes in {wall:.1f} s)")
    p50 = statistics.median(latencies)
    print(f"one desk's sync:   p50 {p50 * 1000:6.0f} ms, p95 {p95 * 1000:6.0f} ms  "
          f"({args.notes} notes, under the load of the others)")  # fmt: skip
    print(f"in server transactions: {busy / sum(latencies) * 100:.0f}% of the desks' sync "
          "time (the rest: reading, masking, acknowledging on the desk)")  # fmt: skip
    print(f"floor, COPY:        {copy_rate:9.0f} rows/s   (same rows, no key/index/trigger)")
    print(f"floor, executemany: {insert_rate:9.0f} rows/s")
    print(f"sync / COPY: {sent / wall / copy_rate:.2f}   sync / executemany: "
          f"{sent / wall / insert_rate:.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
