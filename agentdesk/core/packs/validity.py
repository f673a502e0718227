"""Validity windows: content is current from ``valid_from`` to ``valid_until``, inclusive."""

from __future__ import annotations

from datetime import date


def is_current(item: object, today: date) -> bool:
    start = getattr(item, "valid_from", None)
    end = getattr(item, "valid_until", None)
    return (start is None or start <= today) and (end is None or today <= end)


def is_expired(item: object, today: date) -> bool:
    end = getattr(item, "valid_until", None)
    return end is not None and today > end
