"""Usage figures recorded by the call in progress (what the app does), without Qt: a
:class:`Call` over the bundled packs, its usage told of every intent, then the figures."""

from __future__ import annotations

import itertools
import json
import sqlite3
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from agentdesk.cli.main import main
from agentdesk.core.interaction.call import Call
from agentdesk.core.packs.library import Library
from agentdesk.core.packs.model import Pack
from agentdesk.core.paths import Paths
from agentdesk.core.usage.events import Event
from agentdesk.core.usage.figures import Figures, aggregate
from agentdesk.core.usage.recording import CallUsage, UsageWriter
from agentdesk.core.usage.store import UsageStore
from tests.helpers import kiosk_example_library

MIGRATION = "migracion-pre-post"


@pytest.fixture(scope="module")
def library() -> Library:
    return Library(None).load()


class Desk:
    """A call whose usage goes to a list, on a clock that moves 30 s per intent."""

    def __init__(
        self,
        library: Library,
        setting: str = "on",
        today: date = date(2024, 6, 1),
        asks: frozenset[str] = frozenset(),
        audience: str = "desk",
    ) -> None:
        def lookup(pack_id: str) -> Pack | None:
            pack = library.get(pack_id)
            if pack is not None and pack_id in asks:  # this pack's manifest asks for figures
                return pack._replace(manifest=pack.manifest._replace(usage_stats=True))
            return pack

        self.events: list[Event] = []
        ticks = itertools.count(1_700_000_000, 30)
        self.call = Call(lookup, audience, lambda: today)  # type: ignore[arg-type]
        self.call.usage = CallUsage(self.events.extend, setting, lambda: float(next(ticks)))

    def figures(self) -> Figures:
        return aggregate(self.events)

    def kinds(self) -> list[tuple[str, str]]:
        return [(e.kind, e.step) for e in self.events]


def walk_to_no_answer(call: Call) -> None:
    """contacto: the customer does not answer twice (an outcome)."""
    call.open(MIGRATION, "contacto")
    for answer in ("next", "no-responde", "no-contesta"):
        call.choose(answer)
    assert call.view is not None and call.view.ended


def test_every_intent_of_the_call_is_counted_and_home_ends_the_call(library: Library) -> None:
    desk = Desk(library)
    call = desk.call
    call.open(MIGRATION, "contacto")
    call.choose("next")
    call.choose("no-responde")
    call.back()  # a change of mind: no new visit, its time counted
    call.choose("respondio")
    call.set_value("nombre", "Juan Pérez")  # a detail: nothing to count
    call.home()  # before any outcome: the call dropped off where it was
    figures = desk.figures()
    assert figures.calls == 1
    steps = {s.step: (s.visits, s.drop_offs) for s in figures.steps}
    assert steps == {
        "escenario-venta": (1, 0),
        "primer-contacto": (1, 0),
        "segundo-contacto": (1, 0),
        "datos-titular": (1, 1),
    }
    shares = {(a.step, a.choice): a.times for a in figures.answers}
    assert shares == {
        ("escenario-venta", "next"): 1,
        ("primer-contacto", "no-responde"): 1,
        ("primer-contacto", "respondio"): 1,
    }
    assert {s.step: s.median_seconds for s in figures.steps}["datos-titular"] == 60
    assert not any("Juan" in str(e) for e in desk.events)


def test_each_flow_opened_is_a_call_and_an_outcome_is_not_a_drop_off(library: Library) -> None:
    desk = Desk(library)
    call = desk.call
    walk_to_no_answer(call)
    call.home()
    call.open(MIGRATION, "contacto")  # the same flow again: another call
    call.choose("next")
    call.open("ejemplo", "consulta")  # another flow over it: the first one dropped off
    call.new_customer()  # the next customer: this one dropped off too
    figures = desk.figures()
    assert figures.calls == 3
    assert [(o.step, o.times) for o in figures.outcomes] == [("cliente-no-contesta", 1)]
    assert {(s.pack, s.step, s.drop_offs) for s in figures.drop_offs} == {
        (MIGRATION, "primer-contacto", 1),
        ("ejemplo", "tema", 1),
    }
    assert len({e.call for e in desk.events}) == 3


def test_quitting_ends_the_call_in_progress(library: Library) -> None:
    desk = Desk(library)
    desk.call.open(MIGRATION, "contacto")
    desk.call.end()  # the app closes
    desk.call.end()  # (twice changes nothing)
    assert desk.kinds()[-2:] == [("time", "escenario-venta"), ("drop_off", "escenario-venta")]
    assert desk.figures().drop_offs[0].drop_offs == 1


def test_offers_shown_accepted_and_refused(library: Library) -> None:
    desk = Desk(library, today=date(2023, 10, 10))
    call = desk.call
    call.open("gestionix-nueva-plataforma", "gestionix-dejara-de-funcionar")
    call.choose("amenaza")
    call.decide("contencion-50", "refused")
    call.decide("retencion-150", "accepted")
    offers = {o.offer: (o.shown, o.accepted, o.refused) for o in desk.figures().offers}
    assert offers == {"contencion-50": (1, 0, 1), "retencion-150": (1, 1, 0)}


def test_nothing_is_counted_when_the_setting_is_off(library: Library) -> None:
    desk = Desk(library, setting="off")
    walk_to_no_answer(desk.call)
    desk.call.home()
    assert desk.events == []


def test_pack_counts_only_the_packs_that_ask(library: Library) -> None:
    desk = Desk(library, setting="pack", asks=frozenset({"ejemplo"}))
    walk_to_no_answer(desk.call)
    desk.call.open("ejemplo", "consulta")
    desk.call.choose("horarios")
    desk.call.home()
    assert {e.pack for e in desk.events} == {"ejemplo"}
    assert desk.figures().calls == 1


def test_a_new_setting_counts_from_the_next_call(library: Library) -> None:
    desk = Desk(library, setting="off")
    call, usage = desk.call, desk.call.usage
    assert usage is not None
    call.open(MIGRATION, "contacto")
    usage.setting = "on"  # the call in progress is not counted halfway
    call.choose("next")
    call.home()
    assert desk.events == []
    call.open(MIGRATION, "contacto")
    call.choose("next")
    usage.setting = "off"  # forgotten at once: not a drop-off
    call.choose("respondio")
    call.home()
    assert [k for k, _ in desk.kinds()] == ["visit", "time", "answer", "visit"]


def test_the_kiosk_records_the_same_way(tmp_path: Path) -> None:
    desk = Desk(kiosk_example_library(tmp_path), audience="kiosk")
    desk.call.open("ejemplo", "consulta")
    desk.call.choose("horarios")
    desk.call.new_customer()  # the kiosk resets itself after each customer
    assert desk.kinds() == [
        ("visit", "tema"),
        ("time", "tema"),
        ("answer", "tema"),
        ("visit", "horarios"),
        ("outcome", "horarios"),
        ("time", "horarios"),
    ]


def test_the_writer_stores_off_the_calling_thread_and_stats_reports_it(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = Paths.resolve()
    writer = UsageWriter(paths.usage_db)
    seen: list[str] = []
    store_add = UsageStore.add

    def add(store: UsageStore, events: list[Event]) -> None:
        seen.append(threading.current_thread().name)
        store_add(store, events)

    call = Call(library.get, "desk", lambda: date(2024, 6, 1))
    call.usage = CallUsage(writer, "on")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(UsageStore, "add", add)
        for _ in range(2):
            walk_to_no_answer(call)
            call.home()
        call.open(MIGRATION, "contacto")
        call.choose("next")
        call.end()
        writer.close()
    assert set(seen) == {"agentdesk-usage"}
    assert main(["stats", "--json", "--pack", MIGRATION]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["calls"] == 3
    outcomes = {o["step"]: o["times"] for o in report["outcomes"]}
    assert outcomes == {"cliente-no-contesta": 2}
    assert [(d["step"], d["count"]) for d in report["drop_offs"]] == [("primer-contacto", 1)]
    visits = {s["step"]: s["visits"] for s in report["steps"]}
    assert visits["escenario-venta"] == 3 and visits["segundo-contacto"] == 2


def test_the_writer_writes_what_comes_after_close_and_keeps_a_year(tmp_path: Path) -> None:
    path = tmp_path / "usage.db"
    old = Event("old", time.time() - 400 * 86400, "visit", "p", "1", "f", "s")
    UsageStore(path).add([old])
    writer = UsageWriter(path)
    recent = old._replace(call="recent", at=time.time())
    writer([recent])
    assert writer.flush(30)
    writer.close()
    writer([recent._replace(call="late")])  # after close: written at once
    assert [e.call for e in UsageStore(path).events()] == ["recent", "late"]


def test_an_older_usage_file_is_upgraded_and_keeps_its_events(tmp_path: Path) -> None:
    path = tmp_path / "usage.db"
    with sqlite3.connect(path) as db:  # as the first version wrote it
        db.executescript(
            "CREATE TABLE events (call TEXT NOT NULL, at REAL NOT NULL, kind TEXT NOT NULL, "
            "pack TEXT NOT NULL, version TEXT NOT NULL, flow TEXT NOT NULL, step TEXT NOT NULL, "
            "choice TEXT, offer TEXT, seconds REAL); "
            "INSERT INTO events VALUES ('c', 1.0, 'visit', 'p', '1', 'f', 's', NULL, NULL, NULL);"
            "PRAGMA user_version = 1;"
        )
    store = UsageStore(path)
    store.add([Event("d", 2.0, "visit", "p", "1", "f", "t")])
    assert [e.call for e in store.events()] == ["c", "d"]
    queued = store.unqueued(10)
    assert [e.call for _, e in queued] == ["c", "d"]
    assert len({i for i, _ in queued}) == 2  # each has an id of its own
