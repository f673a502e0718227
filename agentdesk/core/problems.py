"""Problems found in content: where they are, what is wrong and what to do about it.

Every reader of trainer-authored content (YAML, templates, references) reports through a
:class:`Problems` collector instead of raising, so that all problems come out at once and
bad input never stops the program.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class Loc(NamedTuple):
    """A position in a file: 1-based line and column. Line 0: the file (or folder) as a
    whole, shown as its path alone."""

    file: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        if self.line == 0:
            return self.file
        return f"{self.file}:{self.line}:{self.col}"


NOWHERE = Loc("", 0, 0)  # an item made in code, not read from a file


# C0 and C1 controls, DEL, and the Unicode marks that reorder or break lines on screen.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with control characters written as escapes (``\\x1b``, ``\\n``).

    A file name may hold anything but '/' and NUL: an ESC or a newline printed raw would
    recolour the terminal or break ``path:line:col`` apart.
    """
    return _UNPRINTABLE.sub(lambda m: repr(m[0])[1:-1], text)


class Problem(NamedTuple):
    severity: Severity
    loc: Loc
    message: str
    hint: str = ""
    code: str = ""

    def format(self) -> str:
        """``path:line:col: severity: message`` followed by an indented hint line."""
        text = f"{printable(str(self.loc))}: {self.severity}: {printable(self.message)}"
        if self.hint:
            text += f"\n    hint: {printable(self.hint)}"
        return text

    def to_json(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "file": self.loc.file,
            "line": self.loc.line,
            "col": self.loc.col,
            "message": self.message,
            "hint": self.hint,
            "code": self.code,
        }


class Problems:
    """Collects problems in the order they are found."""

    def __init__(self, items: Iterable[Problem] = ()) -> None:
        self.items: list[Problem] = list(items)

    def error(self, loc: Loc, message: str, hint: str = "", code: str = "") -> None:
        self.items.append(Problem("error", loc, message, hint, code))

    def warning(self, loc: Loc, message: str, hint: str = "", code: str = "") -> None:
        self.items.append(Problem("warning", loc, message, hint, code))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.items)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)
