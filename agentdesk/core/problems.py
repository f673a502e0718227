"""Problems found in content: where they are, what is wrong and what to do about it.

Every reader of trainer-authored content (YAML, templates, references) reports through a
:class:`Problems` collector instead of raising, so that all problems come out at once and
bad input never stops the program.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class Loc(NamedTuple):
    """A position in a file: 1-based line and column."""

    file: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


class Problem(NamedTuple):
    severity: Severity
    loc: Loc
    message: str
    hint: str = ""
    code: str = ""

    def format(self) -> str:
        """``path:line:col: severity: message`` followed by an indented hint line."""
        text = f"{self.loc}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
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
