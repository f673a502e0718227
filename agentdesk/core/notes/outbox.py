"""The outbox: every write to ``notes`` queued, in the same transaction, for the central server.

Triggers on ``notes`` do the queueing, so every write path (the panel, the command line, a
script with plain SQL) feeds it and nothing in the store's code knows about it. They only
queue once the desk has turned syncing on (a row in ``outbox_enabled``, see
:mod:`agentdesk.core.central.outbox`): a desk that never syncs pays one indexed look-up per
write and keeps no copies.

- ``outbox_records``: each live note's stable identity (``record``, a random hex id that a
  reused rowid or a restored backup never repeats) and its revision counter.
- ``outbox``: one row per write, oldest first (``seq``): the record, its revision (1 on
  insert, +1 on every update), a JSON snapshot of the row as written, or ``deleted = 1``
  and no snapshot for a tombstone. Rows leave the outbox once the server has them.

The snapshot names the columns the table had when the triggers were made. A migration that
adds a column to ``notes`` must call :func:`create_triggers` again (a test checks that the
snapshot carries every column).
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, get_type_hints

from agentdesk.core.notes.model import LIST_FIELDS, Note

if TYPE_CHECKING:
    from sqlite_utils.db import Database

KIND = "note"
TRIGGERS = ("notes_outbox_ai", "notes_outbox_au", "notes_outbox_ad")
_BOOLEANS = frozenset(name for name, kind in get_type_hints(Note).items() if kind is bool)
_ENABLED = "EXISTS (SELECT 1 FROM outbox_enabled)"

TABLES = (
    """CREATE TABLE outbox_enabled (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  desk_id TEXT NOT NULL,
  enabled_at TEXT NOT NULL
)""",
    """CREATE TABLE outbox_records (
  kind TEXT NOT NULL,
  local_id INTEGER NOT NULL,
  record TEXT NOT NULL UNIQUE,
  revision INTEGER NOT NULL,
  PRIMARY KEY (kind, local_id)
)""",
    """CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  record TEXT NOT NULL,
  revision INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  payload TEXT,
  queued_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
)""",
)


def snapshot_sql(columns: list[str], row: str = "NEW") -> str:
    """A ``json_object`` of ``row``'s columns in :meth:`Note.to_json`'s shape (lists as
    arrays, flags as true/false), so :meth:`Note.from_json` reads it back."""
    parts = []
    for name in columns:
        value = f"{row}.{name}"
        if name in LIST_FIELDS:
            value = f"json({value})"
        elif name in _BOOLEANS:
            value = f"json(CASE WHEN {value} THEN 'true' ELSE 'false' END)"
        parts.append(f"'{name}', {value}")
    return f"json_object({', '.join(parts)})"


def create_triggers(db: Database) -> None:
    """(Re)create the triggers for the columns ``notes`` has now."""
    columns = [row[1] for row in db.execute("PRAGMA table_info(notes)").fetchall()]
    for name in TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    queue = (
        "INSERT INTO outbox (kind, record, revision, deleted, payload) "
        "SELECT kind, record, revision, {deleted}, {payload} FROM outbox_records "
        f"WHERE kind = '{KIND}' AND local_id = {{row}}.id;"
    )
    db.execute(
        f"CREATE TRIGGER notes_outbox_ai AFTER INSERT ON notes WHEN {_ENABLED} BEGIN "
        "INSERT OR REPLACE INTO outbox_records (kind, local_id, record, revision) "
        f"VALUES ('{KIND}', NEW.id, lower(hex(randomblob(16))), 1); "
        + queue.format(deleted=0, payload=snapshot_sql(columns), row="NEW")
        + " END"
    )
    db.execute(
        f"CREATE TRIGGER notes_outbox_au AFTER UPDATE ON notes WHEN {_ENABLED} BEGIN "
        "UPDATE outbox_records SET revision = revision + 1, local_id = NEW.id "
        f"WHERE kind = '{KIND}' AND local_id = OLD.id; "
        + queue.format(deleted=0, payload=snapshot_sql(columns), row="NEW")
        + " END"
    )
    db.execute(
        f"CREATE TRIGGER notes_outbox_ad AFTER DELETE ON notes WHEN {_ENABLED} BEGIN "
        "UPDATE outbox_records SET revision = revision + 1 "
        f"WHERE kind = '{KIND}' AND local_id = OLD.id; "
        + queue.format(deleted=1, payload="NULL", row="OLD")
        + f" DELETE FROM outbox_records WHERE kind = '{KIND}' AND local_id = OLD.id; END"
    )


def create(db: Database) -> None:
    """The tables and triggers (the notes migration that adds the outbox calls this)."""
    for statement in TABLES:  # one by one: executescript would commit the migration
        db.execute(statement)
    create_triggers(db)


def enable(conn: sqlite3.Connection, desk_id: str, now: str) -> bool:
    """Start queueing (once): every note there is now is queued as its first revision, in
    the transaction that turns the triggers on. False if it was already on."""
    if conn.execute("SELECT 1 FROM outbox_enabled").fetchone():
        return False
    columns = [row[1] for row in conn.execute("PRAGMA table_info(notes)")]
    conn.execute(
        "INSERT INTO outbox_enabled (id, desk_id, enabled_at) VALUES (1, ?, ?)", (desk_id, now)
    )
    conn.execute(
        "INSERT INTO outbox_records (kind, local_id, record, revision) "
        f"SELECT '{KIND}', id, lower(hex(randomblob(16))), 1 FROM notes ORDER BY id"
    )
    conn.execute(
        "INSERT INTO outbox (kind, record, revision, deleted, payload) "
        f"SELECT r.kind, r.record, 1, 0, {snapshot_sql(columns, 'notes')} "
        f"FROM notes JOIN outbox_records r ON r.kind = '{KIND}' AND r.local_id = notes.id "
        "ORDER BY notes.id"
    )
    return True
