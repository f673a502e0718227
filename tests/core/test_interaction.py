"""The call in progress and the note-draft rules, without Qt: on the example pack, with
clocks the test moves."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from agentdesk.core.flows.walk import WalkError
from agentdesk.core.interaction.call import Call
from agentdesk.core.interaction.drafting import NoteDrafting
from agentdesk.core.notes import Draft
from agentdesk.core.packs.loader import load_pack
from agentdesk.core.packs.model import Pack
from tests.conftest import REPO

TODAY = date(2024, 6, 1)


class Clocks:
    """Wall clock and monotonic clock, moved by the test."""

    def __init__(self) -> None:
        self.wall = datetime(2024, 6, 1, 9, 0)
        self.mono = 100.0

    def now(self) -> datetime:
        return self.wall

    def clock(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.wall += timedelta(seconds=seconds)
        self.mono += seconds


@pytest.fixture
def clocks() -> Clocks:
    return Clocks()


@pytest.fixture
def call(example_pack: Pack, clocks: Clocks) -> Call:
    return Call(
        lambda pid: example_pack if pid == example_pack.id else None,
        today=lambda: TODAY,
        now=clocks.now,
        clock=clocks.clock,
    )


def reach_outcome(call: Call) -> None:
    call.open("ejemplo", "reclamo")
    call.set_value("monto", "150")
    call.choose("verificar")
    call.choose("next")
    assert call.view is not None and call.view.ended


# -- the call ---------------------------------------------------------------------------


def test_each_intent_returns_what_to_show(call: Call) -> None:
    view = call.open("ejemplo", "reclamo")
    assert view.step_id == "inicio" and call.view is view and call.is_open
    assert call.back() is None  # nothing to undo at the first step
    assert call.choose_number(99) is None  # no such answer
    assert call.choose_number(1) is not None and call.view.step_id != "inicio"
    assert call.back() is not None and call.view.step_id == "inicio"
    with pytest.raises(WalkError):
        call.choose("nope")
    assert call.set_value("nombre", "Ana") is not None  # the step re-renders
    call.home()
    assert call.view is None and not call.is_open
    assert call.set_value("nombre", "Ana María") is None  # kept for the next flow
    assert call.values == {"nombre": "Ana María"}


def test_what_was_copied_and_when(call: Call, clocks: Clocks) -> None:
    call.open("ejemplo", "reclamo")
    call.copy("saludo")
    clocks.advance(30)
    call.copy("despedida")
    call.copy("saludo")
    assert call.copied == ["saludo", "despedida"]  # each once, in first-copy order
    assert [(c.item, c.at.second) for c in call.copies] == [
        ("saludo", 0),
        ("despedida", 30),
        ("saludo", 30),
    ]
    call.open("ejemplo", "consulta")  # another flow for the customer: its own copies
    assert call.copied == []


def test_a_timer_keeps_its_start_while_the_step_shows(call: Call, clocks: Clocks) -> None:
    call.open("ejemplo", "reclamo")
    started = call.timer_started(0)
    clocks.advance(5)
    assert call.timer_started(0) == started == 100.0
    assert call.timer_started(1) == 105.0  # another timer of the step starts when shown


def test_a_countdown_runs_on_after_its_step_until_dismissed(call: Call, clocks: Clocks) -> None:
    """Timers stay in view while they run (issue 12): the countdown a step starts goes on
    when the agent moves on, and ends only when dismissed or the call ends."""
    call.open("ejemplo", "reclamo")
    assert call.running() == []
    call.choose("verificar")  # a step with a 10-minute timer
    (countdown,) = call.running()
    assert (countdown.label, countdown.alert) == (
        "Espera de documentos",
        "Si no llegan, envía la macro de recontacto.",
    )
    assert countdown.left(clocks.clock()) == 600
    clocks.advance(90)
    call.choose("next")  # the next step: the countdown runs on
    assert [c.left(clocks.clock()) for c in call.running()] == [510]
    call.back()  # back to its step the same way: the same countdown, not a new one
    assert call.running() == [countdown]
    clocks.advance(600)
    assert countdown.left(clocks.clock()) <= 0  # time is up; it stays until dismissed
    call.dismiss(countdown.key)
    call.choose("next")
    call.back()
    assert call.running() == []  # dismissed: not started again by coming back
    call.new_customer()
    call.open("ejemplo", "reclamo")
    call.choose("verificar")
    assert len(call.running()) == 1  # the next customer's own


def test_new_customer_forgets_everything_at_once(call: Call, clocks: Clocks) -> None:
    call.open("ejemplo", "reclamo")
    call.choose("verificar")
    call.tick(("ejemplo", "reclamo", "verificar", "0"), True)  # a checklist item of the step
    call.timer_started(0)
    call.choose("next")
    call.copy("reclamo-registrado")
    assert call.has_customer
    before = call.interaction

    call.new_customer()

    assert call.values == {} and call.ticks == set() and call.timer_starts == {}
    assert call.copied == [] and call.view is None and not call.is_open
    assert call.interaction != before
    assert not call.has_customer


def test_opening_a_flow_starts_an_interaction(call: Call, clocks: Clocks) -> None:
    call.open("ejemplo", "reclamo")
    first, started = call.interaction, call.started_at
    clocks.advance(60)
    call.choose("verificar")
    assert (call.interaction, call.started_at) == (first, started)  # answers do not
    call.open("ejemplo", "consulta")
    assert call.interaction != first and call.started_at == started + timedelta(seconds=60)


def test_a_flow_that_cannot_open_changes_nothing(call: Call) -> None:
    call.open("ejemplo", "reclamo")
    call.copy("saludo")
    with pytest.raises(WalkError):
        call.open("ejemplo", "no-such-flow")
    assert call.copied == ["saludo"] and call.view is not None


# -- the note draft ---------------------------------------------------------------------


def test_an_outcome_starts_a_draft_written_at_once(call: Call, clocks: Clocks) -> None:
    notes = NoteDrafting()
    call.open("ejemplo", "reclamo")
    assert call.view is not None
    assert notes.outcome_reached(call, call.view, "María") is None  # not an outcome yet
    assert notes.draft is None
    clocks.advance(120)
    call.choose("verificar")
    call.choose("next")
    assert notes.outcome_reached(call, call.view, "María") == "now"
    assert notes.draft is not None
    assert (notes.draft.flow_id, notes.draft.agent) == ("reclamo", "María")
    assert notes.draft.started_at == datetime(2024, 6, 1, 9, 0)  # when the flow was opened


def test_the_same_interaction_merges_and_what_the_agent_wrote_wins(call: Call) -> None:
    notes = NoteDrafting()
    reach_outcome(call)
    assert call.view is not None
    notes.outcome_reached(call, call.view, "")
    key = notes.draft.key  # type: ignore[union-attr]

    call.set_value("monto", "1500")  # the walk moves on: the draft follows
    assert notes.outcome_reached(call, call.view, "") == "soon"
    assert notes.draft is not None and notes.draft.key == key
    assert notes.draft.reason == "Cobro no reconocido de $1,500.00"

    assert notes.edit(call, "", person="Ana", reason="Cobro doble") == "soon"
    call.set_value("monto", "20")
    call.copy("reclamo-registrado")
    assert notes.copied(call) == "soon"
    notes.outcome_reached(call, call.view, "")
    draft = notes.draft
    assert draft is not None and draft.key == key
    assert (draft.person, draft.reason) == ("Ana", "Cobro doble")  # typed: kept
    assert draft.macros_copied == ("reclamo-registrado",)  # the record moves on


def test_an_outcome_in_a_new_call_starts_its_own_draft_and_keeps_the_earlier(
    call: Call,
) -> None:
    """The note follows the call (issue 12): the earlier call's draft is set aside as it
    was, never overwritten, and the new call's outcome opens a draft of its own."""
    notes = NoteDrafting()
    reach_outcome(call)
    notes.outcome_reached(call, call.view, "")  # type: ignore[arg-type]
    notes.edit(call, "", person="Ana")
    earlier = notes.draft
    assert earlier is not None

    call.new_customer()
    call.open("ejemplo", "consulta")
    call.choose("horarios")
    assert call.view is not None and call.view.ended
    assert notes.outcome_reached(call, call.view, "") == "now"
    draft = notes.draft
    assert draft is not None and draft.flow_id == "consulta" and draft.key != earlier.key
    assert draft.person == ""  # nothing of the earlier customer
    assert notes.waiting == [earlier] and notes.moved == [earlier]  # to be written aside
    call.copy("horario")
    assert notes.copied(call) == "soon"  # the new call's draft records its copies
    assert notes.draft is not None and notes.draft.macros_copied == ("horario",)
    assert notes.waiting == [earlier]


def test_a_closed_note_is_not_drafted_again_in_its_interaction(call: Call) -> None:
    notes = NoteDrafting()
    reach_outcome(call)
    notes.outcome_reached(call, call.view, "")  # type: ignore[arg-type]
    notes.close()  # saved (or discarded)
    assert notes.draft is None

    call.back()
    call.choose("next")  # back and forth on the same path
    assert notes.outcome_reached(call, call.view, "") is None  # type: ignore[arg-type]
    assert notes.draft is None

    reach_outcome(call)  # the flow opened again: a new interaction
    assert notes.outcome_reached(call, call.view, "") == "now"  # type: ignore[arg-type]


def test_a_blank_draft_belongs_to_the_interaction_under_way(call: Call) -> None:
    notes = NoteDrafting()
    call.open("ejemplo", "reclamo")
    assert notes.edit(call, "María", person="Luis") == "soon"  # Ctrl+N before the outcome
    blank = notes.draft
    assert blank is not None and blank.agent == "María"
    call.choose("verificar")
    call.choose("next")
    assert notes.outcome_reached(call, call.view, "María") == "soon"  # type: ignore[arg-type]
    assert notes.draft is not None and notes.draft.key == blank.key
    assert notes.draft.person == "Luis" and notes.draft.flow_id == "reclamo"


def test_a_blank_note_saved_does_not_close_the_interaction(call: Call) -> None:
    notes = NoteDrafting()
    call.open("ejemplo", "reclamo")
    notes.edit(call, "", person="Luis", reason="Llamó antes")
    notes.close()
    call.choose("verificar")
    call.choose("next")
    assert notes.outcome_reached(call, call.view, "") == "now"  # type: ignore[arg-type]


def test_a_draft_from_an_earlier_run_is_kept_aside_and_can_be_completed(call: Call) -> None:
    notes = NoteDrafting()
    left = Draft(person="Ana", reason="a medio escribir")
    notes.restore(left)
    reach_outcome(call)
    assert notes.outcome_reached(call, call.view, "") == "now"  # type: ignore[arg-type]
    mine = notes.draft
    assert mine is not None and mine.flow_id == "reclamo" and notes.waiting == [left]
    assert notes.pick(left.key) == "now"  # the agent opens it to complete it
    assert notes.draft is left and notes.waiting == [mine]
    assert notes.edit(call, "", inputs="Cédula") == "soon"
    assert notes.draft is not None and notes.draft.key == left.key
    assert notes.pick("no-such-draft") is None


def test_another_draft_found_in_the_store_is_opened_and_ours_kept_aside(call: Call) -> None:
    notes = NoteDrafting()
    reach_outcome(call)
    notes.outcome_reached(call, call.view, "")  # type: ignore[arg-type]
    mine = notes.draft
    assert mine is not None
    other = Draft(person="Luis")  # what another process had written
    notes.stored(other)
    assert notes.draft is other and notes.waiting == [mine]
    call.set_value("monto", "99")
    assert notes.outcome_reached(call, call.view, "") == "now"  # type: ignore[arg-type]
    assert notes.draft is not None and notes.draft.key == mine.key  # this call's, merged
    assert notes.waiting == [other] and notes.moved == [other]


def test_ctrl_n_opens_the_note_of_the_call_in_progress(call: Call) -> None:
    notes = NoteDrafting()
    reach_outcome(call)
    notes.outcome_reached(call, call.view, "María")  # type: ignore[arg-type]
    first = notes.draft
    assert first is not None
    assert notes.for_call(call, "María") is None  # the open draft is this call's

    call.open("ejemplo", "consulta")  # Ctrl+K, another flow: a new interaction
    assert notes.for_call(call, "María") == "now"
    blank = notes.draft
    assert blank is not None and blank.key != first.key and blank.agent == "María"
    assert notes.waiting == [first]
    call.choose("horarios")  # its outcome merges into the draft Ctrl+N opened
    assert notes.outcome_reached(call, call.view, "María") == "soon"  # type: ignore[arg-type]
    assert notes.draft is not None and notes.draft.key == blank.key
    assert notes.draft.flow_id == "consulta"

    assert notes.pick(first.key) == "now"  # the agent completes the earlier one...
    assert notes.for_call(call, "María") == "now"  # ...and Ctrl+N brings this call's back
    assert notes.draft is not None and notes.draft.key == blank.key


def test_between_calls_ctrl_n_opens_the_draft_that_is_open(call: Call) -> None:
    notes = NoteDrafting()
    reach_outcome(call)
    notes.outcome_reached(call, call.view, "")  # type: ignore[arg-type]
    draft = notes.draft
    call.new_customer()  # nothing about the next customer yet
    assert notes.for_call(call, "") is None
    assert notes.draft is draft and notes.waiting == []


def test_saving_one_note_keeps_the_others_waiting(call: Call) -> None:
    notes = NoteDrafting()
    reach_outcome(call)
    notes.outcome_reached(call, call.view, "")  # type: ignore[arg-type]
    first = notes.draft
    reach_outcome(call)  # the flow opened again: another interaction
    notes.outcome_reached(call, call.view, "")  # type: ignore[arg-type]
    notes.close()  # the second is saved
    assert notes.draft is None and notes.waiting == [first]
    reach_outcome(call)
    assert notes.outcome_reached(call, call.view, "") == "now"  # type: ignore[arg-type]
    assert notes.waiting == [first] and notes.moved == [first]  # set aside once, not twice


# -- the call with logic: ticks and decisions --------------------------------------------


LOST_CARD = REPO / "tests" / "packs" / "tarjeta-perdida"


def lost_card() -> Pack:
    result = load_pack(LOST_CARD)
    assert result.pack is not None
    return result.pack


def test_ticks_live_in_the_session_and_count_for_the_answers() -> None:
    pack = lost_card()
    call = Call(lambda pid: pack if pid == pack.id else None, today=lambda: TODAY)
    view = call.open(pack.id, "reporte")
    assert [c.id for c in view.choices] == ["no-verificada"]
    call.tick((pack.id, "reporte", "verificacion", "0"), True)
    view = call.tick((pack.id, "reporte", "verificacion", "2"), True)
    assert view is not None and [c.ticked for c in view.checklist] == [True, False, True]
    assert [c.id for c in view.choices] == ["verificada"]  # 2 of 3: the answer changes
    assert call.session.walk.ticked == {("verificacion", 0), ("verificacion", 2)}
    assert call.ticks == {
        (pack.id, "reporte", "verificacion", "0"),
        (pack.id, "reporte", "verificacion", "2"),
    }


def test_a_reload_replays_the_agents_answers_and_ticks_not_the_details_answers() -> None:
    packs = {"now": lost_card()}
    call = Call(lambda pid: packs["now"] if pid == packs["now"].id else None, today=lambda: TODAY)
    pid = packs["now"].id
    call.set_value("monto_no_reconocido", "2500")
    call.set_value("fecha_perdida", "2024-06-09")
    call.open(pid, "reporte")
    call.tick((pid, "reporte", "verificacion", "0"), True)
    call.tick((pid, "reporte", "verificacion", "2"), True)
    call.choose("verificada")
    assert call.choose("next").decisions  # the details answer at 'cargos'
    assert any(v.auto for v in call.session.walk.trail)
    before = call.choose("next")  # then the agent answers again: on to another flow
    assert before.flow_id == "reposicion"

    packs["now"] = lost_card()  # the pack folder was reloaded: new content objects
    after = call.replay()

    assert after is not None and (after.flow_id, after.step_id) == ("reposicion", before.step_id)
    assert after.path == before.path
    assert call.session.walk.pack is packs["now"]
    assert call.session.walks[0].ticked == {("verificacion", 0), ("verificacion", 2)}


def test_drafts_held_when_the_store_is_read_keep_their_interaction(call: Call) -> None:
    """The notes open after the first paint: an outcome reached before stays this call's."""
    notes = NoteDrafting()
    reach_outcome(call)
    notes.outcome_reached(call, call.view, "")  # type: ignore[arg-type]
    mine = notes.draft
    left = Draft(person="Eva", reason="de ayer")
    notes.restore(mine, [left])  # what the store holds: this draft, written, and one aside
    assert notes.draft is mine and notes.owner == call.interaction
    assert notes.waiting == [left]
    assert notes.for_call(call, "") is None  # Ctrl+N: still this call's note
