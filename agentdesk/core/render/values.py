"""Checks on the customer details an agent types."""

from __future__ import annotations

import re

from agentdesk.core.i18n import _
from agentdesk.core.packs.model import Variable
from agentdesk.core.patterns import matches
from agentdesk.core.templates.filters import parse_amount, parse_date
from agentdesk.core.templates.policy import MAX_VALUE_CHARS

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def check_value(var: Variable, value: str, locale: str = "es-MX") -> str | None:
    """Why ``value`` is not valid for ``var`` (in the interface language), or None."""
    value = value.strip()[:MAX_VALUE_CHARS]
    if not value:
        return None
    if var.pattern and matches(var.pattern, value) is False:  # RE2: linear, never a freeze
        return var.hint or _("{label}: the format is not valid").format(label=var.label)
    if var.type in ("number", "money") and parse_amount(value, locale.replace("-", "_")) is None:
        return var.hint or _("{label}: a number is expected").format(label=var.label)
    if var.type == "date" and parse_date(value) is None:
        return var.hint or _("{label}: a date is expected (YYYY-MM-DD)").format(label=var.label)
    if var.type == "email" and not _EMAIL.fullmatch(value):
        return var.hint or _("{label}: not a valid email address").format(label=var.label)
    if var.type == "choice" and var.choices and value not in var.choices:
        return var.hint or _("{label}: pick one of the options").format(label=var.label)
    return None
