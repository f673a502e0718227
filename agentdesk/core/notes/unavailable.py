"""When the notes cannot be stored: a full disk, a read-only file or folder, a folder where
the database file should be. Each is said in words that name the path and what to do,
instead of an "internal error"; and since a note is only reported saved once SQLite has
committed it, nothing already saved is lost (a failed write rolls back whole).
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from agentdesk.core.i18n import _
from agentdesk.core.notes.model import NoteError

# SQLite's primary result codes (sqlite_errorcode & 0xFF)
_PERM, _READONLY, _IOERR, _FULL, _CANTOPEN = 3, 8, 10, 13, 14
_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}


class NotesUnavailable(NoteError):
    """The notes database cannot be opened or written; ``str()`` says why and what to do."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = path


@contextmanager
def storage_errors(path: Path) -> Iterator[None]:
    """Turn the storage failures of the database at ``path`` into :class:`NotesUnavailable`."""
    try:
        yield
    except NotesUnavailable:
        raise
    except (sqlite3.OperationalError, OSError) as exc:
        message = explain(path, exc)
        if message is None:
            raise
        raise NotesUnavailable(path, message) from exc


def explain(path: Path, exc: BaseException) -> str | None:
    """What to tell the user about ``exc`` while using the notes at ``path``, or None if it
    is not a storage failure (a busy database, damage: those are handled elsewhere)."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    number = getattr(exc, "errno", None)
    if path.is_dir():
        return _(
            "The notes database {path} is a folder, not a file. Rename or move that folder: "
            "the notes are kept in a file of that name."
        ).format(path=path)
    if primary == _FULL or number in _FULL_ERRNOS:
        return _(
            "The disk is full: the notes in {path} cannot be written. Free some space and "
            "try again; every note already saved is kept."
        ).format(path=path)
    if primary in (_READONLY, _PERM) or number in _READONLY_ERRNOS:
        return _(
            "The notes in {path} cannot be written: the file, its folder or the disk is "
            "read-only. Allow writing there, or use another data folder (--data-dir); every "
            "note already saved is kept."
        ).format(path=path)
    if primary in (_CANTOPEN, _IOERR) or isinstance(exc, OSError):
        return _(
            "The notes database {path} cannot be opened ({error}). Check that its folder "
            "exists and that you may write to it."
        ).format(path=path, error=exc)
    return None


def check_writable(conn: sqlite3.Connection, table: str) -> None:
    """Raise SQLite's own error now if the database cannot be written (a read-only file,
    folder or disk), rather than at the first note the agent saves: a write that changes
    nothing, rolled back, is refused all the same."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(f"DELETE FROM {table} WHERE 0")
    finally:
        conn.execute("ROLLBACK")
