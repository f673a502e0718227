"""Salvage: the notes SQLite can still read from a damaged database, merged back.

When the notes database is damaged it is set aside and a backup restored
(:mod:`.backup`); the backup may be a day old, or older, while most pages of the damaged
file are often intact (one bad sector, a torn write). This module reads what it can, in
the spirit of the sqlite3 shell's ``.recover`` but through SQLite itself:

* it works on a copy of the set-aside file (and its ``-wal``, which may hold the latest
  notes), so the evidence is never changed;
* it reads each table in rowid order; where a damaged page stops the read, it finds the
  next rowid that reads again (a seek by rowid goes down the b-tree from its root and
  around the bad page: probes at growing distances, then a binary search back), so one bad
  page costs the rows on it, not the rows after it;
* rows are merged into the restored database without duplicates: a note the backup
  already has (same id and creation time) is kept, or replaced by the damaged file's
  version if that was edited later; a note the backup lacks is added under its own id
  (or a new one if that id is taken by another note); a note already merged before (same
  creation time, person and reason) is not added twice. A row that does not read back as
  a note is left out. The drafts come back too: the open one stays open if the restored
  database has none, and is set aside otherwise; the drafts set aside are set aside again.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from agentdesk.core.notes.aside import TABLE
from agentdesk.core.notes.backup import COMPANIONS, Recovery, recovery_message

SMALLEST_ROWID = -(2**63)
LARGEST_ROWID = 2**63 - 1
MAX_PROBES = 100_000  # seeks spent finding readable rows again, in all

Row = dict[str, Any]


class Salvaged(NamedTuple):
    """What :func:`salvage` brought back into the restored database."""

    added: int  # notes the backup did not have
    updated: int  # notes the damaged file held in a later version
    unreadable: int  # rows read from the damaged file that are not notes
    draft: bool  # a draft came back


NOTHING = Salvaged(0, 0, 0, False)


def salvage_into(conn: sqlite3.Connection, recovery: Recovery) -> Recovery:
    """After :func:`~.backup.recover`: salvage the file it set aside into the database open
    on ``conn``, and say so in the recovery's message."""
    if recovery.set_aside is None:
        return recovery
    salvaged = salvage(conn, recovery.set_aside)
    count = salvaged.added + salvaged.updated
    if not count:
        return recovery
    done = recovery._replace(salvaged=count)
    return done._replace(message=recovery_message(done))


def salvage(conn: sqlite3.Connection, damaged: Path) -> Salvaged:
    """Merge what can be read of ``damaged`` into the database open on ``conn``.

    Never raises for what the damaged file holds: what cannot be read, or does not read
    back as a note or a draft, is simply not salvaged.
    """
    try:
        with _copy_of(damaged) as copy:
            notes = list(read_rows(copy, "notes"))
            drafts = [d for d in read_rows(copy, "draft") if _is_draft(d.get("data"))]
            drafts += [d for d in read_rows(copy, TABLE) if _is_draft(d.get("data"))]
    except (OSError, sqlite3.Error):
        return NOTHING
    return _merge(conn, notes, drafts)


def _is_note(row: Row) -> bool:
    """Whether a salvaged row reads back as a note, as the store reads one."""
    from agentdesk.core.notes.model import check
    from agentdesk.core.notes.rows import COLUMNS, from_row  # the store's own row reader

    try:
        check(from_row(tuple(row.get(column) for column in COLUMNS)))
    except Exception:  # anything a damaged row may hold
        return False
    return True


def _is_draft(data: Any) -> bool:
    """Whether a salvaged draft's data reads back as a draft."""
    import json

    from agentdesk.core.notes.model import Draft

    try:
        Draft.from_json(json.loads(data))
    except Exception:  # anything a damaged row may hold
        return False
    return True


@contextlib.contextmanager
def _copy_of(damaged: Path) -> Iterator[sqlite3.Connection]:
    """A connection to a copy of ``damaged`` (with its WAL), in a temporary folder beside it."""
    with tempfile.TemporaryDirectory(prefix=".salvage-", dir=damaged.parent) as folder:
        copy = Path(folder) / "damaged.db"
        shutil.copyfile(damaged, copy)
        for companion in COMPANIONS[:1]:  # the WAL; SQLite rebuilds the -shm index itself
            source = Path(f"{damaged}{companion}")
            if source.exists():
                shutil.copyfile(source, f"{copy}{companion}")
        conn = sqlite3.connect(copy, isolation_level=None)
        try:
            yield conn
        finally:
            conn.close()


def read_rows(conn: sqlite3.Connection, table: str) -> Iterator[Row]:
    """Every row of ``table`` that can be read, in rowid order, past damaged pages."""
    try:
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
    except sqlite3.Error:
        return
    if not columns:
        return
    select = f"SELECT rowid, {', '.join(columns)} FROM {table} WHERE rowid > ? ORDER BY rowid"
    after = SMALLEST_ROWID
    probes = [0]
    while True:
        try:
            for row in conn.execute(select, (after,)):
                after = row[0]
                yield dict(zip(columns, row[1:], strict=True))
            return
        except sqlite3.Error:
            resume = _next_readable(conn, table, after, probes)
            if resume is None:
                return
            after = max(after + 1, resume)


def _next_readable(
    conn: sqlite3.Connection, table: str, after: int, probes: list[int]
) -> int | None:
    """A rowid past ``after`` from which a read by rowid works again (as low as the probes
    can find), or None when nothing past ``after`` reads or the probe budget is spent."""

    def reads(start: int) -> bool | None:
        """True: a seek past ``start`` reads (None: and there is nothing past it)."""
        probes[0] += 1
        try:
            row = conn.execute(
                f"SELECT rowid FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT 1", (start,)
            ).fetchone()
        except sqlite3.Error:
            return False
        return None if row is None else True

    step = 1
    while True:
        if probes[0] > MAX_PROBES or after + step >= LARGEST_ROWID:
            return None
        found = reads(after + step)
        if found is None:
            return None  # the table ends here
        if found:
            break
        step *= 2
    low, high = after + step // 2, after + step  # a seek past low failed, past high reads
    while high - low > 1 and probes[0] <= MAX_PROBES:
        middle = (low + high) // 2
        if reads(middle):
            high = middle
        else:
            low = middle
    return high


def _merge(conn: sqlite3.Connection, notes: list[Row], drafts: list[Row]) -> Salvaged:
    live = {row[1] for row in conn.execute("PRAGMA table_info(notes)")}
    added = updated = unreadable = 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        for row in notes:
            row = {k: v for k, v in row.items() if k in live}
            if not _is_note(row):
                unreadable += 1
                continue
            try:
                outcome = _merge_note(conn, row)
            except sqlite3.IntegrityError:  # a value the live schema does not allow
                outcome = "unreadable"
            unreadable += outcome == "unreadable"
            added += outcome == "added"
            updated += outcome == "updated"
        draft = [_merge_draft(conn, row) for row in drafts]
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return Salvaged(added, updated, unreadable, any(draft))


def _merge_note(conn: sqlite3.Connection, row: Row) -> str:
    same_id = conn.execute(
        "SELECT created_at, updated_at FROM notes WHERE id = ?", (row["id"],)
    ).fetchone()
    if same_id is not None and same_id[0] == row["created_at"]:
        if (row.get("updated_at") or "") <= (same_id[1] or ""):
            return "kept"
        columns = [c for c in row if c != "id"]
        conn.execute(
            f"UPDATE notes SET {', '.join(f'{c} = :{c}' for c in columns)} WHERE id = :id", row
        )
        return "updated"
    twin = conn.execute(
        "SELECT 1 FROM notes WHERE created_at IS ? AND person IS ? AND reason IS ?",
        (row["created_at"], row.get("person"), row.get("reason")),
    ).fetchone()
    if twin is not None:
        return "kept"  # merged before, under another id
    if same_id is not None:
        row = {k: v for k, v in row.items() if k != "id"}  # the id is another note's
    conn.execute(
        f"INSERT INTO notes ({', '.join(row)}) VALUES ({', '.join(':' + c for c in row)})", row
    )
    return "added"


def _merge_draft(conn: sqlite3.Connection, draft: Row) -> bool:
    """Bring a draft back: open if it was (its row has the open draft's ``id``) and the
    restored database has no open draft, set aside otherwise (never in place of another).
    False if it is there already."""
    key = draft.get("key")
    for table in ("draft", TABLE):
        if conn.execute(f"SELECT 1 FROM {table} WHERE key = ?", (key,)).fetchone() is not None:
            return False
    row = {"key": key, "data": draft.get("data"), "saved_at": draft.get("saved_at")}
    try:
        if "id" in draft and conn.execute("SELECT 1 FROM draft").fetchone() is None:
            conn.execute(
                "INSERT INTO draft (id, key, data, saved_at) VALUES (1, :key, :data, :saved_at)",
                row,
            )
        else:
            conn.execute(
                f"INSERT INTO {TABLE} (key, data, saved_at) VALUES (:key, :data, :saved_at)", row
            )
    except sqlite3.Error:
        return False
    return True
