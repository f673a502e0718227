"""The lost-card test pack (issue 19): the bank procedure written with the logic features,
none of the old contortions. It validates with no warning and its tests cover everything."""

from __future__ import annotations

import pytest

from agentdesk.cli.main import main
from tests.conftest import REPO

LOST_CARD = REPO / "tests" / "packs" / "tarjeta-perdida"


def test_it_validates_without_a_single_warning(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pack", "validate", "--strict", str(LOST_CARD)]) == 0
    assert capsys.readouterr().out.strip() == f"{LOST_CARD}: ok"


def test_its_tests_pass_and_cover_every_outcome_and_branch(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["pack", "test", "--require-coverage", str(LOST_CARD)]) == 0
    out = capsys.readouterr().out
    assert "  outcomes reached by tests: 3/3\n" in out
    assert "  conditional branches taken by tests: 10/10\n" in out
    assert out.strip().endswith("12 passed, 0 failed")
