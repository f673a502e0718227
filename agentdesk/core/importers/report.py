"""What an import or export did with each thing it read: mapped, kept as written, or left out."""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal, NamedTuple

Outcome = Literal["mapped", "kept", "left out"]


class Entry(NamedTuple):
    item: str  # the macro or text module, as the helpdesk names it
    source: str  # what was read: an action's field, a property, a placeholder, a column
    outcome: Outcome
    target: str  # where it went in the pack, or why it was left out


class UnreadableFile(Exception):
    """The file cannot be read at all; the message says where and what to do."""


class Report:
    def __init__(self) -> None:
        self.entries: list[Entry] = []

    def mapped(self, item: str, source: str, target: str) -> None:
        self.entries.append(Entry(item, source, "mapped", target))

    def kept(self, item: str, source: str, target: str) -> None:
        self.entries.append(Entry(item, source, "kept", target))

    def left_out(self, item: str, source: str, why: str) -> None:
        self.entries.append(Entry(item, source, "left out", why))

    def summary(self) -> list[tuple[Outcome, str, str, int]]:
        """(outcome, source, target or reason, how many items), most frequent first."""
        counts = Counter((e.outcome, e.source, e.target) for e in self.entries)
        order = {"mapped": 0, "kept": 1, "left out": 2}
        rows = [(o, s, t, n) for (o, s, t), n in counts.items()]
        return sorted(rows, key=lambda r: (order[r[0]], -r[3], r[1]))

    def lines(self) -> list[str]:
        """The summary for a terminal: one line per kind of thing read."""
        out = []
        for outcome, source, target, count in self.summary():
            arrow = "→" if outcome != "left out" else "✗"
            out.append(f"  {outcome:<9} {source} {arrow} {target}  ({count})")
        return out

    def to_json(self) -> list[dict[str, Any]]:
        return [e._asdict() for e in self.entries]
