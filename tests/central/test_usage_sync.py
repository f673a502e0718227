"""Usage figures to a real PostgreSQL: collected from their own database into the outbox,
stored once per desk and event however often they are sent, in the report."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import psycopg
import pytest

from agentdesk.cli.main import main
from agentdesk.core.central import report, sync
from agentdesk.core.central.outbox import DeskOutbox
from agentdesk.core.central.server import Server
from agentdesk.core.interaction.call import Call
from agentdesk.core.notes import NoteStore
from agentdesk.core.packs.library import Library
from agentdesk.core.paths import Paths
from agentdesk.core.settings import Settings
from agentdesk.core.usage.recording import CallUsage
from agentdesk.core.usage.store import UsageStore
from tests.core.notes.conftest import note

MIGRATION = "migracion-pre-post"


@pytest.fixture(scope="module")
def library() -> Library:
    return Library(None).load()


@pytest.fixture
def paths() -> Paths:
    return Paths.resolve()


@pytest.fixture
def desk(paths: Paths) -> Iterator[NoteStore]:
    """The desk's notes database where the app keeps it (the outbox lives there)."""
    with NoteStore.open(paths.notes_db, backup_every=None) as store:
        yield store


def recording(paths: Paths, setting: str) -> None:
    Settings(usage_stats=setting).save(paths.settings_file)


def take_calls(library: Library, paths: Paths) -> None:
    """Two calls on the desk: one to an outcome, one left after its first answer."""
    call = Call(library.get, "desk", lambda: date(2024, 6, 1))
    call.usage = CallUsage(UsageStore(paths.usage_db).add, "on")
    call.open(MIGRATION, "contacto")
    for answer in ("next", "no-responde", "no-contesta"):
        call.choose(answer)
    call.open(MIGRATION, "contacto")
    call.choose("next")
    call.home()


def rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return [tuple(row) for row in conn.execute(sql)]


def test_usage_events_arrive_once_beside_the_notes_and_the_report_counts_them(
    library: Library, paths: Paths, desk: NoteStore, central_url: str
) -> None:
    recording(paths, "on")
    take_calls(library, paths)
    desk.add(note(reason="una nota"))
    recorded = len(list(UsageStore(paths.usage_db).events()))
    with Server(central_url) as srv:
        assert sync.push_pending(DeskOutbox.attach(paths), srv, batch=4) == recorded + 1
        assert sync.push_pending(DeskOutbox.attach(paths), srv) == 0  # nothing twice
    assert rows(
        central_url, "SELECT kind, count(*) FROM agentdesk.revisions GROUP BY 1 ORDER BY 1"
    ) == [
        ("note", 1),
        ("usage", recorded),
    ]
    events = rows(
        central_url,
        "SELECT kind, step_id, count(*) FROM agentdesk.usage_events "
        "WHERE kind IN ('outcome', 'drop_off') GROUP BY 1, 2 ORDER BY 1",
    )
    assert events == [("drop_off", "primer-contacto", 1), ("outcome", "cliente-no-contesta", 1)]
    last_year = date.today() - timedelta(days=365)
    with psycopg.connect(central_url) as conn:
        built = report.build(conn, last_year, last_year, datetime.now(), ("usage",))
        assert built.to_json()["usage"] == []  # the calls were made today
        built = report.build(conn, *report.period(None, None, date.today()), datetime.now())
    assert built.to_json()["usage"] == [
        {"pack": MIGRATION, "flow": "contacto", "calls": 2, "desks": 1, "outcomes": 1,
         "drop_offs": 1, "offers_shown": 0, "offers_accepted": 0},
    ]  # fmt: skip


def test_events_queued_again_after_a_crash_are_stored_once(
    library: Library,
    paths: Paths,
    desk: NoteStore,
    central_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The desk died after queueing events in the outbox, before marking them queued."""
    recording(paths, "on")
    take_calls(library, paths)
    recorded = len(list(UsageStore(paths.usage_db).events()))

    def killed(store: UsageStore, ids: list[str]) -> None:
        raise KeyboardInterrupt  # the process stops here

    with monkeypatch.context() as patch:
        patch.setattr(UsageStore, "mark_queued", killed)
        with pytest.raises(KeyboardInterrupt), Server(central_url) as srv:
            sync.push_pending(DeskOutbox.attach(paths), srv)
    outbox = DeskOutbox.attach(paths)
    assert outbox.backlog().pending == recorded  # queued, never sent, never marked
    with Server(central_url) as srv:
        assert sync.push_pending(outbox, srv) == 2 * recorded  # queued twice, sent twice
    assert rows(
        central_url, "SELECT count(*), count(DISTINCT event_id) FROM agentdesk.usage_events"
    ) == [(recorded, recorded)]
    assert rows(central_url, "SELECT count(*) FROM agentdesk.revisions") == [(recorded,)]


def test_a_desk_that_records_nothing_sends_nothing_until_it_records_again(
    library: Library, paths: Paths, desk: NoteStore, central_url: str
) -> None:
    recording(paths, "on")
    take_calls(library, paths)
    recording(paths, "off")
    with Server(central_url) as srv:
        assert sync.push_pending(DeskOutbox.attach(paths), srv) == 0
        recording(paths, "pack")
        assert sync.push_pending(DeskOutbox.attach(paths), srv) > 0


def test_the_sync_command_sends_usage_and_the_report_command_shows_it(
    library: Library,
    paths: Paths,
    desk: NoteStore,
    central_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    recording(paths, "on")
    take_calls(library, paths)
    monkeypatch.setenv("AGENTDESK_CENTRAL_URL", central_url)
    assert main(["central", "sync"]) == 0
    assert capsys.readouterr().out.strip().endswith("sent; 0 waiting")
    assert main(["central", "report", "usage", "--csv"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "pack,flow,calls,desks,outcomes,drop_offs,offers_shown,offers_accepted",
        f"{MIGRATION},contacto,2,1,1,1,0,0",
    ]


def test_the_supervisors_page_shows_the_flow_usage(
    library: Library, paths: Paths, desk: NoteStore, central_url: str
) -> None:
    from agentdesk.web.supervisor import create_app

    recording(paths, "on")
    take_calls(library, paths)
    with Server(central_url) as srv:
        sync.push_pending(DeskOutbox.attach(paths), srv)
    with Server(central_url, read_only=True) as pool:
        client = create_app(pool).test_client()
        page = client.get("/").get_data(as_text=True)
        csv = client.get("/report.csv?section=usage").get_data(as_text=True)
    assert '<h2 id="h-usage">Flow usage' in page
    assert f'<td>{MIGRATION}</td><td>contacto</td><td class="n">2</td>' in page
    assert csv.splitlines()[1] == f"{MIGRATION},contacto,2,1,1,1,0,0"


def test_a_damaged_usage_file_never_holds_the_notes_back(
    paths: Paths, desk: NoteStore, central_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    recording(paths, "on")
    paths.usage_db.write_bytes(b"not a database" * 100)
    desk.add(note(reason="la nota llega igual"))
    with Server(central_url) as srv:
        assert sync.push_pending(DeskOutbox.attach(paths), srv) == 1
    assert rows(central_url, "SELECT kind FROM agentdesk.revisions") == [("note",)]
    assert "usage figures not sent" in capsys.readouterr().err
    assert paths.usage_db.read_bytes() == b"not a database" * 100  # left for the app to set aside
