"""The cyclic garbage collector, kept out of the agent's steps.

A loaded pack is hundreds of thousands of objects (a million at 100,000 steps) that live
until the next reload and hold no cycles; the templates module, Babel's locale data and
the search index are more of the same. CPython's full collection walks every one of them,
in the middle of whatever the agent is doing: 45-60 ms at 100,000 steps
(scripts/bench_core.py measures the pauses with ``gc.callbacks``).

:func:`settle` is called once the app has what it keeps (packs loaded, the first step
rendered, the search index built), when nobody waits: one full collection then, and what
is alive is set aside from the collector for good (``gc.freeze``; reference counting still
frees it on a reload). What is made after that (templates compiled as steps are visited,
views) is collected as usual, but full collections come ten times less often, so their
walk stays short. A pack loaded from the cache is set aside as it loads
(:meth:`~agentdesk.core.packs.cache.PackCache.get`).
"""

from __future__ import annotations

import gc

#: Collections of the middle generation between two full collections (CPython: 10).
FULL_EVERY = 100


def settle() -> None:
    """Collect once, set everything alive aside from the collector, make full collections
    rarer. Call it in idle time: the collection takes a moment at a large pack."""
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_EVERY)
