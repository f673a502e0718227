"""Drafts set aside: unfinished notes of earlier calls, kept until the agent completes them.

The store keeps one *open* draft (the ``draft`` table, see :meth:`NoteStore.save_draft`):
the note the agent is writing. When a new call reaches its outcome, the open draft of an
earlier call is set aside here (the ``draft_aside`` table, one row per draft, by key) and
the new call's draft takes its place; saving a draft as the open one takes it out of the
aside table in the same transaction, so a draft is in one place or the other, never lost
and never twice. (:mod:`agentdesk.core.interaction.drafting` decides when.)
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING

from agentdesk.core.notes.model import Draft, format_time

TABLE = "draft_aside"
#: Take a draft out of the aside table (it is open now, saved as a note, or discarded).
TAKE_OUT = f"DELETE FROM {TABLE} WHERE key = ?"


class AsideDrafts:
    """The notes store's drafts set aside (mixed into :class:`NoteStore`)."""

    conn: sqlite3.Connection

    if TYPE_CHECKING:

        def _now(self) -> datetime: ...
        def _write(self) -> AbstractContextManager[sqlite3.Connection]: ...

    def set_aside(self, draft: Draft) -> Draft:
        """Keep ``draft`` aside (durably), out of the open draft's place if it held it."""
        saved = draft._replace(saved_at=self._now())
        with self._write() as conn:
            conn.execute(
                f"INSERT INTO {TABLE} (key, data, saved_at) VALUES (:key, :data, :saved_at) "
                "ON CONFLICT (key) DO UPDATE SET data = :data, saved_at = :saved_at",
                {
                    "key": saved.key,
                    "data": json.dumps(saved.to_json(), ensure_ascii=False),
                    "saved_at": format_time(saved.saved_at),
                },
            )
            conn.execute("DELETE FROM draft WHERE key = ?", (draft.key,))
        return saved

    def load_aside(self) -> list[Draft]:
        """The drafts set aside, in the order they were first set aside."""
        rows = self.conn.execute(f"SELECT data FROM {TABLE} ORDER BY rowid")
        return [Draft.from_json(json.loads(data)) for (data,) in rows]
