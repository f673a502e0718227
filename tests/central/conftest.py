"""A PostgreSQL server for the central tests: one throwaway cluster for the whole session.

Missing server programs fail these tests with what to install; they are never skipped.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentdesk.core.central import server
from agentdesk.core.notes import NoteStore
from tests.central.pgserver import Cluster, MissingPostgres

_names = itertools.count(1)


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    try:
        running = Cluster().init()
    except MissingPostgres as exc:
        pytest.fail(str(exc), pytrace=False)
    yield running
    running.destroy()


@pytest.fixture(scope="session")
def template(cluster: Cluster) -> str:
    """A database with the central schema, copied for each test that needs one."""
    name = cluster.create_database("central_template")
    with server.connect(cluster.url(name)) as conn:
        server.migrate(conn)
    return name


@pytest.fixture
def empty_url(cluster: Cluster) -> str:
    """A new database with nothing in it."""
    return cluster.url(cluster.create_database(f"empty_{next(_names)}"))


@pytest.fixture
def central_url(cluster: Cluster, template: str) -> str:
    """A new database with the central schema."""
    return cluster.url(cluster.create_database(f"central_{next(_names)}", template))


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[NoteStore]:
    """A desk's notes database."""
    store = NoteStore.open(tmp_path / "desk" / "notes.db", backup_every=None)
    yield store
    store.close()
