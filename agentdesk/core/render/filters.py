"""Template filters for money, numbers, dates and masking, in the pack's locale (Babel).

Filters never fail on what an agent types: a value they cannot read comes back unchanged,
and a missing value (an ``Undefined``) passes through so its placeholder still shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

_DATE_PATTERNS = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), (0, 1, 2)),  # 2020-05-10
    (re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"), (2, 1, 0)),  # 10/05/2020, 10-5-2020
)


def parse_date(value: Any) -> date | None:
    """A date from ISO (2020-05-10) or day-first (10/05/2020, 10-5-2020) text."""
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for regex, (y, m, d) in _DATE_PATTERNS:
        match = regex.fullmatch(text)
        if match:
            parts = match.groups()
            try:
                return date(int(parts[y]), int(parts[m]), int(parts[d]))
            except ValueError:
                return None
    return None


def parse_amount(value: Any, locale: str) -> Decimal | None:
    """A number as the agent typed it: in the locale's format first, then plain digits."""
    if isinstance(value, Decimal):
        return Decimal(value)  # its value, not its text (an Amount prints as typed)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value))
    from babel.numbers import NumberFormatError, parse_decimal

    text = re.sub(r"[^\d.,-]", "", str(value))
    if not text:
        return None
    try:
        return Decimal(parse_decimal(text, locale=locale, strict=True))
    except (NumberFormatError, ValueError, InvalidOperation):
        pass
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


@cache
def default_currency(locale: str) -> str | None:
    from babel import Locale
    from babel.numbers import get_territory_currencies

    territory = Locale.parse(locale).territory
    if not territory:
        return None
    currencies = get_territory_currencies(territory)
    return currencies[0] if currencies else None


def make_filters(locale_tag: str, currency: str | None) -> dict[str, Callable[..., Any]]:
    """The locale-aware filters for one pack (locale like 'es-MX')."""
    from jinja2 import Undefined

    locale = locale_tag.replace("-", "_")

    def money(value: Any, code: str | None = None) -> Any:
        if isinstance(value, Undefined):
            return value
        amount = parse_amount(value, locale)
        if amount is None:
            return value
        from babel.numbers import format_currency, format_decimal

        chosen = code or currency or default_currency(locale)
        if chosen is None:
            return format_decimal(amount, locale=locale)
        return format_currency(amount, chosen, locale=locale)

    def number(value: Any) -> Any:
        if isinstance(value, Undefined):
            return value
        amount = parse_amount(value, locale)
        if amount is None:
            return value
        from babel.numbers import format_decimal

        return format_decimal(amount, locale=locale)

    def date_filter(value: Any, format: str = "long") -> Any:
        if isinstance(value, Undefined):
            return value
        parsed = parse_date(value)
        if parsed is None:
            return value
        from babel.dates import format_date

        try:
            return format_date(parsed, format=format, locale=locale)
        except (ValueError, KeyError, AttributeError):
            return value

    return {"money": money, "number": number, "date": date_filter}


def mask(value: Any, keep: int = 4) -> Any:
    """'1712345678' -> '••••••5678': shows only the last ``keep`` characters."""
    from jinja2 import Undefined

    if isinstance(value, Undefined):
        return value
    text = str(value)
    keep = max(0, min(int(keep), len(text)))
    return "•" * (len(text) - keep) + text[len(text) - keep :]
