"""Pages of notes: what the agent typed and the filters, as one SQL query read by keyset.

Every list of notes (the history, ``notes list``, ``search``, ``export``) is read a page at
a time in id order, newest first (oldest first for an export), and the next page starts
after the last id shown (``id < :after``), never at an OFFSET: page 5,000 of a million
notes costs what page 1 costs, and a note added meanwhile shifts nothing.

How each part of a query finds its notes (see ``scripts/bench_notes.py``):

- words: the FTS5 index (:mod:`.search_index`) in rowid order, so the newest matches come
  first without reading the others. A word of letters matches the words it begins once it
  has three letters ("migr" finds "Migración"); shorter words, and words with digits (an
  ID, a phone, a ticket: "17" must not find "170"), match whole;
- medium, pending, follow-up open: words of the same index, in the same query;
- the period: the range of ids saved in it (read from the ``created_at`` index), which
  bounds the index's rowids; the dates themselves are checked on each note as well, as are
  the other filters, so the index only ever narrows what is read.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from agentdesk.core.notes import search_index
from agentdesk.core.notes.model import TEXT_FIELDS, Note, NoteFilter, format_time

#: Notes whose follow-up has come (at ``:now``) and is not done; the partial index
#: ``idx_notes_follow_up_open`` covers it.
DUE = "notes.follow_up IS NOT NULL AND notes.follow_up_done = 0 AND notes.follow_up <= :now"
#: A prefix longer than the prefix indexes is spelled out as the words it begins, up to
#: this many; past that FTS5 merges them itself.
SPELLED_OUT = 16

_RUNS = re.compile(r"[^\W_]+")  # runs of letters and digits, as FTS5's unicode61 sees words
_TEXT = "{" + " ".join(TEXT_FIELDS) + "}"
_SHORTEST, _LONGEST = min(search_index.PREFIXES), max(search_index.PREFIXES)


class Page(NamedTuple):
    """Notes of a list, newest first, and where the next page starts."""

    notes: list[Note]
    #: Pass as ``after`` for the next page; None: this page is the last.
    next: int | None


class Plan(NamedTuple):
    """A query, ready to read pages of: the FTS5 expression (None: no words, no filters
    the index answers), the range of ids the period covers, the SQL checks on each note."""

    match: str | None
    lowest: int | None
    highest: int | None
    where: tuple[str, ...]
    params: dict[str, Any]


def words(text: str) -> list[str]:
    """The words of ``text`` that can be searched for (those with a letter or a digit)."""
    return [word for word in text.split() if _RUNS.search(word)]


def fts_query(text: str) -> str | None:
    """An FTS5 query that matches notes containing every word of ``text`` whole.

    Each word is quoted, so nothing the agent types is taken as FTS5 syntax; a word like
    ``099-123`` becomes the phrase "099 123". None when there is nothing to search for.
    """
    return " ".join(fts_phrase(word) for word in words(text)) or None


def fts_phrase(word: str) -> str:
    """``word`` quoted, so nothing the agent types is taken as FTS5 syntax; ``099-123``
    becomes the phrase "099 123"."""
    return '"' + word.replace('"', '""') + '"'


def plan(
    conn: sqlite3.Connection, text: str, filters: NoteFilter | None, now: datetime
) -> Plan | None:
    """What to read for ``text`` and ``filters``; None when no note can match."""
    filters = filters or NoteFilter()
    where, params = checks(filters, now)
    parts = []
    if text.strip():
        typed = [_match_word(conn, word) for word in words(text)]
        if not typed:
            return None
        parts.append(f"{_TEXT} : ({' AND '.join(typed)})")
    tags = _tags(filters)
    if tags:
        parts.append(f"{search_index.TAGS_COLUMN} : ({' AND '.join(tags)})")
    lowest = highest = None
    period, dates = _period(filters)
    if period:
        row = conn.execute(f"SELECT min(id), max(id) FROM notes WHERE {period}", dates).fetchone()
        if row[0] is None:
            return None
        lowest, highest = row
    match = " AND ".join(parts) or None
    return Plan(match, lowest, highest, tuple(where), params)


def page_sql(
    columns: str,
    plan: Plan,
    after: int | None,
    limit: int | None,
    oldest_first: bool = False,
    offset: int = 0,
) -> tuple[str, dict[str, Any]]:
    """The SQL (and its parameters) for the page of ``plan`` after the id ``after``."""
    params = dict(plan.params)
    key = "notes_fts.rowid" if plan.match else "notes.id"
    clauses = list(plan.where)
    if plan.match:
        source = f"{search_index.TABLE} AS notes_fts CROSS JOIN notes ON notes.id = {key}"
        clauses.insert(0, "notes_fts MATCH :match")  # the index first: it drives the read
        params["match"] = plan.match
    else:
        source = "notes"
    for bound, value, op in (
        ("lowest", plan.lowest, ">="),
        ("highest", plan.highest, "<="),
        ("after", after, ">" if oldest_first else "<"),
    ):
        if value is not None:
            clauses.append(f"{key} {op} :{bound}")
            params[bound] = value
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    order = "" if oldest_first else " DESC"
    limit_sql = ""
    if limit is not None or offset:
        limit_sql = f" LIMIT {-1 if limit is None else int(limit)}"
    if offset:
        limit_sql += f" OFFSET {int(offset)}"
    return f"SELECT {columns} FROM {source}{where} ORDER BY {key}{order}{limit_sql}", params


def checks(filters: NoteFilter, now: datetime) -> tuple[list[str], dict[str, Any]]:
    """The filters as SQL on ``notes`` (each note read is checked against them)."""
    period, params = _period(filters)
    clauses = [period] if period else []
    if filters.medium is not None:
        clauses.append("notes.medium = :medium")
        params["medium"] = filters.medium
    if filters.pending is not None:
        clauses.append(f"trim(notes.pending) {'!=' if filters.pending else '='} ''")
    if filters.follow_up_due:
        clauses.append(DUE)
        params["now"] = format_time(now)
    return clauses, params


def _period(filters: NoteFilter) -> tuple[str, dict[str, Any]]:
    """The period as SQL on ``notes.created_at`` (empty: any time); the last day counts."""
    clauses, params = [], {}
    if filters.since is not None:
        clauses.append("notes.created_at >= :since")
        params["since"] = filters.since.isoformat()
    if filters.until is not None:
        clauses.append("notes.created_at < :until")
        params["until"] = (filters.until + timedelta(days=1)).isoformat()
    return " AND ".join(clauses), params


def _tags(filters: NoteFilter) -> list[str]:
    found = []
    if filters.medium is not None:
        found.append(search_index.medium_tag(filters.medium))
    if filters.pending is not None:
        found.append(search_index.PENDING if filters.pending else search_index.NOTHING_PENDING)
    if filters.follow_up_due:
        found.append(search_index.FOLLOW_UP_OPEN)
    return [fts_phrase(tag) for tag in found]


def _match_word(conn: sqlite3.Connection, word: str) -> str:
    """The FTS5 expression for one word the agent typed."""
    phrase = fts_phrase(word)
    runs = _RUNS.findall(word)
    last = runs[-1]
    if any(ch.isdigit() for ch in word) or len(last) < _SHORTEST:
        return phrase  # whole
    if len(runs) == 1 and len(last) > _LONGEST:
        spelled = _spelled_out(conn, last)
        if spelled:
            return "(" + " OR ".join(fts_phrase(w) for w in spelled) + ")"
    return phrase + "*"


def _spelled_out(conn: sqlite3.Connection, prefix: str) -> list[str] | None:
    """The words of the index that start with ``prefix`` (None: more than
    :data:`SPELLED_OUT`, none, or a prefix whose folding we cannot be sure of)."""
    folded = "".join(
        ch for ch in unicodedata.normalize("NFD", prefix) if not unicodedata.combining(ch)
    ).lower()
    if not (folded.isascii() and folded.isalpha()):
        return None  # FTS5 folds it its own way: let it find the words itself
    found: list[str] = []
    at = folded
    while len(found) <= SPELLED_OUT:
        row = conn.execute(
            f"SELECT term FROM {search_index.TERMS} WHERE term >= ? LIMIT 1", (at,)
        ).fetchone()
        if row is None or not row[0].startswith(folded):
            break
        found.append(row[0])
        at = row[0] + "\x01"  # the next word after it: no word holds a control character
    return found if 0 < len(found) <= SPELLED_OUT else None
