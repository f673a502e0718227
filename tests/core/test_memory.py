"""Issue 14: what the app keeps is set aside from the collector once, in idle time."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from agentdesk.core.memory import FULL_EVERY, settle


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


@pytest.fixture
def restored() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_settle_collects_then_sets_what_is_alive_aside(restored: None) -> None:
    garbage = weakref.ref(Node())  # unreachable already, not collected yet
    kept = Node()
    settle()
    assert garbage() is None  # collected first: no garbage is kept for good
    walked = {id(o) for o in gc.get_objects()}  # what a full collection would walk
    assert id(kept) not in walked and gc.get_freeze_count() > 0
    assert gc.get_threshold()[2] == FULL_EVERY
    assert id(Node()) in {id(o) for o in gc.get_objects()}  # what comes later is collected
