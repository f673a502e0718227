"""Sync against a real PostgreSQL: revisions arrive once, masked; edits, deletions, clashes."""

from __future__ import annotations

import copy
import random
import shutil
import threading
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from agentdesk.core.central import server, sync
from agentdesk.core.central.config import CentralError
from agentdesk.core.central.outbox import DeskOutbox
from agentdesk.core.central.server import Server
from agentdesk.core.notes import NoteStore
from agentdesk.core.paths import Paths
from tests.central.pgserver import DESK_PASSWORD, Cluster, make_certificates
from tests.core.notes.conftest import note


def rows(url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return [tuple(row) for row in conn.execute(sql, params)]


def revisions(url: str) -> list[tuple[Any, ...]]:
    return rows(
        url,
        "SELECT record, revision, deleted, payload->>'reason' FROM agentdesk.revisions "
        "ORDER BY desk_id, seq",
    )


@pytest.mark.parametrize("batch", [1, 2, 500])
def test_notes_arrive_masked_edits_as_revisions_deletions_as_tombstones(
    desk: NoteStore, central_url: str, batch: int
) -> None:
    first = desk.add(note(person="Ana 0991234567", reason="Migración", path=("inicio: a", "fin")))
    outbox = DeskOutbox(desk)
    with Server(central_url) as srv:
        assert sync.push_pending(outbox, srv) == 1
        desk.update(first._replace(reason="Migración firmada"))
        second = desk.add(note(reason="Reclamo", offers_applied=("descuento",)))
        with desk.conn:
            desk.conn.execute("DELETE FROM notes WHERE id = ?", (second.id,))
        assert sync.push_pending(outbox, srv, batch=batch) == 3
        assert sync.push_pending(outbox, srv) == 0
    assert desk.conn.execute("SELECT count(*) FROM outbox").fetchone() == (0,)
    got = revisions(central_url)
    records = [r[0] for r in got]
    assert [r[1:] for r in got] == [
        (1, False, "Migración"),
        (2, False, "Migración firmada"),
        (1, False, "Reclamo"),
        (2, True, None),
    ]
    assert records[0] == records[1] != records[2] == records[3]
    latest = rows(
        central_url,
        "SELECT revision, deleted, person, reason, outcome FROM agentdesk.notes ORDER BY local_id",
    )
    assert latest == [  # a deleted note keeps its last content, marked deleted
        (2, False, "Ana ******4567", "Migración firmada", "fin"),
        (2, True, "Ana Pérez", "Reclamo", ""),
    ]
    [(desk_id, last_seq)] = rows(central_url, "SELECT desk_id, last_seq FROM agentdesk.desks")
    assert desk_id == outbox.desk_id and last_seq == 4


def test_a_batch_sent_again_is_not_stored_twice(desk: NoteStore, central_url: str) -> None:
    """The server committed but the desk died before taking the batch out of its outbox."""
    outbox = DeskOutbox(desk)
    for n in range(3):
        desk.add(note(reason=f"n{n}"))
    with Server(central_url) as srv:
        desk_id = outbox.enable()
        entries = outbox.pending(10)
        assert srv.push(desk_id, "desk", entries) == []  # stored, never acknowledged
        assert sync.push_pending(outbox, srv) == 3  # all sent again
    assert rows(
        central_url, "SELECT count(*), count(DISTINCT record) FROM agentdesk.revisions"
    ) == [(3, 3)]


def test_a_restored_backup_renumbers_what_clashes_and_loses_nothing(
    desk: NoteStore, central_url: str, tmp_path: Path
) -> None:
    """A desk database that went back in time numbers a new edit like one already sent."""
    outbox = DeskOutbox(desk)
    saved = desk.add(note(reason="v1"))
    with Server(central_url) as srv:
        sync.push_pending(outbox, srv)
        copy = tmp_path / "backup.db"
        with NoteStore.open(copy, backup_every=None) as backup:
            desk.conn.backup(backup.conn)
        desk.update(saved._replace(reason="v2 (lost with the disk)"))
        sync.push_pending(outbox, srv)
        desk.close()
        shutil.copy(copy, desk.path)  # what a restore from the backup does
        with NoteStore.open(desk.path, backup_every=None) as restored:
            restored.update(saved._replace(reason="v2 after the restore"))
            restored.update(saved._replace(reason="v3 after the restore"))
            assert sync.push_pending(DeskOutbox(restored), srv) == 2
            restored.update(saved._replace(reason="v4"))
            assert sync.push_pending(DeskOutbox(restored), srv) == 1
    assert [r[1:] for r in revisions(central_url)] == [
        (1, False, "v1"),
        (2, False, "v2 (lost with the disk)"),
        (3, False, "v2 after the restore"),
        (4, False, "v3 after the restore"),
        (5, False, "v4"),
    ]
    assert rows(central_url, "SELECT reason FROM agentdesk.notes") == [("v4",)]


def test_an_unreachable_server_leaves_the_outbox_alone_and_says_so_without_the_password(
    desk: NoteStore, cluster: Cluster
) -> None:
    desk.add(note())
    outbox = DeskOutbox(desk)
    url = cluster.tcp_url("postgres").replace(str(cluster.port), "1")  # nothing listens there
    with Server(url, timeout=2) as srv, pytest.raises(CentralError) as failed:
        sync.push_pending(outbox, srv)
    assert "Connection refused" in str(failed.value)
    assert DESK_PASSWORD not in str(failed.value)
    assert outbox.backlog().pending == 1


def test_a_database_without_the_schema_says_to_run_init(desk: NoteStore, empty_url: str) -> None:
    desk.add(note())
    with Server(empty_url) as srv, pytest.raises(CentralError, match="central init"):
        sync.push_pending(DeskOutbox(desk), srv)


def test_init_applies_each_migration_once(empty_url: str) -> None:
    with server.connect(empty_url) as conn:
        assert server.migrate(conn) == ["0001_revisions", "0002_notes", "0003_usage"]
        assert server.migrate(conn) == []
        assert server.applied_migrations(conn) == [1, 2, 3]


def test_tls_is_checked_against_the_root_certificate_given(
    cluster: Cluster, central_url: str, tmp_path: Path
) -> None:
    database = conninfo_to_dict(central_url)["dbname"]
    with server.connect(cluster.tcp_url(database)) as conn:
        ssl = conn.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        assert ssl.fetchone() == (True,)
    make_certificates(tmp_path, tmp_path)  # another CA, which did not sign the server's
    wrong = cluster.tcp_url(database).replace(str(cluster.ca_file), str(tmp_path / "ca.crt"))
    with pytest.raises(CentralError, match="SSL error") as failed:
        server.connect(wrong)
    assert DESK_PASSWORD not in str(failed.value)


def test_the_sync_thread_sends_as_notes_are_written(desk: NoteStore, central_url: str) -> None:
    paths = Paths(desk.path.parent, desk.path.parent / "config", desk.path.parent / "cache")
    done = threading.Event()
    seen: list[sync.SyncStatus] = []

    def report(status: sync.SyncStatus) -> None:
        seen.append(copy.copy(status))
        if status.sent >= 2:
            done.set()

    desk.add(note(reason="one"))
    worker = sync.SyncThread(paths, central_url, every=0.01, on_report=report)
    worker.start()
    desk.add(note(reason="two"))  # the agent goes on writing while it syncs
    assert done.wait(30)
    worker.stop()
    worker.join(30)
    assert not worker.is_alive()
    assert {r[3] for r in revisions(central_url)} == {"one", "two"}


def test_the_sync_thread_reports_a_failure_without_the_password(
    desk: NoteStore, cluster: Cluster
) -> None:
    paths = Paths(desk.path.parent, desk.path.parent / "config", desk.path.parent / "cache")
    failed = threading.Event()
    errors: list[str] = []

    def report(status: sync.SyncStatus) -> None:
        errors.append(status.error or "")
        failed.set()

    desk.add(note())
    url = cluster.tcp_url("postgres").replace("sslmode=verify-full", "sslmode=nonsense")
    worker = sync.SyncThread(paths, url, on_report=report, timeout=1)
    worker.start()
    assert failed.wait(30)
    worker.stop()
    worker.join(30)
    assert errors[0] and "sslmode" in errors[0]
    assert DESK_PASSWORD not in errors[0]


def test_backoff_doubles_to_its_ceiling_with_a_spread_and_resets() -> None:
    backoff = sync.Backoff(first=1, most=8, rng=random.Random(1))
    waits = [backoff.failed() for _ in range(6)]
    for wait, base in zip(waits, (1, 2, 4, 8, 8, 8), strict=True):
        assert 0.75 * base <= wait <= 1.25 * base
    assert len(set(waits)) == len(waits)  # spread: desks do not retry in step
    backoff.succeeded()
    assert backoff.failed() <= 1.25


def test_the_app_syncs_in_the_background_only_when_a_server_is_configured(
    central_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = Paths.resolve()
    NoteStore.open(paths.notes_db, backup_every=None).close()  # as the app opens it
    assert sync.start_background_sync(paths) is None
    monkeypatch.setenv("AGENTDESK_CENTRAL_URL", central_url)
    worker = sync.start_background_sync(paths)
    assert worker is not None and worker.is_alive() and worker.url == central_url
    worker.stop()
    worker.join(30)
    assert not worker.is_alive() and worker.status.error is None


def test_the_sync_thread_never_makes_or_recovers_the_notes_database(
    tmp_path: Path, central_url: str
) -> None:
    """Creating, upgrading and recovering it is the app's, which tells the agent."""
    paths = Paths(tmp_path / "data", tmp_path / "config", tmp_path / "cache")
    reported = threading.Event()
    errors: list[str | None] = []

    def report(status: sync.SyncStatus) -> None:
        errors.append(status.error)
        reported.set()

    worker = sync.SyncThread(paths, central_url, on_report=report)
    worker.start()
    assert reported.wait(30)
    worker.stop()
    worker.join(30)
    assert errors[0] == "the notes database is not there yet"
    assert not paths.notes_db.exists() and not paths.data.exists()
