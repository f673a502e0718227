"""Zammad text modules: the CSV Zammad exports and imports (``name;keywords;content;note;active;``).

One script per text module: its name the title, its HTML content as text (Zammad's
``#{ticket.customer.firstname}`` placeholders as declared variables), its keywords as the
script's search words, its note as when to use it. An inactive module stays, marked
inactive. A flow lists the modules, so they show in the panel and search finds them by
their keywords.
"""

from __future__ import annotations

import csv
import io
import re

from agentdesk.core.importers.browse import Ids, imported_pack, language_of
from agentdesk.core.importers.html_text import html_to_text, looks_like_html
from agentdesk.core.importers.placeholders import Placeholders
from agentdesk.core.importers.report import Report, UnreadableFile
from agentdesk.core.packs.model import Manifest, Pack, Script

COLUMNS = ("name", "keywords", "content", "note", "active")
_TRUE = frozenset({"true", "1", "yes", "sí", "si", "t", "y"})
_FALSE = frozenset({"false", "0", "no", "f", "n"})


class Row(dict[str, str]):
    """One text module as read, with the line it starts on."""

    line: int = 0


def read_text_modules(text: str, name: str) -> list[Row]:
    """The rows of a Zammad text-module CSV; :class:`UnreadableFile` says why there are none."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"', strict=True)
    rows: list[Row] = []
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        while header and not header[-1]:
            header.pop()  # the trailing ';' of each line
        if "name" not in header or "content" not in header:
            raise UnreadableFile(
                f"{name}:1: expected Zammad's text-module columns "
                f"'{';'.join(COLUMNS)};' (separated by ';'), found '{';'.join(header)}'"
            )
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                row = Row(zip(header, (c.strip() for c in cells), strict=False))
                row.line = line
                rows.append(row)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise UnreadableFile(
            f"{name}:{reader.line_num}: not a readable CSV: {exc}. "
            "A text with ';' or line breaks must be in double quotes, its quotes doubled."
        ) from None
    return rows


def import_text_modules(
    rows: list[Row], *, pack_id: str, title: str, locale: str, source: str
) -> tuple[Pack, Report]:
    """The pack for ``rows`` (from :func:`read_text_modules`), and what became of each thing."""
    language = language_of(locale)
    report = Report()
    placeholders = Placeholders("Zammad", language)
    ids = Ids()
    scripts: dict[str, Script] = {}
    for row in rows:
        script = _script(row, placeholders, report)
        if script is not None:
            script = script._replace(id=ids.make(script.title))
            scripts[script.id] = script
    manifest = Manifest(id=pack_id, title=title, version="1.0.0", locale=locale, source=source)
    heading = "Textos de Zammad" if language == "es" else "Zammad text modules"
    return imported_pack(manifest, placeholders.variables, heading, scripts=scripts), report


def _script(row: Row, placeholders: Placeholders, report: Report) -> Script | None:
    name = row.get("name", "")
    if not name:
        report.left_out(f"line {row.line}", "text module", "it has no name")
        return None
    content = row.get("content", "")
    plain = html_to_text(content) if looks_like_html(content) else content
    report.mapped(name, "content", "text")
    note = row.get("note", "")
    if note:
        report.mapped(name, "note", "when")
    keywords = tuple(
        k
        for k in re.split(
            r"\s*,\s*" if "," in row.get("keywords", "") else r"\s+", row.get("keywords", "")
        )
        if k
    )
    if keywords:
        report.mapped(name, "keywords", "tags (search words)")
    active = _active(row.get("active", ""), name, report)
    for column in row:
        if column not in COLUMNS and row[column]:
            report.left_out(name, column, "not a text-module column AgentDesk uses")
    return Script(
        id="",
        title=name,
        text=placeholders.convert(plain, name, report) or name,
        when=(html_to_text(note) if looks_like_html(note) else note) or None,
        tags=keywords,
        active=active,
    )


def _keywords(text: str) -> tuple[str, ...]:
    """'saludo, hola' or 'saludo hola': words separated by commas, else by spaces."""
    return tuple(k for k in re.split(r"\s*,\s*" if "," in text else r"\s+", text) if k)


def _active(value: str, name: str, report: Report) -> bool:
    word = value.strip().lower()
    if word in _FALSE:
        report.mapped(name, "active: false", "active: false (kept, not in search or the flow)")
        return False
    if word and word not in _TRUE:
        report.kept(name, f"active '{value}'", "read as active")
    return True
