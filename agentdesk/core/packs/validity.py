"""Who may use content, and when.

Validity windows: content is current from ``valid_from`` to ``valid_until``, inclusive.
Audiences: a flow is for an audience when its pack is, and the flow too (by default a flow
is for its pack's audiences).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agentdesk.core.packs.model import Audience, Flow, Pack


def is_current(item: object, today: date) -> bool:
    start = getattr(item, "valid_from", None)
    end = getattr(item, "valid_until", None)
    return (start is None or start <= today) and (end is None or today <= end)


def is_expired(item: object, today: date) -> bool:
    end = getattr(item, "valid_until", None)
    return end is not None and today > end


def is_current_flow(pack: Pack, flow: Flow, today: date) -> bool:
    """Whether ``flow`` and its pack are both current on ``today``."""
    return is_current(pack.manifest, today) and is_current(flow, today)


def may_use(pack: Pack, flow: Flow, audience: Audience) -> bool:
    """Whether ``audience`` may see ``flow`` of ``pack``: listed, opened or handed over to."""
    audiences = pack.manifest.audiences
    return audience in audiences and audience in (flow.audiences or audiences)
