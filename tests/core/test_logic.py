"""The condition language: read, checked against types, run on values, examined."""

from __future__ import annotations

import contextlib
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentdesk.core.logic.analysis import examine
from agentdesk.core.logic.checker import VarInfo, compile_condition
from agentdesk.core.logic.evaluate import evaluate
from agentdesk.core.logic.syntax import MAX_CHARS, ConditionError, parse

KNOWN = {
    "dias_mora": VarInfo("days", label="Días de mora"),
    "monto": VarInfo("money"),
    "cantidad": VarInfo("number"),
    "fecha": VarInfo("date"),
    "today": VarInfo("date"),
    "segmento": VarInfo("text", ("Clásico", "Oro", "Premium")),
    "nombre": VarInfo("text"),
    "checked": VarInfo("number", low=0, high=3),
}


def holds(text: str, **values: object) -> bool | None:
    return evaluate(compile_condition(text, KNOWN), values)


def refused(text: str) -> ConditionError:
    with pytest.raises(ConditionError) as caught:
        compile_condition(text, KNOWN)
    return caught.value


def test_comparisons_ranges_and_lists_on_typed_values() -> None:
    assert holds("dias_mora >= 31 and dias_mora <= 60", dias_mora=Decimal(45))
    assert holds("31 <= dias_mora <= 60", dias_mora=Decimal(45))
    assert not holds("31 <= dias_mora <= 60", dias_mora=Decimal(61))
    assert holds("monto * 2 > 100", monto=Decimal("50.01"))
    assert holds('segmento in ["Oro", "Premium"]', segmento="Oro")
    assert holds("dias_mora not in [1, 2]", dias_mora=Decimal(3))
    assert holds("not (dias_mora > 3) or cantidad == 0", dias_mora=Decimal(9), cantidad=Decimal(0))


def test_texts_compare_without_capitals_accents_or_spaces() -> None:
    assert holds('segmento == "Clásico"', segmento=" clasico ")
    assert holds('nombre != "Ana"', nombre="Eva")


def test_dates_and_days() -> None:
    today, lost = date(2024, 6, 10), date(2024, 6, 9)
    assert holds("today - fecha <= 2", today=today, fecha=lost)
    assert not holds("today - fecha <= 2", today=today, fecha=date(2024, 6, 1))
    assert holds('fecha < "2024-06-10"', fecha=lost)  # a date in quotes is read as a date
    assert holds("fecha + 30 > today", fecha=lost, today=today)


def test_a_missing_detail_makes_a_comparison_unknown_not_false() -> None:
    assert holds("dias_mora > 30") is None
    assert holds("dias_mora > 30 and segmento == 'Oro'", dias_mora=Decimal(3)) is False
    assert holds("dias_mora > 30 or segmento == 'Oro'", dias_mora=Decimal(31)) is True
    assert holds("dias_mora > 30 or segmento == 'Oro'", dias_mora=Decimal(3)) is None
    assert holds("not dias_mora > 30") is None
    assert holds("cantidad / 0 > 1", cantidad=Decimal(1)) is None  # never raises


@pytest.mark.parametrize(
    ("text", "message", "col"),
    [
        ("monto > dias_mora", "cannot compare an amount of money with a number of days", 8),
        ("dias_mora", "this is a number of days, not a condition", 0),
        ('segmento == "Premiun"', "'Premiun' is not one of the choices of 'segmento'", 12),
        ('nombre < "a"', "'<' compares numbers, amounts, days and dates, not a text", 9),
        ('fecha < "mañana"', "'mañana' is not a date", 8),
        ("monto + fecha > 1", "cannot add an amount of money and a date", 6),
        ("dias_mora and monto > 1", "'and' joins conditions, but this is a number of days", 0),
        ("dias_moras > 3", "unknown variable 'dias_moras'", 0),
    ],
)
def test_type_errors_say_what_and_where(text: str, message: str, col: int) -> None:
    error = refused(text)
    assert (error.message, error.col) == (message, col)
    assert error.kind == ("name" if "unknown" in message else "type")


def test_a_typo_in_a_choice_suggests_the_choice() -> None:
    assert refused('segmento == "Premiun"').hint.startswith("Did you mean 'Premium'?")
    assert refused("dias_moras > 3").hint.startswith("Did you mean 'dias_mora'?")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nombre.upper() == 'A'", "reading a part of a value (a.b) is not allowed"),
        ("len(nombre) > 3", "calling a function is not allowed"),
        ("nombre[0] == 'A'", "reading a part (a[b]) is not allowed"),
        ("dias_mora = 3", "'=' cannot be used here"),
        ("{{ dias_mora }} > 3", "'{' cannot be used here"),
        ("dias_mora > 30 y dias_mora < 60", "'y' was not expected here"),
        ("dias_mora >", "the condition ends too soon"),
        ("", "the condition is empty"),
        ("'abierto", "a text in quotes is not closed"),
        ("30dias > 3", "'30d…' is not a number"),
    ],
)
def test_syntax_outside_the_language_is_refused(text: str, message: str) -> None:
    assert message in refused(text).message


def test_size_depth_and_parts_are_bounded() -> None:
    assert "longer than" in refused("1 == 1 and " * 60 + "true").message
    assert "nests more than" in refused("(" * 20 + "true" + ")" * 20).message
    assert "more than 120 parts" in refused("+".join(["1"] * 130) + ">0").message
    assert "comparisons in a row" in refused("1 < 2 < 3 < 4 < 5").message


@given(st.text(max_size=MAX_CHARS))
def test_any_text_is_read_or_refused_with_a_message(text: str) -> None:
    try:
        compile_condition(text, KNOWN)
    except ConditionError as error:
        assert error.message and 0 <= error.col <= len(text)


@given(st.text(alphabet="()[]-not and or <=>!=+*/0123456789 dias_mora\"'", max_size=200))
def test_operator_soup_never_crashes_the_reader(text: str) -> None:
    with contextlib.suppress(ConditionError):
        parse(text)


def compiled(*texts: str) -> list:  # type: ignore[type-arg]
    return [compile_condition(t, KNOWN) for t in texts]


def test_analysis_finds_what_never_holds_and_what_always_holds() -> None:
    verdict = examine(compiled("checked >= 4", "checked >= 0", "checked >= 2"), KNOWN)
    assert verdict is not None
    assert (verdict.never, verdict.always) == ((0,), (1,))
    verdict = examine(compiled('segmento == "Oro" and segmento == "Premium"'), KNOWN)
    assert verdict is not None and verdict.never == (0,)


def test_analysis_of_a_decision_finds_shadowed_answers_and_gaps() -> None:
    decision = compiled("dias_mora >= 120", "dias_mora >= 36", "dias_mora >= 50", "dias_mora < 0")
    verdict = examine(decision, KNOWN, first_match=True)
    assert verdict is not None
    assert verdict.unused == (2,)  # 50 and more is taken by ">= 36" first
    assert verdict.gap is not None and 0 <= dict(verdict.gap)["dias_mora"] < 36


def test_analysis_is_exact_on_boundaries_of_whole_days() -> None:
    verdict = examine(compiled("dias_mora <= 5", "dias_mora >= 6"), KNOWN, first_match=True)
    assert verdict is not None and verdict.gap is None  # no day between 5 and 6
    verdict = examine(compiled("monto <= 5", "monto >= 6"), KNOWN, first_match=True)
    assert verdict is not None and verdict.gap == (("monto", Decimal("5.5")),)


def test_analysis_claims_nothing_about_what_it_cannot_solve() -> None:
    # two details in one comparison: tried both true and false, so never "never"
    verdict = examine(compiled("today - fecha <= 2", "monto > cantidad * 2"), KNOWN)
    assert verdict is not None and verdict.never == () and verdict.always == ()
    verdict = examine(compiled("today - fecha <= 2", "today - fecha > 2"), KNOWN, True)
    assert verdict is not None and verdict.gap is None  # no claim of a gap either
