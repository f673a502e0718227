"""Search across flows, scripts, macros and offers, as the agent types.

Case- and accent-insensitive ("migracion" finds "Migración"), every word of the query is
a prefix ("migr toke" finds "Migración ... Tocken"), and the synonyms packs declare name
the same thing ("Konfío" finds what says "Gestionix"). An inverted index of folded words
answers a keystroke in well under a frame on tens of thousands of items.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections.abc import Iterable
from itertools import islice
from typing import Literal, NamedTuple

from agentdesk.core.packs.model import Audience, Flow, Pack
from agentdesk.core.packs.validity import may_use
from agentdesk.core.text import fold

Kind = Literal["flow", "script", "macro", "offer"]
_KIND_RANK = {"flow": 0, "script": 1, "macro": 2, "offer": 3}
_WORD = re.compile(r"\w+")
_SYNONYM = "\x00syn"


class Item(NamedTuple):
    kind: Kind
    pack_id: str
    item_id: str
    title: str
    detail: str  # a second line: macro path, offer code, flow description...
    flow_id: str | None = None  # the flow that shows it, to open it from a result
    step_id: str | None = None


class SearchIndex:
    def __init__(
        self, entries: Iterable[tuple[Item, str]], synonyms: Iterable[Iterable[str]] = ()
    ) -> None:
        """``entries``: each item with the text it is found by."""
        self.items: list[Item] = []
        groups = (tuple(fold(t) for t in group if t.strip()) for group in synonyms)
        self._groups = [g for g in groups if len(g) > 1]
        everywhere: dict[str, list[int]] = {}
        in_titles: dict[str, list[int]] = {}
        for index, (item, text) in enumerate(entries):
            self.items.append(item)
            for word in self._tokens(f"{item.title} {item.detail} {text}"):
                everywhere.setdefault(word, []).append(index)
            for word in self._tokens(item.title):
                in_titles.setdefault(word, []).append(index)
        self._everywhere = _Postings(everywhere)
        self._in_titles = _Postings(in_titles)
        # Results come in this order: flows first, then scripts, macros, offers; shorter
        # titles first. Walking it and keeping what matched stops after ``limit`` hits.
        self._order = sorted(
            range(len(self.items)),
            key=lambda i: (_KIND_RANK[self.items[i].kind], len(self.items[i].title), i),
        )
        self._position = [0] * len(self._order)
        for position, index in enumerate(self._order):
            self._position[index] = position

    @classmethod
    def from_packs(cls, packs: Iterable[Pack], audience: Audience | None = None) -> SearchIndex:
        """Every item of ``packs``; with an ``audience``, only what it may open: flows for
        others, and items shown only in such flows, are left out."""
        packs = list(packs)
        synonyms = [group for pack in packs for group in pack.manifest.synonyms]
        entries = (entry for pack in packs for entry in _entries(pack, audience))
        return cls(entries, synonyms)

    def _tokens(self, text: str) -> set[str]:
        """The folded words of ``text``, plus a token per synonym group it mentions."""
        folded = fold(text)
        words = set(_WORD.findall(folded))
        for n, group in enumerate(self._groups):
            if any(_has_phrase(folded, term) for term in group):
                words.add(f"{_SYNONYM}{n}")
        return words

    def _query_words(self, query: str) -> list[str]:
        folded = fold(query)
        tokens: list[str] = []
        for n, group in enumerate(self._groups):
            for term in sorted(group, key=len, reverse=True):
                if _has_phrase(folded, term):
                    folded = re.sub(rf"(?<!\w){re.escape(term)}(?!\w)", " ", folded)
                    tokens.append(f"{_SYNONYM}{n}")
                    break
        return tokens + _WORD.findall(folded)

    def search(self, query: str, limit: int = 30) -> list[Item]:
        """Items matching every word of ``query``; those matching in their title first."""
        words = self._query_words(query)
        if len(words) > 1:  # a lone letter after other words is a word still being typed
            words = [w for w in words if len(w) > 1] or words
        if not words:
            return []
        titled = self._in_titles.matching_all(words)
        # One or two letters so far: titles only, matching every text would be noise.
        short = max(len(w) for w in words) < 3
        found = titled if short else self._everywhere.matching_all(words)
        first = self._best(titled, limit)
        if len(first) < limit:
            first += self._best(found - titled, limit - len(first))
        return [self.items[i] for i in first]

    def _best(self, chosen: frozenset[int], limit: int) -> list[int]:
        """The first ``limit`` of ``chosen`` in result order."""
        if len(chosen) * 8 < len(self._order):  # few: sort them
            return heapq.nsmallest(limit, chosen, key=self._position.__getitem__)
        return list(islice(filter(chosen.__contains__, self._order), limit))  # many: walk


class _Postings:
    """Which items hold which words; a query word matches every word it begins.

    The longest query word is looked up in the index; the others, once few items are
    left, are checked against those items' own words, which is cheaper than gathering
    every item that has a word starting with 'r'.
    """

    NARROW = 4000

    def __init__(self, postings: dict[str, list[int]]) -> None:
        self.postings = postings
        self.vocabulary = sorted(postings)
        words_of: dict[int, list[str]] = {}
        for word in self.vocabulary:
            for index in postings[word]:
                words_of.setdefault(index, []).append(word)
        self.words_of = {index: tuple(words) for index, words in words_of.items()}
        self._recent: dict[str, frozenset[int]] = {}

    def _has(self, index: int, word: str) -> bool:
        words = self.words_of.get(index, ())
        at = bisect.bisect_left(words, word)
        return at < len(words) and words[at].startswith(word)

    def matching(self, word: str) -> frozenset[int]:
        """Items with a word starting with ``word``; the last few answers are kept, as
        typing repeats every word but the one being typed."""
        found = self._recent.get(word)
        if found is None:
            if word.startswith(_SYNONYM):
                found = frozenset(self.postings.get(word, ()))
            else:
                start = bisect.bisect_left(self.vocabulary, word)
                end = bisect.bisect_left(self.vocabulary, word + "\U0010ffff", start)
                found = frozenset().union(*(self.postings[w] for w in self.vocabulary[start:end]))
            if len(self._recent) >= 64:
                self._recent.pop(next(iter(self._recent)))
            self._recent[word] = found
        return found

    def matching_all(self, words: list[str]) -> frozenset[int]:
        ordered = sorted(words, key=len, reverse=True)  # the longest narrows the most
        found = self.matching(ordered[0])
        for word in ordered[1:]:
            if not found:
                break
            if len(found) <= self.NARROW:
                found = frozenset(i for i in found if self._has(i, word))
            else:
                found = found & self.matching(word)
        return found


def _has_phrase(text: str, term: str) -> bool:
    start = text.find(term)
    while start != -1:
        end = start + len(term)
        before = start == 0 or not text[start - 1].isalnum()
        after = end == len(text) or not text[end].isalnum()
        if before and after:
            return True
        start = text.find(term, start + 1)
    return False


def _uses(flow: Flow) -> Iterable[tuple[tuple[str, str], str]]:
    """Each script, macro and offer a flow shows, with the step that shows it."""
    for step in flow.steps.values():
        for sid in step.scripts:
            yield ("script", sid), step.id
        for use in step.macros:
            yield ("macro", use.macro), step.id
        for oid in step.offers:
            yield ("offer", oid), step.id


def _entries(pack: Pack, audience: Audience | None) -> Iterable[tuple[Item, str]]:
    """Every searchable item of a pack with the text it is found by.

    An item leads to the first step that shows it in a flow the audience may open; an item
    only shown in flows for others is left out, as are those flows, and so are macros and
    scripts switched off in the helpdesk they came from (``active: false``)."""
    m = pack.manifest
    context = " ".join((m.title, *m.tags))
    flows = [f for f in pack.flows.values() if audience is None or may_use(pack, f, audience)]
    shown = {key for flow in pack.flows.values() for key, _ in _uses(flow)}
    where: dict[tuple[str, str], tuple[str, str]] = {}
    for flow in flows:
        for key, step_id in _uses(flow):
            where.setdefault(key, (flow.id, step_id))

    def place(kind: str, item_id: str) -> tuple[str | None, str | None] | None:
        key = (kind, item_id)
        return where.get(key) or (None if key in shown else (None, None))

    for flow in flows:
        steps = " ".join(f"{s.title or ''} {s.ask or ''}" for s in flow.steps.values())
        text = " ".join((flow.title, flow.description or "", *flow.tags, context, steps))
        # A folded YAML block ends with a newline: the second line must stay one line.
        detail = " ".join((flow.description or m.title).split())
        yield Item("flow", pack.id, flow.id, flow.title, detail, flow.id), text
    for script in pack.scripts.values():
        if script.active and (at := place("script", script.id)) is not None:
            text = " ".join((script.title, script.text, script.when or "", *script.tags, context))
            yield Item("script", pack.id, script.id, script.title, m.title, *at), text
    for macro in pack.macros.values():
        if macro.active and (at := place("macro", macro.id)) is not None:
            words = (macro.title, macro.path, macro.text or "", macro.description or "")
            text = " ".join((*words, *macro.tags, context))
            yield Item("macro", pack.id, macro.id, macro.title, macro.path, *at), text
    for offer in pack.offers.values():
        if (at := place("offer", offer.id)) is not None:
            text = " ".join((offer.code, offer.title, offer.description or "", context))
            yield Item("offer", pack.id, offer.id, offer.title, offer.code, *at), text
