"""The notes store: schema and pragmas, saving, filters, search and follow-ups."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from agentdesk.core.notes import Note, NoteError, NoteFilter, NoteStore, open_notes, schema
from agentdesk.core.notes.store import fts_query
from agentdesk.core.paths import Paths
from tests.core.notes.conftest import Clock, earlier_database, note

# -- opening and migrations ---------------------------------------------------------------


def test_a_new_database_gets_every_migration_in_order(db_path: Path) -> None:
    with NoteStore.open(db_path, backup_every=None) as store:
        rows = store.conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id",
            (schema.MIGRATION_SET,),
        ).fetchall()
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
    assert [r[0] for r in rows] == [
        "m001_notes",
        "m002_search",
        "m003_draft",
        "m004_outbox",
        "m005_search_prefixes_and_filters",
        "m006_draft_aside",
    ]
    assert {"notes", "notes_fts", "draft", "notes_ai", "notes_au", "notes_ad"} <= tables
    assert {"outbox", "outbox_records", "outbox_enabled", "notes_outbox_ai"} <= tables
    assert "draft_aside" in tables


def test_reopening_applies_nothing_and_keeps_the_notes(db_path: Path) -> None:
    with NoteStore.open(db_path, backup_every=None) as store:
        saved = store.add(note())
    for _ in range(2):
        with NoteStore.open(db_path, backup_every=None) as store:
            assert schema.migrate(store.conn) == []
            assert store.conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone() == (6,)
            assert store.get(saved.id or 0) == saved


def test_pragmas_make_every_save_durable(store: NoteStore) -> None:
    pragma = lambda name: store.conn.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2  # FULL
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") == 5000


def test_migrating_a_half_made_database_applies_only_what_is_missing(db_path: Path) -> None:
    conn = earlier_database(db_path, 1)  # only the first migration applied
    conn.execute(
        "INSERT INTO notes (person, medium, reason, created_at, updated_at) "
        "VALUES ('Luis Díaz', 'email', 'Migración antigua', '2024-01-01', '2024-01-01')"
    )
    conn.close()
    with NoteStore.open(db_path, backup_every=None) as store:
        assert [n.person for n in store.search("migracion")] == ["Luis Díaz"]  # indexed too
        assert store.load_draft() is None


def test_open_notes_uses_the_data_folder(tmp_path: Path) -> None:
    paths = Paths.resolve(tmp_path / "mine")
    with open_notes(paths) as store:
        store.add(note())
    assert paths.notes_db.is_file()
    assert list((paths.data / "backups").glob("notes-*.db"))


# -- saving -------------------------------------------------------------------------------


def test_add_returns_what_get_reads_back(store: NoteStore, clock: Clock) -> None:
    full = note(
        inputs="Cédula 1712345678",
        pending="Enviar contrato",
        solution="Se registró",
        protocol="Protocolo 004",
        follow_up=datetime(2024, 6, 3, 9, 30),
        pack_id="ejemplo",
        pack_version="1.0.0",
        flow_id="reclamo",
        path=("inicio: Quiere reclamar el cobro", "verificar", "registrar"),
        scripts_shown=("saludo", "asunto-correo"),
        macros_copied=("reclamo-registrado",),
        offers_applied=("descuento-contencion",),
        started_at=datetime(2024, 6, 1, 8, 50, 12, 999),
        ended_at=datetime(2024, 6, 1, 8, 59, 1),
        agent="María",
    )
    saved = store.add(full)
    assert saved.id == 1
    assert saved.created_at == saved.updated_at == clock.now
    assert saved.started_at == datetime(2024, 6, 1, 8, 50, 12)  # stored to the second
    assert store.get(1) == saved
    assert store.get(2) is None


def test_update_keeps_created_and_moves_updated(store: NoteStore, clock: Clock) -> None:
    saved = store.add(note())
    clock.advance(minutes=5)
    updated = store.update(saved._replace(solution="Resuelto", medium="email"))
    assert updated.created_at == saved.created_at
    assert updated.updated_at == clock.now
    assert (updated.solution, updated.medium) == ("Resuelto", "email")
    assert store.search("resuelto") == [updated]
    with pytest.raises(NoteError, match="does not exist"):
        store.update(saved._replace(id=99))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"person": "  "}, "person"),
        ({"reason": ""}, "reason"),
        ({"medium": "fax"}, "Unknown medium 'fax'"),
    ],
)
def test_invalid_notes_are_refused_and_nothing_is_written(
    store: NoteStore, fields: dict[str, str], message: str
) -> None:
    with pytest.raises(NoteError, match=message):
        store.add(note(**fields))
    assert store.count() == 0


# -- listing and filters ------------------------------------------------------------------


@pytest.fixture
def month(store: NoteStore, clock: Clock) -> list[Note]:
    """Four notes over a week: mixed media, some pending, one follow-up past and one ahead."""
    saved = []
    for day, medium, pending, follow_up in [
        (1, "phone", "", None),
        (3, "whatsapp", "Enviar contrato", datetime(2024, 6, 4, 10, 0)),
        (5, "phone", "  ", None),
        (7, "email", "Llamar al técnico", datetime(2024, 6, 20, 10, 0)),
    ]:
        clock.now = datetime(2024, 6, day, 12, 0)
        saved.append(store.add(note(medium=medium, pending=pending, follow_up=follow_up)))
    clock.now = datetime(2024, 6, 10, 9, 0)
    return saved


def ids(notes: list[Note]) -> list[int | None]:
    return [n.id for n in notes]


def test_list_is_newest_first_and_pages(store: NoteStore, month: list[Note]) -> None:
    assert ids(store.list_notes()) == [4, 3, 2, 1]
    assert ids(store.list_notes(limit=2, offset=1)) == [3, 2]
    assert ids(store.list_notes(limit=None, offset=3)) == [1]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (NoteFilter(since=date(2024, 6, 3)), [4, 3, 2]),
        (NoteFilter(until=date(2024, 6, 3)), [2, 1]),  # the whole last day counts
        (NoteFilter(since=date(2024, 6, 3), until=date(2024, 6, 5)), [3, 2]),
        (NoteFilter(medium="phone"), [3, 1]),
        (NoteFilter(pending=True), [4, 2]),  # blank pending is nothing pending
        (NoteFilter(pending=False), [3, 1]),
        (NoteFilter(follow_up_due=True), [2]),  # the other follow-up is not due yet
        (NoteFilter(medium="phone", pending=True), []),
    ],
)
def test_filters(
    store: NoteStore, month: list[Note], filters: NoteFilter, expected: list[int]
) -> None:
    assert ids(store.list_notes(filters)) == expected


# -- search -------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["migracion", "MIGRACIÓN", "Migración", "migración pospago"])
def test_search_ignores_accents_and_case(store: NoteStore, query: str) -> None:
    wanted = store.add(note(reason="Migración de prepago a pospago"))
    store.add(note(reason="Reclamo por cobro"))
    assert store.search(query) == [wanted]


def test_search_covers_every_text_field_and_needs_every_word(store: NoteStore) -> None:
    a = store.add(note(person="José Núñez", solution="Se envió el técnico"))
    b = store.add(note(inputs="Cédula de Núñez", protocol="Visita técnica"))
    assert ids(store.search("nunez")) == [b.id, a.id]  # newest first
    assert ids(store.search("nunez tecnico")) == [a.id]
    assert ids(store.search("jose visita")) == []
    assert ids(store.search("nunez", limit=1)) == [b.id]


def test_search_sees_edits_and_combines_with_filters(store: NoteStore) -> None:
    a = store.add(note(reason="Factura duplicada", medium="email"))
    b = store.add(note(reason="Factura vencida", medium="phone"))
    store.update(a._replace(reason="Cobro duplicado"))
    assert ids(store.search("factura")) == [b.id]
    assert ids(store.search("duplicado", NoteFilter(medium="email"))) == [a.id]
    assert ids(store.search("duplicado", NoteFilter(medium="phone"))) == []


@pytest.mark.parametrize("text", ['"', "OR", "a AND (b", "*", "nombre:ana", "NEAR(a b)", "-", ""])
def test_anything_typed_is_searched_as_words_never_as_syntax(store: NoteStore, text: str) -> None:
    store.add(note(reason="a b nombre ana"))
    store.search(text)  # no sqlite3.OperationalError


def test_fts_query_quotes_each_word() -> None:
    assert fts_query('ana "x" 099-123') == '"ana" """x""" "099-123"'
    assert fts_query(" ¿? - ") is None


def test_search_finds_numbers_typed_with_separators(store: NoteStore) -> None:
    wanted = store.add(note(inputs="Teléfono 099-123-4567"))
    assert store.search("099-123-4567") == [wanted]
    assert store.search("4567") == [wanted]


# -- follow-ups ---------------------------------------------------------------------------


def test_due_lists_follow_ups_that_have_come_oldest_first(store: NoteStore, clock: Clock) -> None:
    later = store.add(note(follow_up=datetime(2024, 6, 1, 11, 0)))
    sooner = store.add(note(follow_up=datetime(2024, 6, 1, 10, 0)))
    store.add(note())
    assert store.due() == []
    assert store.due(datetime(2024, 6, 1, 9, 59)) == []  # the earliest is at 10:00
    assert ids(store.due(datetime(2024, 6, 1, 10, 0))) == [sooner.id]  # due at its minute
    clock.now = datetime(2024, 6, 1, 12, 0)
    assert ids(store.due()) == [sooner.id, later.id]


def test_mark_done_takes_it_off_the_due_list(store: NoteStore, clock: Clock) -> None:
    saved = store.add(note(follow_up=datetime(2024, 5, 31, 10, 0)))
    clock.advance(minutes=1)
    done = store.mark_done(saved.id or 0)
    assert done.follow_up_done and done.updated_at == clock.now
    assert store.due() == [] and store.due(datetime.max) == []  # none left, however late
    assert store.mark_done(saved.id or 0, done=False).follow_up_done is False
    assert ids(store.due()) == [saved.id]
    with pytest.raises(NoteError):
        store.mark_done(42)
