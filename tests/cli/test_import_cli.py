"""``agentdesk pack import|export|graph`` and ``agentdesk stats``: what a trainer runs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from agentdesk.cli.main import main
from agentdesk.core.packs.loader import load_pack
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "importers"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_zendesk_reports_and_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "macros-movil"
    code, text, _ = run(
        capsys,
        "pack",
        "import",
        "zendesk",
        str(FIXTURES / "zendesk-macros.json"),
        "--out",
        str(out),
        "--locale",
        "es-BO",
    )
    assert code == 0, text
    assert f"{out}: pack 'macros-movil' with 8 macros and 8 variables" in text
    assert "  mapped    status → ticket_status  (7)" in text
    assert "  kept      priority → helpdesk field  (2)" in text
    assert "  left out  restriction ✗ who may use the macro is managed in Zendesk  (2)" in text
    assert text.rstrip().endswith(f"{out}: validates")
    assert load_pack(out).ok
    code, text, _ = run(capsys, "pack", "test", "--require-coverage", str(out))
    assert code == 0 and "4 passed, 0 failed" in text


def test_import_never_writes_into_a_folder_with_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pack.yaml").write_text("id: mine\n", encoding="utf-8")
    code, _, err = run(
        capsys,
        "pack",
        "import",
        "zammad",
        str(FIXTURES / "zammad-text-modules.csv"),
        "--out",
        str(tmp_path),
    )
    assert code == 2 and "is not a new, empty folder: nothing was written" in err
    assert [p.name for p in tmp_path.iterdir()] == ["pack.yaml"]


def test_import_zammad_json_and_a_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text, _ = run(
        capsys,
        "pack",
        "import",
        "zammad",
        str(FIXTURES / "zammad-text-modules.csv"),
        "--out",
        str(tmp_path / "textos"),
        "--id",
        "textos-zammad",
        "--json",
    )
    data = json.loads(text)
    assert code == 0 and data["ok"] and data["pack"] == "textos-zammad"
    assert data["inactive"] == ["promocion-2023-retirada"]
    assert data["variables"]["customer_first_name"] == "ticket.customer.firstname"
    bad = tmp_path / "bad.json"
    bad.write_text('{"macros": [', encoding="utf-8")
    code, _, err = run(capsys, "pack", "import", "zendesk", str(bad), "--out", str(tmp_path / "x"))
    assert code == 1 and f"{bad}:1:" in err and not (tmp_path / "x").exists()


def test_export_zendesk_writes_a_macros_response(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "macros.json"
    code, text, _ = run(
        capsys, "pack", "export", "zendesk", "migracion-pre-post", "--out", str(target)
    )
    assert code == 0 and f"{target}: 23 macros of 'migracion-pre-post'" in text
    data = json.loads(target.read_text("utf-8"))
    assert len(data["macros"]) == 23 and all(m["title"] for m in data["macros"])
    code, text, _ = run(
        capsys, "pack", "import", "zendesk", str(target), "--out", str(tmp_path / "back")
    )
    assert code == 0, text  # what was exported imports again, and validates


def test_graph_writes_an_svg(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "mapa.svg"
    code, text, _ = run(
        capsys, "pack", "graph", "migracion-pre-post", "--flow", "preanalisis", "--out", str(target)
    )
    assert code == 0 and text.startswith(f"{target}: 11 boxes, 11 arrows")
    assert target.read_text("utf-8").startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')
    code, _, err = run(
        capsys, "pack", "graph", "migracion-pre-post", "--flow", "nope", "--out", str(target)
    )
    assert code == 2 and "has no flow 'nope'" in err


def test_stats_reports_walks_made_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    walk = ["walk", "migracion-pre-post", "--flow", "contacto", "--choose", "next"]
    run(capsys, *walk, "--choose", "respondio")  # recording is off: not counted
    code, text, _ = run(capsys, "stats", "--recording", "on")
    assert code == 0 and text.startswith("Recording: on. Calls: 0")
    run(capsys, *walk, "--choose", "respondio")
    run(capsys, *walk, "--choose", "no-responde", "--choose", "no-contesta")
    run(capsys, *walk, "--choose", "respondio", "--choose", "titular")
    code, text, _ = run(capsys, "stats", "--json", "--csv", str(tmp_path / "usage.csv"))
    data = json.loads(text)
    assert code == 0 and data["calls"] == 3
    steps = {s["step"]: s for s in data["steps"]}
    assert steps["primer-contacto"]["visits"] == 3
    answers = {(a["step"], a["choice"]): round(a["share"], 2) for a in data["answers"]}
    assert answers[("primer-contacto", "respondio")] == 0.67
    assert answers[("primer-contacto", "no-responde")] == 0.33
    assert [(o["step"], o["times"]) for o in data["outcomes"]] == [("cliente-no-contesta", 1)]
    assert [(d["step"], d["count"]) for d in data["drop_offs"]] == [
        ("datos-titular", 1),
        ("retomar", 1),
    ]
    with (tmp_path / "usage.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {
        "figure": "calls",
        "pack": "",
        "flow": "",
        "step": "",
        "item": "",
        "count": "3",
        "value": "",
    } in rows
    code, text, _ = run(capsys, "stats", "--pack", "ejemplo")
    assert text.startswith("Recording: on. Calls: 0 (pack ejemplo)")
    code, _, err = run(capsys, "stats", "--since", "ayer")
    assert code == 2 and "--since must be a date" in err
