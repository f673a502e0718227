"""One translation mechanism for every string of the app's own interface.

Strings are written in English in the code and wrapped in ``_()``; catalogs are gettext
``.po`` files in ``agentdesk/locale`` (Spanish is the default language of the app). Pack
content is never translated: trainers write it in the pack's own language.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
SOURCE_LANGUAGE = "en"
DEFAULT_LANGUAGE = "es"
LANGUAGES = ("es", "en")

_catalog: dict[str, str] = {}
_language = SOURCE_LANGUAGE
_read: dict[str, dict[str, str]] = {}


def set_language(language: str) -> str:
    """Switch the interface language; unknown languages fall back to the source (English)."""
    global _language, _catalog
    language = (language or "").split("_")[0].split("-")[0].lower()
    if language not in LANGUAGES:
        language = SOURCE_LANGUAGE
    if language == SOURCE_LANGUAGE:
        _catalog = {}
    else:
        if language not in _read:
            _read[language] = read_po(LOCALE_DIR / f"{language}.po")
        _catalog = _read[language]
    _language = language
    return language


def language() -> str:
    return _language


def _(message: str) -> str:
    """The message in the current language (the English text if it has no translation)."""
    return _catalog.get(message) or message


_TOKEN = re.compile(r'^(msgid|msgstr|msgctxt)\s+(".*")\s*$|^(".*")\s*$')


def read_po(path: Path) -> dict[str, str]:
    """The translations of a ``.po`` file (msgid -> msgstr), fuzzy entries left out."""
    catalog: dict[str, str] = {}
    entry: dict[str, str] = {}
    field = ""
    fuzzy = False

    def flush() -> None:
        if entry.get("msgid") and entry.get("msgstr") and not fuzzy:
            catalog[entry["msgid"]] = entry["msgstr"]

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            entry, field, fuzzy = {}, "", False
            continue
        if line.startswith("#"):
            fuzzy = fuzzy or (line.startswith("#,") and "fuzzy" in line)
            continue
        match = _TOKEN.match(line)
        if not match:
            continue
        if match[1]:
            if match[1] == "msgid" and "msgid" in entry:
                flush()
                entry, fuzzy = {}, False
            field = match[1]
            entry[field] = _unquote(match[2])
        elif field:
            entry[field] += _unquote(match[3])
    flush()
    return catalog


def _unquote(quoted: str) -> str:
    """The text of a quoted .po string (its escapes are JSON's). Most strings have none,
    and the catalog is read at every start: those skip the decoder."""
    return quoted[1:-1] if "\\" not in quoted else str(json.loads(quoted))
