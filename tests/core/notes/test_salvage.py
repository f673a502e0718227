"""Notes are never silently emptied (issue 13): an empty file is damage, a damaged file is
salvaged, rotation keeps the fullest backup, and a full or read-only disk is said in words.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from agentdesk.core.notes import NoteStore
from agentdesk.core.notes.backup import backup_time, backups, is_good
from tests.core.notes.conftest import Clock, note

PAGE = 4096


def open_store(db_path: Path, clock: Clock, **options: object) -> NoteStore:
    return NoteStore.open(db_path, clock=clock, **options)  # type: ignore[arg-type]


def backup_folder(db_path: Path) -> Path:
    return db_path.parent / "backups"


def count_in(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM notes").fetchone()[0])


def wreck_pages(db_path: Path, name: str, which: slice) -> list[int]:
    """Overwrite some b-tree pages of table or index ``name`` with garbage."""
    with sqlite3.connect(db_path) as conn:
        pages = [
            row[0]
            for row in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno", (name,)
            )
        ]
    wrecked = pages[which]
    with db_path.open("r+b") as f:
        for page in wrecked:
            f.seek((page - 1) * PAGE)
            f.write(b"\xa5" * PAGE)
    return wrecked


def test_an_empty_database_file_is_damage_and_the_backup_with_notes_comes_back(
    db_path: Path, clock: Clock
) -> None:
    with open_store(db_path, clock) as store:  # first open: a backup with no notes
        clock.advance(days=2)
        for n in range(5):
            store.add(note(reason=f"nota {n}"))
        kept = store.backup()  # five notes
        clock.advance(hours=1)
    db_path.write_bytes(b"")  # a bad copy, a file system hiccup
    with open_store(db_path, clock) as store:
        recovery = store.recovery
        assert recovery is not None and recovery.restored_from == kept
        assert store.count() == 5
        assert "empty file" in recovery.message and str(recovery.set_aside) in recovery.message
    assert recovery.set_aside is not None and recovery.set_aside.stat().st_size == 0


def test_what_the_damaged_file_still_holds_is_salvaged_into_the_restored_backup(
    db_path: Path, clock: Clock
) -> None:
    with open_store(db_path, clock) as store:  # the backup taken at first open: 0 notes
        notes = [store.add(note(reason=f"Motivo {n}", person=f"P{n}")) for n in range(305)]
    wreck_pages(db_path, "idx_notes_created_at", slice(0, 1))  # an index page: no note lost
    clock.advance(hours=1)
    with open_store(db_path, clock) as store:
        recovery = store.recovery
        assert recovery is not None and recovery.set_aside is not None
        assert store.count() == 305  # it used to come back with the 0 notes of the backup
        assert [n.reason for n in store.list_notes(limit=None)] == [
            n.reason for n in reversed(notes)
        ]
        assert store.integrity_errors() == []
        assert [n.person for n in store.search("Motivo 17")] == ["P17"]  # indexed again
        assert recovery.salvaged == 305
        assert "305 notes still readable in the damaged file were brought back" in (
            recovery.message
        )


def test_a_damaged_page_costs_the_notes_on_it_not_the_notes_after_it(
    db_path: Path, clock: Clock
) -> None:
    with open_store(db_path, clock) as store:
        for n in range(400):
            store.add(note(reason=f"Motivo {n} " + "x" * 300))
    wreck_pages(db_path, "notes", slice(3, 5))  # two leaves, in the middle of the table
    with open_store(db_path, clock) as store:
        reasons = [n.reason.split()[1] for n in store.list_notes(limit=None)]
        assert 300 < len(reasons) < 400
        assert "399" in reasons and "0" in reasons  # before and after the bad pages
        assert len(set(reasons)) == len(reasons)


def test_salvage_merges_without_duplicates_and_keeps_later_edits(
    db_path: Path, clock: Clock
) -> None:
    with open_store(db_path, clock) as store:
        first = [store.add(note(reason=f"antes {n}")) for n in range(100)]
        store.backup()  # holds the first 100
        clock.advance(hours=1)
        edited = store.update(first[4]._replace(reason="editada después"))
        for n in range(50):
            store.add(note(reason=f"después {n}"))
    wreck_pages(db_path, "idx_notes_created_at", slice(0, 1))
    clock.advance(hours=1)
    with open_store(db_path, clock) as store:
        assert store.count() == 150
        assert store.get(edited.id or 0) == edited  # the later edit wins
        reasons = [n.reason for n in store.list_notes(limit=None)]
        assert len(set(reasons)) == 150
        assert store.recovery is not None and store.recovery.salvaged == 51  # 50 new, 1 edit
        damaged = store.recovery.set_aside
    assert damaged is not None
    from agentdesk.core.notes.salvage import salvage

    with open_store(db_path, clock) as store:  # the same file salvaged again: nothing new
        again = salvage(store.conn, damaged)
        assert (again.added, again.updated) == (0, 0)
        assert store.count() == 150


def test_rotation_never_drops_the_newest_backup_with_the_most_notes(
    db_path: Path, clock: Clock
) -> None:
    with open_store(db_path, clock, backup_every=None) as store:
        for n in range(30):
            store.add(note(reason=f"nota {n}"))
        fullest = store.backup()
        store.conn.execute("DELETE FROM notes")  # emptied (by mistake, by a bad copy)...
        for _ in range(10):  # ...and backed up day after day
            clock.advance(days=1)
            store.backup()
    kept = backups(backup_folder(db_path))
    assert fullest in kept and count_in(fullest) == 30
    assert len(kept) == 8  # the newest 7, and the fullest
    assert all(count_in(p) == 0 for p in kept if p != fullest)


def test_recovery_restores_the_newest_backup_that_holds_notes(db_path: Path, clock: Clock) -> None:
    with open_store(db_path, clock, backup_every=None) as store:
        for n in range(12):
            store.add(note(reason=f"nota {n}"))
        with_notes = store.backup()
        clock.advance(hours=1)
        store.conn.execute("DELETE FROM notes")
        empty = store.backup()  # newer, and empty
    assert backups(backup_folder(db_path))[0] == empty and is_good(empty)
    db_path.write_bytes(b"not a database" * 300)
    with open_store(db_path, clock) as store:
        assert store.recovery is not None
        assert store.recovery.restored_from == with_notes
        assert store.recovery.backup_time == backup_time(with_notes)
        assert store.count() == 12


# -- a full disk, a read-only file or folder, a folder in place of the file -----------------


def test_a_full_disk_is_said_and_nothing_saved_is_lost(
    store: NoteStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agentdesk.core.notes import NotesUnavailable

    kept = [store.add(note(reason=f"nota {n}")) for n in range(3)]
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own SQLITE_FULL
    with pytest.raises(NotesUnavailable) as caught:
        store.add(note(reason="x" * 100_000))
    assert "The disk is full" in str(caught.value) and str(db_path) in str(caught.value)
    assert [n.id for n in store.list_notes()] == [n.id for n in reversed(kept)]


def test_a_read_only_database_is_said(
    db_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agentdesk.core.notes import NotesUnavailable

    with open_store(db_path, clock) as store:
        store.add(note())
    real = sqlite3.connect

    def read_only(path: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        kwargs.pop("uri", None)
        return real(f"file:{path}?mode=ro", *args, uri=True, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", read_only)  # as a read-only file or disk would be
    with pytest.raises(NotesUnavailable) as caught:
        open_store(db_path, clock)
    assert "cannot be written" in str(caught.value) and str(db_path) in str(caught.value)
    monkeypatch.setattr(sqlite3, "connect", real)
    with open_store(db_path, clock) as store:
        assert store.count() == 1


def test_a_read_only_folder_keeps_the_damaged_file_where_it_is(
    db_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agentdesk.core.notes import NotesUnavailable

    with open_store(db_path, clock) as store:
        store.add(note())
    db_path.write_bytes(b"garbage" * 1000)

    def refused(self: Path, target: object) -> Path:
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "replace", refused)  # setting it aside is a rename
    with pytest.raises(NotesUnavailable) as caught:
        open_store(db_path, clock)
    assert "read-only" in str(caught.value)
    assert db_path.read_bytes() == b"garbage" * 1000  # not lost, not replaced


def test_a_folder_in_place_of_the_database_is_said(db_path: Path, clock: Clock) -> None:
    from agentdesk.core.notes import NotesUnavailable

    db_path.mkdir(parents=True)
    with pytest.raises(NotesUnavailable) as caught:
        open_store(db_path, clock)
    assert f"The notes database {db_path} is a folder, not a file" in str(caught.value)


def test_the_damaged_files_drafts_come_back_never_in_place_of_another(
    db_path: Path, clock: Clock
) -> None:
    from agentdesk.core.notes import Draft

    with open_store(db_path, clock) as store:  # the backup: an open draft of its own
        in_backup = store.save_draft(Draft(person="Eva", reason="en el respaldo"))
        store.backup()
        clock.advance(hours=1)
        store.set_aside(in_backup)
        earlier = store.set_aside(Draft(person="Ana", reason="llamada anterior"))
        latest = store.save_draft(Draft(person="Luis", reason="llamada en curso"))
        for n in range(305):
            store.add(note(reason=f"Motivo {n}"))
    wreck_pages(db_path, "idx_notes_created_at", slice(0, 1))
    clock.advance(hours=1)
    with open_store(db_path, clock) as store:
        assert store.recovery is not None and store.recovery.salvaged == 305
        assert store.load_draft() == in_backup  # the restored open draft stays open
        assert {d.key: d.reason for d in store.load_aside()} == {
            earlier.key: "llamada anterior",
            latest.key: "llamada en curso",  # the damaged file's open draft: kept aside
        }
