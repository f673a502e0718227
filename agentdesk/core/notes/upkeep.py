"""The daily checked backup, run where nobody waits for it, and the full integrity check
that comes with it.

At a million notes ``PRAGMA quick_check`` reads the whole file (about a second) and a
checked backup takes several more. So opening the notes for use (``NoteStore.open(...,
quick_check=False, backup_every=None)``, :func:`open_for_use`) only reads what every open
reads anyway: the file's header and schema, the two ends of the notes table and the draft
(:func:`~.backup.read_ends`, milliseconds at any size). Damage there, or met by any later
read, raises SQLite's corruption error (:func:`~.store.is_corruption`).

The rest of the file is checked once a day by :func:`run`, on its own connection, so it
may run in a worker thread while the app works (the command line runs it before a note is
written): the backup copy is checked with ``PRAGMA integrity_check`` (the copy is the
database page for page, so this checks the database too, without holding it), and if the
copy is damaged the database itself is checked. Damage found is returned, never copied
into a backup; the caller closes its store and calls :func:`open_for_use` with
``damaged=True``, which sets the database aside, restores the newest good backup and
salvages what the damaged file still holds, as an open that meets damage does.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from agentdesk.core.notes.backup import (
    BackupError,
    backup,
    backup_due,
    integrity_errors,
    is_corruption,
)
from agentdesk.core.notes.store import BACKUP_EVERY, BUSY_TIMEOUT_MS, NoteStore
from agentdesk.core.paths import Paths


class Upkeep(NamedTuple):
    """What :func:`run` did."""

    backup: Path | None  # the backup taken (None: none was due, or it failed)
    error: str | None  # why the backup failed (the notes still work)
    damage: tuple[str, ...] = ()  # what the full check found wrong: recover (see above)


NOTHING_DUE = Upkeep(None, None)


def open_for_use(paths: Paths, *, damaged: bool = False, **options: Any) -> NoteStore:
    """The notes of ``paths``, opened in milliseconds at any size (no full check, no
    backup: :func:`run` does those). May be called in a worker thread and the store used
    in another. With ``damaged``, the database is known to be damaged: it is set aside and
    the newest good backup restored, with what the damaged file still holds."""
    return NoteStore.open(
        paths.notes_db,
        backup_folder=paths.data / "backups",
        quick_check=False,
        backup_every=None,
        damaged=damaged,
        **options,
    )


def run(
    db_path: Path, backup_folder: Path, now: datetime, every: timedelta = BACKUP_EVERY
) -> Upkeep:
    """Take the daily backup if it is due, checking the database with it.

    Uses its own connection (never creates a database: the store has opened it first), so
    it is safe in a worker thread while another connection writes notes.
    """
    if not backup_due(backup_folder, now, every):
        return NOTHING_DUE
    try:
        conn = sqlite3.connect(
            f"{db_path.resolve().as_uri()}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
        )
    except sqlite3.Error as exc:
        return Upkeep(None, str(exc))
    try:
        return Upkeep(backup(conn, backup_folder, now), None)
    except BackupError as exc:  # the copy is damaged: is the database?
        return Upkeep(None, str(exc), tuple(_damage(conn)))
    except sqlite3.DatabaseError as exc:
        return Upkeep(None, str(exc), (str(exc),) if is_corruption(exc) else ())
    except OSError as exc:
        return Upkeep(None, str(exc))
    finally:
        conn.close()


def daily(paths: Paths, now: datetime | None = None) -> Upkeep:
    """:func:`run` for the notes of ``paths``."""
    return run(paths.notes_db, paths.data / "backups", now or datetime.now())


def _damage(conn: sqlite3.Connection) -> list[str]:
    try:
        return integrity_errors(conn)
    except sqlite3.DatabaseError as exc:
        return [str(exc)] if is_corruption(exc) else []
