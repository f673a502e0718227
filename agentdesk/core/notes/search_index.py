"""The notes' search index: an FTS5 table over the text fields, with prefix indexes and a
word per filter of the history, kept in step with ``notes`` by triggers.

- **Prefixes.** FTS5 answers ``"migr"*`` from its own prefix index when the prefix has
  :data:`PREFIXES` characters; longer prefixes are spelled out as the words the index holds
  (:mod:`.query`). Without prefix indexes, FTS5 merges the whole list of every word that
  starts with the prefix (10 ms for a word in a third of a million notes, 190 ms for a
  prefix shared by 20,000 words): the newest 50 would cost as much as all of them.
- **Filters.** Each note also holds, in the ``tags`` column, a word for its medium, one
  saying whether something is pending and one while a follow-up is open (:func:`tags`). A
  search with filters is then a single FTS5 query, which intersects the lists skipping
  ahead from the rarer side: "a word + follow-up due" reads the few notes with an open
  follow-up, not every note with the word. Periods are rowid ranges (:mod:`.query`).

The index's content is the view ``notes_search_source`` (the text fields and the tags as
SQL computes them), so FTS5 can rebuild itself from the notes; ``notes`` has no column for
it. ``notes_fts_terms`` lists the words the index holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentdesk.core.notes.model import TEXT_FIELDS

if TYPE_CHECKING:
    from sqlite_utils.db import Database

TABLE = "notes_fts"
TERMS = "notes_fts_terms"  # fts5vocab 'instance' table: every word, in order
SOURCE = "notes_search_source"
#: Prefix lengths with an index of their own. Shorter words match whole (two letters
#: narrow nothing down in a million notes).
PREFIXES = (3, 4)
TAGS_COLUMN = "tags"
#: Columns whose change changes what the index holds for a note.
_WATCHED = ("id", *TEXT_FIELDS, "medium", "follow_up", "follow_up_done")

PENDING, NOTHING_PENDING, FOLLOW_UP_OPEN = "pendingyes", "pendingno", "followupopen"


def medium_tag(medium: str) -> str:
    """The index's word for a medium (one word: 'in_person' -> 'mediuminperson')."""
    return "medium" + medium.replace("_", "")


def tags(row: str) -> str:
    """SQL for the tags of ``row`` (``NEW``, ``OLD`` or ``notes``): what :func:`medium_tag`
    and the filters in :mod:`.query` look for, computed as the filters' SQL computes them."""
    return (
        f"'medium' || replace({row}.medium, '_', '')"
        f" || CASE WHEN trim({row}.pending) != '' THEN ' {PENDING}' ELSE ' {NOTHING_PENDING}' END"
        f" || CASE WHEN {row}.follow_up IS NOT NULL AND {row}.follow_up_done = 0"
        f" THEN ' {FOLLOW_UP_OPEN}' ELSE '' END"
    )


def _values(row: str) -> str:
    return ", ".join([f"{row}.id", *(f"{row}.{name}" for name in TEXT_FIELDS), tags(row)])


def create(db: Database, tokenize: str) -> None:
    """(Re)create the index, its triggers and its word list, and fill it from the notes."""
    columns = ", ".join((*TEXT_FIELDS, TAGS_COLUMN))
    for trigger in ("notes_ai", "notes_ad", "notes_au"):
        db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    db.execute(f"DROP TABLE IF EXISTS {TERMS}")
    db.execute(f"DROP TABLE IF EXISTS {TABLE}")
    db.execute(f"DROP VIEW IF EXISTS {SOURCE}")
    db.execute(
        f"CREATE VIEW {SOURCE} AS SELECT id, {', '.join(TEXT_FIELDS)}, "
        f"{tags('notes')} AS {TAGS_COLUMN} FROM notes"
    )
    prefixes = " ".join(str(n) for n in PREFIXES)
    db.execute(
        f"CREATE VIRTUAL TABLE {TABLE} USING fts5({columns}, content='{SOURCE}', "
        f"content_rowid='id', tokenize='{tokenize}', prefix='{prefixes}')"
    )
    insert = f"INSERT INTO {TABLE} (rowid, {columns}) VALUES ({_values('NEW')});"
    delete = f"INSERT INTO {TABLE} ({TABLE}, rowid, {columns}) VALUES ('delete', {_values('OLD')});"
    db.execute(f"CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN {insert} END")
    db.execute(f"CREATE TRIGGER notes_ad AFTER DELETE ON notes BEGIN {delete} END")
    db.execute(
        f"CREATE TRIGGER notes_au AFTER UPDATE OF {', '.join(_WATCHED)} ON notes "
        f"BEGIN {delete} {insert} END"
    )
    db.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('rebuild')")
    db.execute(f"CREATE VIRTUAL TABLE {TERMS} USING fts5vocab({TABLE}, instance)")
