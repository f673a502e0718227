"""Who may use content, and when.

Validity windows: content is current from ``valid_from`` to ``valid_until``, inclusive.
Audiences: a flow is for an audience when its pack is, and the flow too (by default a flow
is for its pack's audiences).

The rules read only those fields, so they apply alike to a loaded pack and to the start
list's light copy of it (:mod:`.start_list`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from agentdesk.core.packs.model import Audience


class Dated(Protocol):
    """Content with a validity window (a manifest, a flow, a script...)."""

    @property
    def valid_from(self) -> date | None: ...
    @property
    def valid_until(self) -> date | None: ...


class ForAudiences(Dated, Protocol):
    """A pack's manifest, or its start list's copy."""

    @property
    def audiences(self) -> tuple[Audience, ...]: ...


class FlowLike(Dated, Protocol):
    """A flow, or its start list's copy."""

    @property
    def audiences(self) -> tuple[Audience, ...] | None: ...


class PackLike(Protocol):
    """A pack, or its start list's copy."""

    @property
    def manifest(self) -> ForAudiences: ...


def is_current(item: object, today: date) -> bool:
    start = getattr(item, "valid_from", None)
    end = getattr(item, "valid_until", None)
    return (start is None or start <= today) and (end is None or today <= end)


def is_expired(item: object, today: date) -> bool:
    end = getattr(item, "valid_until", None)
    return end is not None and today > end


def is_current_flow(pack: PackLike, flow: FlowLike, today: date) -> bool:
    """Whether ``flow`` and its pack are both current on ``today``."""
    return is_current(pack.manifest, today) and is_current(flow, today)


def may_use(pack: PackLike, flow: FlowLike, audience: Audience) -> bool:
    """Whether ``audience`` may see ``flow`` of ``pack``: listed, opened or handed over to."""
    audiences = pack.manifest.audiences
    return audience in audiences and audience in (flow.audiences or audiences)
