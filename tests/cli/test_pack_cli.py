"""The pack command line: a contract other tools and tests depend on."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from agentdesk.cli.main import main
from tests.conftest import EXAMPLE, PACKS, REPO
from tests.helpers import SIMPLE_FLOW, write_pack


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_json_has_id_title_version_validity(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "pack", "list", "--json")
    assert code == 0
    rows = {row["id"]: row for row in json.loads(out)}
    row = rows["ejemplo"]
    assert row["title"] == "Pack de ejemplo (todas las funciones)"
    assert row["version"] == "1.0.0"
    assert (row["valid_from"], row["valid_until"]) == ("2024-01-01", "2099-12-31")
    assert row["origin"] == "bundled"


def test_list_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "pack", "list", "--today", "2100-01-01")
    assert code == 0
    assert "ejemplo" in out and "(expired)" in out


def test_validate_ok_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "pack", "validate", str(EXAMPLE))
    assert code == 0 and out.strip().endswith(": ok")


def test_validate_problems_exit_1_with_positions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = write_pack(tmp_path / "p", {"f.yaml": SIMPLE_FLOW.replace("go: fin", "go: x")})
    code, out, _ = run(capsys, "pack", "validate", str(root))
    assert code == 1
    assert f"{root / 'f.yaml'}:10:30: error: unknown step 'x' in flow 'f'" in out
    assert "hint:" in out


def test_validate_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"f.yaml": "flows: ["})
    code, out, _ = run(capsys, "pack", "validate", "--json", str(root))
    assert code == 1
    (report,) = json.loads(out)
    assert report["ok"] is False
    assert {"file", "line", "col", "message", "hint", "severity"} <= set(report["problems"][0])


def test_validate_usage_error_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "pack", "validate", str(tmp_path / "nada"))
    assert code == 2 and "is not a folder" in err


def test_validate_strict_fails_on_warnings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = write_pack(tmp_path / "p", {"f.yaml": SIMPLE_FLOW + "      suelto: {text: x}\n"})
    assert run(capsys, "pack", "validate", str(root))[0] == 0
    assert run(capsys, "pack", "validate", "--strict", str(root))[0] == 1


def test_test_command_counts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "pack", "test", str(EXAMPLE))
    assert code == 0
    assert out.strip().splitlines()[-1] == "11 passed, 0 failed"


def test_test_command_reports_failures(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    tests = """\
    tests:
      - name: bien
        flow: f
        choose: [fin]
        expect: {step: fin, outcome: true}
      - name: mal
        flow: f
        expect: {step: fin}
      - name: eleccion inexistente
        flow: f
        choose: [nada]
        expect: {outcome: true}
    """
    root = write_pack(tmp_path / "p", {"f.yaml": SIMPLE_FLOW, "t.yaml": tests})
    code, out, _ = run(capsys, "pack", "test", str(root))
    assert code == 1
    assert "expected step 'fin', reached 'inicio'" in out
    assert "has no choice 'nada' (valid: fin)" in out
    assert out.strip().splitlines()[-1] == "1 passed, 2 failed"


def test_test_requires_coverage_on_demand(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = write_pack(tmp_path / "p", {"f.yaml": SIMPLE_FLOW})
    assert run(capsys, "pack", "test", str(root))[0] == 0
    code, out, _ = run(capsys, "pack", "test", "--require-coverage", str(root))
    assert code == 1 and "not reached: f/fin" in out


def test_schema_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "pack", "schema", "macro")
    assert code == 0
    schema = json.loads(out)
    assert schema["$defs"]["macro"]["required"] == ["title", "path"]
    code, _, err = run(capsys, "pack", "schema", "nope")
    assert code == 2 and "kinds: manifest, content" in err


def test_bundled_schema_files_are_current(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "pack", "schema", "--out", str(tmp_path))
    committed = PACKS.parent / "schemas"
    for generated in tmp_path.glob("*.json"):
        assert (committed / generated.name).read_text() == generated.read_text(), (
            f"run: agentdesk pack schema --out resources/schemas ({generated.name} is stale)"
        )


def test_bad_input_never_prints_a_traceback(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"f.yaml": "\x00\x01 ::: [[[", "g.yaml": "flows: {a: 1}"})
    for argv in (
        ["pack", "validate", str(root)],
        ["pack", "test", str(root)],
        ["walk", str(root), "--flow", "x"],
        ["walk", str(EXAMPLE), "--flow", "reclamo", "--today", "ayer"],
        ["walk", str(EXAMPLE), "--flow", "reclamo", "--var", "sin-igual"],
        ["pack", "frobnicate"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "agentdesk", *argv], capture_output=True, text=True, check=False
        )
        assert done.returncode in (1, 2), (argv, done.stdout, done.stderr)
        assert "Traceback" not in done.stdout + done.stderr, argv


def test_validate_reports_hand_overs_to_missing_packs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    flow = SIMPLE_FLOW.replace("go: fin", "flow: no-such-pack/flujo")
    root = write_pack(tmp_path / "p", {"f.yaml": flow + "      fin2: {text: x}\n"})
    code, out, _ = run(capsys, "pack", "validate", str(root))
    assert code == 0  # a warning: the other pack may be installed later
    assert "leads to flow 'no-such-pack/flujo', which is not available" in out


def test_test_counts_conditional_branches_and_requires_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lost_card = REPO / "tests" / "packs" / "tarjeta-perdida"
    code, out, _ = run(capsys, "pack", "test", "--require-coverage", str(lost_card))
    assert code == 0 and "  conditional branches taken by tests: 10/10\n" in out
    root = tmp_path / "tarjeta-perdida"
    shutil.copytree(lost_card, root)
    tests = (root / "tests.yaml").read_text(encoding="utf-8")
    kept = tests.split("  - name: Aviso dentro de las 48 horas")[0]
    kept += "  - name: Aviso" + tests.split("  - name: Aviso después")[1]
    (root / "tests.yaml").write_text(kept, encoding="utf-8")
    code, out, _ = run(capsys, "pack", "test", "--require-coverage", str(root))
    assert code == 1
    assert "  conditional branches taken by tests: 9/10\n" in out
    assert f"  not taken: reporte/cargos → dentro-48h  ({root}/flows/reporte.yaml:" in out
    assert "  FAIL tarjeta-perdida: 1 conditional branch(es) have no test" in out
