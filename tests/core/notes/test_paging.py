"""Issue 14: pages of notes by keyset, prefix search, and filters the search index answers.

Every list (history, ``notes list``, ``search``, ``export``) is read a page at a time,
after the last id shown; these tests hold the pages to what a plain filter over every
note gives, whatever the words and filters.
"""

from __future__ import annotations

import random
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from agentdesk.core.notes import Note, NoteFilter, NoteStore
from agentdesk.core.notes.query import SPELLED_OUT
from agentdesk.core.packs.model import MEDIA
from agentdesk.core.text import fold
from tests.core.notes.conftest import Clock, earlier_database, note

WORDS = ["migración", "migrar", "plan", "pospago", "factura", "técnico", "señal", "cobro"]


def ids(notes: list[Note]) -> list[int | None]:
    return [n.id for n in notes]


def every_page(store: NoteStore, text: str = "", filters: NoteFilter | None = None) -> list[int]:
    """The ids of every page, 7 at a time, as the history's model fetches them."""
    found: list[int] = []
    after = None
    while True:
        page = store.page(text, filters, after=after, limit=7)
        found += [n.id for n in page.notes if n.id is not None]
        if page.next is None:
            return found
        assert page.next == found[-1]
        after = page.next


@pytest.fixture
def many(store: NoteStore, clock: Clock) -> list[Note]:
    """120 notes over 60 days: every medium, some pending, open and done follow-ups."""
    rng = random.Random(14)
    saved = []
    for n in range(120):
        clock.now = datetime(2024, 3, 1, 9, 0) + timedelta(hours=12 * n)
        follow_up = clock.now + timedelta(days=rng.choice((-3, 2, 30))) if n % 4 == 0 else None
        saved.append(
            store.add(
                note(
                    person=rng.choice(["Ana Pérez", "Luis Núñez", "José Díaz"]),
                    medium=MEDIA[n % len(MEDIA)],
                    reason=" ".join(rng.sample(WORDS, 2)) + f" orden{n}",
                    pending=rng.choice(["", "  ", "Enviar contrato"]),
                    follow_up=follow_up,
                    follow_up_done=n % 8 == 0,
                )
            )
        )
    clock.now = datetime(2024, 5, 1, 12, 0)
    return saved


def expected(notes: list[Note], words: list[str], f: NoteFilter, now: datetime) -> list[int]:
    """What a search means, said plainly over every note (newest first)."""

    def has(n: Note, word: str) -> bool:
        text = fold(" ".join((n.person, n.reason, n.inputs, n.pending, n.solution, n.protocol)))
        tokens = text.replace(",", " ").split()
        return any(t == word or (len(word) >= 3 and t.startswith(word)) for t in tokens)

    def keeps(n: Note) -> bool:
        assert n.created_at is not None
        day = n.created_at.date()
        return (
            all(has(n, fold(w)) for w in words)
            and (f.since is None or day >= f.since)
            and (f.until is None or day <= f.until)
            and (f.medium is None or n.medium == f.medium)
            and (f.pending is None or bool(n.pending.strip()) == f.pending)
            and (
                not f.follow_up_due
                or (n.follow_up is not None and not n.follow_up_done and n.follow_up <= now)
            )
        )

    return [n.id for n in reversed(notes) if keeps(n) and n.id is not None]


FILTERS = [
    NoteFilter(),
    NoteFilter(since=date(2024, 4, 1)),
    NoteFilter(since=date(2024, 3, 10), until=date(2024, 3, 20)),
    NoteFilter(medium="whatsapp"),
    NoteFilter(medium="in_person", pending=True),
    NoteFilter(pending=False),
    NoteFilter(follow_up_due=True),
    NoteFilter(since=date(2024, 3, 15), follow_up_due=True),
    NoteFilter(until=date(2024, 3, 1)),
    NoteFilter(since=date(2030, 1, 1)),
]


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("text", ["", "migr", "MIGRACIÓN pospago", "ana tecn", "perez", "señ"])
def test_pages_reach_every_matching_note_once_newest_first(
    store: NoteStore, many: list[Note], clock: Clock, text: str, filters: NoteFilter
) -> None:
    wanted = expected(many, text.split(), filters, clock.now)
    assert every_page(store, text, filters) == wanted
    assert ids(list(store.each(text, filters, size=5))) == wanted
    assert ids(list(store.each(text, filters, oldest_first=True, size=5))) == wanted[::-1]
    listed = store.search(text, filters, limit=None) if text else store.list_notes(filters, None)
    assert ids(listed) == wanted


def test_a_note_saved_between_pages_moves_nothing(store: NoteStore, many: list[Note]) -> None:
    first = store.page(limit=10)
    store.add(note(reason="nueva, mientras se pasa de página"))
    rest: list[int | None] = []
    after = first.next
    while after is not None:
        page = store.page(after=after, limit=10)
        rest += ids(page.notes)
        after = page.next
    assert ids(first.notes) + rest == [n.id for n in reversed(many)]


def test_the_last_page_says_there_is_no_more(store: NoteStore, many: list[Note]) -> None:
    page = store.page(limit=len(many))
    assert len(page.notes) == len(many) and page.next is None
    page = store.page(limit=len(many) - 1)
    assert page.next == many[1].id
    assert store.page(after=many[0].id).notes == []


# -- prefixes -------------------------------------------------------------------------------


def test_a_word_of_three_letters_or_more_finds_the_words_it_begins(store: NoteStore) -> None:
    migration = store.add(note(reason="Migración a pospago"))
    store.add(note(reason="Mi plan"))
    assert ids(store.search("migr")) == [migration.id]
    assert ids(store.search("MIGRA")) == [migration.id]  # beyond the prefix indexes
    assert ids(store.search("migracion pos")) == [migration.id]
    assert ids(store.search("mig")) == [migration.id]
    assert store.search("migraciones") == []  # longer than any word: nothing


def test_short_words_and_words_with_digits_match_whole(store: NoteStore) -> None:
    mine = store.add(note(reason="Mi plan"))
    ticket = store.add(note(reason="Ticket 17", inputs="Orden A17"))
    store.add(note(reason="Ticket 170", inputs="Orden A170"))
    assert ids(store.search("mi")) == [mine.id]  # not "migración", not "minutos"
    assert ids(store.search("17")) == [ticket.id]
    assert ids(store.search("a17")) == [ticket.id]


def test_a_long_prefix_shared_by_many_words_is_still_found(store: NoteStore) -> None:
    """More words start with it than are spelled out: FTS5 merges them itself."""
    saved = [store.add(note(reason=f"orden{'x' * n}")) for n in range(SPELLED_OUT + 3)]
    assert ids(store.search("orden", limit=None)) == ids(saved[::-1])
    assert ids(store.search("ordenxx", limit=None)) == ids(saved[:1:-1])


@pytest.mark.parametrize(("typed", "written"), [("straß", "Straße"), ("ÅNGST", "Ångström")])
def test_prefixes_whose_folding_is_not_plain_ascii(
    store: NoteStore, typed: str, written: str
) -> None:
    wanted = store.add(note(person=written))
    assert ids(store.search(typed)) == [wanted.id]


# -- the index follows every change ---------------------------------------------------------


def test_filters_follow_edits_and_done_follow_ups(store: NoteStore, clock: Clock) -> None:
    saved = store.add(note(reason="Cobro doble", follow_up=clock.now - timedelta(hours=1)))
    due = NoteFilter(follow_up_due=True)
    assert ids(store.search("cobro", due)) == [saved.id]
    store.mark_done(saved.id or 0)
    assert store.search("cobro", due) == []
    edited = store.update(saved._replace(medium="email", pending="Llamar"))
    assert ids(store.search("cob", NoteFilter(medium="email", pending=True))) == [edited.id]
    assert store.search("cob", NoteFilter(medium="phone")) == []
    store.conn.execute("DELETE FROM notes WHERE id = ?", (saved.id,))  # plain SQL too
    assert store.search("cobro") == []


def test_notes_saved_before_the_migration_are_found_by_prefix_and_filter(db_path: Path) -> None:
    conn = earlier_database(db_path, 4)  # the version before
    conn.execute(
        "INSERT INTO notes (person, medium, reason, pending, created_at, updated_at) VALUES "
        "('Luis Díaz', 'in_person', 'Migración antigua', 'Firmar', '2024-01-01', '2024-01-01')"
    )
    conn.close()
    with NoteStore.open(db_path, backup_every=None) as store:
        found = store.search("migr", NoteFilter(medium="in_person", pending=True))
        assert [n.person for n in found] == ["Luis Díaz"]


# -- threads --------------------------------------------------------------------------------


def test_a_store_opened_in_a_worker_is_used_in_another_thread(db_path: Path) -> None:
    opened: list[NoteStore] = []
    worker = threading.Thread(
        target=lambda: opened.append(NoteStore.open(db_path, quick_check=False, backup_every=None))
    )
    worker.start()
    worker.join()
    with opened[0] as store:  # as the GUI thread takes it from the worker's signal
        saved = store.add(note())
        assert store.page().notes == [saved]
