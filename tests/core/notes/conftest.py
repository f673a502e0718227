"""A notes database in a temporary folder, on a clock the test sets."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from agentdesk.core.notes import Note, NoteStore, schema


class Clock:
    """A clock that only moves when told to."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2024, 6, 1, 9, 0, 0))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "notes.db"


@pytest.fixture
def store(db_path: Path, clock: Clock) -> Iterator[NoteStore]:
    store = NoteStore.open(db_path, clock=clock, backup_every=None)
    yield store
    store.close()


def note(**fields: object) -> Note:
    """A valid note; ``fields`` override its values."""
    values: dict[str, object] = {"person": "Ana Pérez", "medium": "phone", "reason": "Consulta"}
    values.update(fields)
    return Note(**values)  # type: ignore[arg-type]


def earlier_database(db_path: Path, migrations: int) -> sqlite3.Connection:
    """A database of an earlier version: only its first ``migrations`` applied."""
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path, isolation_level=None)
    earlier = Migrations(schema.MIGRATION_SET)
    for step in schema.STEPS[:migrations]:
        earlier()(step)
    earlier.apply(Database(conn))
    return conn
