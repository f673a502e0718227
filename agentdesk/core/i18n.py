"""One translation mechanism for every string of the app's own interface.

Strings are written in English in the code and wrapped in ``_()`` (or ``ngettext()`` when
a number decides the words); catalogs are gettext ``.po`` files in ``agentdesk/locale``
(Spanish is the default language of the app), kept in step with the code by Babel
(``scripts/i18n_update.py``, configured in ``babel.cfg``). Pack content is never
translated: trainers write it in the pack's own language.

The app reads each catalog compiled (``es.po`` → ``es.mo``, with Babel, when the package is
built or installed and by ``scripts/setup``) through the standard library's ``gettext``,
which is loaded anyway and reads a compiled catalog in well under a millisecond. A catalog
not compiled yet, or older than its ``.po``, is compiled on the spot (Babel, slower) and
saved for the next start when the folder can be written. Qt's own strings (dialog buttons,
context menus) come from Qt's catalogs: see ``use_qt_language`` in ``agentdesk.ui.shell.app``.
"""

from __future__ import annotations

import contextlib
import gettext
import io
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
SOURCE_LANGUAGE = "en"
DEFAULT_LANGUAGE = "es"
LANGUAGES = ("es", "en")

#: A catalog as :func:`read_po` gives it: msgid -> msgstr, and for plural messages
#: (singular, plural) -> (form, form...).
Catalog = dict[Any, Any]

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE
_read: dict[str, gettext.NullTranslations] = {}


def set_language(language: str) -> str:
    """Switch the interface language; unknown languages fall back to the source (English)."""
    global _language, _translations
    language = (language or "").split("_")[0].split("-")[0].lower()
    if language not in LANGUAGES:
        language = SOURCE_LANGUAGE
    if language == SOURCE_LANGUAGE:
        _translations = gettext.NullTranslations()
    else:
        if language not in _read:
            _read[language] = _load(language)
        _translations = _read[language]
    _language = language
    return language


def language() -> str:
    return _language


def _(message: str) -> str:
    """The message in the current language (the English text if it has no translation)."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of the message for ``n`` in the current language (``{n}`` is left for
    the caller to fill in): ``ngettext("{n} new flow", "{n} new flows", n).format(n=n)``."""
    return _translations.ngettext(singular, plural, n)


def _load(language: str) -> gettext.NullTranslations:
    po = LOCALE_DIR / f"{language}.po"
    mo = po.with_suffix(".mo")
    try:
        if not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime:
            with mo.open("rb") as f:
                return gettext.GNUTranslations(f)
    except OSError:  # not compiled yet
        pass
    if not po.exists():
        return gettext.NullTranslations()
    data = compile_catalog(po)
    with contextlib.suppress(OSError):  # a read-only install: the next start compiles again
        mo.write_bytes(data)
    return gettext.GNUTranslations(io.BytesIO(data))


def compile_catalog(po: Path) -> bytes:
    """The compiled (``.mo``) form of the catalog ``po``; fuzzy and empty entries left out."""
    from babel.messages.mofile import write_mo

    out = io.BytesIO()
    write_mo(out, _read_catalog(po))
    return out.getvalue()


def compile_catalogs(folder: Path = LOCALE_DIR) -> list[Path]:
    """Compile every ``.po`` of ``folder`` to the ``.mo`` beside it; returns the files written."""
    written = []
    for po in sorted(folder.glob("*.po")):
        mo = po.with_suffix(".mo")
        mo.write_bytes(compile_catalog(po))  # always: its time says it is newer than the .po
        written.append(mo)
    return written


def read_po(path: Path) -> Catalog:
    """The translations of a ``.po`` file, read by Babel; fuzzy and untranslated entries
    (a plural one with any form missing) are left out."""
    catalog: Catalog = {}
    for message in _read_catalog(path):
        if not message.id or message.fuzzy:
            continue
        forms = message.string
        if (isinstance(forms, tuple) and all(forms)) or (isinstance(forms, str) and forms):
            catalog[message.id] = forms
    return catalog


def _read_catalog(path: Path) -> Any:
    from babel.messages.pofile import read_po as babel_read_po

    with path.open("rb") as f:
        return babel_read_po(f)
