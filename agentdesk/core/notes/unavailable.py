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
    """The notes database cannot be opened or written; ``str()`` says why and what to do.
    ``read_only``: because the file, its folder or the disk is read-only (it may still be
    read: :func:`connect_to_read`)."""

    def __init__(self, path: Path, message: str, read_only: bool = False) -> None:
        super().__init__(message)
        self.path = path
        self.read_only = read_only


@contextmanager
def storage_errors(path: Path) -> Iterator[None]:
    """Turn the storage failures of the database at ``path`` into :class:`NotesUnavailable`."""
    try:
        yield
    except NotesUnavailable:
        raise
    except (sqlite3.OperationalError, OSError) as exc:
        unavailable = explain(path, exc)
        if unavailable is None:
            raise
        raise unavailable from exc


def explain(path: Path, exc: BaseException) -> NotesUnavailable | None:
    """``exc``, met while using the notes at ``path``, as the user is told it; None if it
    is not a storage failure (a busy database, damage: those are handled elsewhere)."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    number = getattr(exc, "errno", None)
    if path.is_dir():
        message = _(
            "The notes database {path} is a folder, not a file. Rename or move that folder: "
            "the notes are kept in a file of that name."
        ).format(path=path)
    elif primary == _FULL or number in _FULL_ERRNOS:
        message = _(
            "The disk is full: the notes in {path} cannot be written. Free some space and "
            "try again; every note already saved is kept."
        ).format(path=path)
    elif primary in (_READONLY, _PERM) or number in _READONLY_ERRNOS:
        return NotesUnavailable(path, read_only_notice(path, readable=False), read_only=True)
    elif primary in (_CANTOPEN, _IOERR) or isinstance(exc, OSError):
        message = _(
            "The notes database {path} cannot be opened ({error}). Check that its folder "
            "exists and that you may write to it."
        ).format(path=path, error=exc)
    else:
        return None
    return NotesUnavailable(path, message)


def check_writable(conn: sqlite3.Connection, table: str) -> None:
    """Raise SQLite's own error now if the database cannot be written (a read-only file,
    folder or disk), rather than at the first note the agent saves: a write that changes
    nothing, rolled back, is refused all the same."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(f"DELETE FROM {table} WHERE 0")
    finally:
        conn.execute("ROLLBACK")


def connect_to_read(path: Path, refused: NotesUnavailable) -> sqlite3.Connection:
    """The database SQLite could not open to write (``refused``, read-only), opened to
    read only: nothing is migrated, recovered or backed up, so nothing is written.

    A WAL database in a read-only folder cannot be read without its ``-shm`` file unless
    opened ``immutable`` (nothing can write there either). A database SQLite cannot read
    (damaged, empty: it could not be set aside) raises ``refused``; one an older version
    left, which needs a migration to be read, is said so.
    """
    from agentdesk.core.notes import schema
    from agentdesk.core.notes.backup import read_ends

    uri = path.resolve().as_uri()
    for options in ("mode=ro", "mode=ro&immutable=1"):
        try:
            conn = sqlite3.connect(f"{uri}?{options}", uri=True, check_same_thread=False)
        except sqlite3.Error:
            continue
        try:
            read_ends(conn)
            done = schema.applied(conn)
        except sqlite3.Error:
            conn.close()
            continue
        if not done:  # not a notes database (an empty file): as refused
            conn.close()
            raise refused
        if not set(schema.NAMES) <= done:
            conn.close()
            message = _(
                "The notes in {path} were saved by an older version of AgentDesk and must be "
                "updated before they can be read, but the file, its folder or the disk is "
                "read-only. Allow writing there and open them again; every note already "
                "saved is kept."
            ).format(path=path)
            raise NotesUnavailable(path, message, read_only=True) from refused
        return conn
    raise refused


def read_only_notice(path: Path, readable: bool = True) -> str:
    """What the agent is told when the notes at ``path`` are read-only: opened only to
    read (``readable``), or refused."""
    if readable:
        said = _(
            "The notes in {path} can be read but not saved: the file, its folder or the disk "
            "is read-only. Allow writing there, or use another data folder (--data-dir), to "
            "save notes; every note already saved is kept."
        )
    else:
        said = _(
            "The notes in {path} cannot be written: the file, its folder or the disk is "
            "read-only. Allow writing there, or use another data folder (--data-dir); every "
            "note already saved is kept."
        )
    return said.format(path=path)
