"""The draft: pre-filled from the wizard, saved as the agent types, never lost."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from agentdesk.core.flows.session import Session
from agentdesk.core.notes import Draft, DraftConflict, NoteError, NoteStore
from agentdesk.core.notes.prefill import draft_from_session
from agentdesk.core.packs.loader import load_pack
from agentdesk.core.packs.model import Pack
from tests.conftest import EXAMPLE
from tests.core.notes.conftest import Clock

TODAY = date(2024, 6, 1)


@pytest.fixture(scope="module")
def pack() -> Pack:
    result = load_pack(EXAMPLE)
    assert result.pack is not None
    return result.pack


def session(pack: Pack, *choices: str) -> Session:
    s = Session(lambda pid: pack if pid == pack.id else None, TODAY)
    s.values = {"nombre": "Ana", "monto": "150", "cedula": "1712345678"}
    s.open("ejemplo", "reclamo")
    for choice in choices:
        s.choose(choice)
    return s


# -- pre-filled from the wizard -----------------------------------------------------------


def test_draft_from_an_outcome_carries_the_note_and_the_path(pack: Pack) -> None:
    start = datetime(2024, 6, 1, 10, 0)
    s = session(pack, "verificar", "next")
    draft = draft_from_session(
        s,
        s.view(),
        ["reclamo-registrado", "despedida", "reclamo-registrado"],
        agent="María",
        started_at=start,
        ended_at=datetime(2024, 6, 1, 10, 7),
    )
    assert draft.medium == "phone"
    assert draft.reason == "Cobro no reconocido de $150.00"
    assert draft.inputs == "Cédula 1712345678"
    assert draft.pending == "Respuesta del área de facturación en 48 horas"
    assert (draft.solution, draft.protocol) == ("Reclamo registrado", "Reclamos por cobros")
    assert (draft.pack_id, draft.pack_version, draft.flow_id) == ("ejemplo", "1.0.0", "reclamo")
    assert draft.path == ("inicio: Quiere reclamar el cobro", "verificar: Continue", "registrar")
    assert draft.scripts_shown == ("saludo", "asunto-correo")  # every step passed, in order
    assert draft.macros_copied == ("reclamo-registrado", "despedida")  # each once
    assert (draft.agent, draft.started_at) == ("María", start)
    assert draft.person == "" and draft.problems() == [
        "Who was the interaction with? Fill in the person."
    ]


def test_offers_the_customer_accepted_are_recorded(pack: Pack) -> None:
    s = session(pack, "amenaza")
    s.decide("descuento-contencion", "accepted")
    draft = draft_from_session(s, s.view())
    assert draft.offers_applied == ("descuento-contencion",)
    assert draft.reason == "Amenaza de cancelación por un cobro"
    assert draft.medium is None  # the flow does not say: the agent chooses


def test_the_view_given_is_used_not_built_again(pack: Pack) -> None:
    s = session(pack, "verificar", "next")
    view = s.view()
    s.view = None  # type: ignore[assignment,method-assign]  # the panel's view is enough
    draft = draft_from_session(s, view, ["despedida"], person="Ana")
    assert draft.scripts_shown == ("saludo", "asunto-correo")
    assert draft.path == ("inicio: Quiere reclamar el cobro", "verificar: Continue", "registrar")
    assert draft.to_note().person == "Ana"


# -- saved, restored, finished ------------------------------------------------------------


def test_save_and_load_round_trip(store: NoteStore, clock: Clock) -> None:
    assert store.load_draft() is None
    draft = Draft(person="Ana", reason="Migración", path=("a: Sí",), follow_up=datetime(2024, 6, 2))
    saved = store.save_draft(draft)
    assert saved.saved_at == clock.now
    assert store.load_draft() == saved
    clock.advance(seconds=3)
    again = store.save_draft(saved._replace(solution="Se explicó"))
    assert store.load_draft() == again and again.saved_at == clock.now


def test_the_draft_survives_closing_without_finishing(db_path: Path, clock: Clock) -> None:
    with NoteStore.open(db_path, clock=clock, backup_every=None) as store:
        saved = store.save_draft(Draft(person="Ana", reason="a medio escribir"))
    with NoteStore.open(db_path, clock=clock, backup_every=None) as store:
        assert store.load_draft() == saved


def test_finish_turns_the_draft_into_a_note_at_once(store: NoteStore, clock: Clock) -> None:
    draft = store.save_draft(Draft(person="Ana", medium="whatsapp", reason="Migración"))
    clock.advance(minutes=2)
    note = store.finish_draft(draft._replace(solution="Listo"))  # the last edits count
    assert store.load_draft() is None
    assert store.get(note.id or 0) == note
    assert (note.solution, note.created_at) == ("Listo", clock.now)


def test_an_incomplete_draft_is_not_finished_and_its_edits_are_kept(store: NoteStore) -> None:
    draft = store.save_draft(Draft(person="Ana", reason="Migración"))
    with pytest.raises(NoteError, match="medium"):
        store.finish_draft(draft._replace(inputs="Cédula"))
    kept = store.load_draft()
    assert kept is not None and kept.inputs == "Cédula"
    assert store.count() == 0


def test_a_new_draft_never_overwrites_another(store: NoteStore) -> None:
    first = store.save_draft(Draft(person="Ana", reason="primera"))
    second = Draft(person="Luis", medium="phone", reason="segunda")
    with pytest.raises(DraftConflict) as caught:
        store.save_draft(second)
    assert caught.value.current == first
    started = first.started_at or first.saved_at
    assert started is not None
    assert f"(started {started:%Y-%m-%d %H:%M})" in str(caught.value)  # as people read it
    with pytest.raises(DraftConflict):
        store.finish_draft(second)
    assert store.load_draft() == first and store.count() == 0
    assert store.discard_draft(second.key) is False  # only the draft named is discarded
    assert store.discard_draft(first.key) is True
    assert store.save_draft(second).key == second.key


# -- drafts set aside (the note follows the call) -------------------------------------------


def test_a_draft_set_aside_makes_room_and_both_survive(db_path: Path, clock: Clock) -> None:
    with NoteStore.open(db_path, clock=clock, backup_every=None) as store:
        first = store.save_draft(Draft(person="Ana", reason="primera llamada"))
        clock.advance(minutes=5)
        kept = store.set_aside(first._replace(inputs="Cédula"))  # its last edits too
        assert kept.saved_at == clock.now and store.load_draft() is None
        second = store.save_draft(Draft(person="Luis", reason="segunda llamada"))
    with NoteStore.open(db_path, clock=clock, backup_every=None) as store:
        assert store.load_draft() == second
        assert store.load_aside() == [kept]
        assert kept.inputs == "Cédula" and kept.key == first.key


def test_a_draft_is_open_or_aside_never_both(store: NoteStore) -> None:
    first = store.set_aside(Draft(person="Ana", reason="primera"))
    second = store.set_aside(Draft(person="Luis", reason="segunda"))
    store.set_aside(first._replace(solution="Se explicó"))  # set aside again: updated
    assert [d.key for d in store.load_aside()] == [first.key, second.key]
    opened = store.save_draft(first)  # the agent opens it: out of the aside drafts
    assert [d.key for d in store.load_aside()] == [second.key]
    with pytest.raises(DraftConflict):  # the open draft is still never overwritten
        store.save_draft(second)
    assert store.load_aside() == [second]  # and the one refused stays aside
    note = store.finish_draft(opened._replace(medium="phone"))
    assert note.person == "Ana" and store.load_draft() is None
    assert store.discard_draft(second.key) is True  # discarding reaches the aside drafts
    assert store.load_aside() == [] and store.count() == 1


def test_a_draft_with_fields_from_a_newer_version_still_loads() -> None:
    data = {**Draft(person="Ana").to_json(), "mood": "calm"}
    assert Draft.from_json(data).person == "Ana"
