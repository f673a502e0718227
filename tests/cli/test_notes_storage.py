"""``agentdesk notes`` when the database is empty, damaged, full, read-only or not a file:
a message that names the path and what to do, never "internal error" (issue 13)."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from agentdesk.cli.main import main
from agentdesk.core.notes import open_notes
from agentdesk.core.paths import Paths


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def add(capsys: pytest.CaptureFixture[str], reason: str = "Consulta") -> tuple[int, str, str]:
    return run(capsys, "notes", "add", "--person", "Ana", "--medium", "phone", "--reason", reason)


def test_an_empty_database_file_brings_the_notes_back_and_says_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for n in range(3):
        assert add(capsys, f"nota {n}")[0] == 0
    with open_notes(Paths.resolve()) as store:
        store.backup()  # yesterday's backup, say
    assert add(capsys, "nota 3")[0] == 0
    Paths.resolve().notes_db.write_bytes(b"")  # a bad copy, a file system hiccup
    code, out, err = run(capsys, "notes", "list")
    assert code == 0
    assert "warning: the notes database was damaged and was set aside" in err
    assert [line.split()[-1] for line in out.splitlines()] == ["2", "1", "0"]  # never nothing


def test_a_folder_in_place_of_the_database(capsys: pytest.CaptureFixture[str]) -> None:
    db = Paths.resolve().notes_db
    db.mkdir(parents=True)
    code, _, err = run(capsys, "notes", "list")
    assert code == 74
    assert f"The notes database {db} is a folder, not a file. Rename or move" in err
    assert "internal error" not in err


def test_a_full_disk(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert add(capsys)[0] == 0
    from agentdesk.core.notes import store

    real = store._connect

    def full(path: Path, quick_check: bool) -> sqlite3.Connection:
        conn = real(path, quick_check)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "disk is full"
        return conn

    monkeypatch.setattr(store, "_connect", full)
    code, out, err = add(capsys, "x" * 200_000)
    assert (code, out) == (74, "")  # no id printed: nothing was saved
    assert f"The disk is full: the notes in {Paths.resolve().notes_db} cannot be written" in err
    monkeypatch.setattr(store, "_connect", real)
    code, out, _ = run(capsys, "notes", "list")
    assert code == 0 and out.count("Ana") == 1  # what was saved before is there


def test_a_read_only_database(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert add(capsys)[0] == 0
    real = sqlite3.connect

    def read_only(path: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        kwargs.pop("uri", None)
        return real(f"file:{path}?mode=ro", *args, uri=True, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", read_only)
    code, _, err = add(capsys, "otra")
    assert code == 74
    assert "cannot be written: the file, its folder or the disk is read-only" in err


def test_a_read_only_folder_with_a_damaged_database(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert add(capsys)[0] == 0
    db = Paths.resolve().notes_db
    db.write_bytes(b"garbage" * 1000)

    def refused(self: Path, target: object) -> Path:
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "replace", refused)
    code, _, err = run(capsys, "notes", "list")
    assert code == 74 and "read-only" in err and "internal error" not in err
    assert db.read_bytes() == b"garbage" * 1000


def test_reading_commands_work_on_a_read_only_database(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.readonly import read_only_disk

    for reason in ("Consulta de saldo", "Cambio de plan"):
        assert add(capsys, reason)[0] == 0
    db = Paths.resolve().notes_db
    before = db.read_bytes()
    read_only_disk(monkeypatch)  # a file of mode 0444, a read-only folder or disk
    code, out, err = run(capsys, "notes", "list")
    assert code == 0 and "Cambio de plan" in out and "Consulta de saldo" in out
    assert f"warning: The notes in {db} can be read but not saved" in err
    code, out, _ = run(capsys, "notes", "search", "saldo")
    assert code == 0 and "Consulta de saldo" in out and "Cambio" not in out
    code, out, _ = run(capsys, "notes", "export", "--format", "jsonl")
    assert code == 0 and len(out.splitlines()) == 2
    code, out, _ = run(capsys, "notes", "due")
    assert code == 0
    code, out, err = add(capsys, "otra")  # writing: refused in words, with what to do
    assert (code, out) == (74, "")
    assert f"The notes in {db} cannot be written" in err and "--data-dir" in err
    assert db.read_bytes() == before
