"""``agentdesk notes``: add, list, search, see what is due and export interaction notes.

Input is checked before the database is opened, so bad input writes nothing. ``add``
prints the new note's id only once the note is durable (committed with
``synchronous=FULL``), so a script may trust every id it sees.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from agentdesk.cli.common import CommandFailed, UsageError, paths, print_json

if TYPE_CHECKING:
    from agentdesk.core.notes import Note, NoteStore

FOLLOW_UP_FORMAT = "%Y-%m-%dT%H:%M"
#: Exit status when the notes database cannot be used: a full disk, a read-only file or
#: folder, a folder in its place (EX_IOERR, as in sysexits.h; 70 is reserved for bugs).
UNAVAILABLE = 74


def _storage_failures(handler: Callable[[argparse.Namespace], int]) -> Callable[..., int]:
    """``handler``, with a notes database it cannot use reported in words (status 74)."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        from agentdesk.core.notes import NotesUnavailable

        try:
            return handler(args)
        except NotesUnavailable as exc:
            raise CommandFailed(str(exc), UNAVAILABLE) from None

    return run


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    notes = commands.add_parser(
        "notes",
        help="interaction notes: add, list, search, due follow-ups, export",
        description="The interaction notes kept in the data folder (see --data-dir).",
    )
    actions = notes.add_subparsers(dest="notes_command", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="add a note; prints its id once it is saved")
    add.add_argument("--person", required=True, metavar="P", help="who the interaction was with")
    add.add_argument(
        "--medium",
        required=True,
        metavar="M",
        help="phone, whatsapp, email, switchboard, skype, teams, chat, in_person or other",
    )
    add.add_argument("--reason", required=True, metavar="R", help="the reason for the contact")
    add.add_argument("--inputs", default="", metavar="T", help="inputs given or received")
    add.add_argument("--pending", default="", metavar="T", help="what is still pending")
    add.add_argument("--solution", default="", metavar="T", help="the solution given")
    add.add_argument("--protocol", default="", metavar="T", help="the protocol applied")
    add.add_argument(
        "--follow-up", metavar="YYYY-MM-DDTHH:MM", help="a scheduled call or session (local time)"
    )
    add.set_defaults(handler=_storage_failures(add_note))

    listing = actions.add_parser("list", help="every note, newest first")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=_storage_failures(list_notes))

    search = actions.add_parser(
        "search", help="notes with every word of QUERY (accents and case ignored)"
    )
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--json", action="store_true", help="print JSON")
    search.set_defaults(handler=_storage_failures(search_notes))

    due = actions.add_parser("due", help="follow-ups whose time has come and are not done")
    due.add_argument("--json", action="store_true", help="print JSON")
    due.set_defaults(handler=_storage_failures(due_notes))

    export = actions.add_parser("export", help="every note as CSV or JSON Lines")
    # export.FORMATS, written out: importing the notes here would slow every command down
    export.add_argument("--format", required=True, choices=("csv", "jsonl"))
    export.add_argument(
        "--mask", action="store_true", help="hide ID and phone numbers but for their last digits"
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    export.set_defaults(handler=_storage_failures(export_notes))


# -- handlers -----------------------------------------------------------------------------


def add_note(args: argparse.Namespace) -> int:
    from agentdesk.core.notes import Note
    from agentdesk.core.notes.model import normalize_medium
    from agentdesk.core.packs.model import MEDIA

    # What the store checks, said in the command line's words (and before the file opens)
    medium = normalize_medium(args.medium)
    if medium is None:
        raise UsageError(f"unknown medium '{args.medium}'; use one of: {', '.join(MEDIA)}")
    for option in ("person", "reason"):
        if not getattr(args, option).strip():
            raise UsageError(f"--{option} must not be empty")
    note = Note(
        person=args.person,
        medium=medium,
        reason=args.reason,
        inputs=args.inputs,
        pending=args.pending,
        solution=args.solution,
        protocol=args.protocol,
        follow_up=parse_follow_up(args.follow_up),
        agent=agent_name(args),
    )
    with open_store(args) as store:
        saved = store.add(note)
    print(saved.id, flush=True)
    return 0


def list_notes(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        show(store.list_notes(limit=None), args.json)
    return 0


def search_notes(args: argparse.Namespace) -> int:
    from agentdesk.core.notes.store import fts_query

    if fts_query(args.query) is None:
        raise UsageError("search needs at least one word to look for")
    with open_store(args) as store:
        show(store.search(args.query, limit=None), args.json)
    return 0


def due_notes(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        show(store.due(), args.json, follow_up=True)
    return 0


def export_notes(args: argparse.Namespace) -> int:
    from agentdesk.core.notes.export import export, export_file

    if args.output is None:
        with open_store(args) as store:
            export(store.iter_notes(), sys.stdout, args.format, args.mask)
        return 0
    target = Path(args.output)
    if target.is_dir():
        raise UsageError(f"'{args.output}' is a folder; give a file name")
    if not target.parent.is_dir():
        raise UsageError(f"the folder of '{args.output}' does not exist")
    with open_store(args) as store:
        count = export_file(store.iter_notes(), target, args.format, args.mask)
    print(f"{count} note{'' if count == 1 else 's'} written to {target}", file=sys.stderr)
    return 0


# -- helpers ------------------------------------------------------------------------------


def open_store(args: argparse.Namespace) -> NoteStore:
    """The notes database of ``--data-dir``; what recovery or backup did goes to stderr."""
    from agentdesk.core.notes import open_notes
    from agentdesk.core.notes.model import shown_time

    store = open_notes(paths(args))
    recovery = store.recovery
    if recovery is not None:  # said in English here; recovery.message is for the app
        what = (
            f"the notes database was damaged and was set aside as {recovery.set_aside}"
            if recovery.set_aside
            else "the notes database was missing"
        )
        if recovery.restored_from is None or recovery.backup_time is None:
            done = "no good backup was found, so an empty database was started"
        else:
            done = (
                f"the backup of {shown_time(recovery.backup_time)} was restored "
                f"({recovery.restored_from}); notes saved after it are not in it"
            )
        print(f"agentdesk: warning: {what}; {done}", file=sys.stderr)
    if store.backup_error is not None:
        print(f"agentdesk: warning: the backup failed: {store.backup_error}", file=sys.stderr)
    return store


def parse_follow_up(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, FOLLOW_UP_FORMAT)
    except ValueError:
        raise UsageError(
            f"--follow-up must be a date and time as YYYY-MM-DDTHH:MM "
            f"(e.g. 2024-06-03T09:30), not '{value}'"
        ) from None


def agent_name(args: argparse.Namespace) -> str:
    """The agent's name from the settings (``agent_name``); empty if not set."""
    from agentdesk.core.settings import Settings

    return Settings.load(paths(args).settings_file).agent_name.strip()


def show(notes: list[Note], as_json: bool, follow_up: bool = False) -> None:
    from agentdesk.core.notes.model import shown_time

    if as_json:
        print_json({"notes": [n.to_json() for n in notes]})
        return
    for note in notes:
        when = note.follow_up if follow_up else note.created_at
        stamp = shown_time(when)
        reason = " ".join(note.reason.split())
        if len(reason) > 60:
            reason = reason[:59] + "…"
        line = f"{note.id:>6}  {stamp:16}  {note.medium:11}  {note.person} — {reason}"
        if not follow_up and note.follow_up is not None:
            mark = "done" if note.follow_up_done else shown_time(note.follow_up)
            line += f"  [follow-up {mark}]"
        print(line)
