"""``agentdesk notes``: the command-line contract of issue 5."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from agentdesk.cli.main import main
from agentdesk.core.notes import NoteStore
from agentdesk.core.notes.export import FORMATS, read_csv, read_jsonl
from agentdesk.core.paths import Paths


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def run(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), "notes", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def add(capsys: pytest.CaptureFixture[str], data: Path, *extra: str, **fields: str) -> int:
    values = {"person": "Ana Pérez", "medium": "phone", "reason": "Consulta", **fields}
    argv = [arg for name, value in values.items() for arg in (f"--{name}", value)]
    code, out, err = run(capsys, data, "add", *argv, *extra)
    assert (code, err) == (0, "")
    return int(out)


def test_add_prints_only_the_new_id_and_stores_every_field(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    code, out, err = run(
        capsys,
        data,
        "add",
        "--person", "Ana Pérez",
        "--medium", "whatsapp",
        "--reason", "Migración a pospago",
        "--inputs", "Cédula 1712345678",
        "--pending", "Contrato firmado",
        "--solution", "Solicitud registrada",
        "--protocol", "Migraciones",
        "--follow-up", "2024-06-03T09:30",
    )  # fmt: skip
    assert (code, out, err) == (0, "1\n", "")
    assert add(capsys, data) == 2
    with NoteStore.open(data / "notes.db", backup_every=None) as store:
        note = store.get(1)
    assert note is not None
    assert (note.person, note.medium, note.reason) == (
        "Ana Pérez",
        "whatsapp",
        "Migración a pospago",
    )
    assert (note.inputs, note.pending) == ("Cédula 1712345678", "Contrato firmado")
    assert (note.solution, note.protocol) == ("Solicitud registrada", "Migraciones")
    assert note.follow_up is not None and note.follow_up.isoformat() == "2024-06-03T09:30:00"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--medium", "fax"], "unknown medium 'fax'; use one of: phone, whatsapp"),
        (["--follow-up", "2024-06-03 09:30"], "--follow-up must be a date and time as"),
        (["--follow-up", "2024-02-30T09:30"], "not '2024-02-30T09:30'"),
        (["--follow-up", "mañana"], "YYYY-MM-DDTHH:MM"),
        (["--person", "  "], "--person must not be empty"),
        (["--reason", ""], "--reason must not be empty"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], data: Path, argv: list[str], message: str
) -> None:
    values = {"--person": "Ana", "--medium": "phone", "--reason": "Consulta"}
    values.update(dict(zip(argv[::2], argv[1::2], strict=True)))
    code, out, err = run(capsys, data, "add", *[a for pair in values.items() for a in pair])
    assert (code, out) == (2, "")
    assert err.startswith("agentdesk: error: ") and message in err
    assert "Traceback" not in err
    assert not data.exists()  # the database was not even created


def test_a_missing_required_option_exits_2(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    with pytest.raises(SystemExit) as caught:
        run(capsys, data, "add", "--person", "Ana", "--medium", "phone")
    assert caught.value.code == 2
    assert "--reason" in capsys.readouterr().err
    assert not data.exists()


@pytest.mark.parametrize(
    ("given", "stored"), [("In person", "in_person"), ("WhatsApp", "whatsapp")]
)
def test_media_are_read_loosely(
    capsys: pytest.CaptureFixture[str], data: Path, given: str, stored: str
) -> None:
    add(capsys, data, medium=given)
    _, out, _ = run(capsys, data, "list", "--json")
    assert json.loads(out)["notes"][0]["medium"] == stored


def test_list_search_and_due(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    first = add(capsys, data, reason="Migración de plan", **{"follow-up": "2020-01-02T10:00"})
    second = add(capsys, data, person="Luis Díaz", reason="Reclamo por cobro")
    add(capsys, data, reason="Cita futura", **{"follow-up": "2999-01-01T10:00"})

    code, out, _ = run(capsys, data, "list")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3
    assert lines[0].split()[0] == "3" and "Cita futura" in lines[0]
    assert "[follow-up 2020-01-02 10:00]" in lines[2]

    code, out, _ = run(capsys, data, "search", "MIGRACION", "--json")
    assert [n["id"] for n in json.loads(out)["notes"]] == [first]
    code, out, _ = run(capsys, data, "search", "díaz")
    assert out.split()[0] == str(second) and "Luis Díaz — Reclamo por cobro" in out
    code, out, _ = run(capsys, data, "search", "nadie")
    assert (code, out) == (0, "")

    code, out, _ = run(capsys, data, "due", "--json")
    due = json.loads(out)["notes"]
    assert [(n["id"], n["follow_up"]) for n in due] == [(first, "2020-01-02T10:00:00")]
    code, out, _ = run(capsys, data, "due")
    assert out.startswith(f"{first:>6}  2020-01-02 10:00  phone")


def test_search_needs_a_word(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, _, err = run(capsys, data, "search", " ¿? ")
    assert code == 2 and "at least one word" in err


@pytest.mark.parametrize("fmt", FORMATS)  # every format the core has, the command takes
def test_export_to_stdout_and_to_a_file_read_back_equal(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, fmt: str
) -> None:
    add(capsys, data, inputs="Cédula 1712345678, celular 099 123 4567")
    add(capsys, data, person="Luis", reason='Otro, con "comillas"\ny dos líneas')
    with NoteStore.open(data / "notes.db", backup_every=None) as store:
        notes = list(store.iter_notes())
    reader = read_csv if fmt == "csv" else read_jsonl

    code, out, _ = run(capsys, data, "export", "--format", fmt)
    assert code == 0 and list(reader(io.StringIO(out, newline=""))) == notes

    target = tmp_path / f"notas.{fmt}"
    code, out, err = run(capsys, data, "export", "--format", fmt, "--mask", "-o", str(target))
    assert (code, out) == (0, "") and f"2 notes written to {target}" in err
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    with target.open(encoding="utf-8-sig", newline="") as f:
        masked = list(reader(f))
    assert [n.inputs for n in masked] == ["Cédula ******5678, celular *** *** 4567", ""]
    assert [n.reason for n in masked] == [n.reason for n in notes]


def test_export_needs_a_known_format(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    with pytest.raises(SystemExit) as caught:
        run(capsys, data, "export", "--format", "xlsx")
    assert caught.value.code == 2
    code, _, err = run(capsys, data, "export", "--format", "csv", "-o", str(data / "no" / "x.csv"))
    assert code == 2 and "does not exist" in err


def test_without_data_dir_the_environment_folder_is_used(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["notes", "add", "--person", "Ana", "--medium", "email", "--reason", "r"]) == 0
    assert capsys.readouterr().out == "1\n"
    assert Paths.resolve().notes_db.is_file()


def test_the_agent_name_comes_from_the_settings(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    settings = Paths.resolve().settings_file
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"agent_name": "María José"}), encoding="utf-8")
    add(capsys, data)
    _, out, _ = run(capsys, data, "list", "--json")
    assert json.loads(out)["notes"][0]["agent"] == "María José"


def test_a_recovery_at_open_is_reported(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    add(capsys, data)
    (data / "notes.db").write_bytes(b"not a database at all" * 100)
    code, _, err = run(capsys, data, "list")
    assert code == 0
    assert err.startswith("agentdesk: warning: the notes database was damaged and was set aside")
    assert "the backup of" in err and "notes saved after it are not in it" in err
