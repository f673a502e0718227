"""The bundled packs: valid, fully tested, linked, and faithful to the seed documents."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from agentdesk.core.flows.scenarios import branches_not_taken, run_scenario, uncovered
from agentdesk.core.flows.session import Session
from agentdesk.core.packs.library import Library
from agentdesk.core.packs.loader import load_pack
from agentdesk.core.packs.model import Pack
from agentdesk.core.paths import Paths
from tests.conftest import PACKS

BUNDLED = sorted(p for p in PACKS.iterdir() if (p / "pack.yaml").is_file())
SEED_PACKS = {
    "gestionix-nueva-plataforma",
    "recuperacion-equipos",
    "migracion-pre-post",
    "modelo-atencion-movistar",
    "soporte-reglas-generales",
    "inicio",
    "ejemplo",
}


def test_every_expected_pack_is_bundled() -> None:
    assert {p.name for p in BUNDLED} == SEED_PACKS


@pytest.mark.parametrize("root", BUNDLED, ids=lambda p: p.name)
def test_pack_is_valid_and_every_step_reachable(root: Path) -> None:
    result = load_pack(root)
    assert result.ok, "\n".join(p.format() for p in result.errors)
    assert [p.format() for p in result.problems] == []  # no unreachable steps, nothing unused


@pytest.mark.parametrize("root", BUNDLED, ids=lambda p: p.name)
def test_pack_scenarios_pass_and_reach_every_outcome(root: Path) -> None:
    pack = load_pack(root).pack
    assert pack is not None and pack.tests
    results = [run_scenario(pack, s, date(2024, 6, 1)) for s in pack.tests]
    failures = [(r.scenario.name, r.failures) for r in results if not r.passed]
    assert failures == []
    assert uncovered(pack, results) == []


def test_cross_pack_links_all_resolve() -> None:
    library = Library(Paths.resolve()).load()
    assert [p.format() for p in library.link_problems()] == []


@pytest.fixture(scope="module")
def library() -> Library:
    return Library(None).load()


def walk(
    library: Library, pack: str, flow: str, *choices: str, today: str = "2024-06-01", **values: str
) -> Session:
    session = Session(library.get, date.fromisoformat(today))
    session.values = values
    session.open(pack, flow)
    for choice in choices:
        session.choose(choice)
    return session


def test_start_flow_reaches_each_pack_in_one_answer(library: Library) -> None:
    start = library.get("inicio")
    assert start is not None
    first = start.flows["inicio"].steps["inicio"]
    reached = {c.flow.split("/")[0] for c in first.choices if c.flow}
    assert reached >= SEED_PACKS - {"inicio", "ejemplo", "soporte-reglas-generales"}
    session = walk(library, "inicio", "inicio", "migracion-pre-post")
    assert session.walk.pack.id == "migracion-pre-post"


def test_kiosk_start_hides_desk_only_flows(library: Library) -> None:
    session = Session(library.get, date(2024, 6, 1), audience="kiosk")
    session.open("inicio", "inicio")
    shown = {c.id for c in session.view().choices}
    assert {"sucursal-mixta", "sucursal-unica", "cabinas"} <= shown
    assert "equipos" not in shown  # its campaign ended in March 2021: not on a kiosk
    in_campaign = Session(library.get, date(2021, 3, 20), audience="kiosk")
    in_campaign.open("inicio", "inicio")
    assert "equipos" in {c.id for c in in_campaign.view().choices}
    assert "migracion-pre-post" not in shown
    assert "soporte" not in shown  # every support flow is for desks: no dead end on kiosks


def macros_by_path(pack: Pack) -> dict[str, tuple[str | None, str | None]]:
    return {m.path: (m.ticket_status, m.order_status) for m in pack.macros.values()}


def test_migration_macros_keep_the_documents_paths_and_statuses(library: Library) -> None:
    pack = library.get("migracion-pre-post")
    assert pack is not None
    macros = macros_by_path(pack)
    assert macros[
        "Móvil :: WhatsApp :: Migración Pre a Post :: Saludo Inicial :: Primer contacto"
    ] == (
        "En Espera",
        "En progreso :: Datos Insuficientes",
    )
    assert macros[
        "Móvil > WhatsApp > Migración de Pre a Post > No califica > Deuda en Otra Operadora MP"
    ] == ("Pendiente", "No califica > Mora")
    assert "BO > Despedida al resolver" in macros


def test_migration_token_timer_and_reopen_rule(library: Library) -> None:
    pack = library.get("migracion-pre-post")
    assert pack is not None
    timers = {
        (t.minutes, t.label)
        for flow in pack.flows.values()
        for step in flow.steps.values()
        for t in step.timers
    }
    minutes = {m for m, _ in timers}
    assert {10, 30, 60} <= minutes


def test_gestionix_ladder_only_on_a_cancellation_threat(library: Library) -> None:
    pack = library.get("gestionix-nueva-plataforma")
    assert pack is not None
    codes = {o.code: o for o in pack.offers.values()}
    first = codes["CONTENCION $50 POR 3 MESES NEG"]
    second = codes["DESC $150 POR 3 MESES RT NEG"]
    assert (first.rank, second.rank) == (1, 2) and first.ladder == second.ladder
    assert first.never_volunteer and first.requires
    assert pack.manifest.synonyms and "Konfío" in pack.manifest.synonyms[0]
    assert (pack.manifest.valid_from, pack.manifest.valid_until) == (
        date(2023, 9, 28),
        date(2023, 10, 31),
    )


def test_equipment_email_subject_is_generated(library: Library) -> None:
    pack = library.get("recuperacion-equipos")
    assert pack is not None
    assert pack.manifest.valid_until == date(2021, 3, 31)
    subject = next(s for s in pack.scripts.values() if "//" in s.text)
    session = Session(library.get, date(2021, 3, 20))
    renderer = session.renderer(pack)
    values = dict.fromkeys(pack.variables, "X")
    rendered = renderer.render(subject.text, renderer.context(values)).text
    assert rendered.count("//") == 2


@pytest.mark.parametrize("root", BUNDLED, ids=lambda p: p.name)
def test_pack_scenarios_take_every_conditional_branch(root: Path) -> None:
    pack = load_pack(root).pack
    assert pack is not None
    results = [run_scenario(pack, s, date(2024, 6, 1)) for s in pack.tests]
    assert [str(b) for b in branches_not_taken(pack, results)] == []


def test_collections_stage_is_decided_by_days_past_due(library: Library) -> None:
    session = Session(library.get, date(2024, 6, 1))
    session.open("modelo-atencion-movistar", "cobranza")
    session.choose("linea-tiempo")
    session.choose("etapa-mora")
    stages = {}
    for days, company in (("121", ""), ("119", "Movistar"), ("119", "TCH"), ("4", ""), ("-2", "")):
        session.values = {"dias_mora": days, "compania": company}
        view = session.view()
        assert view.step_id == "lt-personas-pymes"
        stages[days, company] = view.decisions[0].answer
    assert stages == {
        ("121", ""): "BAJA (día 120 de mora)",
        ("119", "Movistar"): "SS (día 119 de mora Mov)",
        ("119", "TCH"): "SS (desde día 60 de mora TCH)",
        ("4", ""): "SU (entre 2 al 6 de mora)",
        ("-2", ""): "Mensajes de cobranza / Avisadores (desde día -3 de mora)",
    }
    session.values = {"dias_mora": "-7"}  # Proactiva is Movistar's only
    assert session.view().undecided  # Proactiva (Movistar) or before the timeline (TCH)
    assert session.view().awaiting == ("Compañía de la deuda",)


def test_preanalysis_result_offers_only_its_answer(library: Library) -> None:
    session = Session(library.get, date(2024, 6, 1))
    session.open("migracion-pre-post", "preanalisis")
    assert len(session.view().choices) == 6
    session.values = {"resultado_planificate": "Chip 3G"}
    assert [c.id for c in session.view().choices] == ["chip-3g"]


def test_gestionix_retention_answers_walk_the_ladder(library: Library) -> None:
    session = Session(library.get, date(2023, 10, 10))
    session.open("gestionix-nueva-plataforma", "retencion")
    session.choose("amenaza")
    assert [c.id for c in session.view().choices] == ["acepta-contencion", "rechaza-contencion"]
    session.choose("acepta-contencion")
    walk = session.walk
    assert walk.offers_accepted == {"contencion-50"}
    assert walk.offer_status("retencion-150", date(2023, 10, 10)).locks[0].kind == "accepted"
