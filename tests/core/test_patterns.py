"""Variable patterns run in linear time (RE2): no pattern freezes validate, walk or the panel.

Issue 13: ``^(a+)+$`` or ``^([a-zA-Z0-9]+\\.?)*@banco\\.mx$`` took time doubling with every
character (24 characters: 1.4 s; 40: never). The checks that prove the fix run in a child
process bounded in CPU time, so that the old behaviour fails instead of hanging the suite.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentdesk.core.packs.model import Variable
from agentdesk.core.render.values import check_value
from tests.bounded import bounded_json, run_bounded
from tests.helpers import SIMPLE_FLOW, load, write_pack

CATASTROPHIC = (r"^(a+)+$", r"^([a-zA-Z0-9]+\.?)*@banco\.mx$", r"^(\w+\s?)*$", r"(x+x+)+y")
ALMOST = ("a" * 499 + "!", "a" * 499 + "@", "a " * 249 + "!", "x" * 500)


def with_variable(declaration: str) -> str:
    """SIMPLE_FLOW with one more variable, declared on line 3."""
    return SIMPLE_FLOW.replace("flows:", declaration + "flows:", 1)


def test_typed_values_are_checked_in_linear_time_whatever_the_pattern() -> None:
    """What the details form and the panel run for each keystroke (check_value)."""
    checked = bounded_json(
        f"""
        import json
        from agentdesk.core.packs.model import Variable
        from agentdesk.core.render.values import check_value
        results = []
        for pattern in {CATASTROPHIC!r}:
            var = Variable(id="v", label="V", pattern=pattern, hint="bad")
            for value in {ALMOST!r}:
                for size in (24, 40, 500):
                    results.append(check_value(var, value[:size - 1] + value[-1]))
        print(json.dumps(results))
        """,
        cpu=20,
    )
    assert checked and set(checked) <= {"bad", None}


def test_pack_validate_with_a_long_example_does_not_freeze(tmp_path: Path) -> None:
    correo = f"  correo: {{label: Correo, pattern: '{CATASTROPHIC[1]}', example: {'a' * 60}}}\n"
    root = write_pack(tmp_path / "p", {"f.yaml": with_variable(correo)})
    done = run_bounded(
        f"from agentdesk.cli.main import main; raise SystemExit(main(['pack', 'validate', "
        f"'--json', {str(root)!r}]))",
        cpu=20,
    )
    assert done.returncode == 1, done.stderr
    (report,) = json.loads(done.stdout)
    assert [p["message"] for p in report["problems"] if p["severity"] == "error"] == [
        "the example of variable 'correo' does not match its pattern"
    ]


def test_walk_with_a_long_typed_value_does_not_freeze(tmp_path: Path) -> None:
    content = SIMPLE_FLOW.replace(
        "{label: Nombre, fallback: cliente}", "{label: Nombre, pattern: '^(a+)+$'}"
    )
    root = write_pack(tmp_path / "p", {"f.yaml": content})
    done = run_bounded(
        "from agentdesk.cli.main import main; raise SystemExit(main(['--lang', 'en', 'walk', "
        f"{str(root)!r}, '--flow', 'f', '--var', 'nombre={'a' * 300}!', '--json']))",
        cpu=20,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Nombre: the format is not valid" in json.loads(done.stdout)["warnings"]


@pytest.mark.parametrize(
    ("pattern", "hint"),
    [
        (r"^\d{5,10}(?!\d)", "Look-ahead and look-behind"),
        (r"(?<=x)y", "Look-ahead and look-behind"),
        (r"^(a)\1$", "Back-references"),
        (r"^\d{10}\Z", r"Write \z (or $)"),
        (r"(a{1000}){1000}", "Repeat less"),
        (r"\pL{1000}", "Repeat less"),
        (r"^(\d+$", "Check brackets and backslashes"),
        ("x" * 1001, "Write a shorter pattern"),
    ],
)
def test_patterns_re2_cannot_run_are_refused_with_place_and_hint(
    tmp_path: Path, pattern: str, hint: str
) -> None:
    result = load(
        tmp_path, {"f.yaml": with_variable(f"  doc: {{label: Doc, pattern: '{pattern}'}}\n")}
    )
    (problem,) = result.errors
    assert problem.code == "pattern"
    assert problem.message.startswith("the pattern of variable 'doc' is not a valid")
    assert problem.loc.file.endswith("f.yaml") and problem.loc.line == 3
    assert problem.loc.col == 30  # the pattern's value, where the trainer fixes it
    assert hint in problem.hint


def test_what_re2_runs_matches_as_python_did() -> None:
    from agentdesk.core.patterns import Pattern, compile_pattern

    for pattern, value, expected in [
        (r"^\d{10}$", "1712345678", True),
        (r"^\d{10}$", "171234567", False),
        (r"^\d{5,10}(\D|$)", "4567890 LP", True),
        (r"^\d{5,10}(\D|$)", "45678901234", False),
        (r"^[67]\d{7}$", "71234567", True),
        (r"(?i)^ana", "ANA MARÍA", True),
        (r"^\d{1,2}\.?\d{3}\.?\d{3}-[\dkK]$", "12.345.678-K", True),
    ]:
        compiled = compile_pattern(pattern)
        assert isinstance(compiled, Pattern) and compiled.search(value) is expected, pattern


def test_a_refused_pattern_checks_nothing_in_the_panel() -> None:
    """The validator refused it; a pack with it never loads, but nothing may crash either."""
    from agentdesk.core.patterns import PatternError, compile_pattern

    var = Variable(id="v", label="V", pattern=r"(?=x)")
    assert isinstance(compile_pattern(r"(?=x)"), PatternError)
    assert check_value(var, "anything") is None
