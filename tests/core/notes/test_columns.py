"""The note's fields are declared once (:class:`Note`): the table, the store and the
exports follow them, and the first migration (frozen once shipped) agrees with them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from agentdesk.core.notes import Draft, Note, NoteStore
from agentdesk.core.notes.export import COLUMNS as EXPORTED
from agentdesk.core.notes.model import LIST_FIELDS, TEXT_FIELDS, TIME_FIELDS
from agentdesk.core.notes.store import COLUMNS, note_row
from tests.core.notes.conftest import note

#: What the store sets, not the agent; and what only a draft has.
STORED = ("id", "created_at", "updated_at", "follow_up_done")
DRAFT_ONLY = ("key", "saved_at")


def test_the_table_has_the_notes_fields(db_path: Path) -> None:
    with NoteStore.open(db_path, backup_every=None) as store:
        table = [row[1] for row in store.conn.execute("PRAGMA table_info(notes)")]
    assert table == list(COLUMNS)
    assert set(COLUMNS) == set(Note._fields)


def test_a_stored_row_carries_every_field_but_the_id() -> None:
    row = note_row(note(path=("a: Sí",)), None, datetime(2024, 6, 1, 9, 0))
    assert list(row) == [c for c in Note._fields if c != "id"]
    assert row["path"] == '["a: Sí"]' and row["follow_up_done"] == 0


def test_a_draft_has_the_fields_of_a_note_the_agent_fills_in() -> None:
    note_side = [f for f in Note._fields if f not in STORED]
    draft_side = [f for f in Draft._fields if f not in DRAFT_ONLY]
    assert sorted(draft_side) == sorted(note_side)


def test_the_kinds_of_fields_are_fields() -> None:
    assert set(TEXT_FIELDS) | set(LIST_FIELDS) <= set(Note._fields)
    assert set(TIME_FIELDS) <= set(Note._fields) | set(Draft._fields)


def test_the_export_keeps_its_column_order() -> None:
    assert EXPORTED == (
        "id",
        "created_at",
        "updated_at",
        "started_at",
        "ended_at",
        "agent",
        "person",
        "medium",
        "reason",
        "inputs",
        "pending",
        "solution",
        "protocol",
        "follow_up",
        "follow_up_done",
        "pack_id",
        "pack_version",
        "flow_id",
        "path",
        "scripts_shown",
        "macros_copied",
        "offers_applied",
    )
