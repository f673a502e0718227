"""Search: accents, case, prefixes, synonyms, ranking."""

from __future__ import annotations

import pytest

from agentdesk.core.packs.library import Library
from agentdesk.core.packs.validity import may_use
from agentdesk.core.search.index import Item, SearchIndex


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.from_packs(Library(None).load().packs().values())


def titles(results: list[Item]) -> list[str]:
    return [r.title for r in results]


def test_accent_and_case_insensitive(index: SearchIndex) -> None:
    assert index.search("migracion")
    assert titles(index.search("MIGRACION")) == titles(index.search("Migración"))


def test_prefixes_of_every_word(index: SearchIndex) -> None:
    results = index.search("migr tock")
    assert results
    assert all(r.pack_id == "migracion-pre-post" for r in results)


@pytest.mark.parametrize("name", ["Konfío", "konfio", "ERP", "Administrador Total", "Gestionix"])
def test_synonyms_find_the_gestionix_notice(index: SearchIndex, name: str) -> None:
    packs = {r.pack_id for r in index.search(name)}
    assert "gestionix-nueva-plataforma" in packs


def test_titles_rank_first_and_results_lead_somewhere(index: SearchIndex) -> None:
    results = index.search("despedida")
    assert results[0].title.lower().count("despedida")
    macro = next(r for r in results if r.kind == "macro")
    assert macro.flow_id and macro.step_id


def test_every_result_is_two_lines_in_the_list(index: SearchIndex) -> None:
    """Flow descriptions written as YAML blocks end in a newline; the result list shows
    the title and the detail, one line each."""
    results = index.search("cabina")
    assert any(r.kind == "flow" for r in results)
    for r in results:
        assert "\n" not in r.title and "\n" not in r.detail, r


def test_no_words_no_results(index: SearchIndex) -> None:
    assert index.search("  ¿? ") == []
    assert index.search("zzzqqq") == []


def test_synonym_groups_in_a_small_index() -> None:
    entries = [
        (Item("script", "p", "a", "Cambio de plataforma Gestionix", ""), "deja de funcionar"),
        (Item("script", "p", "b", "Otro", ""), "Nada que ver"),
    ]
    index = SearchIndex(entries, [["Konfío", "Gestionix", "Administrador del Negocio"]])
    assert titles(index.search("administrador del negocio")) == ["Cambio de plataforma Gestionix"]
    assert titles(index.search("konfio cambio")) == ["Cambio de plataforma Gestionix"]


def test_a_kiosk_finds_only_what_it_may_open() -> None:
    """Cobranza is a desk-only flow of a pack that kiosks also use: a kiosk's search
    neither lists it nor leads to it through its scripts and macros."""
    packs = Library(None).load().packs()
    desk = SearchIndex.from_packs(packs.values(), "desk")
    kiosk = SearchIndex.from_packs(packs.values(), "kiosk")
    assert any(r.flow_id == "cobranza" for r in desk.search("cobranza", 50))
    assert kiosk.search("sucursal")
    for item in kiosk.items:
        if item.flow_id is not None:
            pack = packs[item.pack_id]
            assert may_use(pack, pack.flows[item.flow_id], "kiosk"), item
    assert all(r.flow_id != "cobranza" for r in kiosk.search("cobranza", 50))
