"""Issue 14: ``notes list``, ``search`` and ``export`` print as they read, page by page, with a
limit and a cursor; only ``add`` waits for the daily backup; damage met mid-way is
recovered and said."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest

from agentdesk.cli.main import main
from agentdesk.core.notes import Note, NoteStore, upkeep
from agentdesk.core.notes.backup import backups
from agentdesk.core.notes.export import read_jsonl
from agentdesk.core.paths import Paths
from tests.core.notes.test_salvage import wreck_pages


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", "notes", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def paths() -> Paths:
    return Paths.resolve()


@pytest.fixture
def twelve(paths: Paths) -> list[Note]:
    with upkeep.open_for_use(paths) as store:
        return [
            store.add(Note(person="Ana", medium="phone", reason=f"Migración {n}"))
            for n in range(12)
        ]


def first_ids(out: str) -> list[int]:
    return [int(line.split()[0]) for line in out.splitlines()]


@pytest.mark.parametrize("command", [["list"], ["search", "migr"]])
def test_limit_and_after_page_through_every_note_once(
    capsys: pytest.CaptureFixture[str], twelve: list[Note], command: list[str]
) -> None:
    seen: list[int] = []
    after: list[str] = []
    while True:
        code, out, err = run(capsys, *command, "--limit", "5", *after)
        assert code == 0
        seen += first_ids(out)
        if not err:
            break
        assert err.startswith("agentdesk: more notes: --after ")
        after = ["--after", err.split()[-1]]
    assert seen == [n.id for n in reversed(twelve)]


def test_json_pages_carry_the_next_cursor(
    capsys: pytest.CaptureFixture[str], twelve: list[Note]
) -> None:
    code, out, _ = run(capsys, "list", "--json", "--limit", "10")
    page = json.loads(out)
    assert code == 0 and [n["id"] for n in page["notes"]] == list(range(12, 2, -1))
    assert page["next"] == 3
    _, out, _ = run(capsys, "list", "--json", "--after", "3")
    assert json.loads(out) == {"notes": [n.to_json() for n in twelve[1::-1]], "next": None}
    assert json.loads(run(capsys, "search", "nadie", "--json")[1]) == {"notes": [], "next": None}


def test_export_continues_after_a_note(
    capsys: pytest.CaptureFixture[str], twelve: list[Note]
) -> None:
    code, out, err = run(capsys, "export", "--format", "jsonl", "--after", "4", "--limit", "5")
    assert code == 0 and list(read_jsonl(io.StringIO(out))) == twelve[4:9]
    assert err == "agentdesk: more notes: --after 9\n"


@pytest.mark.parametrize(
    "command",
    [["list"], ["list", "--json"], ["search", "ana"], ["export", "--format", "csv"]],
)
def test_the_first_note_is_printed_before_the_next_is_read(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    twelve: list[Note],
    command: list[str],
) -> None:
    """A store that hands out notes one by one and looks at what was printed meanwhile."""
    printed_by_then: list[str] = []

    def each(self: NoteStore, *args: object, **kwargs: object) -> Iterator[Note]:
        yield twelve[0]
        printed_by_then.append(capsys.readouterr().out)
        yield from twelve[1:]

    monkeypatch.setattr(NoteStore, "each", each)
    code, rest, _ = run(capsys, *command)
    assert code == 0 and "Migración 0" in printed_by_then[0]
    assert "Migración 11" not in printed_by_then[0] and "Migración 11" in rest


def test_each_reads_a_page_at_a_time(twelve: list[Note], paths: Paths) -> None:
    with upkeep.open_for_use(paths) as store:
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        notes = store.each(size=5)
        assert next(notes).id == 12
        assert len([s for s in statements if "FROM notes" in s]) == 1
        assert [n.id for n in notes][-1] == 1
        assert len([s for s in statements if "FROM notes" in s]) == 3


def test_only_writing_waits_for_the_daily_backup(
    capsys: pytest.CaptureFixture[str], paths: Paths
) -> None:
    folder = paths.data / "backups"
    code, _, _ = run(capsys, "add", "--person", "Ana", "--medium", "phone", "--reason", "Alta")
    assert code == 0 and len(backups(folder)) == 1
    for command in (["list"], ["search", "alta"], ["due"], ["export", "--format", "csv"]):
        assert run(capsys, *command)[0] == 0
    assert len(backups(folder)) == 1
    with NoteStore.open(backups(folder)[0], backup_every=None) as copy:
        assert copy.count() == 0  # taken before the note was written


def test_damage_met_mid_way_is_recovered_and_the_command_asks_to_be_run_again(
    capsys: pytest.CaptureFixture[str], paths: Paths
) -> None:
    for n in range(300):
        code, _, _ = run(
            capsys, "add", "--person", "Ana", "--medium", "phone", "--reason", f"M{n} " + "x" * 300
        )
    wreck_pages(paths.notes_db, "notes", slice(3, 5))
    code, _, err = run(capsys, "list")
    assert code == 75
    assert "warning: the notes database was damaged and was set aside" in err
    assert "run the command again" in err and "internal error" not in err
    code, out, err = run(capsys, "list")
    reasons = [line.split("— ")[1].split()[0] for line in out.splitlines()]
    assert (code, err) == (0, "") and 200 < len(reasons) < 300  # salvaged, bar two pages
    assert {"M0", "M299"} <= set(reasons)
