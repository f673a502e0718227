"""The notes database: open (checked, migrated, backed up, recovered), notes and the draft.

Plain ``sqlite3`` is used for every read and write: a note save is one prepared INSERT in a
``BEGIN IMMEDIATE`` transaction, which keeps it close to the cost of a raw insert (the
benchmark holds it to 1.3x). sqlite-utils is only used for the schema (:mod:`.schema`).

Durability: WAL with ``synchronous=FULL``, so when :meth:`NoteStore.add` returns, the note
is on disk and survives a crash or a kill.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

from agentdesk.core.i18n import _
from agentdesk.core.notes import query, schema
from agentdesk.core.notes.aside import TAKE_OUT, AsideDrafts
from agentdesk.core.notes.backup import (
    BackupError,
    DamagedDatabase,
    Recovery,
    backup,
    backup_due,
    backups,
    integrity_errors,
    is_corruption,
    is_empty_file,
    read_ends,
    recover,
)
from agentdesk.core.notes.creation import create_complete
from agentdesk.core.notes.model import (
    Draft,
    DraftConflict,
    Note,
    NoteError,
    NoteFilter,
    check,
    format_time,
)
from agentdesk.core.notes.query import Page, fts_query
from agentdesk.core.notes.rows import COLUMNS, as_stored, from_row, note_row
from agentdesk.core.notes.salvage import salvage_into
from agentdesk.core.notes.unavailable import (
    NotesUnavailable,
    check_writable,
    connect_to_read,
    read_only_notice,
    storage_errors,
)
from agentdesk.core.paths import Paths

BUSY_TIMEOUT_MS = 5000
BACKUP_EVERY = timedelta(days=1)

_FIELDS = ", ".join(f"notes.{c}" for c in COLUMNS)
_SELECT = f"SELECT {_FIELDS} FROM notes"
#: A new note, with the values of :func:`note_row` (the benchmark runs it raw too).
INSERT = (
    f"INSERT INTO notes ({', '.join(COLUMNS[1:])}) "
    f"VALUES ({', '.join(':' + c for c in COLUMNS[1:])})"
)
_UPDATE = (
    f"UPDATE notes SET {', '.join(f'{c} = :{c}' for c in COLUMNS[1:] if c != 'created_at')} "
    "WHERE id = :id"
)
#: Notes read at a time by :meth:`NoteStore.each` (a page of the history: see :meth:`page`).
PAGE, FIRST_PAGE = 500, 20


def open_notes(paths: Paths | None = None, **options: Any) -> NoteStore:
    """The user's notes database (``paths.notes_db``), backups in ``<data>/backups``."""
    paths = paths or Paths.resolve()
    return NoteStore.open(paths.notes_db, backup_folder=paths.data / "backups", **options)


class NoteStore(AsideDrafts):
    """One connection to the notes database. It may be opened in a worker thread and used in
    another (the GUI's), but by one thread at a time; :mod:`.upkeep` opens its own."""

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        backup_folder: Path,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.path = path
        self.conn = conn
        self.backup_folder = backup_folder
        self.clock = clock
        #: Set when the database was damaged (or missing) at open and a backup restored.
        self.recovery: Recovery | None = None
        #: Set when the backup taken at open failed (the store still works).
        self.backup_error: str | None = None
        #: Set (what to tell the agent) when the database was opened only to read.
        self.read_only: str | None = None

    # -- opening --------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        backup_folder: Path | None = None,
        backup_every: timedelta | None = BACKUP_EVERY,
        quick_check: bool = True,
        clock: Callable[[], datetime] = datetime.now,
        damaged: bool = False,
        reading: bool = False,
    ) -> NoteStore:
        """Open (creating or migrating as needed) the database at ``path``.

        With ``quick_check``, ``PRAGMA quick_check`` runs first (about 1 s per million
        notes); without it, only what every open reads is looked at (:func:`read_ends`:
        milliseconds; :mod:`.upkeep` checks the rest daily). A database that fails either,
        that SQLite cannot read, or an empty file (or any, with ``damaged``: the caller
        found it damaged), is set aside, the newest good backup with notes restored and
        what the damaged file still holds salvaged (see :attr:`recovery`). A missing
        database with backups beside it is restored too: notes are never silently replaced
        by an empty database. With ``backup_every``, a backup is taken when the newest one
        is older. A full disk, a read-only file or folder, or a folder for a file raise
        :class:`NotesUnavailable`; but with ``reading`` (the caller only reads), a
        read-only database is opened to read, as it is (:attr:`read_only` says so).
        """
        path = Path(path)
        folder = backup_folder or path.parent / "backups"
        try:
            return cls._open(path, folder, backup_every, quick_check, clock, damaged)
        except NotesUnavailable as refused:
            if not (reading and refused.read_only):
                raise
            store = cls(path, connect_to_read(path, refused), folder, clock)
            store.read_only = read_only_notice(path)
            return store

    @classmethod
    def _open(
        cls,
        path: Path,
        folder: Path,
        backup_every: timedelta | None,
        quick_check: bool,
        clock: Callable[[], datetime],
        damaged: bool,
    ) -> NoteStore:
        with storage_errors(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            recovery = None
            if damaged or (not path.exists() and backups(folder)) or is_empty_file(path):
                recovery = recover(path, folder, clock())
            if not path.exists():
                create_complete(path, lambda new: _connect(new, quick_check=False))
            try:
                conn = _connect(path, quick_check)
            except sqlite3.DatabaseError as exc:
                if not is_corruption(exc):
                    raise
                recovery = recover(path, folder, clock())
                conn = _connect(path, quick_check)
            if recovery is not None:
                recovery = salvage_into(conn, recovery)
        store = cls(path, conn, folder, clock)
        store.recovery = recovery
        if backup_every is not None:
            store.backup_if_older(backup_every)
        return store

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> NoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- backups --------------------------------------------------------------------------

    def backup(self) -> Path:
        """Take a backup now (checked; the oldest beyond the last 7 are deleted)."""
        return backup(self.conn, self.backup_folder, self.clock())

    def backup_if_older(self, age: timedelta) -> Path | None:
        """Take a backup if the newest is older than ``age``; failures go to ``backup_error``."""
        if not backup_due(self.backup_folder, self.clock(), age):
            return None
        try:
            return self.backup()
        except (BackupError, OSError, sqlite3.Error) as exc:
            self.backup_error = str(exc)
            return None

    def integrity_errors(self) -> list[str]:
        return integrity_errors(self.conn)

    # -- notes ----------------------------------------------------------------------------

    def add(self, note: Note) -> Note:
        """Store a new note; when this returns it is durable. Returns it with its id."""
        check(note)
        now = self._now()
        created = note.created_at or now
        with self._write() as conn:
            note_id = conn.execute(INSERT, note_row(note, created, now)).lastrowid
        return as_stored(note, note_id, created, now)

    def update(self, note: Note) -> Note:
        """Save the edits to an existing note (found by ``note.id``)."""
        check(note)
        params = note_row(note, note.created_at, self._now())
        with self._write() as conn:
            changed = conn.execute(_UPDATE, {**params, "id": note.id}).rowcount
        updated = self.get(cast(int, note.id)) if changed else None
        if updated is None:
            raise NoteError(_("Note {id} does not exist.").format(id=note.id))
        return updated

    def get(self, note_id: int) -> Note | None:
        row = self.conn.execute(f"{_SELECT} WHERE id = ?", (note_id,)).fetchone()
        return from_row(row) if row else None

    def list_notes(
        self, filters: NoteFilter | None = None, limit: int | None = 100, offset: int = 0
    ) -> list[Note]:
        """Notes matching ``filters``, newest first."""
        return self._read(self._plan("", filters), None, limit, offset=offset)

    def search(
        self,
        text: str,
        filters: NoteFilter | None = None,
        limit: int | None = 50,
        offset: int = 0,
    ) -> list[Note]:
        """Notes with every word of ``text`` (accents and case ignored; "migr" finds
        "Migración": see :mod:`.query`), newest first."""
        plan = self._plan(text, filters) if fts_query(text) else None
        return self._read(plan, None, limit, offset=offset)

    def page(
        self,
        text: str = "",
        filters: NoteFilter | None = None,
        *,
        after: int | None = None,
        limit: int = 100,
    ) -> Page:
        """The notes with every word of ``text`` (all if none) matching ``filters``, newest
        first, after the id ``after`` (the last page's ``next``): pages follow by id, not
        position, so all are reached, none twice, and page 1,000 costs what page 1 does."""
        found = self._read(self._plan(text, filters), after, limit + 1)
        notes = found[:limit]
        return Page(notes, notes[-1].id if len(found) > limit else None)

    def newer(
        self, text: str, filters: NoteFilter | None, *, before: int, limit: int = 100
    ) -> list[Note]:
        """The ``limit`` notes :meth:`page` lists just above the id ``before``, newest
        first: the page before a page (a list that keeps only some pages reads it back)."""
        found = self._read(self._plan(text, filters), before, limit, oldest_first=True)
        return found[::-1]

    def each(
        self,
        text: str = "",
        filters: NoteFilter | None = None,
        *,
        after: int | None = None,
        oldest_first: bool = False,
        size: int = PAGE,
    ) -> Iterator[Note]:
        """Every note :meth:`page` would list, read ``size`` at a time (fewer at first): the
        first comes at once, memory stays flat however many there are (command line, export)."""
        plan = self._plan(text, filters)
        wanted = min(size, FIRST_PAGE)
        while True:
            notes = self._read(plan, after, wanted, oldest_first=oldest_first)
            yield from notes
            if len(notes) < wanted:
                return
            after, wanted = notes[-1].id, size

    def due(self, now: datetime | None = None) -> list[Note]:
        """Notes whose follow-up time has come and is not done, the oldest first."""
        rows = self.conn.execute(
            f"{_SELECT} WHERE {query.DUE} ORDER BY notes.follow_up, notes.id",
            {"now": format_time(now or self.clock())},
        )
        return [from_row(row) for row in rows]

    def mark_done(self, note_id: int, done: bool = True) -> Note:
        with self._write() as conn:
            changed = conn.execute(
                "UPDATE notes SET follow_up_done = ?, updated_at = ? WHERE id = ?",
                (int(done), format_time(self.clock()), note_id),
            ).rowcount
        note = self.get(note_id)
        if not changed or note is None:
            raise NoteError(_("Note {id} does not exist.").format(id=note_id))
        return note

    def iter_notes(self) -> Iterator[Note]:
        """Every note, oldest first, read a page at a time (for export)."""
        return self.each(oldest_first=True)

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM notes").fetchone()[0])

    # -- the draft ------------------------------------------------------------------------

    def load_draft(self) -> Draft | None:
        """The note being written when the app last stopped, if any."""
        row = self.conn.execute("SELECT data FROM draft WHERE id = 1").fetchone()
        return Draft.from_json(json.loads(row[0])) if row else None

    def save_draft(self, draft: Draft) -> Draft:
        """Save the draft durably (call it as the agent types, debounced).

        Raises :class:`DraftConflict` if a different draft (another ``key``) is stored:
        one is never overwritten by another; finish, discard or set it aside first. A
        draft set aside (:meth:`set_aside`) is taken out of the aside drafts: it is open.
        """
        saved = draft._replace(saved_at=self._now())
        with self._write() as conn:
            self._check_key(conn, draft.key)
            conn.execute(
                "INSERT INTO draft (id, key, data, saved_at) VALUES (1, :key, :data, :saved_at) "
                "ON CONFLICT (id) DO UPDATE SET data = :data, saved_at = :saved_at",
                {
                    "key": saved.key,
                    "data": json.dumps(saved.to_json(), ensure_ascii=False),
                    "saved_at": format_time(saved.saved_at),
                },
            )
            conn.execute(TAKE_OUT, (draft.key,))
        return saved

    def finish_draft(self, draft: Draft) -> Note:
        """Turn the draft into a note and remove it, in one transaction.

        If the draft is incomplete, its latest edits are saved and :class:`NoteError` says
        what is missing.
        """
        try:
            note = draft.to_note()
        except NoteError:
            self.save_draft(draft)
            raise
        now = self._now()
        with self._write() as conn:
            self._check_key(conn, draft.key)
            note_id = conn.execute(INSERT, note_row(note, now, now)).lastrowid
            conn.execute("DELETE FROM draft WHERE id = 1")
            conn.execute(TAKE_OUT, (draft.key,))
        return as_stored(note, note_id, now, now)

    def discard_draft(self, key: str) -> bool:
        """Delete the draft with ``key``, open or set aside (the agent chose to)."""
        with self._write() as conn:
            aside = conn.execute(TAKE_OUT, (key,)).rowcount
            return conn.execute("DELETE FROM draft WHERE key = ?", (key,)).rowcount + aside > 0

    # -- helpers --------------------------------------------------------------------------

    def _now(self) -> datetime:
        """The clock's time as stored (to the second), so what we return is what we read."""
        return self.clock().replace(microsecond=0)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; ``IMMEDIATE`` takes the lock up front (no upgrade deadlock).
        A full disk or a read-only file rolls it back whole and raises NotesUnavailable."""
        with storage_errors(self.path):
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def _check_key(self, conn: sqlite3.Connection, key: str) -> None:
        row = conn.execute("SELECT key, data FROM draft WHERE id = 1").fetchone()
        if row is not None and row[0] != key:
            raise DraftConflict(Draft.from_json(json.loads(row[1])))

    def _plan(self, text: str, filters: NoteFilter | None) -> query.Plan | None:
        return query.plan(self.conn, text, filters, self.clock())

    def _read(
        self,
        plan: query.Plan | None,
        after: int | None,
        limit: int | None,
        *,
        oldest_first: bool = False,
        offset: int = 0,
    ) -> list[Note]:
        if plan is None:
            return []
        sql, params = query.page_sql(_FIELDS, plan, after, limit, oldest_first, offset)
        return [from_row(row) for row in self.conn.execute(sql, params)]


def _connect(path: Path, quick_check: bool) -> sqlite3.Connection:
    # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE ... COMMIT).
    # check_same_thread=False: a store opened in a worker may be handed to the GUI thread.
    conn = sqlite3.connect(
        path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        if quick_check:
            errors = integrity_errors(conn, quick=True)
            if errors:
                raise DamagedDatabase(errors[0])
        else:
            read_ends(conn)
        schema.migrate(conn)
        check_writable(conn, schema.MIGRATIONS_TABLE)  # read-only: said now, not at a save
    except BaseException:
        conn.close()
        raise
    return conn
