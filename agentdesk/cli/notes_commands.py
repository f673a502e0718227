"""``agentdesk notes``: add, list, search, see what is due and export interaction notes.

Input is checked before the database is opened, so bad input writes nothing. ``add``
prints the new note's id only once the note is durable (committed with
``synchronous=FULL``), so a script may trust every id it sees.

``list``, ``search`` and ``export`` print as they read, a page at a time (the core's
:meth:`~agentdesk.core.notes.store.NoteStore.each`): the first line comes at once and
memory stays flat at a million notes. Only ``add`` takes the daily checked backup (before
it writes; :mod:`agentdesk.core.notes.upkeep`): a command that only reads never waits for
a copy of the whole database, and a desk that writes notes from scripts alone still gets
its backups. The app takes them in a worker thread.

A command that only reads works on a database it cannot write (a file of mode 0444, a
read-only folder or disk): it is opened read-only, with a warning that notes cannot be saved
there; ``add`` is refused with status 74, naming the file and what to do.
"""

from __future__ import annotations

import argparse
import functools
import json
import sqlite3
import sys
import textwrap
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from agentdesk.cli.common import CommandFailed, UsageError, paths

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from agentdesk.core.notes import Note, NoteStore

FOLLOW_UP_FORMAT = "%Y-%m-%dT%H:%M"
PAGE = 500  # notes read at a time (the core's NoteStore.each)
#: Exit status when the notes database cannot be used: a full disk, a read-only file or
#: folder, a folder in its place (EX_IOERR, as in sysexits.h; 70 is reserved for bugs).
UNAVAILABLE = 74
#: Exit status when a command met damage in the database mid-way: it was recovered, and the
#: command should be run again (EX_TEMPFAIL).
AGAIN = 75


def _storage_failures(handler: Callable[[argparse.Namespace], int]) -> Callable[..., int]:
    """``handler``, with a notes database it cannot use reported in words (status 74), and
    damage met after the open recovered at once (status 75: run the command again)."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        from agentdesk.core.notes import NotesUnavailable
        from agentdesk.core.notes.backup import is_corruption

        try:
            try:
                return handler(args)
            except sqlite3.DatabaseError as exc:  # the store is closed by now
                if not is_corruption(exc):
                    raise
                open_store(args, damaged=True).close()
                raise CommandFailed(
                    "the command stopped at a damaged part of the notes database, which was "
                    "recovered (see the warning above); run the command again",
                    AGAIN,
                ) from None
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
    _paging_options(listing)
    listing.set_defaults(handler=_storage_failures(list_notes))

    search = actions.add_parser(
        "search",
        help="notes with every word of QUERY, newest first (accents and case ignored; "
        "'migr' finds 'Migración')",
    )
    search.add_argument("query", metavar="QUERY")
    _paging_options(search)
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
    _paging_options(export, with_json=False, after="start after the note ID (only newer notes)")
    export.set_defaults(handler=_storage_failures(export_notes))


def _paging_options(
    command: argparse.ArgumentParser,
    with_json: bool = True,
    after: str = "start after the note ID (the last page's 'next': older notes only)",
) -> None:
    if with_json:
        command.add_argument("--json", action="store_true", help="print JSON")
    command.add_argument(
        "--limit", type=_positive, metavar="N", help="at most N notes (default: all)"
    )
    command.add_argument("--after", type=_positive, metavar="ID", help=after)


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number <= 0:
        raise argparse.ArgumentTypeError(f"must be a whole number above 0, not '{value}'")
    return number


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
    with open_store(args, writing=True) as store:
        saved = store.add(note)
    print(saved.id, flush=True)
    return 0


def list_notes(args: argparse.Namespace) -> int:
    return show_page(args, "")


def search_notes(args: argparse.Namespace) -> int:
    from agentdesk.core.notes.query import fts_query

    if fts_query(args.query) is None:
        raise UsageError("search needs at least one word to look for")
    return show_page(args, args.query)


def due_notes(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        show(store.due(), args.json, follow_up=True)
    return 0


def export_notes(args: argparse.Namespace) -> int:
    from agentdesk.core.notes.export import export, export_file

    target = None if args.output is None else Path(args.output)
    if target is not None and target.is_dir():
        raise UsageError(f"'{args.output}' is a folder; give a file name")
    if target is not None and not target.parent.is_dir():
        raise UsageError(f"the folder of '{args.output}' does not exist")
    with open_store(args) as store:
        read = store.each(after=args.after, oldest_first=True, size=page_size(args))
        notes = Limited(read, args.limit)
        if target is None:
            export(notes, sys.stdout, args.format, args.mask)
        else:
            count = export_file(notes, target, args.format, args.mask)
            written = f"{count} note{'' if count == 1 else 's'} written to {target}"
            print(written, file=sys.stderr)
    more(notes)
    return 0


# -- helpers ------------------------------------------------------------------------------


def open_store(
    args: argparse.Namespace, *, writing: bool = False, damaged: bool = False
) -> NoteStore:
    """The notes database of ``--data-dir``, opened in milliseconds at any size; when
    ``writing``, after the daily checked backup if it is due, and else read-only if it
    cannot be written. What recovery or the backup did goes to stderr."""
    from agentdesk.core.notes import upkeep

    store = upkeep.open_for_use(paths(args), damaged=damaged, reading=not writing)
    report(store)
    if writing:
        done = upkeep.daily(paths(args))
        if done.damage:
            store.close()
            store = upkeep.open_for_use(paths(args), damaged=True)
            report(store)
        elif done.error is not None:
            print(f"agentdesk: warning: the backup failed: {done.error}", file=sys.stderr)
    return store


def report(store: NoteStore) -> None:
    """What the open did to a damaged or missing database, on stderr; and that notes
    opened read-only cannot be saved."""
    from agentdesk.core.notes.model import shown_time

    if store.read_only is not None:
        print(f"agentdesk: warning: {store.read_only}", file=sys.stderr)
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


def show_page(args: argparse.Namespace, text: str) -> int:
    """Print the notes with the words of ``text`` (all if none), newest first, as they are
    read; with ``--limit``, the id to pass as ``--after`` for the rest."""
    with open_store(args) as store:
        notes = Limited(store.each(text, after=args.after, size=page_size(args)), args.limit)
        show(notes, args.json)
    more(notes, args.json)
    return 0


def page_size(args: argparse.Namespace) -> int:
    """Notes to read at a time: a page, or just past ``--limit`` if it is smaller."""
    return PAGE if args.limit is None else min(PAGE, args.limit + 1)


def more(notes: Limited, as_json: bool = False) -> None:
    """Say where the rest starts when ``--limit`` left notes out (JSON says it as 'next')."""
    if notes.next is not None and not as_json:
        print(f"agentdesk: more notes: --after {notes.next}", file=sys.stderr)


class Limited:
    """``notes``, no more than ``limit`` of them (None: all); once read, ``next`` is the
    last one's id if notes were left out (for ``--after``), else None."""

    def __init__(self, notes: Iterable[Note], limit: int | None) -> None:
        self.notes = notes
        self.limit = limit
        self.next: int | None = None

    def __iter__(self) -> Iterator[Note]:
        last = None
        for count, note in enumerate(self.notes):
            if count == self.limit:
                self.next = last
                return
            yield note
            last = note.id


def show(notes: Iterable[Note], as_json: bool, follow_up: bool = False) -> None:
    """Print ``notes`` as they come (one line each, or JSON written note by note)."""
    out = sys.stdout
    count = 0
    if as_json:
        out.write('{\n  "notes": [')
    for note in notes:
        if as_json:
            item = json.dumps(note.to_json(), ensure_ascii=False, indent=2, default=str)
            out.write(("," if count else "") + "\n" + textwrap.indent(item, "    "))
        else:
            out.write(note_line(note, follow_up) + "\n")
        count += 1
        if count == 1:
            out.flush()  # the first line at once, whatever the buffering
    if as_json:
        after = notes.next if isinstance(notes, Limited) else None
        out.write(("\n  " if count else "") + f'],\n  "next": {json.dumps(after)}\n}}\n')


def note_line(note: Note, follow_up: bool = False) -> str:
    from agentdesk.core.notes.model import shown_time

    when = note.follow_up if follow_up else note.created_at
    stamp = shown_time(when)
    reason = " ".join(note.reason.split())
    if len(reason) > 60:
        reason = reason[:59] + "…"
    line = f"{note.id:>6}  {stamp:16}  {note.medium:11}  {note.person} — {reason}"
    if not follow_up and note.follow_up is not None:
        mark = "done" if note.follow_up_done else shown_time(note.follow_up)
        line += f"  [follow-up {mark}]"
    return line
