"""The usage events, in their own SQLite file (``usage.db`` in the data folder).

Recording must never get in the agent's way: :meth:`UsageStore.add` swallows storage
errors after reporting them once, and a file that is not a database any more is moved
aside (kept, never emptied) and a new one started.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from agentdesk.core.usage.events import Event

BUSY_TIMEOUT_MS = 5000
_COLUMNS = Event._fields
_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    call TEXT NOT NULL, at REAL NOT NULL, kind TEXT NOT NULL, pack TEXT NOT NULL,
    version TEXT NOT NULL, flow TEXT NOT NULL, step TEXT NOT NULL,
    choice TEXT, offer TEXT, seconds REAL
);
CREATE INDEX IF NOT EXISTS events_pack_at ON events (pack, at);
PRAGMA user_version = 1;
"""
_INSERT = f"INSERT INTO events ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
_CORRUPTION_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


class UsageStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.failed = False

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(_SCHEMA)
        return db

    def add(self, events: Iterable[Event]) -> None:
        """Store events; a storage problem is reported on stderr once, never raised."""
        rows = [tuple(e) for e in events]
        if not rows:
            return
        try:
            self._write(rows)
        except sqlite3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorcode", None) not in _CORRUPTION_CODES:
                self._report(exc)
                return
            self._set_aside()
            try:
                self._write(rows)
            except (sqlite3.Error, OSError) as again:
                self._report(again)
        except (sqlite3.Error, OSError) as exc:
            self._report(exc)

    def _write(self, rows: Sequence[tuple[object, ...]]) -> None:
        db = self._connect()
        try:
            with db:
                db.executemany(_INSERT, rows)
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
            for row in db.execute(query + " ORDER BY at, rowid", args):
                yield Event(*row)
        finally:
            db.close()
