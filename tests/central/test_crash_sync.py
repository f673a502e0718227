"""Kill -9 the syncing desk at random moments, and stop the server mid-transaction, many times:
every write the desk acknowledged arrives exactly once.

The test is the agent: it writes notes (adds, edits, deletions) on the desk's database,
before and while ``agentdesk central sync`` runs in a child process with small batches.
The child is killed with SIGKILL once it has said it sent a random number of batches (so
mid-batch: reading the outbox, in the server transaction, or acknowledging). Every few
rounds the server is stopped at once instead (``pg_ctl stop -m immediate``, its
transactions cut) and started again. At the end one sync runs to completion; then the
server must hold, for each note, exactly the revisions the desk wrote (1 … n, a tombstone
last for a deleted note), and the newest of each must be the desk's note, masked.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg

from agentdesk.core.central.outbox import DeskOutbox
from agentdesk.core.notes import NoteStore
from agentdesk.core.notes.export import mask_note
from tests.central.pgserver import Cluster
from tests.conftest import REPO
from tests.core.notes.conftest import note

KILLS = 110  # rounds whose sync is killed mid-work
SERVER_CRASH_EVERY = 9  # in every ninth round the server is stopped instead


class Desk:
    """The agent's side: writes notes and remembers what each record must have on the server."""

    def __init__(self, store: NoteStore, rng: random.Random) -> None:
        self.store = store
        self.rng = rng
        self.revisions: dict[str, int] = {}  # record -> revisions written
        self.deleted: set[str] = set()
        self.records: dict[int, str] = {}  # live note id -> record
        self.written = 0

    def record(self, note_id: int) -> str:
        row = self.store.conn.execute(
            "SELECT record FROM outbox_records WHERE kind = 'note' AND local_id = ?", (note_id,)
        ).fetchone()
        return str(row[0])

    def write(self, count: int) -> None:
        for _ in range(count):
            self.written += 1
            choice = self.rng.random()
            if not self.records or choice < 0.6:
                saved = self.store.add(
                    note(
                        person=f"Cliente 09{self.rng.randint(10**7, 10**8 - 1)}",
                        reason=f"write {self.written}",
                    )
                )
                assert saved.id is not None
                record = self.record(saved.id)
                self.records[saved.id] = record
                self.revisions[record] = 1
                continue
            note_id = self.rng.choice(sorted(self.records))
            record = self.records[note_id]
            if choice < 0.9:
                current = self.store.get(note_id)
                assert current is not None
                self.store.update(current._replace(reason=f"write {self.written}"))
            else:
                with self.store.conn:
                    self.store.conn.execute("DELETE FROM notes WHERE id = ?", (note_id,))
                del self.records[note_id]
                self.deleted.add(record)
            self.revisions[record] += 1


def start_sync(data: Path, url: str, batch: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "agentdesk",
            "--data-dir",
            str(data),
            "central",
            "sync",
            "--batch",
            str(batch),
            "--verbose",
        ],
        cwd=REPO,
        env={**os.environ, "AGENTDESK_CENTRAL_URL": url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen[str], kill: bool) -> tuple[int, str]:
    assert proc.stdout is not None and proc.stderr is not None
    if kill:
        proc.send_signal(signal.SIGKILL)
    with proc.stdout, proc.stderr:
        out, err = proc.stdout.read(), proc.stderr.read()
    return proc.wait(), out + err


def server_state(url: str) -> tuple[dict[str, list[int]], dict[str, Any], list[tuple[Any, ...]]]:
    with psycopg.connect(url) as conn:
        revisions: dict[str, list[int]] = {}
        for record, revision in conn.execute(
            "SELECT record, revision FROM agentdesk.revisions ORDER BY record, revision"
        ):
            revisions.setdefault(record, []).append(revision)
        latest = {
            record: (deleted, payload)
            for record, deleted, payload in conn.execute(
                "SELECT record, deleted, payload FROM agentdesk.notes"
            )
        }
        tombstones = conn.execute(
            "SELECT record, revision FROM agentdesk.revisions WHERE deleted ORDER BY record"
        ).fetchall()
    return revisions, latest, tombstones


def test_every_acknowledged_write_arrives_exactly_once_through_kills_and_server_crashes(
    cluster: Cluster, central_url: str, tmp_path: Path
) -> None:
    rng = random.Random(18)
    data = tmp_path / "desk"
    store = NoteStore.open(data / "notes.db", backup_every=None)
    desk = Desk(store, rng)
    for n in range(20):  # written before syncing was on: turning it on queues them
        store.add(note(reason=f"before {n}"))
    DeskOutbox(store).enable()
    for saved in store.list_notes(limit=None):
        assert saved.id is not None
        desk.records[saved.id] = desk.record(saved.id)
        desk.revisions[desk.records[saved.id]] = 1
    killed = crashed = 0
    for round_ in range(KILLS + KILLS // SERVER_CRASH_EVERY):
        desk.write(rng.randint(3, 25))
        proc = start_sync(data, central_url, batch=rng.randint(1, 6))
        assert proc.stdout is not None
        for _ in range(rng.randint(0, 4)):  # let it send that many batches...
            if not proc.stdout.readline():
                break
            if rng.random() < 0.3:
                desk.write(1)  # ... while the agent goes on writing
        if round_ % SERVER_CRASH_EVERY == SERVER_CRASH_EVERY - 1:
            cluster.crash()  # mid-transaction, as likely as not; then both start again
            code, said = finish(proc, kill=True)
            assert code in (0, 1, -signal.SIGKILL), said  # 1: it said it cannot send
            cluster.start()
            crashed += 1
        else:
            code, said = finish(proc, kill=True)
            assert code in (0, -signal.SIGKILL), said
            killed += code == -signal.SIGKILL

    desk.write(10)
    code, said = finish(start_sync(data, central_url, batch=50), kill=False)
    assert code == 0, said
    assert said.rstrip().endswith(" sent; 0 waiting")
    assert killed >= 100 and crashed >= 10  # the kills landed while it was at work

    revisions, latest, tombstones = server_state(central_url)
    assert revisions == {record: list(range(1, n + 1)) for record, n in desk.revisions.items()}
    assert {r for r, _ in tombstones} == desk.deleted
    assert all(revision == desk.revisions[r] for r, revision in tombstones)  # deleted last
    for note_id, record in desk.records.items():
        current = store.get(note_id)
        assert current is not None
        assert latest[record] == (False, mask_note(current).to_json())
    assert {r for r, (deleted, _) in latest.items() if deleted} == desk.deleted
    assert store.conn.execute("SELECT count(*) FROM outbox").fetchone() == (0,)
    store.close()
