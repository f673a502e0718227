"""A read-only notes database (a file of mode 0444, a read-only folder or disk) is read,
never refused, when nothing is to be written; writing says why it cannot (issue 13)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from agentdesk.core.notes import NoteStore, NotesUnavailable, aside, schema
from tests.core.notes.conftest import Clock, note
from tests.readonly import read_only_disk


def saved_notes(db_path: Path, clock: Clock, count: int = 3) -> bytes:
    with NoteStore.open(db_path, clock=clock, backup_every=None) as store:
        for n in range(count):
            store.add(note(reason=f"nota {n}"))
    return db_path.read_bytes()


def test_a_read_only_database_opens_to_read_and_says_notes_cannot_be_saved(
    db_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = saved_notes(db_path, clock)
    read_only_disk(monkeypatch)
    with NoteStore.open(db_path, clock=clock, reading=True) as store:
        assert [n.reason for n in store.list_notes()] == ["nota 2", "nota 1", "nota 0"]
        assert [n.reason for n in store.search("nota 1")] == ["nota 1"]
        assert store.read_only is not None
        assert str(db_path) in store.read_only and "can be read but not saved" in store.read_only
        with pytest.raises(NotesUnavailable) as caught:
            store.add(note(reason="otra"))
        assert "read-only" in str(caught.value) and str(db_path) in str(caught.value)
    assert db_path.read_bytes() == before  # nothing written, nothing emptied
    assert not (db_path.parent / "backups").exists()  # nothing to back up: nothing changed


def test_opening_to_write_is_still_refused(
    db_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved_notes(db_path, clock)
    read_only_disk(monkeypatch)
    with pytest.raises(NotesUnavailable) as caught:
        NoteStore.open(db_path, clock=clock)
    assert "cannot be written" in str(caught.value)


def test_a_read_only_database_of_an_older_version_is_explained(
    db_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved_notes(db_path, clock)
    conn = sqlite3.connect(db_path)  # as the version before the last migration left it
    assert schema.NAMES[-1] == "m006_draft_aside"
    conn.execute(f"DROP TABLE {aside.TABLE}")
    conn.execute(f"DELETE FROM {schema.MIGRATIONS_TABLE} WHERE name = 'm006_draft_aside'")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    read_only_disk(monkeypatch)
    with pytest.raises(NotesUnavailable) as caught:
        NoteStore.open(db_path, clock=clock, reading=True)
    message = str(caught.value)
    assert str(db_path) in message and "older version" in message
    assert "Allow writing there" in message
    assert db_path.read_bytes() == before
