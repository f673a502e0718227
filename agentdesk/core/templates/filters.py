"""Every filter a pack template may use, in the pack's locale (Babel), bounded in size.

Filters never fail on what an agent types: a value they cannot read comes back unchanged,
and a missing value (an ``Undefined``) passes through so its placeholder still shows.

These functions are the filters' one definition: the sandbox runs them, and the validator
checks each filter call against their signatures and type hints (arity, argument types,
currency codes, date formats; :mod:`.calls`). A filter that can make text longer works
out the size first and never builds more than :data:`~.policy.MAX_OUTPUT_CHARS` (plus a
little): ``'x' * 50000 | replace('x', 'y' * 50000)`` costs no more than a page of text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, NewType

from agentdesk.core.templates.policy import MAX_OUTPUT_CHARS

#: An ISO 4217 code of a currency in use today (checked with Babel's CLDR data).
Currency = NewType("Currency", str)
#: 'short', 'medium', 'long', 'full' or a CLDR date pattern such as 'dd/MM/yyyy'.
DateFormat = NewType("DateFormat", str)

DATE_FORMATS = ("short", "medium", "long", "full")
MAX_NUMBER_CHARS = 100  # longer text is not an amount anyone typed: shown as it is

_DATE_PATTERNS = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), (0, 1, 2)),  # 2020-05-10
    (re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"), (2, 1, 0)),  # 10/05/2020, 10-5-2020
)


def cut(text: str) -> str:
    """``text`` as shown at most: longer than the cap, it is cut there and marked '…'."""
    return text if len(text) <= MAX_OUTPUT_CHARS else text[:MAX_OUTPUT_CHARS] + "…"


def text_of(value: Any) -> str:
    """A value as (capped) text, as a filter sees it."""
    return cut(value if isinstance(value, str) else str(value))


def parse_date(value: Any) -> date | None:
    """A date from ISO (2020-05-10) or day-first (10/05/2020, 10-5-2020) text."""
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if len(text) > MAX_NUMBER_CHARS:
        return None
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
        return _amount(Decimal(value))  # its value, not its text (an Amount prints as typed)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _amount(Decimal(str(value))) if abs(value) < 10**30 else None
    from babel.numbers import NumberFormatError, parse_decimal

    text = re.sub(r"[^\d.,-]", "", str(value)[: MAX_NUMBER_CHARS * 2])
    if not text or len(text) > MAX_NUMBER_CHARS:
        return None
    try:
        return _amount(Decimal(parse_decimal(text, locale=locale, strict=True)))
    except (NumberFormatError, ValueError, InvalidOperation):
        pass
    try:
        return _amount(Decimal(text))
    except InvalidOperation:
        return None


MAX_DIGITS = 24  # Babel formats within Decimal's 28 digits; no amount has more than this


def _amount(number: Decimal) -> Decimal | None:
    """``number`` if it can be an amount to show, None if it is too long or too large."""
    if not number.is_finite() or len(number.as_tuple().digits) > MAX_DIGITS:
        return None
    return number if abs(number.adjusted()) <= MAX_DIGITS else None


@cache
def default_currency(locale: str) -> str | None:
    from babel import Locale
    from babel.numbers import get_territory_currencies

    territory = Locale.parse(locale).territory
    if not territory:
        return None
    currencies = get_territory_currencies(territory)
    return currencies[0] if currencies else None


@cache
def is_known_locale(tag: str) -> bool:
    """Whether Babel has the formats of ``tag`` ('es-MX'); the filters need them."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


@cache
def currencies_in_use() -> frozenset[str]:
    """ISO 4217 codes that are legal tender somewhere today, by CLDR (through Babel).

    Babel knows about 300 codes; 'XXX' (no currency, printed '¤'), 'XTS' (for tests), gold
    'XAU' or the retired 'VEF' are among them, and none is a currency to quote to a customer.
    """
    from babel.core import get_global

    return frozenset(
        code
        for uses in get_global("territory_currencies").values()
        for code, _start, end, tender in uses
        if end is None and tender
    )


def date_format_problem(format: str, locale: str = "es_MX") -> str | None:
    """Why Babel cannot format dates with ``format``, or None."""
    if format in DATE_FORMATS:
        return None
    from babel.dates import format_date

    try:
        format_date(date(2024, 3, 10), format=format, locale=locale)
    except (ValueError, KeyError, AttributeError, TypeError) as exc:
        return f"'{format}' is not a date pattern Babel can use ({exc})"
    return None


def make_filters(locale_tag: str, currency: str | None) -> dict[str, Callable[..., Any]]:
    """Every filter of a pack template, for one pack's locale (like 'es-MX').

    The first parameter of each is the value filtered; the others are what a template
    passes in brackets, and their type hints are what the validator checks calls against.
    """
    from jinja2 import Undefined

    locale = locale_tag.replace("-", "_")

    def default(value: Any, default_value: Any = "", boolean: bool = False) -> Any:
        if isinstance(value, Undefined) or (boolean and not value):
            return default_value
        return value

    def upper(value: Any) -> str:
        return cut(text_of(value).upper())  # at most 3 characters each ('ΐ' → 'Ϊ́')

    def lower(value: Any) -> str:
        return cut(text_of(value).lower())

    def title(value: Any) -> str:
        words = re.split(r"([-\s({\[<]+)", text_of(value))
        return cut("".join(w[0].upper() + w[1:].lower() for w in words if w))

    def capitalize(value: Any) -> str:
        return cut(text_of(value).capitalize())

    def trim(value: Any, chars: str | None = None) -> str:
        return text_of(value).strip(None if chars is None else text_of(chars))

    def replace(value: Any, old: str, new: str, count: int | None = None) -> str:
        text, old, new = text_of(value), text_of(old), text_of(new)
        times = text.count(old) if old else len(text) + 1
        if count is not None and count >= 0:
            times = min(times, count)
        growth = len(new) - len(old)
        if growth > 0 and len(text) + times * growth > MAX_OUTPUT_CHARS:
            times = max(0, (MAX_OUTPUT_CHARS - len(text)) // growth + 1)  # just past the cap
        return cut(text.replace(old, new, times))

    def money(value: Any, code: Currency | None = None) -> Any:
        if isinstance(value, Undefined):
            return value
        amount = parse_amount(value, locale)
        if amount is None:
            return value
        from babel.numbers import format_currency, format_decimal

        chosen = code or currency or default_currency(locale)
        if chosen is None or chosen not in currencies_in_use():
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

    def date_filter(value: Any, format: DateFormat = DateFormat("long")) -> Any:
        if isinstance(value, Undefined):
            return value
        parsed = parse_date(value)
        if parsed is None:
            return value
        from babel.dates import format_date

        try:
            return cut(format_date(parsed, format=format, locale=locale))
        except (ValueError, KeyError, AttributeError, TypeError):
            return value

    def mask(value: Any, keep: int = 4) -> Any:
        """'1712345678' -> '••••••5678': shows only the last ``keep`` characters."""
        if isinstance(value, Undefined):
            return value
        text = text_of(value)
        keep = max(0, min(int(keep), len(text)))
        return "•" * (len(text) - keep) + text[len(text) - keep :]

    return {
        "default": default,
        "d": default,
        "upper": upper,
        "lower": lower,
        "title": title,
        "capitalize": capitalize,
        "trim": trim,
        "replace": replace,
        "money": money,
        "number": number,
        "date": date_filter,
        "mask": mask,
    }
