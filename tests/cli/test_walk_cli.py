"""``agentdesk walk``: the JSON contract and its errors."""

from __future__ import annotations

import json

import pytest

from agentdesk.cli.main import main
from tests.conftest import EXAMPLE, REPO


def walk(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    code = main(["walk", *argv])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip().startswith("{") else {}), err


def test_without_flow_lists_flows(capsys: pytest.CaptureFixture[str]) -> None:
    code, data, _ = walk(capsys, "ejemplo", "--json")
    assert code == 0
    assert {"id": "reclamo", "title": "El cliente no reconoce un cobro"} in data["flows"]


def test_walk_to_an_outcome_renders_everything(capsys: pytest.CaptureFixture[str]) -> None:
    code, data, _ = walk(
        capsys,
        str(EXAMPLE),
        "--flow",
        "reclamo",
        "--choose",
        "verificar",
        "--choose",
        "next",
        "--var",
        "nombre=Ana",
        "--var",
        "monto=150",
        "--today",
        "2024-06-01",
        "--json",
    )
    assert code == 0
    assert data["flow"] == "reclamo"
    assert data["path"] == ["inicio", "verificar", "registrar"]
    assert data["step"]["id"] == "registrar"
    assert set(data["step"]) >= {"id", "prompt", "text", "choices"}
    outcome = data["outcome"]
    assert set(outcome) >= {"scripts", "macros", "offers", "timers", "checklist"}
    macro = outcome["macros"][0]
    assert macro == macro | {
        "id": "reclamo-registrado",
        "path": "Ejemplo :: Reclamos :: Registrado",
        "ticket_status": "Pendiente",
        "order_status": "En progreso :: En Gestión",
    }
    assert "Estimado(a) Ana, registramos su reclamo por $150.00." in macro["text"]
    assert outcome["scripts"][0]["text"] == "[Cédula]//ANA//RECLAMO"


def test_mid_flow_step_has_choices_and_no_outcome(capsys: pytest.CaptureFixture[str]) -> None:
    code, data, _ = walk(capsys, "ejemplo", "--flow", "reclamo", "--json")
    assert code == 0 and data["outcome"] is None
    assert data["step"]["choices"][0] == {
        "id": "explicar",
        "label": "Quiere entender el cobro",
        "hint": None,
    }
    assert data["step"]["prompt"] == "¿Qué pide cliente?"


def test_unknown_choice_exits_2_listing_valid_ones(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = walk(capsys, "ejemplo", "--flow", "reclamo", "--choose", "zzz")
    assert code == 2
    assert "valid choices: explicar, verificar, amenaza, consulta" in err


def test_unknown_var_is_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    code, data, _ = walk(capsys, "ejemplo", "--flow", "reclamo", "--var", "color=rojo", "--json")
    assert code == 0
    assert "unknown variable 'color' (ignored)" in data["warnings"]


def test_offers_with_record_and_refuse(capsys: pytest.CaptureFixture[str]) -> None:
    _, data, _ = walk(capsys, "ejemplo", "--flow", "reclamo", "--choose", "amenaza", "--json")
    offers = {o["id"]: o for o in data["outcome"]["offers"]}
    assert offers["descuento-contencion"]["available"]
    assert not offers["descuento-retencion"]["available"]
    _, data, _ = walk(
        capsys,
        "ejemplo",
        "--flow",
        "reclamo",
        "--choose",
        "amenaza",
        "--refuse",
        "descuento-contencion",
        "--json",
    )
    offers = {o["id"]: o for o in data["outcome"]["offers"]}
    assert offers["descuento-retencion"]["available"]


def test_today_previews_and_expires(capsys: pytest.CaptureFixture[str]) -> None:
    _, data, _ = walk(capsys, "ejemplo", "--flow", "consulta", "--today", "2100-01-01", "--json")
    assert data["expired"] is True and data["valid_until"] == "2099-12-31"
    _, data, _ = walk(capsys, "ejemplo", "--flow", "consulta", "--today", "2050-01-01", "--json")
    assert data["expired"] is False


def test_unknown_pack_and_flow(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = walk(capsys, "no-existe")
    assert code == 2 and "no pack 'no-existe'" in err
    code, _, err = walk(capsys, "ejemplo", "--flow", "nada")
    assert code == 2 and "has no flow 'nada'" in err


def test_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["walk", "ejemplo", "--flow", "reclamo"]) == 0
    out = capsys.readouterr().out
    assert "1. Quiere entender el cobro  [--choose explicar]" in out


def test_walk_as_a_kiosk(capsys: pytest.CaptureFixture[str]) -> None:
    _, data, _ = walk(capsys, "inicio", "--flow", "inicio", "--audience", "kiosk", "--json")
    shown = [c["id"] for c in data["step"]["choices"]]
    assert "cabinas" in shown and "migracion-pre-post" not in shown


LOST_CARD = str(REPO / "tests" / "packs" / "tarjeta-perdida")


def test_an_offer_without_a_ladder_prints_without_a_rank(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = main(["walk", LOST_CARD, "--flow", "reposicion", "--var", "segmento=Premium"])
    text = capsys.readouterr().out
    assert out == 0
    assert "\n-- Offer: ENVIO EXPRESS SIN COSTO — Envío express" in text
    assert "-- Offer :" not in text


def test_walk_ticks_decides_and_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--flow", "reporte", "--tick", "nacimiento", "--tick", "codigo-postal"]
    args += ["--choose", "verificada", "--choose", "next", "--today", "2024-06-10"]
    args += ["--var", "monto_no_reconocido=2500", "--var", "fecha_perdida=2024-06-01"]
    code, data, _ = walk(capsys, LOST_CARD, *args, "--json")
    assert code == 0 and data["step"]["id"] == "aclaracion"
    (decision,) = data["decisions"]
    assert decision["answer"] == "No reconoce cargos y avisó después de las 48 horas"
    assert data["why"][2]["decided"] == decision["reason"]
    assert main(["--lang", "en", "walk", LOST_CARD, *args[:6]]) == 0
    text = capsys.readouterr().out
    assert "[x] Fecha de nacimiento correcta  [--tick nacimiento]" in text
    assert "[ ] Monto aproximado del último depósito correcto  [--tick ultimo-deposito]" in text
    assert "1. Identidad verificada (2 o 3 correctas)  [--choose verificada]" in text


def test_walk_waits_for_the_details_or_an_answer_by_hand(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["--flow", "reporte", "--tick", "nacimiento", "--tick", "codigo-postal"]
    args += ["--choose", "verificada", "--choose", "next", "--var", "monto_no_reconocido=9"]
    code, data, _ = walk(capsys, LOST_CARD, *args, "--json")
    assert code == 0 and data["undecided"] is True
    assert data["awaiting"] == ["Fecha en que perdió la tarjeta"]
    assert [c["id"] for c in data["step"]["choices"]] == ["dentro-48h", "despues-48h"]
    code, _, err = walk(capsys, LOST_CARD, *args, "--choose", "sin-cargos")
    assert code == 2
    assert "has no choice 'sin-cargos'; valid choices: dentro-48h, despues-48h" in err


def test_walk_accepts_an_offer(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--flow", "reposicion", "--var", "segmento=Premium", "--accept", "envio-express"]
    code, data, _ = walk(capsys, LOST_CARD, *args, "--json")
    assert code == 0 and data["step"]["offers"][0]["decision"] == "accepted"
