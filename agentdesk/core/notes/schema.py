"""The notes database schema, as numbered migrations (sqlite-utils ``Migrations``).

Never edit a migration that has shipped: add the next number. Importing sqlite-utils costs
about 80 ms, so :func:`migrate` asks SQLite first and only imports it when something is
pending; a database that is up to date opens without it.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from agentdesk.core.notes import aside, outbox, search_index
from agentdesk.core.notes.model import TEXT_FIELDS

if TYPE_CHECKING:
    from sqlite_utils.db import Database

MIGRATION_SET = "agentdesk.notes"
MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' own table name
TOKENIZE = "unicode61 remove_diacritics 2"  # "migracion" finds "Migración"


def m001_notes(db: Database) -> None:
    db.table("notes").create(
        {
            "id": int,
            "person": str,
            "medium": str,
            "reason": str,
            "inputs": str,
            "pending": str,
            "solution": str,
            "protocol": str,
            "follow_up": str,
            "follow_up_done": int,
            "pack_id": str,
            "pack_version": str,
            "flow_id": str,
            "path": str,  # JSON arrays of strings, like the next three
            "scripts_shown": str,
            "macros_copied": str,
            "offers_applied": str,
            "started_at": str,
            "ended_at": str,
            "agent": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={
            "person",
            "medium",
            "reason",
            "inputs",
            "pending",
            "solution",
            "protocol",
            "follow_up_done",
            "pack_id",
            "pack_version",
            "flow_id",
            "path",
            "scripts_shown",
            "macros_copied",
            "offers_applied",
            "agent",
            "created_at",
            "updated_at",
        },
        defaults={
            **dict.fromkeys(("inputs", "pending", "solution", "protocol", "agent"), ""),
            **dict.fromkeys(("pack_id", "pack_version", "flow_id"), ""),
            **dict.fromkeys(("path", "scripts_shown", "macros_copied", "offers_applied"), "[]"),
            "follow_up_done": 0,
        },
    )
    db.table("notes").create_index(["created_at"])
    # sqlite-utils' create_index has no WHERE clause; a partial index keeps the "due" list
    # and the next reminder cheap however many notes are done.
    db.execute(
        "CREATE INDEX idx_notes_follow_up_open ON notes (follow_up) "
        "WHERE follow_up IS NOT NULL AND follow_up_done = 0"
    )


def m002_search(db: Database) -> None:
    # An external-content FTS5 index kept in step by triggers (notes_ai/_ad/_au).
    db.table("notes").enable_fts(TEXT_FIELDS, tokenize=TOKENIZE, create_triggers=True)


def m003_draft(db: Database) -> None:
    # At most one row: the note being written. ``data`` is the draft as JSON, so adding a
    # field to drafts needs no migration.
    db.execute(
        "CREATE TABLE draft ("
        " id INTEGER PRIMARY KEY CHECK (id = 1),"
        " key TEXT NOT NULL,"
        " data TEXT NOT NULL,"
        " saved_at TEXT NOT NULL)"
    )


def m004_outbox(db: Database) -> None:
    # Writes queued for the central server by triggers, once syncing is on (.outbox).
    outbox.create(db)


def m005_search_prefixes_and_filters(db: Database) -> None:
    # The search index again (m002's is dropped), now with prefix indexes and a word per
    # filter of the history (:mod:`.search_index`), built from what the notes hold.
    search_index.create(db, TOKENIZE)


def m006_draft_aside(db: Database) -> None:
    # Unfinished drafts of earlier calls, one row each (.aside): the note follows the call,
    # and the draft it leaves is kept here until the agent completes it.
    db.execute(
        f"CREATE TABLE {aside.TABLE} ("
        " key TEXT PRIMARY KEY,"
        " data TEXT NOT NULL,"
        " saved_at TEXT NOT NULL)"
    )


STEPS = (
    m001_notes,
    m002_search,
    m003_draft,
    m004_outbox,
    m005_search_prefixes_and_filters,
    m006_draft_aside,
)
NAMES = tuple(step.__name__ for step in STEPS)


def applied(conn: sqlite3.Connection) -> set[str]:
    """Names of the migrations already applied (plain SQL: no sqlite-utils import)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MIGRATIONS_TABLE,)
    ).fetchone()
    if not exists:
        return set()
    rows = conn.execute(
        f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ?", (MIGRATION_SET,)
    )
    return {name for (name,) in rows}


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply what is pending, all in one write transaction; return the names applied.

    The whole run holds the write lock (``BEGIN IMMEDIATE``), so two processes opening a
    new database at once cannot both migrate it; the second finds nothing pending.
    """
    if set(NAMES) <= applied(conn):
        return []
    from sqlite_utils.db import Database
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for step in STEPS:
        migrations()(step)
    db = Database(conn, execute_plugins=False, recursive_triggers=False)
    conn.execute("BEGIN IMMEDIATE")
    try:
        pending: list[Any] = migrations.pending(db)
        migrations.apply(db)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return [m.name for m in pending]
