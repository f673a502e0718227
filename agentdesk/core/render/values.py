"""The customer details an agent types: checked, and read as values for conditions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from agentdesk.core.i18n import _
from agentdesk.core.packs.model import Pack, Variable
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
    if var.type == "days" and typed_value(var, value, locale) is None:
        return var.hint or _("{label}: a whole number of days is expected").format(label=var.label)
    if var.type == "date" and parse_date(value) is None:
        return var.hint or _("{label}: a date is expected (YYYY-MM-DD)").format(label=var.label)
    if var.type == "email" and not _EMAIL.fullmatch(value):
        return var.hint or _("{label}: not a valid email address").format(label=var.label)
    if var.type == "choice" and var.choices and value not in var.choices:
        return var.hint or _("{label}: pick one of the options").format(label=var.label)
    return None


def typed_value(var: Variable, value: str, locale: str = "es-MX") -> Decimal | date | str | None:
    """What conditions see of ``value``: a number (number, money, days: whole days only), a
    date, or the text as typed; None when there is none or it cannot be read."""
    value = value.strip()[:MAX_VALUE_CHARS]
    if not value:
        return None
    if var.type in ("number", "money", "days"):
        amount = parse_amount(value, locale.replace("-", "_"))
        if var.type == "days" and amount is not None and amount != amount.to_integral_value():
            return None
        return amount
    if var.type == "date":
        return parse_date(value)
    return value


def typed_values(pack: Pack, values: Mapping[str, str]) -> dict[str, Decimal | date | str | None]:
    """The typed value of every variable of ``pack`` (a fallback is not a value: it only fills
    texts, and a condition must not decide on it)."""
    locale = pack.manifest.locale
    return {
        name: typed_value(var, values.get(name) or "", locale)
        for name, var in pack.variables.items()
    }
