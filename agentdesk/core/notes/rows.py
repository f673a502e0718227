"""A note as a row of the ``notes`` table and back: the one place that knows how each
field is stored (JSON lists, local times to the second, 0/1 for done)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from agentdesk.core.notes.model import LIST_FIELDS, TIME_FIELDS, Note, format_time, parse_time
from agentdesk.core.packs.model import Medium

#: The ``notes`` table's columns: the note's fields, ``id`` first as the table has them.
COLUMNS = ("id", *(name for name in Note._fields if name != "id"))
_TIMES = tuple(name for name in TIME_FIELDS if name in COLUMNS)

# The save path is kept lean (no JSON for empty lists, each column's conversion looked up
# once): it is most of what a note save costs above the raw INSERT and the fsync.


def note_row(note: Note, created_at: datetime | None, updated_at: datetime) -> dict[str, Any]:
    """The values of the ``notes`` columns for ``note`` (all but ``id``), as stored."""
    row = {
        name: value if encode is None else encode(value)
        for (name, encode), value in zip(_ENCODERS, note, strict=True)
    }
    del row["id"]
    row["created_at"] = format_time(created_at)
    row["updated_at"] = format_time(updated_at)
    return row


_JSON = json.JSONEncoder(ensure_ascii=False)  # built once: json.dumps(..., kw) builds one a call


def _json_list(items: tuple[str, ...]) -> str:
    return _JSON.encode(items) if items else "[]"


_ENCODE: dict[str, Callable[[Any], Any]] = {
    **dict.fromkeys(LIST_FIELDS, _json_list),
    **dict.fromkeys(TIME_FIELDS, format_time),
    "follow_up_done": int,
}
#: (field, how its value is stored, if not as it is) for each field of a note, in order.
_ENCODERS = tuple((name, _ENCODE.get(name)) for name in Note._fields)


def as_stored(note: Note, note_id: int | None, created_at: datetime, updated_at: datetime) -> Note:
    """The note as :meth:`NoteStore.get` would read it back (times to the second, local)."""
    return Note(
        **{
            **note._asdict(),
            "id": note_id,
            "follow_up": _to_second(note.follow_up),
            "started_at": _to_second(note.started_at),
            "ended_at": _to_second(note.ended_at),
            "created_at": _to_second(created_at),
            "updated_at": updated_at,
        }
    )


def _to_second(value: datetime | None) -> datetime | None:
    """What :func:`format_time` keeps of a time: local, naive, whole seconds."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone().replace(tzinfo=None)
    return value.replace(microsecond=0) if value.microsecond else value


def from_row(row: tuple[Any, ...]) -> Note:
    values = dict(zip(COLUMNS, row, strict=True))
    for name in LIST_FIELDS:
        values[name] = tuple(json.loads(values[name]))
    for name in _TIMES:
        values[name] = parse_time(values[name])
    values["follow_up_done"] = bool(values["follow_up_done"])
    values["medium"] = cast(Medium, values["medium"])
    return Note(**values)
