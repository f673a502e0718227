"""Local usage figures: which steps, answers, outcomes and offers agents use, never who.

:mod:`.events` turns a session's walks before and after an action into events (ids and
times only: no customer detail, no text typed), :mod:`.store` keeps them in their own
SQLite file in the data folder, :mod:`.figures` aggregates them for ``agentdesk stats``.
Recording is off unless the user's setting turns it on (``usage_stats``: ``on`` for every
pack, ``pack`` for packs whose manifest asks with ``usage_stats: true``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # the app reads this before its first paint; the packs load after it
    from agentdesk.core.packs.model import Manifest

Recording = Literal["off", "on", "pack"]
RECORDING: tuple[Recording, ...] = ("off", "on", "pack")
#: How long a desk keeps its events: older ones are deleted when the app starts recording.
KEEP_DAYS = 365


def records(setting: str, manifest: Manifest) -> bool:
    """Whether walks of this pack are counted, given the user's ``usage_stats`` setting."""
    return setting == "on" or (setting == "pack" and manifest.usage_stats)
