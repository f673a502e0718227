"""Notes out as CSV or JSON Lines (and back in, which is how the round trip is proven).

Both formats carry every field. In CSV, times are ISO text (empty when unset), the
follow-up flag is ``true``/``false`` and each list is one cell with an item per line,
which spreadsheets show as is.

With ``mask``, ID numbers and phone numbers in the text fields are hidden but for their
last digits (see :func:`mask_text`).
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal, TextIO

from agentdesk.core.files import replace_durably
from agentdesk.core.notes.model import LIST_FIELDS, TEXT_FIELDS, TIME_FIELDS, Note

Format = Literal["csv", "jsonl"]
FORMATS: tuple[Format, ...] = ("csv", "jsonl")
# The order of columns (CSV) and keys (JSON Lines): who and when first, as people read.
_FIRST = ("id", "created_at", "updated_at", "started_at", "ended_at", "agent")
COLUMNS = _FIRST + tuple(name for name in Note._fields if name not in _FIRST)

# A date or time is left alone; any other run of 7+ digits (spaces or hyphens may split
# it, a + may lead it) is an ID number or a phone number.
_NUMBERS = re.compile(
    r"(?<!\d)(?:"
    r"(?P<date>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?|\d{1,2}/\d{1,2}/\d{2,4})"
    r"|(?P<number>\+?\d(?:[ -]?\d){6,})"
    r")(?!\d)"
)
MASK = "*"


def mask_text(text: str) -> str:
    """Hide ID and phone numbers: ``0991234567`` becomes ``******4567``.

    At least six digits are always hidden; the last two to four (by length) stay, so an
    agent can still tell two customers apart.
    """
    return _NUMBERS.sub(_mask_match, text) if text else text


def _mask_match(match: re.Match[str]) -> str:
    number = match.group("number")
    if number is None:
        return match.group(0)
    digits = sum(ch.isdigit() for ch in number)
    keep = 2 if digits <= 8 else 3 if digits == 9 else 4
    hidden = digits - keep
    out = []
    for ch in number:
        if ch.isdigit() and hidden > 0:
            out.append(MASK)
            hidden -= 1
        else:
            out.append(ch)
    return "".join(out)


def mask_note(note: Note) -> Note:
    masked: dict[str, Any] = {name: mask_text(getattr(note, name)) for name in TEXT_FIELDS}
    return note._replace(**masked)


def export(notes: Iterable[Note], out: TextIO, fmt: Format, mask: bool = False) -> int:
    """Write ``notes`` to ``out``; returns how many were written."""
    if mask:
        notes = (mask_note(n) for n in notes)
    return export_csv(notes, out) if fmt == "csv" else export_jsonl(notes, out)


def export_file(notes: Iterable[Note], target: Path, fmt: Format, mask: bool = False) -> int:
    """Write ``notes`` to the file ``target``; returns how many were written.

    A CSV file starts with a UTF-8 BOM so spreadsheets read the accents right (readers skip
    it). The notes go to a partial file beside ``target``, which replaces it only when
    complete and on disk: a failure or a power cut leaves the old file or the new one.
    """
    partial = target.with_name(f".{target.name}.partial")
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    try:
        with partial.open("w", encoding=encoding, newline="") as out:
            count = export(notes, out, fmt, mask)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    replace_durably(partial, target, synced=True)
    return count


def export_jsonl(notes: Iterable[Note], out: TextIO) -> int:
    count = 0
    for note in notes:
        data = note.to_json()
        out.write(json.dumps({name: data[name] for name in COLUMNS}, ensure_ascii=False) + "\n")
        count += 1
    return count


def export_csv(notes: Iterable[Note], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for note in notes:
        data = note.to_json()
        writer.writerow([_csv_cell(name, data[name]) for name in COLUMNS])
        count += 1
    return count


def read_jsonl(lines: Iterable[str]) -> Iterator[Note]:
    for line in lines:
        if line.strip():
            yield Note.from_json(json.loads(line))


def read_csv(lines: Iterable[str]) -> Iterator[Note]:
    for row in csv.DictReader(lines):
        data: dict[str, Any] = {}
        for name, cell in row.items():
            if name in LIST_FIELDS:
                data[name] = cell.split("\n") if cell else []
            elif name == "follow_up_done":
                data[name] = cell == "true"
            elif name == "id":
                data[name] = int(cell) if cell else None
            elif name in TIME_FIELDS:
                data[name] = cell or None
            else:
                data[name] = cell
        yield Note.from_json(data)


def _csv_cell(name: str, value: Any) -> str:
    if name in LIST_FIELDS:
        return "\n".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
