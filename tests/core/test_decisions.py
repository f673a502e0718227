"""Walking with logic: decisions by the details, counted checks, offers that decide, steps
that do not apply, hand-overs by 'next', and what scenario tests see of it all."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentdesk.core.flows.scenarios import branches_not_taken, run_scenario
from agentdesk.core.flows.session import Session
from agentdesk.core.flows.walk import UnknownChoice
from agentdesk.core.packs.loader import load_pack
from agentdesk.core.packs.model import Expect, Pack, Scenario
from tests.conftest import REPO

LOST_CARD = REPO / "tests" / "packs" / "tarjeta-perdida"
TODAY = date(2024, 6, 10)


@pytest.fixture(scope="module")
def pack() -> Pack:
    result = load_pack(LOST_CARD)
    assert result.pack is not None, [p.format() for p in result.problems]
    return result.pack


def at_charges(pack: Pack, **values: str) -> Session:
    """A session that verified the customer (2 of 3) and blocked the card."""
    session = Session(lambda pid: pack if pid == pack.id else None, TODAY)
    session.values = dict(values)
    session.open(pack.id, "reporte")
    session.tick(0)
    session.tick(2)
    session.choose("verificada")
    session.choose("next")
    return session


def test_a_decision_is_taken_by_the_details_and_says_why(pack: Pack) -> None:
    session = at_charges(pack, monto_no_reconocido="2500", fecha_perdida="2024-06-09")
    view = session.view()
    assert view.step_id == "abono-provisional"
    assert view.path == ("verificacion", "bloqueo", "cargos", "abono-provisional")
    (decision,) = view.decisions
    assert decision.text == (
        "Monto de los cargos que no reconoce = $2,500.00, Today = 10 de junio de 2024, "
        "Fecha en que perdió la tarjeta = 9 de junio de 2024 → "
        "No reconoce cargos y avisó dentro de las 48 horas"
    )
    assert view.crumbs[2].decided == decision.reason


def test_without_the_details_the_agent_answers_by_hand(pack: Pack) -> None:
    session = at_charges(pack, monto_no_reconocido="2500")
    view = session.view()
    assert view.step_id == "cargos" and view.undecided
    assert view.awaiting == ("Fecha en que perdió la tarjeta",)
    assert [c.id for c in view.choices] == ["dentro-48h", "despues-48h"]  # 'none' is ruled out
    assert "To decide, type: Fecha en que perdió la tarjeta; or answer by hand." in view.warnings
    session.choose("despues-48h")
    assert session.view().step_id == "aclaracion"


def test_typing_a_detail_decides_live_and_changing_it_back_restores_the_path(pack: Pack) -> None:
    session = at_charges(pack, segmento="Oro")
    assert session.view().step_id == "cargos"
    session.values["monto_no_reconocido"] = "0"  # as the agent types it in the form
    view = session.view()
    assert (view.flow_id, view.step_id) == ("reposicion", "envio") and not view.warnings
    session.choose("estandar")
    session.values["monto_no_reconocido"] = "900"  # the agent corrects the amount
    session.values["fecha_perdida"] = "2024-06-01"
    view = session.view()
    assert view.step_id == "aclaracion"
    assert view.warnings == (
        "The details changed the path from «Cargos no reconocidos»: it follows them.",
    )
    session.values["monto_no_reconocido"] = "0"  # and back: the answers given are still there
    assert session.view().step_id == "envio-estandar" and not session.view().warnings
    session.values["monto_no_reconocido"] = "900"
    session.choose("next")  # acting keeps what is shown
    view = session.view()
    assert (view.flow_id, view.step_id) == ("reposicion", "envio") and not view.warnings


def test_an_answer_by_hand_gives_way_to_the_details_once_they_are_typed(pack: Pack) -> None:
    session = at_charges(pack)
    session.choose("sin-cargos")
    assert session.walk.flow.id == "reposicion"
    session.values["monto_no_reconocido"] = "300"
    session.values["fecha_perdida"] = "2024-06-09"
    assert session.view().step_id == "abono-provisional"


def test_back_undoes_the_agents_answer_not_the_details(pack: Pack) -> None:
    session = at_charges(pack, monto_no_reconocido="2500", fecha_perdida="2024-06-01")
    assert session.walk.step.id == "aclaracion"
    session.back()  # the details answered at 'cargos': back goes to the last step answered
    assert session.walk.step.id == "bloqueo"


def test_the_crumb_of_a_decision_goes_back_as_back_does(pack: Pack) -> None:
    session = at_charges(pack, monto_no_reconocido="2500", fecha_perdida="2024-06-01")
    assert session.view().path == ("verificacion", "bloqueo", "cargos", "aclaracion")
    session.jump(0, "cargos")  # the details answered there: to the last step answered
    assert session.view().step_id == "bloqueo"
    session.choose("next")  # and on again: the details decide as before
    assert session.view().step_id == "aclaracion"
    by_hand = at_charges(pack, monto_no_reconocido="2500")  # undecided: answered by hand
    by_hand.choose("despues-48h")
    by_hand.jump(0, "cargos")  # the agent's own answer: the crumb lands on it to change it
    assert by_hand.view().step_id == "cargos" and by_hand.view().undecided


def test_a_counted_check_offers_the_answer_the_ticks_allow(pack: Pack) -> None:
    session = Session(lambda pid: pack, TODAY)
    session.open(pack.id, "reporte")
    assert [c.id for c in session.view().choices] == ["no-verificada"]
    session.tick(1)
    session.tick(2)
    view = session.view()
    assert [c.id for c in view.choices] == ["verificada"]
    assert [c.ticked for c in view.checklist] == [False, True, True]
    with pytest.raises(UnknownChoice) as caught:
        session.choose("no-verificada")
    assert caught.value.valid == ("verificada",)
    session.choose("verificada")
    session.jump(0, "verificacion")
    session.tick(2, on=False)  # ticks stay with their step; one undone
    assert [c.id for c in session.view().choices] == ["no-verificada"]


def test_an_offer_guarded_by_a_condition_and_decided_by_the_answers(pack: Pack) -> None:
    session = Session(lambda pid: pack, TODAY)
    session.values = {"segmento": "Oro"}
    session.open(pack.id, "reposicion")
    view = session.view()
    assert view.step_id == "envio" and [c.id for c in view.choices] == ["estandar"]
    (offer,) = view.offers
    assert offer.locks == ('Only if: segmento == "Premium" (Segmento del cliente = Oro)',)
    assert offer.answered  # its own accept/refuse buttons give way to the answers
    session.values = {}
    session.jump(0, "envio")
    assert session.view().offers[0].locks == ("Only with the details: Segmento del cliente",)

    session.values = {"segmento": "Premium"}
    assert [c.id for c in session.view().choices] == ["express", "prefiere-estandar"]
    session.choose("express")
    assert session.walk.offers_accepted == {"envio-express"}
    assert session.view().step_id == "envio-express"
    session.back()
    assert session.walk.offers_accepted == frozenset()


def test_a_step_that_does_not_apply_is_passed_over_and_said_so(pack: Pack) -> None:
    session = Session(lambda pid: pack, TODAY)
    session.values = {"segmento": "Premium"}
    session.open(pack.id, "reposicion")
    view = session.view()
    assert view.path == ("comision", "envio")
    (decision,) = view.decisions
    assert decision.skipped
    assert (
        decision.text == "Segmento del cliente = Premium: «Comisión por reposición» does not apply"
    )
    session.values = {"segmento": "Clásico"}
    assert session.view().step_id == "comision"


def test_next_hands_over_to_another_flow(pack: Pack) -> None:
    session = at_charges(pack, monto_no_reconocido="10", fecha_perdida="2024-06-01")
    session.values["segmento"] = "Clásico"
    session.choose("next")
    view = session.view()
    assert (view.flow_id, view.step_id) == ("reposicion", "comision")
    assert [c.step_id for c in view.crumbs][-2:] == ["aclaracion", "comision"]


def scenario(**fields: object) -> Scenario:
    expect = Expect(**fields.pop("expect"))  # type: ignore[arg-type]
    return Scenario(name="t", flow="reposicion", expect=expect, **fields)  # type: ignore[arg-type]


def test_scenarios_expect_the_route_and_the_answers_offered(pack: Pack) -> None:
    result = run_scenario(
        pack,
        scenario(vars={"segmento": "Oro"}, expect={"path": ("envio",), "choices": ("express",)}),
        TODAY,
    )
    assert result.failures == (
        "expected the path envio, went comision → envio",
        "expected answer 'express'; shown: estandar",
    )


def test_coverage_counts_the_conditional_branches(pack: Pack) -> None:
    results = [run_scenario(pack, s, TODAY) for s in pack.tests]
    assert all(r.passed for r in results) and branches_not_taken(pack, results) == []
    without = [r for r in results if "dentro de las 48 horas" not in r.scenario.name]
    assert [str(b) for b in branches_not_taken(pack, without)] == ["reporte/cargos → dentro-48h"]
    by_hand = run_scenario(
        pack,
        Scenario(
            name="a mano",
            flow="reporte",
            tick=("nacimiento", "codigo-postal"),
            choose=("verificada", "next", "dentro-48h"),
            expect=Expect(step="abono-provisional"),
        ),
        TODAY,
    )
    assert by_hand.passed and "reporte/cargos → dentro-48h" not in by_hand.branches


def test_the_lost_card_pack_needs_none_of_the_old_contortions(pack: Pack) -> None:
    assert pack.facts == {}  # no fact recorded by a click stands in for the customer's data
    assert pack.offers["envio-express"].only_if == 'segmento == "Premium"'
    answers = [c for f in pack.flows.values() for s in f.steps.values() for c in s.choices]
    assert {c.accepts or c.refuses for c in answers} == {None, "envio-express"}
    assert any(c.only_if == "checked >= 2" for c in answers)
    assert any(s.next and s.next.flow for s in pack.flows["reporte"].steps.values())


VALUES = {
    "monto_no_reconocido": ["", "0", "2500", "8000", "abc"],
    "fecha_perdida": ["", "2024-06-09", "2024-06-01", "31/02/2024"],
    "segmento": ["", "Clásico", "Oro", "Premium"],
}
ACTIONS = st.one_of(
    st.tuples(st.just("choose"), st.integers(0, 3)),
    st.tuples(st.just("back"), st.just(0)),
    st.tuples(st.just("tick"), st.integers(0, 2)),
    st.tuples(st.sampled_from(sorted(VALUES)), st.integers(0, 4)),
)


@settings(max_examples=80)
@given(st.lists(ACTIONS, max_size=25))
def test_any_sequence_of_actions_and_details_keeps_the_walk_consistent(
    actions: list[tuple[str, int]],
) -> None:
    pack = load_pack(LOST_CARD).pack
    assert pack is not None
    session = Session(lambda pid: pack, TODAY)
    session.open(pack.id, "reporte")
    for action, number in actions:
        view = session.view()
        if action == "choose" and number < len(view.choices):
            session.choose(view.choices[number].id)
        elif action == "back":
            session.back()
        elif action == "tick" and number < len(view.checklist):
            session.tick(number, not view.checklist[number].ticked)
        elif action in VALUES:
            session.values[action] = VALUES[action][number % len(VALUES[action])]
        for walk in session.walks:  # every answer leads where the next visit is
            for visit, following in zip(walk.trail, walk.trail[1:], strict=False):
                choice = walk.flow.steps[visit.step].choices
                target = next(c.go for c in choice if c.id == visit.choice)
                assert target == following.step
        assert session.view().step_id == session.walk.step.id
