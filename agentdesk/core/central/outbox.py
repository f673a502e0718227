"""The desk's side of the outbox: turn it on, read it in order, acknowledge what the server has.

The triggers that fill it live with the notes (:mod:`agentdesk.core.notes.outbox`); this
module only reads and trims it, on a connection of its own (WAL lets the agent write notes
meanwhile; each write here is one short ``BEGIN IMMEDIATE`` transaction).

What leaves the desk goes through :data:`KINDS`: for each kind of record, the function that
turns the stored snapshot into what the server may see. For notes that is the notes
export's masking (:func:`~agentdesk.core.notes.export.mask_note`): one rule for every way a
note leaves the desk. A kind this version does not know stays queued, unsent.
"""

from __future__ import annotations

import hashlib
import json
import socket
import sqlite3
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, NamedTuple

from agentdesk.core.central import usage
from agentdesk.core.central.config import CentralError
from agentdesk.core.notes import Note, NoteStore, outbox
from agentdesk.core.notes.export import mask_note
from agentdesk.core.notes.model import format_time
from agentdesk.core.paths import Paths


def _note_leaving(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A note as the server may see it: every field of :class:`Note`, masked; no other key."""
    return mask_note(Note.from_json(snapshot)).to_json()


#: kind -> what of a stored snapshot may leave the desk. Notes are queued by triggers;
#: usage events are collected from their own database at each sync (:mod:`.usage`).
KINDS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    outbox.KIND: _note_leaving,
    usage.KIND: usage.leaving,
}


class Entry(NamedTuple):
    """One queued write, ready to send: ``payload`` is canonical JSON (None: a tombstone)."""

    seq: int
    kind: str
    record: str
    revision: int
    deleted: bool
    payload: str | None
    digest: str
    queued_at: str


class Backlog(NamedTuple):
    pending: int  # entries waiting, of kinds this version sends
    unknown: int  # entries of kinds this version cannot send
    oldest: datetime | None  # when the oldest waiting entry was written


class DeskOutbox:
    """The outbox of one desk's notes database, on its own connection."""

    def __init__(self, store: NoteStore, paths: Paths | None = None) -> None:
        self.store = store
        self.conn: sqlite3.Connection = store.conn
        #: The desk's folders, where usage events are collected from (None: notes only).
        self.paths = paths

    @classmethod
    def attach(cls, paths: Paths) -> DeskOutbox:
        """The desk's notes database as the app left it, for the app's sync thread.

        It never creates, upgrades or recovers the database (that is the app's own open,
        which tells the agent what it did): until the app has done so, this raises
        :class:`~.config.CentralError` and the thread tries again later.
        """
        path = paths.notes_db
        try:
            conn = sqlite3.connect(
                f"{path.as_uri()}?mode=rw", uri=True, isolation_level=None, timeout=5
            )
        except sqlite3.OperationalError:
            raise CentralError("the notes database is not there yet") from None
        try:
            conn.execute("PRAGMA busy_timeout = 5000")
            conn.execute("PRAGMA synchronous = FULL")
            if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'outbox'").fetchone():
                raise CentralError("the notes database is not upgraded yet")
        except BaseException:
            conn.close()
            raise
        return cls(NoteStore(path, conn, paths.data / "backups"), paths)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> DeskOutbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def desk_id(self) -> str | None:
        """This desk's id on the server; None until syncing was turned on."""
        row = self.conn.execute("SELECT desk_id FROM outbox_enabled").fetchone()
        return str(row[0]) if row else None

    @property
    def desk_name(self) -> str:
        return socket.gethostname()

    def enable(self) -> str:
        """Turn queueing on (once: every existing note is queued then); the desk's id."""
        with self._write():
            outbox.enable(self.conn, uuid.uuid4().hex, format_time(datetime.now()) or "")
        return str(self.desk_id)

    def queue(self, kind: str, records: Sequence[tuple[str, str]]) -> None:
        """Queue ``(record, JSON snapshot)`` pairs written elsewhere than the notes (no
        trigger queues them), each as its record's only revision."""
        with self._write():
            self.conn.executemany(
                "INSERT INTO outbox (kind, record, revision, payload) VALUES (?, ?, 1, ?)",
                [(kind, record, payload) for record, payload in records],
            )

    def pending(self, limit: int) -> list[Entry]:
        """Up to ``limit`` entries of known kinds, oldest first."""
        kinds = tuple(KINDS)
        rows = self.conn.execute(
            "SELECT seq, kind, record, revision, deleted, payload, queued_at FROM outbox "
            f"WHERE kind IN ({', '.join('?' * len(kinds))}) ORDER BY seq LIMIT ?",
            (*kinds, limit),
        ).fetchall()
        return [_entry(*row) for row in rows]

    def acknowledge(self, entries: Sequence[Entry]) -> None:
        """The server has ``entries``: take them out of the outbox."""
        with self._write():
            self.conn.executemany("DELETE FROM outbox WHERE seq = ?", [(e.seq,) for e in entries])

    def renumber(self, kind: str, record: str, after: int, since: int) -> None:
        """Number the queued writes of ``record`` from revision ``since`` on after the
        server's newest revision ``after``, and the record's next writes after them."""
        shift = after - since + 1
        with self._write():
            self.conn.execute(
                "UPDATE outbox SET revision = revision + ? "
                "WHERE kind = ? AND record = ? AND revision >= ?",
                (shift, kind, record, since),
            )
            self.conn.execute(
                "UPDATE outbox_records SET revision = revision + ? WHERE kind = ? AND record = ?",
                (shift, kind, record),
            )

    def backlog(self) -> Backlog:
        known = tuple(KINDS)
        marks = ", ".join("?" * len(known))
        pending, unknown, oldest = self.conn.execute(
            f"SELECT count(*) FILTER (WHERE kind IN ({marks})), "
            f"count(*) FILTER (WHERE kind NOT IN ({marks})), min(queued_at) FROM outbox",
            (*known, *known),
        ).fetchone()
        return Backlog(pending, unknown, datetime.fromisoformat(oldest) if oldest else None)

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        return self.store._write()  # the store's write transaction: BEGIN IMMEDIATE ... COMMIT


def canonical(data: dict[str, Any]) -> str:
    """The one JSON text of ``data`` (sorted keys, no spaces): what is sent and hashed."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _entry(
    seq: int,
    kind: str,
    record: str,
    revision: int,
    deleted: int,
    snapshot: str | None,
    queued_at: str,
) -> Entry:
    payload = None
    if not deleted and snapshot is not None:
        payload = canonical(KINDS[kind](json.loads(snapshot)))
    digest = hashlib.sha256(f"{int(bool(deleted))}:{payload or ''}".encode()).hexdigest()
    return Entry(seq, kind, record, revision, bool(deleted), payload, digest, queued_at)
