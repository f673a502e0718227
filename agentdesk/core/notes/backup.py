"""Rotating backups of the notes database, and recovery from a damaged one.

A backup is taken with SQLite's online backup API (a consistent copy even while notes are
being written), checked with ``PRAGMA integrity_check`` before it counts, and only then
moved into place, so the backups folder only ever holds whole, good copies.

When the database is damaged (or an empty file, which a notes database never is),
:func:`recover` sets it aside (renamed, never deleted) and restores the newest backup that
passes the check and holds notes; :mod:`.salvage` then brings back what the damaged file
still holds. What happened is returned as a :class:`Recovery` for the caller to tell the
user.

Rotation keeps the newest :data:`KEEP` backups, and never deletes the newest of those that
hold the most notes: a run of backups of an emptied database cannot push the last good one
out.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from agentdesk.core.files import replace_durably
from agentdesk.core.i18n import _, ngettext
from agentdesk.core.notes.model import shown_time

PREFIX = "notes-"
SUFFIX = ".db"
STAMP = "%Y%m%d-%H%M%S-%f"
KEEP = 7
COMPANIONS = ("-wal", "-shm")  # SQLite's files beside a WAL-mode database
_CORRUPTION_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


class DamagedDatabase(sqlite3.DatabaseError):
    """The database opened but failed ``PRAGMA quick_check``."""


def is_corruption(exc: sqlite3.DatabaseError) -> bool:
    """A damaged file (not a busy or locked database, which is no reason to set it aside)."""
    if isinstance(exc, DamagedDatabase):
        return True
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in _CORRUPTION_CODES


class BackupError(Exception):
    """A backup copy failed its integrity check (and was not kept)."""


class Recovery(NamedTuple):
    """What :func:`recover` did, for the user: ``message`` says it in words."""

    set_aside: Path | None  # where the damaged database went (None: it was missing)
    restored_from: Path | None  # the backup now in use (None: no good backup, started empty)
    backup_time: datetime | None
    message: str
    empty: bool = False  # the database was a file of 0 bytes
    salvaged: int = 0  # notes brought back from the damaged file (added or updated)


def integrity_errors(conn: sqlite3.Connection, quick: bool = False) -> list[str]:
    """The problems ``PRAGMA integrity_check`` (or ``quick_check``) finds; empty if none."""
    pragma = "quick_check" if quick else "integrity_check"
    rows = [row[0] for row in conn.execute(f"PRAGMA {pragma}")]
    return [] if rows == ["ok"] else [str(r) for r in rows]


def read_ends(conn: sqlite3.Connection) -> None:
    """Read what every open of the notes reads first: the file's header and schema, the
    first and last notes (the two edges of the table's b-tree, where new notes go) and the
    draft. Milliseconds at any size, where ``quick_check`` reads every page; damage here
    raises SQLite's own corruption error. A database with no tables yet passes."""
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    if "notes" in tables:
        conn.execute(
            "SELECT * FROM notes WHERE id IN ((SELECT min(id) FROM notes), "
            "(SELECT max(id) FROM notes))"
        ).fetchall()
    if "draft" in tables:
        conn.execute("SELECT * FROM draft").fetchall()


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


def is_empty_file(path: Path) -> bool:
    """A database file of 0 bytes: never a notes database (even a new one has its schema),
    but what a failed copy or a file system hiccup leaves. SQLite would open it as a new,
    empty database; it is treated as damaged instead."""
    try:
        return path.is_file() and path.stat().st_size == 0
    except OSError:
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


def backup_due(folder: Path, now: datetime, every: timedelta) -> bool:
    """Whether the newest backup in ``folder`` is ``every`` old or older (or there is none)."""
    existing = backups(folder)
    newest = backup_time(existing[0]) if existing else None
    return newest is None or newest <= now - every


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
    rotate(folder, keep)
    return final


def rotate(folder: Path, keep: int = KEEP) -> None:
    """Delete all but the newest ``keep`` backups, and the newest that holds most notes."""
    existing = backups(folder)
    if len(existing) <= keep:
        return
    fullest = max(existing, key=lambda p: (note_count(p), p.name))
    for old in existing[keep:]:
        if old != fullest:
            old.unlink(missing_ok=True)


def note_count(path: Path) -> int:
    """How many notes the database at ``path`` holds (-1 if it cannot say)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return int(conn.execute("SELECT count(*) FROM notes").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return -1


def recover(db_path: Path, folder: Path, now: datetime | None = None) -> Recovery:
    """Set the damaged (or missing, or empty) database aside and restore the newest good
    backup that holds notes (the newest good one if none does).

    The caller must have closed every connection to ``db_path``.
    """
    now = now or datetime.now()
    set_aside = None
    empty = is_empty_file(db_path)
    if db_path.exists():
        set_aside = db_path.with_name(f"{db_path.stem}.damaged-{now.strftime(STAMP)}{SUFFIX}")
        db_path.replace(set_aside)
        for companion in COMPANIONS:  # the WAL goes with it: it may hold the latest notes
            with contextlib.suppress(FileNotFoundError):
                Path(f"{db_path}{companion}").replace(f"{set_aside}{companion}")
    good = [candidate for candidate in backups(folder) if is_good(candidate)]
    chosen = next((c for c in good if note_count(c) > 0), good[0] if good else None)
    taken = None
    if chosen is not None:
        partial = db_path.with_name(f".{db_path.name}.restoring")
        shutil.copyfile(chosen, partial)
        replace_durably(partial, db_path)
        taken = backup_time(chosen)
    recovery = Recovery(set_aside, chosen, taken, "", empty)
    return recovery._replace(message=recovery_message(recovery))


def recovery_message(recovery: Recovery) -> str:
    """What happened, in words for the agent."""
    set_aside, taken = recovery.set_aside, recovery.backup_time
    if set_aside is not None and recovery.empty:
        first = _(
            "The notes database was an empty file, which it never is. It was set aside as {file}."
        ).format(file=set_aside)
    elif set_aside is not None:
        first = _("The notes database was damaged. It was set aside as {file}.").format(
            file=set_aside
        )
    else:
        first = _("The notes database was missing.")
    count, when = recovery.salvaged, shown_time(taken) if taken else ""
    if taken is None and not count:
        second = _("No good backup was found, so an empty one was started.")
    elif taken is None:
        second = ngettext(
            "No good backup was found; the {count} note still readable in the damaged file "
            "was brought back.",
            "No good backup was found; the {count} notes still readable in the damaged file "
            "were brought back.",
            count,
        ).format(count=count)
    elif not count:
        second = _(
            "The backup of {when} was restored; notes saved after that time are not in it."
        ).format(when=when)
    else:
        second = ngettext(
            "The backup of {when} was restored, and the {count} note still readable in the "
            "damaged file was brought back; check the notes saved after that time.",
            "The backup of {when} was restored, and the {count} notes still readable in the "
            "damaged file were brought back; check the notes saved after that time.",
            count,
        ).format(when=when, count=count)
    return f"{first} {second}"
