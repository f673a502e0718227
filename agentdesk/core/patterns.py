"""The patterns variables declare, run by RE2: time linear in the value, whatever the pattern.

Python's ``re`` backtracks: a pattern with nested repetitions such as ``^(a+)+$`` or the
realistic ``^([a-zA-Z0-9]+\\.?)*@banco\\.mx$`` takes time that doubles with every character
of a value that almost matches, and the panel checks values as the agent types. RE2
(google-re2) never backtracks: a match costs time proportional to the value, and compiling
a pattern has a memory budget. What RE2 does not support (look-around, back-references,
``\\Z``) is refused when the pack is validated, with a hint on how to write it instead.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

MAX_PATTERN_CHARS = 1000
#: RE2's memory budget for one compiled pattern; a pattern that needs more is refused.
MAX_PATTERN_MEMORY = 2 * 2**20

SYNTAX_HINT = "Patterns use the RE2 syntax (docs/packs.md, 'Checking what the agent types')."

_HINTS = (
    (
        ("(?=", "(?!", "(?<"),
        "Look-ahead and look-behind ((?=…), (?!…), (?<=…), (?<!…)) are not supported: "
        r"match the text itself, e.g. '^\d{5,10}(\D|$)' instead of '^\d{5,10}(?!\d)'.",
    ),
    (
        ("\\1", "\\2", "\\3", "\\4", "\\5", "\\6", "\\7", "\\8", "\\9"),
        r"Back-references (\1) are not supported: write the repeated part out.",
    ),
    (("\\Z",), r"Write \z (or $) for the end of the value: \Z is not supported."),
    (
        ("pattern too large", "invalid repetition size", "bad repetition operator"),
        "Repeat less: counts go up to {1000}, and repeats of repeats such as (a{100}){100} "
        "grow too large. A pattern checks a value of up to 500 characters.",
    ),
)


class PatternError(NamedTuple):
    """Why a pattern cannot be used, and what to do."""

    reason: str
    hint: str


class Pattern(NamedTuple):
    """A compiled pattern (an RE2 program)."""

    text: str
    program: Any

    def search(self, value: str) -> bool:
        """Whether the pattern matches somewhere in ``value`` (as ``re.search``)."""
        return self.program.search(value) is not None


@functools.lru_cache(maxsize=512)
def compile_pattern(text: str) -> Pattern | PatternError:
    """``text`` compiled by RE2, or why it cannot be."""
    if len(text) > MAX_PATTERN_CHARS:
        return PatternError(
            f"it is longer than {MAX_PATTERN_CHARS:,} characters", "Write a shorter pattern."
        )
    import re2

    options = re2.Options()
    options.log_errors = False  # our message says it; RE2 would also print to stderr
    options.max_mem = MAX_PATTERN_MEMORY
    try:
        return Pattern(text, re2.compile(text, options))
    except re2.error as exc:
        reason = _reason(exc)
        return PatternError(reason, _hint(text, reason))


@functools.lru_cache(maxsize=1024)
def matches(pattern: str, value: str) -> bool | None:
    """Whether ``pattern`` matches somewhere in ``value``; None if it cannot be compiled.

    Remembered: the panel checks the same details again at every step, and a call into
    RE2 costs tens of microseconds where a lookup costs one."""
    compiled = compile_pattern(pattern)
    return compiled.search(value) if isinstance(compiled, Pattern) else None


def _reason(exc: Exception) -> str:
    raw = exc.args[0] if exc.args else ""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return text or "RE2 cannot compile it"


def _hint(text: str, reason: str) -> str:
    for needles, hint in _HINTS:
        if any(n in reason or n in text for n in needles):
            return hint
    return f"Check brackets and backslashes; in YAML, quote it with single quotes. {SYNTAX_HINT}"
