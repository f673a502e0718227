"""An interaction note, its draft, and the filters the notes list offers.

A :class:`Note` is what the support rules (seed 004) ask for: one activity per customer
interaction. A :class:`Draft` is the same note while the agent is still writing it: any
field may be empty, and nothing is checked until it is finished.

The note's fields are declared once, here: the ``notes`` table's columns, the store's
reads and writes, the exports and the JSON forms all follow :class:`Note` (the first
migration, frozen once shipped, is checked against it by a test). Like every record of the
core they are NamedTuples: immutable, cheap to build and to pickle, and free of the
``dataclasses`` import the panel's start-up avoids.

Times are naive local wall-clock times (a follow-up at 09:00 means 09:00 on the agent's
clock), stored as ISO text to the second, so they sort and compare as text in SQL.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, NamedTuple

from agentdesk.core.i18n import _
from agentdesk.core.packs.model import MEDIA, Medium

#: The free-text fields, in the order the note form shows them. Search covers these.
TEXT_FIELDS = ("person", "reason", "inputs", "pending", "solution", "protocol")
#: Lists of ids (or, for ``path``, "step: answer" entries).
LIST_FIELDS = ("path", "scripts_shown", "macros_copied", "offers_applied")
TIME_FIELDS = ("follow_up", "started_at", "ended_at", "created_at", "updated_at", "saved_at")


class NoteError(ValueError):
    """A note that cannot be saved as it is; the message says why, for the agent."""


class DraftConflict(NoteError):
    """Another unfinished draft is in the way: finish or discard it first."""

    def __init__(self, current: Draft) -> None:
        super().__init__(
            _(
                "Another note is still being written (started {when}); finish or discard it first."
            ).format(when=shown_time(current.started_at or current.saved_at) or "?")
        )
        self.current = current


class Note(NamedTuple):
    """A saved interaction note. ``id`` and the timestamps are set by the store."""

    person: str
    medium: Medium
    reason: str
    inputs: str = ""
    pending: str = ""
    solution: str = ""
    protocol: str = ""
    follow_up: datetime | None = None
    follow_up_done: bool = False
    pack_id: str = ""
    pack_version: str = ""
    flow_id: str = ""
    path: tuple[str, ...] = ()
    scripts_shown: tuple[str, ...] = ()
    macros_copied: tuple[str, ...] = ()
    offers_applied: tuple[str, ...] = ()
    started_at: datetime | None = None
    ended_at: datetime | None = None
    agent: str = ""
    id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values: lists for the id lists, ISO text for times."""
        return _to_json(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Note:
        """The inverse of :meth:`to_json`; unknown keys are ignored."""
        return cls(**_from_json(cls, data))


class _DraftFields(NamedTuple):
    key: str = ""
    person: str = ""
    medium: str | None = None
    reason: str = ""
    inputs: str = ""
    pending: str = ""
    solution: str = ""
    protocol: str = ""
    follow_up: datetime | None = None
    pack_id: str = ""
    pack_version: str = ""
    flow_id: str = ""
    path: tuple[str, ...] = ()
    scripts_shown: tuple[str, ...] = ()
    macros_copied: tuple[str, ...] = ()
    offers_applied: tuple[str, ...] = ()
    started_at: datetime | None = None
    ended_at: datetime | None = None
    agent: str = ""
    saved_at: datetime | None = None


class Draft(_DraftFields):
    """A note being written. ``key`` tells one draft from the next (see ``save_draft``):
    a draft made without one gets a new, unique key."""

    __slots__ = ()

    def __new__(cls, *args: Any, **fields: Any) -> Draft:
        if not args and not fields.get("key"):
            fields["key"] = uuid.uuid4().hex
        return super().__new__(cls, *args, **fields)

    def problems(self) -> list[str]:
        """What must be filled in before the draft can become a note (empty: nothing)."""
        return problems(self)

    def to_note(self) -> Note:
        """The finished note; :class:`NoteError` lists what is missing."""
        check(self)
        values = self._asdict()
        del values["key"], values["saved_at"]
        return Note(**values)

    def to_json(self) -> dict[str, Any]:
        return _to_json(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Draft:
        return cls(**_from_json(cls, data))


class NoteFilter(NamedTuple):
    """What the notes list shows. Dates are inclusive and apply to when the note was saved."""

    since: date | None = None
    until: date | None = None
    medium: Medium | None = None
    pending: bool | None = None  # True: only notes with something pending; False: none
    follow_up_due: bool = False  # only notes whose follow-up is due and not done


def problems(item: Note | Draft) -> list[str]:
    """What must be filled in before ``item`` can be stored as a note (empty: nothing)."""
    found = []
    if not item.person.strip():
        found.append(_("Who was the interaction with? Fill in the person."))
    if item.medium is None or not item.medium.strip():
        found.append(_("Choose the medium of the interaction."))
    elif item.medium not in MEDIA:
        found.append(unknown_medium(item.medium))
    if not item.reason.strip():
        found.append(_("Fill in the reason for the interaction."))
    return found


def check(item: Note | Draft) -> None:
    """Raise :class:`NoteError`, saying what is missing, if ``item`` cannot be a note."""
    found = problems(item)
    if found:
        raise NoteError(" ".join(found))


def normalize_medium(text: str) -> Medium | None:
    """``"In person"``, ``"in-person"`` and ``"IN_PERSON"`` all mean ``in_person``."""
    key = "_".join(text.strip().lower().replace("-", " ").split())
    return key if key in MEDIA else None


def unknown_medium(text: str) -> str:
    return _("Unknown medium '{medium}'; use one of: {media}.").format(
        medium=text, media=", ".join(MEDIA)
    )


def format_time(value: datetime | None) -> str | None:
    """The stored form of a time: local, to the second (``2024-06-01T09:30:00``)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone().replace(tzinfo=None)
    return value.isoformat(timespec="seconds")


def shown_time(value: datetime | None) -> str:
    """A time as people read it: ``2024-06-01 09:30`` (empty for none)."""
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def parse_time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _to_json(item: Note | Draft) -> dict[str, Any]:
    data = item._asdict()
    for name in LIST_FIELDS:
        if name in data:
            data[name] = list(data[name])
    for name in TIME_FIELDS:
        if name in data:
            data[name] = format_time(data[name])
    return data


def _from_json(cls: type[Note] | type[Draft], data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in cls._fields:
        if name not in data:
            continue
        value = data[name]
        if name in TIME_FIELDS:
            value = parse_time(value)
        elif name in LIST_FIELDS:
            value = tuple(value or ())
        values[name] = value
    return values
