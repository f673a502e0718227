"""Usage figures: events from a real session's transitions, stored locally, aggregated."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from agentdesk.core.flows.session import Session
from agentdesk.core.packs.library import Library
from agentdesk.core.packs.model import Manifest
from agentdesk.core.usage import records
from agentdesk.core.usage.events import Event, Recorder
from agentdesk.core.usage.figures import aggregate
from agentdesk.core.usage.store import UsageStore


@pytest.fixture(scope="module")
def library() -> Library:
    return Library(None).load()


class Desk:
    """A session whose every action goes through a recorder, on a clock that ticks 30 s."""

    def __init__(self, library: Library, today: date = date(2024, 6, 1)) -> None:
        self.session = Session(library.get, today)
        self.events: list[Event] = []
        ticks = itertools.count(1_700_000_000, 30)
        calls = (f"call-{n}" for n in itertools.count(1))
        self.recorder = Recorder(
            self.events.extend, lambda: float(next(ticks)), lambda: next(calls)
        )

    def act(self, action: Callable[[], object]) -> list[tuple[str, ...]]:
        before = self.session.walks
        action()
        found = self.recorder.transition(before, self.session.walks)
        return [_short(e) for e in found]


def _short(e: Event) -> tuple[str, ...]:
    extra = e.choice or e.offer or (f"{e.seconds:.0f}s" if e.seconds is not None else "")
    return tuple(x for x in (e.kind, e.step, extra) if x)


def test_a_walk_gives_visits_answers_times_and_the_outcome(library: Library) -> None:
    desk = Desk(library)
    s = desk.session
    assert desk.act(lambda: s.open("migracion-pre-post", "contacto")) == [
        ("visit", "escenario-venta")
    ]
    assert desk.act(lambda: s.choose("next")) == [
        ("time", "escenario-venta", "30s"),
        ("answer", "escenario-venta", "next"),
        ("visit", "primer-contacto"),
    ]
    desk.act(lambda: s.choose("no-responde"))
    assert desk.act(s.back) == [("time", "segundo-contacto", "30s")]  # back: no new visit
    desk.act(lambda: s.choose("no-responde"))
    assert desk.act(lambda: s.choose("no-contesta")) == [
        ("time", "segundo-contacto", "30s"),
        ("answer", "segundo-contacto", "no-contesta"),
        ("visit", "cliente-no-contesta"),
        ("outcome", "cliente-no-contesta"),
    ]
    assert desk.act(s.close) == [("time", "cliente-no-contesta", "30s")]  # ended: no drop-off
    assert {e.call for e in desk.events} == {"call-1"}


def test_offers_shown_refused_and_a_hand_over(library: Library) -> None:
    desk = Desk(library, date(2023, 10, 10))
    s = desk.session
    desk.act(lambda: s.open("gestionix-nueva-plataforma", "gestionix-dejara-de-funcionar"))
    arrived = desk.act(lambda: s.choose("amenaza"))
    assert ("offer_shown", "amenaza-cancelacion", "contencion-50") in arrived
    assert ("offer_shown", "amenaza-cancelacion", "retencion-150") in arrived
    assert desk.act(lambda: s.decide("contencion-50", "refused")) == [
        ("offer_refused", "amenaza-cancelacion", "contencion-50")
    ]
    assert desk.act(lambda: s.decide("retencion-150", "accepted")) == [
        ("offer_accepted", "amenaza-cancelacion", "retencion-150")
    ]
    handover = Desk(library)
    t = handover.session
    handover.act(lambda: t.open("migracion-pre-post", "contacto"))
    for answer in ("next", "respondio", "titular"):
        handover.act(lambda a=answer: t.choose(a))
    assert handover.act(lambda: t.choose("preanalisis")) == [  # continues in another flow
        ("time", "retomar", "30s"),
        ("answer", "retomar", "preanalisis"),
        ("visit", "planificate"),
    ]
    assert {e.call for e in handover.events} == {"call-1"}  # still the same call


def test_a_call_left_halfway_is_a_drop_off_and_a_new_flow_a_new_call(library: Library) -> None:
    desk = Desk(library)
    s = desk.session
    desk.act(lambda: s.open("migracion-pre-post", "contacto"))
    desk.act(lambda: s.choose("next"))
    assert desk.act(lambda: s.open("ejemplo", "consulta"))[:2] == [
        ("time", "primer-contacto", "30s"),
        ("drop_off", "primer-contacto"),
    ]
    assert [e.call for e in desk.events if e.kind == "drop_off"] == ["call-1"]
    assert desk.events[-1].call == "call-2" and desk.events[-1].pack == "ejemplo"


def test_figures_from_a_few_calls(library: Library) -> None:
    desk = Desk(library)
    s = desk.session
    for answers in (["next", "no-responde"], ["next", "respondio"], ["next", "respondio"]):
        desk.act(lambda: s.open("migracion-pre-post", "contacto"))
        for answer in answers:
            desk.act(lambda a=answer: s.choose(a))
        desk.act(s.close)
    figures = aggregate(desk.events)
    assert figures.calls == 3
    steps = {f.step: f for f in figures.steps}
    assert (steps["primer-contacto"].visits, steps["primer-contacto"].calls) == (3, 3)
    assert steps["escenario-venta"].median_seconds == 30
    shares = {(a.step, a.choice): (a.times, round(a.share, 2)) for a in figures.answers}
    assert shares[("primer-contacto", "respondio")] == (2, 0.67)
    assert shares[("primer-contacto", "no-responde")] == (1, 0.33)
    assert {(d.step, d.drop_offs) for d in figures.drop_offs} == {
        ("datos-titular", 2),
        ("segundo-contacto", 1),
    }
    rows = figures.rows()
    assert {
        "figure": "answer",
        "pack": "migracion-pre-post",
        "flow": "contacto",
        "step": "primer-contacto",
        "item": "respondio",
        "count": 2,
        "value": 0.6667,
    } in rows


def test_no_customer_data_is_recorded(library: Library, tmp_path: Path) -> None:
    desk = Desk(library)
    s = desk.session
    s.values = {"nombre": "Juan Pérez Mamani", "ci": "4567890 LP"}
    desk.act(lambda: s.open("migracion-pre-post", "contacto"))
    desk.act(lambda: s.choose("next"))
    store = UsageStore(tmp_path / "usage.db")
    store.add(desk.events)
    dump = "\n".join(sqlite3.connect(tmp_path / "usage.db").iterdump())
    assert "Juan" not in dump and "4567890" not in dump
    assert [e.kind for e in store.events()] == [e.kind for e in desk.events]


def test_a_damaged_store_is_set_aside_and_recording_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "usage.db"
    path.write_bytes(b"this is not a database" * 100)
    store = UsageStore(path)
    event = Event("c", 1.0, "visit", "p", "1", "f", "s")
    store.add([event])
    assert list(store.events()) == [event]
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("usage.db.damaged-")]
    assert [p.read_bytes() for p in kept] == [b"this is not a database" * 100]


def test_recording_follows_the_setting_and_the_pack() -> None:
    asks = Manifest(id="p", title="P", version="1", locale="es-MX", usage_stats=True)
    quiet = asks._replace(usage_stats=False)
    assert not records("off", asks)
    assert records("on", quiet)
    assert records("pack", asks) and not records("pack", quiet)
