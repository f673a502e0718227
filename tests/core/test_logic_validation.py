"""Validating a pack's logic: conditions, decisions, counted checks, offers that decide."""

from __future__ import annotations

from pathlib import Path

from agentdesk.core.problems import Problem
from tests.helpers import codes, load, messages

VARIABLES = """\
variables:
  dias_mora: {label: Días de mora, type: days}
  segmento: {label: Segmento, type: choice, choices: [Clásico, Oro, Premium]}
  monto: {label: Monto, type: money}
"""


def flow(steps: str) -> dict[str, str]:
    return {
        "vars.yaml": VARIABLES,
        "flow.yaml": "flows:\n  f:\n    title: Flujo\n    steps:\n" + steps,
    }


DECISION = """\
      tramo:
        decide: true
        ask: ¿Cuántos días de mora?
        choices:
          - {label: Más de 60, id: alto, only_if: dias_mora > 60, go: fin}
          - {label: 31 a 60, id: medio, only_if: "31 <= dias_mora <= 60", go: fin}
          - {label: Hasta 30, id: bajo, go: fin}
      fin:
        text: Listo.
"""


def problem(result: object, code: str) -> Problem:
    found = [p for p in result.problems if p.code == code]  # type: ignore[attr-defined]
    assert len(found) == 1, [p.format() for p in result.problems]  # type: ignore[attr-defined]
    return found[0]


def test_a_pack_with_a_decision_loads_and_its_variables_count_as_used(tmp_path: Path) -> None:
    result = load(tmp_path, flow(DECISION))
    assert result.ok
    assert messages(result, "warning") == [
        "variable 'segmento' is never used in a text or a condition",
        "variable 'monto' is never used in a text or a condition",
    ]  # dias_mora is used by the conditions


def test_a_condition_of_the_wrong_type_is_reported_where_it_is_written(tmp_path: Path) -> None:
    steps = DECISION.replace("dias_mora > 60", "dias_mora > monto")
    found = problem(load(tmp_path, flow(steps)), "condition")
    assert found.loc.line == 9 and found.severity == "error"
    assert found.message == (
        "in the condition 'dias_mora > monto': "
        "cannot compare a number of days with an amount of money"
    )


def test_an_unknown_variable_and_a_wrong_choice_in_a_condition(tmp_path: Path) -> None:
    steps = DECISION.replace("dias_mora > 60", "dias > 60").replace(
        "31 <= dias_mora <= 60", 'segmento == \\"Premiun\\"'
    )
    result = load(tmp_path, flow(steps))
    assert problem(result, "undeclared-variable").hint.startswith("Did you mean 'dias_mora'?")
    assert (
        "'Premiun' is not one of the choices of 'segmento'" in problem(result, "condition").message
    )


def test_answers_no_value_reaches_and_conditions_that_always_hold(tmp_path: Path) -> None:
    steps = DECISION.replace('"31 <= dias_mora <= 60"', "dias_mora > 90")
    result = load(tmp_path, flow(steps))
    assert result.ok  # warnings: the pack still works
    assert problem(result, "condition-never").message == (
        "answer 'medio' of step 'tramo' is never taken: the answers before it take every value "
        "it would"
    )
    steps = DECISION.replace("dias_mora > 60", "dias_mora > 60 or dias_mora <= 60")
    assert "always holds" in problem(load(tmp_path / "b", flow(steps)), "condition-always").message


def test_a_decision_with_values_no_answer_takes(tmp_path: Path) -> None:
    steps = DECISION.replace("id: bajo, go: fin", "id: bajo, only_if: dias_mora < 10, go: fin")
    found = problem(load(tmp_path, flow(steps)), "decision-gap")
    assert found.message == (
        "when dias_mora = 10, step 'tramo' has no answer: the agent has to answer by hand"
    )


def test_counted_checks_only_in_the_answers_of_a_step_with_a_checklist(tmp_path: Path) -> None:
    steps = """\
      inicio:
        checklist: [{id: a, label: A}, {id: b, label: B}, {id: c, label: C}]
        ask: ¿Cuántas correctas?
        choices:
          - {label: Verificado, id: si, only_if: checked >= 2, go: fin}
          - {label: No verificado, id: no, only_if: checked < 2, go: fin}
          - {label: Imposible, id: nunca, only_if: checked > 3, go: fin}
      fin:
        text: '{% if segmento %}Listo{% endif %}'
        only_if: checked > 1
        next: inicio
"""
    result = load(tmp_path, flow(steps))
    assert "answer 'nunca' of step 'inicio' is never offered" in messages(result, "warning")[0]
    assert (
        "'checked' counts the ticked checklist items of a step" in problem(result, "condition").hint
    )


def test_logic_in_the_wrong_place(tmp_path: Path) -> None:
    steps = """\
      inicio:
        decide: true
        text: Nada que decidir.
        only_if: dias_mora > 3
        offers: [envio]
        choices:
          - {label: Acepta, accepts: envio, refuses: envio, go: fin}
          - {label: Otra, accepts: otra, flow: g}
      fin:
        text: Listo.
"""
    files = flow(steps)
    files["offers.yaml"] = """\
offers:
  envio: {code: ENVIO, title: Envío, only_if: segmento == "Premium"}
  otra: {code: OTRA, title: Otra}
"""
    result = load(tmp_path, files)
    assert set(messages(result)) >= {
        "an answer either accepts or refuses an offer, not both",
        "step 'inicio' has only_if but no 'next': when it does not apply, the walk needs a way on",
        "answer 'fin' of decision step 'inicio' accepts or refuses an offer",
    }
    assert "schema" in codes(result)


def test_next_may_hand_over_to_another_flow(tmp_path: Path) -> None:
    files = {
        "flow.yaml": """\
flows:
  f:
    title: Uno
    steps:
      a:
        text: Primero.
        next: {flow: g, label: Seguir en el otro flujo}
  g:
    title: Dos
    steps:
      b:
        text: Fin.
""",
    }
    assert load(tmp_path, files).ok
    files["flow.yaml"] = files["flow.yaml"].replace("{flow: g,", "{flow: g, go: a,")
    assert messages(load(tmp_path / "b", files)) == [
        "a next leads either to a step ('go') or to another flow ('flow'), not both"
    ]


def test_tests_tick_items_that_exist(tmp_path: Path) -> None:
    files = flow(DECISION)
    files["tests.yaml"] = "tests:\n  - {name: T, flow: f, tick: [nada], expect: {step: tramo}}\n"
    assert problem(load(tmp_path, files), "unknown-ref").message == (
        "test 'T' ticks 'nada', which no checklist item is"
    )
