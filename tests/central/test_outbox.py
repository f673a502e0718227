"""The desk's outbox: every write path queues, in its own transaction, only once syncing is on.

No server here: these read the SQLite outbox the triggers fill.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from agentdesk.cli.main import main
from agentdesk.core.central.outbox import DeskOutbox
from agentdesk.core.notes import Draft, Note, NoteStore
from agentdesk.core.notes import outbox as outbox_triggers
from agentdesk.core.notes.export import mask_note
from tests.core.notes.conftest import note


def queued(store: NoteStore) -> list[tuple[str, int, int]]:
    """(record, revision, deleted) of every queued write, oldest first."""
    rows = store.conn.execute("SELECT record, revision, deleted FROM outbox ORDER BY seq")
    return [tuple(row) for row in rows]


def record_of(store: NoteStore, note_id: int | None) -> str:
    row = store.conn.execute(
        "SELECT record FROM outbox_records WHERE kind = 'note' AND local_id = ?", (note_id,)
    ).fetchone()
    return str(row[0])


def test_nothing_is_queued_until_syncing_is_turned_on(desk: NoteStore) -> None:
    first = desk.add(note(reason="before"))
    desk.update(first._replace(reason="edited before"))
    assert queued(desk) == []
    outbox = DeskOutbox(desk)
    assert outbox.desk_id is None
    desk_id = outbox.enable()
    assert desk_id == outbox.desk_id and len(desk_id) == 32
    # the note there was is queued once, as it is now
    [entry] = outbox.pending(10)
    assert (entry.revision, entry.deleted) == (1, False)
    assert json.loads(entry.payload or "")["reason"] == "edited before"
    assert outbox.enable() == desk_id  # a second call changes nothing
    assert len(queued(desk)) == 1


def test_every_write_path_queues_a_revision_and_a_delete_a_tombstone(
    desk: NoteStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outbox = DeskOutbox(desk)
    outbox.enable()
    saved = desk.add(note(reason="added"))
    desk.update(saved._replace(reason="edited"))
    desk.mark_done(saved.id or 0)
    draft = desk.save_draft(Draft(person="Luis", medium="phone", reason="from a draft"))
    finished = desk.finish_draft(draft)
    assert main(["--data-dir", str(desk.path.parent), "notes", "add", "--person", "Eva",
                 "--medium", "chat", "--reason", "from the command line"]) == 0  # fmt: skip
    from_cli = int(capsys.readouterr().out)
    first, second, third = (record_of(desk, i) for i in (saved.id, finished.id, from_cli))
    with desk.conn:  # any other writer, plain SQL included
        desk.conn.execute("DELETE FROM notes WHERE id = ?", (saved.id,))
    assert queued(desk) == [
        (first, 1, 0),
        (first, 2, 0),
        (first, 3, 0),
        (second, 1, 0),
        (third, 1, 0),
        (first, 4, 1),
    ]
    entries = outbox.pending(100)
    assert [json.loads(e.payload)["reason"] for e in entries if e.payload] == [
        "added", "edited", "edited", "from a draft", "from the command line",
    ]  # fmt: skip
    assert json.loads(entries[2].payload or "")["follow_up_done"] is True
    assert entries[-1].payload is None and entries[-1].deleted
    assert len({e.digest for e in entries}) == len(entries)


def test_a_reused_rowid_is_a_new_record(desk: NoteStore) -> None:
    DeskOutbox(desk).enable()
    gone = desk.add(note(reason="first"))
    with desk.conn:
        desk.conn.execute("DELETE FROM notes WHERE id = ?", (gone.id,))
    again = desk.add(note(reason="second"))
    assert again.id == gone.id  # SQLite reuses the highest rowid
    (old, _, _), (_, _, _), (new, revision, _) = queued(desk)
    assert old != new and revision == 1


def test_what_leaves_is_masked_by_the_export_rule_and_has_only_note_fields(
    desk: NoteStore,
) -> None:
    outbox = DeskOutbox(desk)
    outbox.enable()
    written = desk.add(
        note(
            person="Ana 0991234567",
            inputs="Cédula 1712345678, teléfono +593 99 123 4567",
            follow_up=datetime(2024, 6, 3, 9, 30),
            path=("inicio: Quiere migrar", "fin"),
            offers_applied=("descuento",),
        )
    )
    # a column the sync does not know (a later migration's) is in the snapshot, never sent
    with desk.conn:
        desk.conn.execute("ALTER TABLE notes ADD COLUMN secret TEXT")
        outbox_triggers.create_triggers(Database(desk.conn))
        desk.conn.execute("UPDATE notes SET secret = 'clave 1712345678'")
    first, second = outbox.pending(10)
    latest = desk.conn.execute("SELECT payload FROM outbox ORDER BY seq DESC").fetchone()[0]
    assert json.loads(latest)["secret"] == "clave 1712345678"
    for entry in (first, second):
        sent = json.loads(entry.payload or "")
        assert sent == mask_note(written).to_json()
        assert sent["person"] == "Ana ******4567"
        assert "1712345678" not in (entry.payload or "")
        assert set(sent) == set(Note._fields)


def test_the_snapshot_carries_every_column_of_notes(desk: NoteStore) -> None:
    """A migration that adds a column to notes must remake the outbox triggers."""
    DeskOutbox(desk).enable()
    desk.add(note())
    columns = {row[1] for row in desk.conn.execute("PRAGMA table_info(notes)")}
    snapshot = json.loads(desk.conn.execute("SELECT payload FROM outbox").fetchone()[0])
    assert set(snapshot) == columns
    assert Note.from_json(snapshot) == desk.get(snapshot["id"])


def test_acknowledged_entries_leave_and_the_backlog_counts_the_rest(desk: NoteStore) -> None:
    outbox = DeskOutbox(desk)
    outbox.enable()
    for n in range(5):
        desk.add(note(reason=f"n{n}"))
    with desk.conn:  # a kind a newer version queues: kept, not sent
        desk.conn.execute(
            "INSERT INTO outbox (kind, record, revision, payload) VALUES ('later', 'x', 1, '{}')"
        )
    first = outbox.pending(3)
    outbox.acknowledge(first)
    backlog = outbox.backlog()
    assert (backlog.pending, backlog.unknown) == (2, 1)
    assert [e.seq for e in outbox.pending(10)] == [4, 5]
