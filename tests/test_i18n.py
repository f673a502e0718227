"""One translation mechanism: every interface string has its Spanish translation."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
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


def test_plural_forms_follow_the_number() -> None:
    i18n.set_language("es")
    forms = [i18n.ngettext("{n} new flow", "{n} new flows", n).format(n=n) for n in (1, 2, 0)]
    assert forms == ["1 flujo nuevo", "2 flujos nuevos", "0 flujos nuevos"]
    i18n.set_language("en")
    assert i18n.ngettext("{n} new flow", "{n} new flows", 1).format(n=1) == "1 new flow"
    assert i18n.ngettext("{n} new flow", "{n} new flows", 3).format(n=3) == "3 new flows"


def _read_mo(path: Path) -> dict[object, object]:
    from babel.messages.mofile import read_mo

    def plain(value: object) -> object:
        return tuple(value) if isinstance(value, list) else value

    with path.open("rb") as f:
        return {plain(m.id): plain(m.string) for m in read_mo(f) if m.id}


def test_the_app_reads_the_catalog_compiled_from_the_po() -> None:
    """What the app loads (the compiled .mo) says what the .po says, plural forms included."""
    compiled = _read_mo(i18n.LOCALE_DIR / "es.mo")
    assert compiled == i18n.read_po(i18n.LOCALE_DIR / "es.po")


def test_a_catalog_not_compiled_yet_is_compiled_at_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "es.po").write_bytes((i18n.LOCALE_DIR / "es.po").read_bytes())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(i18n, "_read", {})
    assert i18n.set_language("es") == "es"
    assert i18n._("Continue") == "Continuar"
    assert _read_mo(tmp_path / "es.mo") == _read_mo(REPO / "agentdesk" / "locale" / "es.mo")


def test_no_message_hides_in_an_f_string() -> None:
    """Babel's extractor does not look inside f-strings: a message there would go untranslated
    without anyone being told. Whole phrases with ``.format()`` instead."""
    import ast

    hidden = []
    for source in sorted((REPO / "agentdesk").rglob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in ("_", "ngettext")
                ):
                    hidden.append(f"{source.relative_to(REPO)}:{inner.lineno}")
    assert hidden == []
