"""A step must always offer a way on (issue 19): an offer that has expired (or is not valid
yet) cannot be accepted, but the customer can always not take it; and validate reports a
step whose every answer accepts an offer with dates, which would leave the agent stuck."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from agentdesk.core.flows.session import Session
from agentdesk.core.packs.loader import load_pack
from tests.conftest import REPO
from tests.helpers import load

GESTIONIX = REPO / "resources" / "packs" / "gestionix-nueva-plataforma"


def test_after_the_offers_expire_the_retention_flow_still_has_a_way_on() -> None:
    pack = load_pack(GESTIONIX).pack
    assert pack is not None
    session = Session(lambda pid: pack, date(2024, 1, 1))  # after 2023-10-31: expired
    session.open(pack.id, "retencion")
    session.choose("amenaza")
    view = session.view()
    assert view.step_id == "contencion" and not view.ended
    assert [c.id for c in view.choices] == ["rechaza-contencion"]  # never accept it expired
    session.choose("rechaza-contencion")
    assert [c.id for c in session.view().choices] == ["rechaza-retencion"]
    session.choose("rechaza-retencion")
    assert session.view().ended and session.view().step_id == "sin-acuerdo"


def test_while_current_both_answers_stay_on_offer() -> None:
    pack = load_pack(GESTIONIX).pack
    assert pack is not None
    session = Session(lambda pid: pack, date(2023, 10, 10))
    session.open(pack.id, "retencion")
    session.choose("amenaza")
    assert [c.id for c in session.view().choices] == ["acepta-contencion", "rechaza-contencion"]


STUCK = """\
offers:
  descuento:
    code: DESC 50
    title: Descuento
    valid_until: 2023-10-31
  regalo:
    code: REGALO
    title: Regalo
    valid_from: 2023-10-01
flows:
  f:
    title: F
    steps:
      inicio:
        offers: [descuento, regalo]
        ask: ¿Qué acepta el cliente?
        choices:
          - {label: El descuento, id: descuento, accepts: descuento, go: fin}
          - {label: El regalo, id: regalo, accepts: regalo, go: fin}
      fin: {text: Listo.}
"""


def test_validate_reports_a_step_with_no_answer_once_its_offers_are_out_of_date(
    tmp_path: Path,
) -> None:
    result = load(tmp_path, {"f.yaml": STUCK})
    assert [p.code for p in result.errors] == ["no-way-on"]
    (problem,) = result.errors
    assert problem.severity == "error"
    assert (Path(problem.loc.file).name, problem.loc.line) == ("f.yaml", 14)  # the step's line
    assert problem.loc.col == 7
    assert "step 'inicio'" in problem.message and "'descuento'" in problem.message
    assert "refuses" in problem.hint
    regalo = "          - {label: El regalo, id: regalo, accepts: regalo, go: fin}\n"
    fixed = STUCK.replace(
        regalo, regalo + "          - {label: Ninguno, id: ninguno, refuses: descuento, go: fin}\n"
    )
    assert "no-way-on" not in [p.code for p in load(tmp_path / "ok", {"f.yaml": fixed}).problems]
