"""Issue 14: opening the notes costs milliseconds at any size; the full check comes with the
daily backup, off the GUI thread, and damage it finds is recovered as damage at open is."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest

from agentdesk.core.notes import NoteStore, upkeep
from agentdesk.core.notes.backup import backups, is_corruption
from agentdesk.core.paths import Paths
from tests.core.notes.conftest import Clock, note
from tests.core.notes.test_salvage import wreck_pages


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths.resolve(tmp_path / "data")


def fill(paths: Paths, clock: Clock, count: int = 400) -> None:
    with upkeep.open_for_use(paths, clock=clock) as store:
        for n in range(count):
            store.add(note(reason=f"Motivo {n} " + "x" * 300))


def test_the_daily_backup_is_taken_when_due_and_only_then(paths: Paths, clock: Clock) -> None:
    fill(paths, clock, 3)
    folder = paths.data / "backups"
    assert backups(folder) == []  # opening for use takes none
    first = upkeep.run(paths.notes_db, folder, clock.now)
    assert first.backup is not None and first.error is None and first.damage == ()
    assert upkeep.run(paths.notes_db, folder, clock.advance(hours=23)) == upkeep.NOTHING_DUE
    later = upkeep.run(paths.notes_db, folder, clock.advance(hours=2))
    assert later.backup is not None and backups(folder) == [later.backup, first.backup]


def test_damage_in_the_middle_is_found_by_the_daily_check_and_recovered(
    paths: Paths, clock: Clock
) -> None:
    fill(paths, clock)
    assert upkeep.daily(paths, clock.now).backup is not None
    with upkeep.open_for_use(paths, clock=clock) as store:
        for n in range(10):
            store.add(note(reason=f"después {n}"))
    wreck_pages(paths.notes_db, "notes", slice(3, 5))
    with upkeep.open_for_use(paths, clock=clock) as store:  # the ends read fine
        assert store.recovery is None and store.page(limit=5).notes
        with pytest.raises(Exception) as met:  # ... a read of the middle does not
            list(store.each())
        assert is_corruption(met.value)
    clock.advance(days=1)
    found = upkeep.daily(paths, clock.now)
    assert found.backup is None and found.damage  # said, and never kept as a backup
    assert len(backups(paths.data / "backups")) == 1
    with upkeep.open_for_use(paths, damaged=True, clock=clock) as store:
        assert store.recovery is not None and store.recovery.set_aside is not None
        reasons = [n.reason for n in store.each()]
        assert len(reasons) == len(set(reasons)) == 410  # the backup's 400, and 10 salvaged
        assert store.recovery.salvaged == 10
        assert store.integrity_errors() == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"not a database" * 100,
        lambda data: data[:100] + b"\xff" * (4096 - 100) + data[4096:],  # the schema page
        lambda data: b"",
    ],
)
def test_opening_for_use_still_recovers_what_every_open_reads(
    paths: Paths, clock: Clock, damage: object
) -> None:
    fill(paths, clock, 5)
    upkeep.daily(paths, clock.now)
    db = paths.notes_db
    db.write_bytes(damage(db.read_bytes()))  # type: ignore[operator]
    with upkeep.open_for_use(paths, clock=clock) as store:
        assert store.recovery is not None and store.count() == 5


def test_the_daily_check_never_creates_a_database(paths: Paths, clock: Clock) -> None:
    done = upkeep.run(paths.notes_db, paths.data / "backups", clock.now)
    assert done.backup is None and done.error and not paths.notes_db.exists()


def test_the_backup_runs_in_a_worker_while_notes_are_written(paths: Paths, clock: Clock) -> None:
    fill(paths, clock, 50)
    results: list[upkeep.Upkeep] = []
    worker = threading.Thread(target=lambda: results.append(upkeep.daily(paths, clock.now)))
    with upkeep.open_for_use(paths, clock=clock) as store:
        worker.start()
        for n in range(20):
            store.add(note(reason=f"durante {n}"))
        worker.join()
        assert store.count() == 70
    (done,) = results
    assert done.backup is not None and done.damage == ()
    with NoteStore.open(done.backup, backup_every=None, quick_check=True) as copy:
        assert 50 <= copy.count() <= 70


def test_the_app_can_take_the_backup_a_day_later(paths: Paths, clock: Clock) -> None:
    fill(paths, clock, 1)
    assert upkeep.daily(paths, clock.now).backup is not None
    clock.advance(days=1, seconds=1)
    assert upkeep.daily(paths, clock.now).backup is not None
    assert upkeep.daily(paths, clock.now + timedelta(hours=1)) == upkeep.NOTHING_DUE
