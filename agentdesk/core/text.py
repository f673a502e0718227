"""Text folding shared by search and duplicate checks: case- and accent-insensitive."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def fold_text(text: str) -> str:
    """'Migración  Pre a Post' -> 'migracion pre a post': compatibility-decomposed (NFKD),
    combining marks removed, case-folded, runs of spaces made one.

    Everything is done by C loops over the text: the kinds of non-ASCII characters it
    holds are listed (a text uses few), and the accents among them are removed, by
    dropping every non-ASCII character when there are no others (Latin text decomposes to
    ASCII letters and accents), else one kind of accent at a time. The search index folds
    every text of a 100,000-step pack with it (scripts/bench_core.py)."""
    decomposed = unicodedata.normalize("NFKD", text)
    if not decomposed.isascii():
        others = set(_NON_ASCII.findall(decomposed))
        marks = [ch for ch in others if _is_mark(ch)]
        if len(marks) == len(others):
            decomposed = decomposed.encode("ascii", "ignore").decode("ascii")
        else:  # '¿', 'ß', Greek... stay: take out the few kinds of marks one by one
            for mark in marks:
                decomposed = decomposed.replace(mark, "")
    return " ".join(decomposed.casefold().split())


#: :func:`fold_text` for the short texts compared again and again (labels, ids, levels).
fold = lru_cache(maxsize=8192)(fold_text)


@cache
def _is_mark(ch: str) -> bool:
    return unicodedata.combining(ch) != 0
