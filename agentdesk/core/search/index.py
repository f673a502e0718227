"""Search across flows, scripts, macros and offers, as the agent types.

Case- and accent-insensitive ("migracion" finds "Migración"), every word of the query is
a prefix ("migr toke" finds "Migración ... Tocken"), and the synonyms packs declare name
the same thing ("Konfío" finds what says "Gestionix"). An inverted index of folded words
answers a keystroke in well under a frame on tens of thousands of items.

Building it costs about a second at 100,000 steps (scripts/bench_search.py), so it is
built where nobody waits: :class:`IndexBuild` does it a slice at a time (the app's idle
time on the GUI thread: a worker thread would hold the GIL for as long) or at once (a
worker, a test); its :attr:`~IndexBuild.index` is set when it is ready. What makes the
build cheap: folding in C loops (:func:`~agentdesk.core.text.fold_text`), synonyms looked
for only in texts that hold all their words, the text many items share (a pack's title and
tags, a macro path's folders) indexed once for all of them, a title's words only in the
titles' postings, and each item's own words kept as one string.
"""

from __future__ import annotations

import bisect
import gc
import heapq
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Literal, NamedTuple

from agentdesk.core.packs.model import Audience, Flow, Pack
from agentdesk.core.packs.validity import may_use
from agentdesk.core.text import fold, fold_text

Kind = Literal["flow", "script", "macro", "offer"]
_KIND_RANK = {"flow": 0, "script": 1, "macro": 2, "offer": 3}
_WORD = re.compile(r"\w+")
#: How often the builder looks at the clock (entries); an entry takes a few microseconds.
_CHECK_EVERY = 64


class Item(NamedTuple):
    kind: Kind
    pack_id: str
    item_id: str
    title: str
    detail: str  # a second line: macro path, offer code, flow description...
    flow_id: str | None = None  # the flow that shows it, to open it from a result
    step_id: str | None = None


class SearchIndex:
    items: list[Item]
    _synonyms: _Synonyms
    _everywhere: _Postings
    _in_titles: _Postings
    _order: list[int]
    _position: list[int]

    def __new__(
        cls, entries: Iterable[tuple[Item, str]], synonyms: Iterable[Iterable[str]] = ()
    ) -> SearchIndex:
        """``entries``: each item with the text it is found by. Built at once; see
        :class:`IndexBuild` for a build in slices, and for text a whole pack is found by."""
        return IndexBuild(entries, synonyms).run()

    @classmethod
    def from_packs(cls, packs: Iterable[Pack], audience: Audience | None = None) -> SearchIndex:
        """Every item of ``packs``; with an ``audience``, only what it may open: flows for
        others, and items shown only in such flows, are left out."""
        return IndexBuild.from_packs(packs, audience).run()

    def search(self, query: str, limit: int = 30) -> list[Item]:
        """Items matching every word of ``query``; those matching in their title first."""
        words = self._synonyms.query_words(query)
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


class IndexBuild:
    """A :class:`SearchIndex` in the making: :meth:`step` adds entries for a slice of time
    and returns the index once every entry is in; :meth:`run` does it all at once."""

    def __init__(
        self,
        entries: Iterable[tuple[Item, str]],
        synonyms: Iterable[Iterable[str]] = (),
        context: dict[str, str] | None = None,
    ) -> None:
        """``entries``: each item with the text it is found by; ``context``: text that
        finds every item of a pack, by pack id (its title and tags)."""
        self._entries: Iterator[tuple[Item, str]] = iter(entries)
        self._synonyms = _Synonyms(synonyms)
        self._context = context or {}
        self._items: list[Item] = []
        self._everywhere: defaultdict[str, list[int]] = defaultdict(list)
        self._in_titles: defaultdict[str, list[int]] = defaultdict(list)
        self._words_of: list[str] = []  # each item's words, " word word ...", for _Postings
        self._title_words_of: list[str] = []
        # Texts many items share, indexed once for all of them: a pack's title and tags, a
        # macro path's folders ("Móvil :: WhatsApp :: Grupo 12" of "... :: Paso 1234").
        self._shared: defaultdict[str, list[int]] = defaultdict(list)
        self._shared_of: list[tuple[str, str]] = []
        #: The finished index (None until every entry is in).
        self.index: SearchIndex | None = None

    @classmethod
    def from_packs(cls, packs: Iterable[Pack], audience: Audience | None = None) -> IndexBuild:
        """A build of every item of ``packs`` (see :meth:`SearchIndex.from_packs`)."""
        packs = list(packs)
        synonyms = [group for pack in packs for group in pack.manifest.synonyms]
        entries = (entry for pack in packs for entry in _entries(pack, audience))
        context = {p.id: " ".join((p.manifest.title, *p.manifest.tags)) for p in packs}
        return cls(entries, synonyms, context)

    @property
    def done(self) -> bool:
        return self.index is not None

    def step(self, seconds: float = 0.004) -> SearchIndex | None:
        """Index entries for about ``seconds``; the index if that was the last of them."""
        if self.index is not None:
            return self.index
        deadline = time.perf_counter() + seconds
        # The index holds no cycles: the collector would walk it as it grows and find
        # nothing (as for a pack loaded from the cache, see PackCache.get).
        collecting = gc.isenabled()
        gc.disable()
        try:
            while True:
                chunk = list(islice(self._entries, _CHECK_EVERY))
                self._add(chunk)
                if len(chunk) < _CHECK_EVERY:
                    return self._finish()
                if time.perf_counter() >= deadline:
                    return None
        finally:
            if collecting:
                gc.enable()

    def run(self) -> SearchIndex:
        """Index every entry left, at once."""
        index = self.step(float("inf"))
        assert index is not None
        return index

    def _add(self, entries: list[tuple[Item, str]]) -> None:
        # Everything used for each entry is looked up once for the chunk: this loop is
        # most of the build.
        items, shared, shared_of = self._items, self._shared, self._shared_of
        everywhere, in_titles = self._everywhere, self._in_titles
        words_of, title_words_of = self._words_of, self._title_words_of
        tokens, context_of = self._synonyms.tokens, self._context.get
        for item, text in entries:
            index = len(items)
            items.append(item)
            detail = item.detail
            if " :: " in detail:
                folders, _, own = detail.rpartition(" :: ")
            else:
                folders, own = detail, ""
            context = context_of(item.pack_id, "")
            shared[folders].append(index)
            shared[context].append(index)
            shared_of.append((folders, context))
            # One fold for both parts: NUL is neither a space nor part of a word
            title, _, rest = fold_text(f"{item.title}\0{own} {text}").partition("\0")
            title_words = tokens(title)
            other_words = tokens(rest) - title_words
            for word in other_words:  # a title's words are in the titles' postings too
                everywhere[word].append(index)
            for word in title_words:
                in_titles[word].append(index)
            titled = " " + " ".join(title_words)
            title_words_of.append(titled)
            words_of.append(f"{titled} {' '.join(other_words)}")

    def _finish(self) -> SearchIndex:
        items = self._items
        shared: dict[str, str] = {}  # each shared text's words, " word word ..."
        for text, members in self._shared.items():
            words = self._synonyms.tokens(fold_text(text))
            shared[text] = " " + " ".join(words)
            for word in words:
                self._everywhere[word].extend(members)
        built = object.__new__(SearchIndex)
        built.items = items
        built._synonyms = self._synonyms
        built._in_titles = _Postings(self._in_titles, self._title_words_of)
        built._everywhere = _Postings(
            self._everywhere, self._words_of, self._shared_of, shared, built._in_titles
        )
        # Results come in this order: flows first, then scripts, macros, offers; shorter
        # titles first. Walking it and keeping what matched stops after ``limit`` hits.
        keys = [(_KIND_RANK[item.kind], len(item.title)) for item in items]
        built._order = sorted(range(len(items)), key=keys.__getitem__)  # stable: by index next
        built._position = [0] * len(built._order)
        for position, item_index in enumerate(built._order):
            built._position[item_index] = position
        self.index = built
        return built


class _Synonyms:
    """The synonym groups packs declare, folded: each group is one token ("\x00syn3\x00")
    that a text holds if it says any of the group's terms."""

    def __init__(self, synonyms: Iterable[Iterable[str]]) -> None:
        groups = (tuple(fold(t) for t in group if t.strip()) for group in synonyms)
        self.groups = [g for g in groups if len(g) > 1]
        # each term with its words: a text that lacks one of them cannot say the term
        self._terms = [
            (self.token(n), term, tuple(_WORD.findall(term)))
            for n, group in enumerate(self.groups)
            for term in group
        ]

    @staticmethod
    def token(n: int) -> str:
        return f"\x00syn{n}\x00"

    def tokens(self, folded: str) -> set[str]:
        """The words of folded text, plus a token per synonym group it mentions."""
        words = set(_WORD.findall(folded))
        if not self._terms:
            return words
        for token, term, term_words in self._terms:
            if token in words or not words.issuperset(term_words):
                continue
            if term_words == (term,) or _has_phrase(folded, term):
                words.add(token)
        return words

    def query_words(self, query: str) -> list[str]:
        folded = fold(query)
        tokens: list[str] = []
        for n, group in enumerate(self.groups):
            for term in sorted(group, key=len, reverse=True):
                if _has_phrase(folded, term):
                    folded = re.sub(rf"(?<!\w){re.escape(term)}(?!\w)", " ", folded)
                    tokens.append(self.token(n))
                    break
        return tokens + _WORD.findall(folded)


class _Postings:
    """Which items hold which words; a query word matches every word it begins.

    The longest query word is looked up in the index; the others, once few items are
    left, are checked against those items' own words (and shared ones), which is cheaper
    than gathering every item that has a word starting with 'r'.
    """

    NARROW = 4000

    def __init__(
        self,
        postings: dict[str, list[int]],
        words_of: list[str],
        shared_of: list[tuple[str, str]] | None = None,
        shared: dict[str, str] | None = None,
        also: _Postings | None = None,
    ) -> None:
        """``also``: postings whose matches are this one's too (the titles', whose words
        are not repeated here)."""
        self.postings = postings
        self._also = also
        self.vocabulary = sorted(postings)
        self._words_of = words_of
        self._shared_of = shared_of
        self._shared = shared or {}
        self._recent: dict[str, frozenset[int]] = {}

    def _has(self, index: int, word: str) -> bool:
        """Whether item ``index`` has a word starting with ``word`` (a synonym token,
        ending in its own mark, only matches whole)."""
        key = " " + word
        if key in self._words_of[index]:
            return True
        shared = self._shared_of[index] if self._shared_of is not None else ()
        return any(key in self._shared[text] for text in shared)

    def matching(self, word: str) -> frozenset[int]:
        """Items with a word starting with ``word``; the last few answers are kept, as
        typing repeats every word but the one being typed."""
        found = self._recent.get(word)
        if found is None:
            if word.startswith("\x00"):  # a synonym group's token: whole
                found = frozenset(self.postings.get(word, ()))
            else:
                start = bisect.bisect_left(self.vocabulary, word)
                end = bisect.bisect_left(self.vocabulary, word + "\U0010ffff", start)
                found = frozenset().union(*(self.postings[w] for w in self.vocabulary[start:end]))
            if self._also is not None:
                found |= self._also.matching(word)
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
    """Every searchable item of a pack with the text it is found by besides its title and
    detail (which are indexed too: not repeated in it, as folding is most of the build).

    An item leads to the first step that shows it in a flow the audience may open; an item
    only shown in flows for others is left out, as are those flows, and so are macros and
    scripts switched off in the helpdesk they came from (``active: false``)."""
    m = pack.manifest
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
        text = " ".join((*flow.tags, steps))
        # A folded YAML block ends with a newline: the second line must stay one line.
        detail = " ".join((flow.description or m.title).split())
        yield Item("flow", pack.id, flow.id, flow.title, detail, flow.id), text
    for script in pack.scripts.values():
        if script.active and (at := place("script", script.id)) is not None:
            text = " ".join((script.text, script.when or "", *script.tags))
            yield Item("script", pack.id, script.id, script.title, m.title, *at), text
    for macro in pack.macros.values():
        if macro.active and (at := place("macro", macro.id)) is not None:
            text = " ".join((macro.text or "", macro.description or "", *macro.tags))
            yield Item("macro", pack.id, macro.id, macro.title, macro.path, *at), text
    for offer in pack.offers.values():
        if (at := place("offer", offer.id)) is not None:
            text = offer.description or ""
            yield Item("offer", pack.id, offer.id, offer.title, offer.code, *at), text
