"""Backups rotate and are checked; a damaged database is set aside and a backup restored."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from agentdesk.core.notes import NoteStore
from agentdesk.core.notes.backup import backup_time, backups, is_good
from agentdesk.core.notes.store import is_corruption
from tests.core.notes.conftest import Clock, note

PAGE = 4096


def open_store(db_path: Path, clock: Clock, **options: object) -> NoteStore:
    return NoteStore.open(db_path, clock=clock, **options)  # type: ignore[arg-type]


def folder(db_path: Path) -> Path:
    return db_path.parent / "backups"


def overwrite(path: Path, offset: int, data: bytes) -> None:
    with path.open("r+b") as f:
        f.seek(offset)
        f.write(data)


def test_backups_rotate_keeping_the_newest_seven(
    store: NoteStore, db_path: Path, clock: Clock
) -> None:
    taken = []
    for n in range(9):
        store.add(note(reason=f"nota {n}"))
        taken.append(store.backup())
        clock.advance(hours=1)
    kept = backups(folder(db_path))
    assert kept == taken[:1:-1]  # newest first, the two oldest deleted
    assert all(is_good(p) for p in kept)
    assert sorted(p.name for p in folder(db_path).iterdir()) == sorted(p.name for p in kept)
    with sqlite3.connect(kept[0]) as copy:  # self-contained: not in WAL mode
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("SELECT count(*) FROM notes").fetchone() == (9,)


def test_a_backup_is_taken_at_open_when_the_last_is_a_day_old(db_path: Path, clock: Clock) -> None:
    open_store(db_path, clock).close()
    open_store(db_path, clock).close()
    assert [backup_time(p) for p in backups(folder(db_path))] == [clock.now]
    clock.advance(hours=25)
    open_store(db_path, clock).close()
    assert backup_time(backups(folder(db_path))[0]) == clock.now
    assert len(backups(folder(db_path))) == 2


def test_an_interrupted_backup_leaves_no_trace_after_the_next(
    store: NoteStore, db_path: Path
) -> None:
    folder(db_path).mkdir()
    stale = folder(db_path) / ".notes-20240101-000000-000000.db.tmp"
    stale.write_bytes(b"half a copy")
    store.backup()
    assert not stale.exists()


@pytest.mark.parametrize(
    ("where", "damage"),
    [
        ("header", lambda size: (0, b"this is not sqlite")),
        ("pages", lambda size: (PAGE, b"\xa5" * (size - PAGE))),
    ],
)
def test_a_damaged_database_is_set_aside_and_the_newest_good_backup_restored(
    db_path: Path, clock: Clock, where: str, damage: object
) -> None:
    with open_store(db_path, clock, backup_every=None) as store:
        kept = [store.add(note(reason=f"antes {n}")) for n in range(20)]
        older = store.backup()
        clock.advance(hours=1)
        newest = store.backup()
        clock.advance(hours=1)
        store.add(note(reason="después del respaldo"))
    original = db_path.read_bytes()
    overwrite(db_path, *damage(len(original)))  # type: ignore[operator]
    overwrite(older, PAGE, b"\x00" * PAGE)  # an older, also damaged backup is not chosen

    with open_store(db_path, clock) as store:
        recovery = store.recovery
        assert recovery is not None
        assert recovery.restored_from == newest
        assert recovery.set_aside is not None and recovery.set_aside.read_bytes() != original
        assert recovery.set_aside.parent == db_path.parent
        assert "damaged" in recovery.message and str(recovery.set_aside) in recovery.message
        assert "notes saved after that time are not in it" in recovery.message
        assert store.integrity_errors() == []
        assert [n.reason for n in store.list_notes()] == [n.reason for n in reversed(kept)]
        assert store.search("respaldo") == []
        store.add(note(reason="sigue funcionando"))
    with open_store(db_path, clock) as store:
        assert store.recovery is None and store.count() == 21


def test_with_no_good_backup_an_empty_database_is_started_and_the_user_told(
    db_path: Path, clock: Clock
) -> None:
    with open_store(db_path, clock, backup_every=None) as store:
        store.add(note())
    overwrite(db_path, 0, b"garbage" * 20)
    with open_store(db_path, clock) as store:
        assert store.recovery is not None and store.recovery.restored_from is None
        assert "No good backup was found" in store.recovery.message
        assert store.count() == 0
    assert store.recovery.set_aside is not None and store.recovery.set_aside.exists()


def test_a_missing_database_with_backups_is_restored_not_replaced(
    db_path: Path, clock: Clock
) -> None:
    with open_store(db_path, clock, backup_every=None) as store:
        store.add(note())
        store.backup()
    db_path.unlink()
    with open_store(db_path, clock) as store:
        assert store.recovery is not None and store.recovery.set_aside is None
        assert "was missing" in store.recovery.message
        assert store.count() == 1


def test_a_locked_database_is_not_mistaken_for_a_damaged_one(
    store: NoteStore, db_path: Path
) -> None:
    store.conn.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(db_path, timeout=0)
    with pytest.raises(sqlite3.OperationalError) as caught:
        other.execute("BEGIN IMMEDIATE")
    other.close()
    store.conn.execute("ROLLBACK")
    assert not is_corruption(caught.value)
