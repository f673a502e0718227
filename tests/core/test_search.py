"""Search: accents, case, prefixes, synonyms, ranking."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentdesk.core.packs.library import Library
from agentdesk.core.packs.validity import may_use
from agentdesk.core.search.index import IndexBuild, Item, SearchIndex, _entries
from agentdesk.core.text import fold, fold_text


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


# -- issue 14: the index built fast, in slices, and finding what a plain scan finds ----------


def plain_scan(entries: list[tuple[Item, str]], context: dict[str, str], query: str) -> set[str]:
    """Items with a word starting with each word of ``query``: the meaning, said slowly."""
    found = set()
    for item, text in entries:
        words = fold(f"{item.title} {item.detail} {text} {context[item.pack_id]}")
        tokens = re.findall(r"\w+", words)
        if all(any(t.startswith(w) for t in tokens) for w in re.findall(r"\w+", fold(query))):
            found.add(f"{item.kind}:{item.pack_id}:{item.item_id}")
    return found


def test_results_are_what_a_plain_scan_finds_titles_first() -> None:
    packs = list(Library(None).load().packs().values())
    entries = [entry for pack in packs for entry in _entries(pack, None)]
    context = {p.id: " ".join((p.manifest.title, *p.manifest.tags)) for p in packs}
    index = IndexBuild(entries, (), context).run()  # no synonyms: the scan knows none
    rng = random.Random(14)
    words = sorted({w for item, text in entries for w in re.findall(r"\w{3,}", fold(text))})
    queries = [w[: rng.randint(3, len(w))] for w in rng.sample(words, 60)]
    queries += [f"{a} {b[:3]}" for a, b in zip(queries[:30], queries[30:], strict=True)]
    for query in queries:
        results = index.search(query, limit=100_000)
        keys = [f"{r.kind}:{r.pack_id}:{r.item_id}" for r in results]
        assert set(keys) == plain_scan(entries, context, query), query
        asked = re.findall(r"\w+", fold(query))
        in_title = [
            all(any(t.startswith(w) for t in re.findall(r"\w+", fold(r.title))) for w in asked)
            for r in results
        ]
        assert in_title == sorted(in_title, reverse=True), query  # titles first


def test_a_build_in_slices_is_the_same_index() -> None:
    packs = list(Library(None).load().packs().values())
    build = IndexBuild.from_packs(packs, "desk")
    assert build.step(seconds=0) is None and not build.done  # one chunk of entries so far
    while build.step(seconds=0) is None:
        pass
    assert build.done and build.index is not None
    whole = SearchIndex.from_packs(packs, "desk")
    for query in ("migr tock", "konfio", "despedida", "cabina", "a", "zzz"):
        assert build.index.search(query, 50) == whole.search(query, 50)


def test_a_synonym_group_is_not_taken_for_another_with_a_longer_number() -> None:
    """Group 1's token was a prefix of group 11's: with few items left, an item of group 11
    was taken as saying a term of group 1."""
    groups = [[f"alfa{n}", f"beta{n}"] for n in range(12)]
    entries = [
        (Item("script", "p", "g11", "Uno", ""), "dice alfa11 y planificación"),
        (Item("script", "p", "g1", "Dos", ""), "dice alfa1 y planificación"),
    ]
    index = SearchIndex(entries, groups)
    assert titles(index.search("beta1 planificacion")) == ["Dos"]
    assert titles(index.search("beta11 planificacion")) == ["Uno"]


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_folding_in_c_is_folding_character_by_character(text: str) -> None:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    assert fold_text(text) == " ".join(stripped.casefold().split())
