"""The flow engine and the session, on the example pack."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from agentdesk.core.flows.scenarios import run_scenario
from agentdesk.core.flows.session import Session
from agentdesk.core.flows.walk import UnknownChoice, Walk, WalkError
from agentdesk.core.packs.loader import load_pack
from agentdesk.core.packs.model import Pack
from tests.conftest import EXAMPLE
from tests.helpers import SIMPLE_FLOW, load

TODAY = date(2024, 6, 1)


@pytest.fixture(scope="module")
def pack() -> Pack:
    result = load_pack(EXAMPLE)
    assert result.pack is not None
    return result.pack


def for_kiosks_too(pack: Pack) -> Pack:
    """The example pack as a pack for desks and kiosks (the bundled one is for desks only:
    a trainers' example is never shown on a branch kiosk)."""
    return pack._replace(manifest=pack.manifest._replace(audiences=("desk", "kiosk")))


def test_start_choose_back_restart(pack: Pack) -> None:
    walk = Walk.start(pack, "reclamo")
    assert walk.step.id == "inicio" and not walk.ended
    walk = walk.choose("verificar").choose("next")
    assert walk.path == ("inicio", "verificar", "registrar")
    assert walk.ended
    back = walk.back()
    assert back.step.id == "verificar"
    assert walk.step.id == "registrar"  # walks are values: the old one is unchanged
    assert back.back().back().step.id == "inicio"  # back at the start stays there
    assert walk.restart().path == ("inicio",)


def test_why_lists_the_answers(pack: Pack) -> None:
    walk = Walk.start(pack, "reclamo").choose("explicar").choose("cierre")
    assert [(a.step.id, a.choice.label) for a in walk.why()] == [
        ("inicio", "Quiere entender el cobro"),
        ("explicar", "Quedó conforme"),
    ]


def test_unknown_choice_lists_the_valid_ones(pack: Pack) -> None:
    with pytest.raises(UnknownChoice) as caught:
        Walk.start(pack, "reclamo").choose("nope")
    assert caught.value.valid == ("explicar", "verificar", "amenaza", "consulta")


def test_unknown_flow_and_step(pack: Pack) -> None:
    with pytest.raises(WalkError):
        Walk.start(pack, "nada")
    with pytest.raises(WalkError):
        Walk.start(pack, "reclamo").jump("nada")


def test_jump_back_along_the_path_and_to_any_step(pack: Pack) -> None:
    walk = Walk.start(pack, "reclamo").choose("explicar").choose("verificar")
    assert walk.jump("explicar").path == ("inicio", "explicar")
    assert walk.jump("retener").path == ("inicio", "explicar", "verificar", "retener")


def test_facts_recorded_by_answers_are_undone_by_back(pack: Pack) -> None:
    walk = Walk.start(pack, "reclamo").choose("amenaza")
    assert walk.recorded == {"amenaza_cancelacion"}
    assert walk.back().recorded == frozenset()


def test_offer_guards_and_ladder(pack: Pack) -> None:
    walk = Walk.start(pack, "reclamo").jump("retener")
    first = walk.offer_status("descuento-contencion", TODAY)
    assert not first.available and [lock.kind for lock in first.locks] == ["fact"]

    walk = walk.record("amenaza_cancelacion")
    assert walk.offer_status("descuento-contencion", TODAY).available
    second = walk.offer_status("descuento-retencion", TODAY)
    assert [(lock.kind, lock.subject) for lock in second.locks] == [
        ("ladder", "descuento-contencion")
    ]

    refused = walk.decide("descuento-contencion", "refused")
    assert refused.offer_status("descuento-retencion", TODAY).available
    assert refused.offer_status("descuento-contencion", TODAY).decision == "refused"

    accepted = walk.decide("descuento-contencion", "accepted")
    assert [lock.kind for lock in accepted.offer_status("descuento-retencion", TODAY).locks] == [
        "accepted"
    ]


def test_offers_outside_their_window_are_locked(pack: Pack) -> None:
    offer = pack.offers["descuento-contencion"]
    dated = pack._replace(
        offers={
            **pack.offers,
            offer.id: offer._replace(valid_from=date(2024, 1, 1), valid_until=date(2024, 3, 31)),
        }
    )
    walk = Walk.start(dated, "reclamo").choose("amenaza")
    assert walk.offer_status(offer.id, date(2024, 2, 1)).available
    assert [lock.kind for lock in walk.offer_status(offer.id, date(2024, 4, 1)).locks] == [
        "expired"
    ]
    assert [lock.kind for lock in walk.offer_status(offer.id, date(2023, 12, 1)).locks] == [
        "upcoming"
    ]


def test_session_follows_handovers_and_back_returns(pack: Pack) -> None:
    session = Session(lambda pid: pack if pid == pack.id else None, TODAY)
    session.open("ejemplo", "reclamo")
    session.choose("consulta")
    assert session.walk.flow.id == "consulta"
    view = session.view()
    assert [c.step_id for c in view.crumbs] == ["inicio", "tema"]
    session.back()
    assert session.walk.flow.id == "reclamo" and session.walk.step.id == "inicio"
    assert session.walk.handover is None


def test_session_jump_to_a_crumb(pack: Pack) -> None:
    session = Session(lambda pid: pack, TODAY)
    session.open("ejemplo", "reclamo")
    session.choose("consulta")
    session.choose("horarios")
    session.jump(0, "inicio")
    assert len(session.walks) == 1 and session.walk.path == ("inicio",)


def test_view_renders_everything_with_values(pack: Pack) -> None:
    session = Session(lambda pid: pack, TODAY)
    session.values = {"nombre": "Ana", "monto": "150", "cedula": "123"}
    session.open("ejemplo", "reclamo")
    session.choose("verificar")
    session.choose("next")
    view = session.view()
    assert view.ended and view.step_id == "registrar"
    macro = view.macros[0]
    assert macro.path == "Ejemplo :: Reclamos :: Registrado"
    assert macro.ticket_status == "Pendiente"
    assert "registramos su reclamo por $150.00" in macro.text
    assert view.macros[1].note == "Al cerrar la conversación."
    assert view.note.reason == "Cobro no reconocido de $150.00"
    assert view.note.medium == "phone"
    assert "Teléfono" in view.missing
    assert any("10 dígitos" in w for w in view.warnings)  # cedula=123 is flagged


def test_view_flags_expired_content(pack: Pack) -> None:
    session = Session(lambda pid: pack, date(2100, 1, 1))
    session.open("ejemplo", "consulta")
    view = session.view()
    assert view.expired and view.valid_until == date(2099, 12, 31)
    assert "2099-12-31" in view.warnings[0]


def test_view_in_spanish(pack: Pack, spanish: None) -> None:
    session = Session(lambda pid: pack, TODAY)
    session.open("ejemplo", "reclamo")
    session.choose("verificar")
    assert session.view().choices[0].label == "Continuar"
    session.jump(0, "retener")
    locks = session.view().offers[1].locks
    assert locks == (
        "Solo después de registrar: El cliente amenaza con cancelar",
        "Solo si el cliente rechazó CONTENCION $50 POR 3 MESES",
    )


def test_handover_to_an_unavailable_pack_is_shown_not_raised(pack: Pack) -> None:
    other = pack._replace(
        flows={
            **pack.flows,
            "reclamo": pack.flows["reclamo"]._replace(
                steps={
                    **pack.flows["reclamo"].steps,
                    "inicio": pack.flows["reclamo"]
                    .steps["inicio"]
                    ._replace(
                        choices=(
                            pack.flows["reclamo"]
                            .steps["inicio"]
                            .choices[0]
                            ._replace(id="fuera", go=None, flow="otro-pack/flujo"),
                        )
                    ),
                }
            ),
        }
    )
    session = Session(lambda pid: other if pid == "ejemplo" else None, TODAY)
    session.open("ejemplo", "reclamo")
    session.choose("fuera")
    view = session.view()
    assert view.handover == "otro-pack/flujo" and view.ended
    assert any("not available" in w for w in view.warnings)


def test_facts_and_notes_carry_over_a_handover_in_the_same_pack(pack: Pack) -> None:
    flows = dict(pack.flows)
    inicio = flows["reclamo"].steps["inicio"]
    amenaza = inicio.choices[2]._replace(flow="consulta", go=None)
    flows["reclamo"] = flows["reclamo"]._replace(
        steps={
            **flows["reclamo"].steps,
            "inicio": inicio._replace(
                choices=(amenaza,), note=inicio.note or pack.flows["reclamo"].steps["retener"].note
            ),
        }
    )
    linked = pack._replace(flows=flows)
    session = Session(lambda pid: linked, TODAY)
    session.open("ejemplo", "reclamo")
    session.choose("amenaza")
    assert session.walk.flow.id == "consulta"
    assert "amenaza_cancelacion" in session.walk.recorded
    assert session.view().note.reason == "Amenaza de cancelación por un cobro"


def test_kiosk_sessions_hide_handovers_to_desk_only_flows(pack: Pack) -> None:
    pack = for_kiosks_too(pack)
    desk_only = pack._replace(
        flows={**pack.flows, "consulta": pack.flows["consulta"]._replace(audiences=("desk",))}
    )
    desk = Session(lambda pid: desk_only, TODAY)
    desk.open("ejemplo", "reclamo")
    assert "consulta" in [c.id for c in desk.view().choices]
    kiosk = Session(lambda pid: desk_only, TODAY, audience="kiosk")
    kiosk.open("ejemplo", "reclamo")
    assert "consulta" not in [c.id for c in kiosk.view().choices]
    with pytest.raises(UnknownChoice):
        kiosk.choose("consulta")


def test_kiosk_sessions_do_not_follow_handovers_into_desk_only_packs(pack: Pack) -> None:
    pack = for_kiosks_too(pack)
    # The target flow says kiosk, but its pack does not: kiosks never show that pack.
    desk_pack = pack._replace(
        manifest=pack.manifest._replace(id="mostrador", audiences=("desk",)),
        flows={"consulta": pack.flows["consulta"]._replace(audiences=("desk", "kiosk"))},
    )
    inicio = pack.flows["reclamo"].steps["inicio"]
    choices = tuple(
        c._replace(flow="mostrador/consulta") if c.id == "consulta" else c for c in inicio.choices
    )
    reclamo = pack.flows["reclamo"]
    linking = pack._replace(
        flows={
            **pack.flows,
            "reclamo": reclamo._replace(
                steps={**reclamo.steps, "inicio": inicio._replace(choices=choices)}
            ),
        }
    )
    packs = {"ejemplo": linking, "mostrador": desk_pack}
    desk = Session(packs.get, TODAY)
    desk.open("ejemplo", "reclamo")
    assert "consulta" in [c.id for c in desk.view().choices]
    kiosk = Session(packs.get, TODAY, audience="kiosk")
    kiosk.open("ejemplo", "reclamo")
    assert "consulta" not in [c.id for c in kiosk.view().choices]
    with pytest.raises(UnknownChoice):
        kiosk.choose("consulta")
    assert kiosk.walk.flow.id == "reclamo"


def test_a_flow_for_another_audience_does_not_open(pack: Pack) -> None:
    pack = for_kiosks_too(pack)
    desk_only = pack._replace(
        flows={**pack.flows, "consulta": pack.flows["consulta"]._replace(audiences=("desk",))}
    )
    kiosk = Session(lambda pid: desk_only, TODAY, audience="kiosk")
    kiosk.open("ejemplo", "reclamo")
    with pytest.raises(WalkError, match="not available on kiosks"):
        kiosk.open("ejemplo", "consulta")
    assert kiosk.walk.flow.id == "reclamo"  # what was open stays open
    desk_pack = pack._replace(manifest=pack.manifest._replace(audiences=("desk",)))
    with pytest.raises(WalkError, match="not available on kiosks"):
        Session(lambda pid: desk_pack, TODAY, audience="kiosk").open("ejemplo")
    Session(lambda pid: desk_pack, TODAY).open("ejemplo")
    kiosk_only = pack._replace(
        flows={**pack.flows, "consulta": pack.flows["consulta"]._replace(audiences=("kiosk",))}
    )
    with pytest.raises(WalkError, match="only for the branch kiosks"):
        Session(lambda pid: kiosk_only, TODAY).open("ejemplo", "consulta")


def test_a_scenario_walks_as_an_audience_the_flow_is_for(pack: Pack) -> None:
    pack = for_kiosks_too(pack)
    kiosk_only = pack._replace(
        flows={**pack.flows, "consulta": pack.flows["consulta"]._replace(audiences=("kiosk",))}
    )
    (scenario,) = [s for s in pack.tests if s.name == "Consulta de horarios"]
    assert run_scenario(kiosk_only, scenario, TODAY).passed
    # As a desk sees 'reclamo', its answer leading to the kiosk's 'consulta' is hidden.
    (handover,) = [s for s in pack.tests if s.name == "Otro tema pasa al flujo de consultas"]
    assert run_scenario(pack, handover, TODAY).passed
    assert not run_scenario(kiosk_only, handover, TODAY).passed


def test_a_step_without_title_is_named_by_its_question_filled_in(tmp_path: Path) -> None:
    """Not by the template as written: '¿Qué pasa, {{ nombre }}?' is no heading."""
    result = load(tmp_path, {"f.yaml": SIMPLE_FLOW})
    assert result.pack is not None
    session = Session(lambda pid: result.pack, TODAY)
    session.values = {"nombre": "Ana"}
    session.open("prueba", "f")
    assert [c.title for c in session.view().crumbs] == ["¿Qué pasa, Ana?"]
    session.choose("fin")
    assert session.view().crumbs[0].title == "¿Qué pasa, Ana?"
