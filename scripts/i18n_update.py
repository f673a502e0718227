"""Keep the catalogs in step with the code, with Babel.

    .venv/bin/python scripts/i18n_update.py            # add new messages to es.po, compile
    .venv/bin/python scripts/i18n_update.py --check    # exit 1 if a message lacks a translation
    .venv/bin/python scripts/i18n_update.py --compile  # only compile es.po to es.mo

Messages are what Babel's extractor finds where ``babel.cfg`` says: the ``_()`` and
``ngettext()`` calls of the ``agentdesk`` package. New ones are appended to ``es.po``
untranslated (the rest of the file is left as it is); messages no longer in the code are
listed. The app reads the compiled catalog (``es.mo``): ``scripts/setup`` and the package
build compile it too.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "agentdesk" / "locale" / "es.po"
KEYWORDS = {"_": None, "ngettext": (1, 2)}
sys.path.insert(0, str(ROOT))

from agentdesk.core.i18n import compile_catalogs, read_po  # noqa: E402

Message = Any  # a msgid, or (singular, plural) for a message with plural forms


def messages() -> dict[Message, str]:
    """Every message in the code, with where it first appears."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found: dict[Message, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        found.setdefault(message, f"{Path(filename).as_posix()}:{lineno}")
    return found


def _entries(new: dict[Message, str]) -> str:
    """``new`` as .po entries, written by Babel (quoting, plural forms), untranslated."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po as babel_read_po
    from babel.messages.pofile import write_po

    with CATALOG.open("rb") as f:
        existing = babel_read_po(f)
    catalog = Catalog(locale=existing.locale)
    catalog.mime_headers = existing.mime_headers  # its plural forms
    for message, where in new.items():
        path, line = where.rsplit(":", 1)
        empty = ("",) * catalog.num_plurals if isinstance(message, tuple) else ""
        catalog.add(message, empty, [(path, int(line))])
    out = io.BytesIO()
    write_po(out, catalog, width=0, omit_header=True)
    return out.getvalue().decode("utf-8")


def main() -> int:
    if "--compile" in sys.argv:
        for mo in compile_catalogs():
            print(f"compiled {mo.relative_to(ROOT)}")
        return 0
    code = messages()
    catalog = read_po(CATALOG)
    missing = {m: where for m, where in code.items() if not catalog.get(m)}
    if "--check" in sys.argv:
        for message, where in missing.items():
            print(f"{where}: no Spanish translation for {message!r}")
        return 1 if missing else 0
    text = CATALOG.read_text(encoding="utf-8")
    known = _all_ids(CATALOG)
    new = {m: where for m, where in missing.items() if m not in known}
    if new:
        with CATALOG.open("a", encoding="utf-8") as f:
            f.write(("" if text.endswith("\n\n") else "\n") + _entries(new).rstrip("\n") + "\n")
    print(f"{len(new)} new message(s) added to {CATALOG.relative_to(ROOT)}")
    for message in sorted(set(catalog) - set(code), key=str):
        print(f"not used any more: {message!r}")
    for mo in compile_catalogs():
        print(f"compiled {mo.relative_to(ROOT)}")
    return 0


def _all_ids(path: Path) -> set[Message]:
    """Every msgid in the catalog, translated or not."""
    from babel.messages.pofile import read_po as babel_read_po

    with path.open("rb") as f:
        return {m.id for m in babel_read_po(f) if m.id}


if __name__ == "__main__":
    raise SystemExit(main())
