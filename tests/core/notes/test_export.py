"""Export: CSV and JSON Lines read back equal; masking hides ID and phone numbers."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from agentdesk.core.notes import Note, NoteStore
from agentdesk.core.notes.export import (
    COLUMNS,
    export,
    export_file,
    mask_note,
    mask_text,
    read_csv,
    read_jsonl,
)
from tests.core.notes.conftest import note


@pytest.fixture
def saved(store: NoteStore) -> list[Note]:
    """Notes with every kind of value: empty and full lists, quotes, commas, new lines."""
    first = store.add(
        note(
            person='Ana "la jefa" Pérez, Quito',
            inputs="Cédula 1712345678\nTeléfono +593 99 123 4567",
            pending="Enviar contrato; llamar",
            follow_up=datetime(2024, 6, 3, 9, 30),
            pack_id="ejemplo",
            pack_version="1.0.0",
            flow_id="reclamo",
            path=("inicio: Quiere reclamar, ya", "verificar: Continue", "registrar"),
            scripts_shown=("saludo",),
            macros_copied=("reclamo-registrado", "despedida"),
            offers_applied=("descuento-contencion",),
            started_at=datetime(2024, 6, 1, 8, 50),
            ended_at=datetime(2024, 6, 1, 8, 59),
            agent="María José",
        )
    )
    store.mark_done(first.id or 0)
    second = store.add(note(medium="in_person", reason="Ñandú — ¿emoji? 🎉", solution="  "))
    return [store.get(first.id or 0) or first, second]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_reads_back_equal(store: NoteStore, saved: list[Note], fmt: str) -> None:
    out = io.StringIO()
    assert export(store.iter_notes(), out, fmt) == 2  # type: ignore[arg-type]
    reader = read_csv if fmt == "csv" else read_jsonl
    assert list(reader(io.StringIO(out.getvalue(), newline=""))) == saved


def test_csv_has_a_header_and_one_row_per_note(store: NoteStore, saved: list[Note]) -> None:
    out = io.StringIO()
    export(store.iter_notes(), out, "csv")
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert rows[0] == list(COLUMNS) and rows[0][:2] == ["id", "created_at"]
    assert len(rows) == 3
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["macros_copied"] == "reclamo-registrado\ndespedida"
    assert (row["follow_up"], row["follow_up_done"]) == ("2024-06-03T09:30:00", "true")


def test_jsonl_is_one_object_per_line(store: NoteStore, saved: list[Note]) -> None:
    out = io.StringIO()
    export(store.iter_notes(), out, "jsonl")
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert list(first) == list(COLUMNS)
    assert first["path"][0] == "inicio: Quiere reclamar, ya"
    assert first["follow_up_done"] is True


@pytest.mark.parametrize(("fmt", "bom"), [("csv", True), ("jsonl", False)])
def test_a_file_replaces_the_old_one_and_csv_starts_with_a_bom(
    store: NoteStore, saved: list[Note], tmp_path: Path, fmt: str, bom: bool
) -> None:
    target = tmp_path / f"notas.{fmt}"
    target.write_text("old")
    assert export_file(store.iter_notes(), target, fmt) == 2  # type: ignore[arg-type]
    assert target.read_bytes().startswith(b"\xef\xbb\xbf") is bom  # spreadsheets read accents
    reader = read_csv if fmt == "csv" else read_jsonl
    with target.open(encoding="utf-8-sig", newline="") as f:
        assert list(reader(f)) == saved
    assert list(tmp_path.glob(".*")) == []  # no partial file left


def test_a_failed_export_leaves_the_old_file(store: NoteStore, tmp_path: Path) -> None:
    def failing() -> Iterator[Note]:
        yield note()
        raise OSError("disk full")

    target = tmp_path / "notas.csv"
    target.write_text("old")
    with pytest.raises(OSError, match="disk full"):
        export_file(failing(), target, "csv")
    assert target.read_text() == "old"
    assert list(tmp_path.glob(".*")) == []  # no partial file left


def test_an_empty_database_exports_a_header_or_nothing(store: NoteStore) -> None:
    for fmt, expected in [("csv", ",".join(COLUMNS) + "\n"), ("jsonl", "")]:
        out = io.StringIO()
        assert export(store.iter_notes(), out, fmt) == 0  # type: ignore[arg-type]
        assert out.getvalue() == expected


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Cédula 1712345678", "Cédula ******5678"),
        ("CI:171234567-8 ok", "CI:******567-8 ok"),
        ("Llamar al 099 123 4567 mañana", "Llamar al *** *** 4567 mañana"),
        ("+593 99 123 4567", "+*** ** *** 4567"),
        ("pasaporte A1234567", "pasaporte A*****67"),
        ("Código 12345678.", "Código ******78."),
        ("123456789", "******789"),
        # dates, times, short numbers and amounts stay
        ("Cita 2024-06-03 10:30, 15/06/2024", "Cita 2024-06-03 10:30, 15/06/2024"),
        ("2024-06-03T10:30:00", "2024-06-03T10:30:00"),
        ("Plan 25, $1,500.00, ext. 12345", "Plan 25, $1,500.00, ext. 12345"),
        ("", ""),
    ],
)
def test_mask_text(text: str, masked: str) -> None:
    assert mask_text(text) == masked


def test_masking_covers_the_text_fields_only(store: NoteStore, saved: list[Note]) -> None:
    masked = mask_note(saved[0])
    assert masked.inputs == "Cédula ******5678\nTeléfono +*** ** *** 4567"
    assert masked.follow_up == saved[0].follow_up and masked.path == saved[0].path
    out = io.StringIO()
    export(store.iter_notes(), out, "jsonl", mask=True)
    assert "1712345678" not in out.getvalue() and "******5678" in out.getvalue()
    assert next(read_jsonl(io.StringIO(out.getvalue()))).inputs == masked.inputs


def test_masking_a_person_given_as_a_number() -> None:
    assert mask_note(note(person="0991234567")).person == "******4567"
