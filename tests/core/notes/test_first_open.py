"""Two openers of a notes database that does not exist yet (two threads of the app, the
app and the command line) both get the same new database: neither takes the other's
half-made file for a damaged one (issue 14: the flaky "locking protocol" at a migration)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from agentdesk.core.notes import NoteFilter, NoteStore
from tests.core.notes.conftest import note


def test_an_opener_arriving_while_the_database_is_made_shares_it(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second opener comes in at the worst moment: the file is created, its first
    page not yet written."""
    real_connect = sqlite3.connect
    second: list[NoteStore | BaseException] = []

    def open_second() -> None:
        try:
            second.append(NoteStore.open(db_path, quick_check=False, backup_every=None))
        except BaseException as exc:  # said by the assertion below
            second.append(exc)

    def connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = real_connect(database, *args, **kwargs)
        if not second:  # once: the first opener's first connection
            second.append(NoteStore.__new__(NoteStore))  # a place holder while it opens
            thread = threading.Thread(target=open_second)
            thread.start()
            thread.join()
            del second[0]
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    first = NoteStore.open(db_path, quick_check=False, backup_every=None)
    monkeypatch.undo()
    (other,) = second
    assert isinstance(other, NoteStore), other
    with first, other:
        assert first.recovery is None and other.recovery is None  # nothing "damaged"
        saved = first.add(note(person="Ana"))
        assert [n.id for n in other.list_notes()] == [saved.id]  # one database, shared
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["notes.db"]


def test_a_folder_without_hard_links_still_gets_its_notes(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some file systems (FAT, some network shares) refuse hard links: the new database is
    then moved into place, and notes are saved."""
    import errno
    import os

    def no_links(source: Any, target: Any) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    with NoteStore.open(db_path, quick_check=False, backup_every=None) as store:
        store.add(note())
    with NoteStore.open(db_path, quick_check=False, backup_every=None) as store:
        assert store.count() == 1
    assert [p.name for p in db_path.parent.iterdir() if ".new-" in p.name] == []


def test_opening_at_once_from_many_threads(db_path: Path) -> None:
    opened: list[NoteStore] = []
    failed: list[BaseException] = []

    def open_it() -> None:
        try:
            opened.append(NoteStore.open(db_path, quick_check=False, backup_every=None))
        except BaseException as exc:
            failed.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failed == []
    assert all(store.recovery is None for store in opened)
    for store in opened:
        store.close()
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["notes.db"]


def test_the_page_above_a_page_reads_back_what_paging_down_read(store: NoteStore) -> None:
    for n in range(30):
        store.add(note(person=f"Cliente {n}", reason="cobro" if n % 3 else "plan"))
    for text in ("", "cobro"):
        filters = NoteFilter()
        down = store.page(text, filters, limit=25).notes
        below = store.page(text, filters, after=down[9].id, limit=5).notes
        above = store.newer(text, filters, before=below[0].id, limit=7)
        assert [n.id for n in above] == [n.id for n in down[3:10]]
        assert [n.id for n in store.newer(text, filters, before=down[2].id)] == [
            n.id for n in down[:2]
        ]
