"""Interaction notes, kept locally in SQLite (issue 5).

- :mod:`.model`: :class:`Note`, :class:`Draft`, :class:`NoteFilter`, validation.
- :mod:`.store`: :class:`NoteStore` (open, notes, search, pages, follow-ups, the draft).
- :mod:`.query`: pages of notes by keyset; words, prefixes and filters as one query.
- :mod:`.search_index`: the FTS5 index, with prefix indexes and a word per filter.
- :mod:`.upkeep`: the daily checked backup and the open that does not wait for it.
- :mod:`.prefill`: a draft from the wizard's session.
- :mod:`.export`: CSV and JSON Lines, with masking.
- :mod:`.backup`: rotating checked backups and recovery from a damaged database.
- :mod:`.salvage`: what a damaged database still holds, merged back after recovery.
- :mod:`.unavailable`: a full disk, a read-only or misplaced database, said in words.
- :mod:`.schema`: the numbered migrations.
"""

from __future__ import annotations

from agentdesk.core.notes.backup import Recovery
from agentdesk.core.notes.model import Draft, DraftConflict, Note, NoteError, NoteFilter
from agentdesk.core.notes.query import Page
from agentdesk.core.notes.store import NoteStore, open_notes
from agentdesk.core.notes.unavailable import NotesUnavailable

__all__ = [
    "Draft",
    "DraftConflict",
    "Note",
    "NoteError",
    "NoteFilter",
    "NoteStore",
    "NotesUnavailable",
    "Page",
    "Recovery",
    "open_notes",
]
