"""docs/central.md stays true: its roles and grants, run as written, are enough for each role."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import psycopg
import pytest

from agentdesk.core.central import report, server, sync
from agentdesk.core.central.outbox import DeskOutbox
from agentdesk.core.notes import NoteStore
from tests.central.pgserver import Cluster
from tests.conftest import REPO
from tests.core.notes.conftest import note

DOC = (REPO / "docs" / "central.md").read_text(encoding="utf-8")


def sql_block(marker: str) -> str:
    found = re.search(rf"<!-- {marker} -->\n```sql\n(.*?)```", DOC, re.S)
    assert found, f"docs/central.md has no sql block marked {marker}"
    return found[1]


def test_the_roles_and_grants_in_the_guide_let_each_role_do_its_part(
    cluster: Cluster, tmp_path: Path
) -> None:
    database = cluster.create_database("agentdesk")
    with psycopg.connect(cluster.url(database), autocommit=True) as conn:
        conn.execute(sql_block("roles").encode())
    with server.session(cluster.url(database, "agentdesk_owner"), "init") as conn:
        assert server.migrate(conn)
        conn.execute(sql_block("grants").encode())

    with NoteStore.open(tmp_path / "notes.db", backup_every=None) as store:
        store.add(note(agent="ana"))
        with server.Server(cluster.url(database, "agentdesk_desk")) as pool:
            assert sync.push_pending(DeskOutbox(store), pool) == 1

    supervisor = cluster.url(database, "agentdesk_supervisor")
    with server.session(supervisor, "report") as conn:
        conn.read_only = True
        built = report.build(conn, date(2000, 1, 1), date(2100, 1, 1), datetime.now())
        assert [row[1] for row in built.rows["per-agent"]] == ["ana"]
    for role, sql in [
        ("agentdesk_supervisor", "DELETE FROM agentdesk.revisions"),
        ("agentdesk_desk", "SELECT * FROM agentdesk.notes"),
        ("agentdesk_desk", "DELETE FROM agentdesk.revisions"),
    ]:
        with (
            psycopg.connect(cluster.url(database, role)) as conn,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            conn.execute(sql)
