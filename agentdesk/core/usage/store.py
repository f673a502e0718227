"""The usage events, in their own SQLite file (``usage.db`` in the data folder).

Recording must never get in the agent's way: :meth:`UsageStore.add` swallows storage
errors after reporting them once, and a file that is not a database any more is moved
aside (kept, never emptied) and a new one started.

The file is in WAL mode with ``synchronous=NORMAL``: a commit does not wait for the disk.
An app that crashes or is killed loses nothing it committed; a power cut may lose the last
second or so of figures, which is acceptable for counts (notes are kept with FULL).

Each event has a random ``id`` and a ``queued`` flag: the central sync copies events to
the notes database's outbox and marks them queued (:mod:`agentdesk.core.central.usage`).
"""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from agentdesk.core.usage.events import Event

BUSY_TIMEOUT_MS = 5000
SCHEMA_VERSION = 2
_COLUMNS = Event._fields
_TABLE = """
CREATE TABLE IF NOT EXISTS events (
    call TEXT NOT NULL, at REAL NOT NULL, kind TEXT NOT NULL, pack TEXT NOT NULL,
    version TEXT NOT NULL, flow TEXT NOT NULL, step TEXT NOT NULL,
    choice TEXT, offer TEXT, seconds REAL
)"""
_UPGRADES = {  # from user_version N, the statements that make it N + 1
    0: [_TABLE, "CREATE INDEX IF NOT EXISTS events_pack_at ON events (pack, at)"],
    1: [
        "ALTER TABLE events ADD COLUMN id TEXT",
        "ALTER TABLE events ADD COLUMN queued INTEGER NOT NULL DEFAULT 0",
        "UPDATE events SET id = lower(hex(randomblob(16)))",
        "CREATE UNIQUE INDEX events_id ON events (id)",
        "CREATE INDEX events_to_queue ON events (queued) WHERE queued = 0",
    ],
}
_INSERT = (
    f"INSERT INTO events ({', '.join(_COLUMNS)}, id) "
    f"VALUES ({', '.join('?' * len(_COLUMNS))}, lower(hex(randomblob(16))))"
)
_CORRUPTION_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


class UsageStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.failed = False

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            if db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                _upgrade(db)
        except BaseException:
            db.close()
            raise
        return db

    def add(self, events: Iterable[Event]) -> None:
        """Store events; a storage problem is reported on stderr once, never raised."""
        rows = [tuple(e) for e in events]
        if rows:
            self._guarded(lambda db: db.executemany(_INSERT, rows))

    def prune(self, before: float) -> None:
        """Delete the events older than ``before`` (seconds since the epoch); never raises."""
        if self.path.exists():
            self._guarded(lambda db: db.execute("DELETE FROM events WHERE at < ?", (before,)))

    def _guarded(self, write: Callable[[sqlite3.Connection], object]) -> None:
        try:
            self._write(write)
        except sqlite3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorcode", None) not in _CORRUPTION_CODES:
                self._report(exc)
                return
            self._set_aside()
            try:
                self._write(write)
            except (sqlite3.Error, OSError) as again:
                self._report(again)
        except (sqlite3.Error, OSError) as exc:
            self._report(exc)

    def _write(self, write: Callable[[sqlite3.Connection], object]) -> None:
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            write(db)
            db.execute("COMMIT")
        finally:
            db.close()

    def _set_aside(self) -> None:
        """A damaged file is kept under another name, for whoever wants to look at it."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for suffix in ("", "-wal", "-shm"):
            part = self.path.with_name(self.path.name + suffix)
            if part.exists():
                part.replace(self.path.with_name(f"{self.path.name}.damaged-{stamp}{suffix}"))

    def _report(self, exc: BaseException) -> None:
        if not self.failed:
            print(f"agentdesk: usage figures not recorded: {exc}", file=sys.stderr)
        self.failed = True

    def events(self, pack: str | None = None, since: float | None = None) -> Iterator[Event]:
        """Stored events in the order they happened; raises sqlite3.Error if unreadable."""
        if not self.path.exists():
            return
        db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            query = f"SELECT {', '.join(_COLUMNS)} FROM events WHERE 1"
            args: list[object] = []
            if pack is not None:
                query += " AND pack = ?"
                args.append(pack)
            if since is not None:
                query += " AND at >= ?"
                args.append(since)
            yield from map(Event._make, db.execute(query + " ORDER BY at, rowid", args))
        finally:
            db.close()

    # -- for the central sync (raise sqlite3.Error: the sync says so and tries again) ------

    def unqueued(self, limit: int) -> list[tuple[str, Event]]:
        """Up to ``limit`` events not yet queued for the central server, oldest first, with
        their ids."""
        if not self.path.exists():
            return []
        db = self._connect()
        try:
            rows = db.execute(
                f"SELECT id, {', '.join(_COLUMNS)} FROM events WHERE queued = 0 "
                "ORDER BY rowid LIMIT ?",
                (limit,),
            ).fetchall()
        finally:
            db.close()
        return [(row[0], Event._make(row[1:])) for row in rows]

    def mark_queued(self, ids: Sequence[str]) -> None:
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("UPDATE events SET queued = 1 WHERE id = ?", [(i,) for i in ids])
            db.execute("COMMIT")
        finally:
            db.close()


def _upgrade(db: sqlite3.Connection) -> None:
    """Bring the file to :data:`SCHEMA_VERSION`, in one transaction (another process may be
    doing the same: the second finds it done)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        while version < SCHEMA_VERSION:
            for statement in _UPGRADES[version]:
                db.execute(statement)
            version += 1
        db.execute(f"PRAGMA user_version = {version}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
