"""Rotating backups of the notes database, and recovery from a damaged one.

A backup is taken with SQLite's online backup API (a consistent copy even while notes are
being written), checked with ``PRAGMA integrity_check`` before it counts, and only then
moved into place, so the backups folder only ever holds whole, good copies.

When the database is damaged, :func:`recover` sets it aside (renamed, never deleted) and
restores the newest backup that passes the check. What happened is returned as a
:class:`Recovery` for the caller to tell the user.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from agentdesk.core.files import replace_durably
from agentdesk.core.i18n import _
from agentdesk.core.notes.model import shown_time

PREFIX = "notes-"
SUFFIX = ".db"
STAMP = "%Y%m%d-%H%M%S-%f"
KEEP = 7
COMPANIONS = ("-wal", "-shm")  # SQLite's files beside a WAL-mode database


class BackupError(Exception):
    """A backup copy failed its integrity check (and was not kept)."""


class Recovery(NamedTuple):
    """What :func:`recover` did, for the user: ``message`` says it in words."""

    set_aside: Path | None  # where the damaged database went (None: it was missing)
    restored_from: Path | None  # the backup now in use (None: no good backup, started empty)
    backup_time: datetime | None
    message: str


def integrity_errors(conn: sqlite3.Connection, quick: bool = False) -> list[str]:
    """The problems ``PRAGMA integrity_check`` (or ``quick_check``) finds; empty if none."""
    pragma = "quick_check" if quick else "integrity_check"
    rows = [row[0] for row in conn.execute(f"PRAGMA {pragma}")]
    return [] if rows == ["ok"] else [str(r) for r in rows]


def is_good(path: Path) -> bool:
    """Whether ``path`` is a readable SQLite database that passes the integrity check."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return not integrity_errors(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False


def backups(folder: Path) -> list[Path]:
    """The backups in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if backup_time(p) is not None]
    return sorted(found, key=lambda p: p.name, reverse=True)


def backup_time(path: Path) -> datetime | None:
    """When the backup was taken, from its name (``notes-20240601-093000-000000.db``)."""
    stamp = path.name.removeprefix(PREFIX).removesuffix(SUFFIX)
    try:
        return datetime.strptime(stamp, STAMP)
    except ValueError:
        return None


def backup(
    source: sqlite3.Connection, folder: Path, now: datetime | None = None, keep: int = KEEP
) -> Path:
    """Copy the database open on ``source`` into ``folder``; keep the newest ``keep``.

    Raises :class:`BackupError` if the copy fails its integrity check (it is deleted and
    older backups are left alone).
    """
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob(f".{PREFIX}*.tmp*"):  # left by a backup that was interrupted
        stale.unlink(missing_ok=True)
    final = folder / f"{PREFIX}{(now or datetime.now()).strftime(STAMP)}{SUFFIX}"
    partial = folder / f".{final.name}.tmp"
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
        errors = integrity_errors(copy)
    finally:
        copy.close()
    if errors:
        partial.unlink(missing_ok=True)
        raise BackupError(f"the backup copy failed its integrity check: {errors[0]}")
    replace_durably(partial, final)
    for old in backups(folder)[keep:]:
        old.unlink(missing_ok=True)
    return final


def recover(db_path: Path, folder: Path, now: datetime | None = None) -> Recovery:
    """Set the damaged (or missing) database aside and restore the newest good backup.

    The caller must have closed every connection to ``db_path``.
    """
    now = now or datetime.now()
    set_aside = None
    if db_path.exists():
        set_aside = db_path.with_name(f"{db_path.stem}.damaged-{now.strftime(STAMP)}{SUFFIX}")
        db_path.replace(set_aside)
        for companion in COMPANIONS:  # the WAL goes with it: it may hold the latest notes
            with contextlib.suppress(FileNotFoundError):
                Path(f"{db_path}{companion}").replace(f"{set_aside}{companion}")
    for candidate in backups(folder):
        if is_good(candidate):
            partial = db_path.with_name(f".{db_path.name}.restoring")
            shutil.copyfile(candidate, partial)
            replace_durably(partial, db_path)
            taken = backup_time(candidate)
            return Recovery(set_aside, candidate, taken, _message(set_aside, taken))
    return Recovery(set_aside, None, None, _message(set_aside, None))


def _message(set_aside: Path | None, taken: datetime | None) -> str:
    if set_aside is not None:
        first = _("The notes database was damaged. It was set aside as {file}.").format(
            file=set_aside
        )
    else:
        first = _("The notes database was missing.")
    if taken is None:
        return " ".join([first, _("No good backup was found, so an empty one was started.")])
    return " ".join(
        [
            first,
            _(
                "The backup of {when} was restored; notes saved after that time are not in it."
            ).format(when=shown_time(taken)),
        ]
    )
