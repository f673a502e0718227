"""One translation mechanism: every interface string has its Spanish translation."""

from __future__ import annotations

import importlib.util
import sys

from babel.messages.pofile import read_po as babel_read_po

from agentdesk.core import i18n
from tests.conftest import REPO

spec = importlib.util.spec_from_file_location("i18n_update", REPO / "scripts" / "i18n_update.py")
assert spec is not None and spec.loader is not None
i18n_update = importlib.util.module_from_spec(spec)
sys.modules["i18n_update"] = i18n_update
spec.loader.exec_module(i18n_update)


def test_every_message_has_a_spanish_translation() -> None:
    catalog = i18n.read_po(i18n.LOCALE_DIR / "es.po")
    missing = {m: where for m, where in i18n_update.messages().items() if not catalog.get(m)}
    assert missing == {}, "run scripts/i18n_update.py and translate: " + repr(missing)


def test_our_po_reader_agrees_with_babel() -> None:
    path = i18n.LOCALE_DIR / "es.po"
    with path.open("rb") as f:
        expected = {m.id: m.string for m in babel_read_po(f) if m.id and m.string and not m.fuzzy}
    assert i18n.read_po(path) == expected


def test_switching_language() -> None:
    assert i18n.set_language("es-CL") == "es"
    assert i18n._("Continue") == "Continuar"
    assert i18n.set_language("pt") == "en"  # unknown languages fall back to the source
    assert i18n._("Continue") == "Continue"
