"""Read YAML into plain data that remembers where every value came from.

Why not ``yaml.safe_load``:

* **No YAML 1.1 traps.** Every scalar stays the text the trainer wrote: ``no``, ``on``,
  ``010`` and ``12:30`` are strings. The pack format decides later, per field, whether a
  value is a number, a date or a boolean (see :mod:`agentdesk.core.packs.build`).
* **Positions.** Mappings and lists carry the line and column of each entry, so every
  problem can be reported as ``path:line:col``.
* **Safety and speed.** The document is built from libyaml's event stream with an explicit
  stack: no recursion (PyYAML's composer overflows the C stack on deeply nested input), a
  nesting limit, a node budget against alias bombs, no tags, no code. It is also several
  times faster than PyYAML's own composer.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml import events as ev

from agentdesk.core.problems import Loc, Problems

MAX_DEPTH = 48
MAX_NODES = 2_000_000
# libyaml slows down quadratically with bracket nesting; refuse absurd depths before parsing.
MAX_BRACKET_DEPTH = 1000

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_PLAIN_TAGS = frozenset(
    {None, "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
)
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Pos = tuple[int, int]


class YMap(dict[str, Any]):
    """A mapping read from YAML. ``marks[key]`` = (key line, key col, value line, value col)."""

    __slots__ = ("marks", "pos")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.marks: dict[str, tuple[int, int, int, int]] = {}

    def key_pos(self, key: str) -> Pos:
        m = self.marks.get(key)
        return (m[0], m[1]) if m else self.pos

    def value_pos(self, key: str) -> Pos:
        m = self.marks.get(key)
        return (m[2], m[3]) if m else self.pos


class YList(list[Any]):
    """A list read from YAML. ``ipos[i]`` is the position of item ``i``."""

    __slots__ = ("ipos", "pos")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.ipos: list[Pos] = []


_HINTS = (
    (
        "mapping values are not allowed",
        'The text contains ": " (a colon and a space). Put the whole text in quotes, '
        'for example: path: "Móvil :: WhatsApp :: Oferta".',
    ),
    (
        "cannot start any token",
        "Indent with spaces, never tabs; quote text that starts with @ or `.",
    ),
    (
        "did not find expected key",
        "Check the indentation: entries of one mapping or list must start in the same column.",
    ),
    (
        "expected <block end>",
        "Check the indentation: entries of one mapping or list must start in the same column.",
    ),
    ("found undefined alias", "Define the anchor (&name) before using the alias (*name)."),
    ("found unexpected end of stream", "A quote or bracket is not closed."),
    (
        "while scanning a quoted scalar",
        "A quote is not closed, or a quote inside it is not doubled.",
    ),
)


def _hint_for(message: str) -> str:
    for needle, hint in _HINTS:
        if needle in message:
            return hint
    return "Check the YAML syntax near this position: indentation, quotes and colons."


def decode(data: bytes, file: str, problems: Problems) -> str | None:
    """Decode UTF-8 (with or without BOM); report the exact spot of a bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.error(
            Loc(file, line, col),
            "the file is not valid UTF-8 text",
            "Save the file as UTF-8 in your editor.",
            "encoding",
        )
        return None


def _pos(mark: Any, style: str | None = None) -> Pos:
    # Block scalars (| and >) start their text on the line after the indicator.
    if style in ("|", ">"):
        return (mark.line + 2, 1)
    return (mark.line + 1, mark.column + 1)


class _Frame:
    __slots__ = ("anchor", "container", "key", "key_pos", "start_count")

    def __init__(self, container: YMap | YList, anchor: str | None, start_count: int) -> None:
        self.container = container
        self.anchor = anchor
        self.start_count = start_count
        self.key: str | None = None
        self.key_pos: Pos = (0, 0)


def read_yaml(text: str, file: str, problems: Problems) -> Any:
    """Parse one YAML document. Returns None (with problems reported) when it cannot."""
    if _bracket_depth(text) > MAX_BRACKET_DEPTH:
        problems.error(
            Loc(file, 1, 1),
            f"brackets nested more than {MAX_BRACKET_DEPTH} levels deep",
            "A pack never needs this; check for unbalanced [ or {.",
            "yaml-depth",
        )
        return None
    loader = _Loader(text)
    try:
        return _build(loader, file, problems)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = exc.problem or exc.context or "invalid YAML"
        problems.error(Loc(file, line, col), f"YAML syntax: {message}", _hint_for(message), "yaml")
        return None
    except yaml.YAMLError as exc:  # ReaderError: a character YAML does not allow
        position = getattr(exc, "position", 0) or 0
        line = text.count("\n", 0, position) + 1
        col = position - (text.rfind("\n", 0, position) + 1) + 1
        problems.error(
            Loc(file, line, col),
            f"YAML cannot contain this character: {exc}".splitlines()[0],
            "Remove the control character (often pasted from a PDF).",
            "yaml",
        )
        return None
    finally:
        loader.dispose()


_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def _bracket_depth(text: str) -> int:
    """An upper bound of the bracket nesting (brackets inside quotes count too)."""
    if text.count("[") + text.count("{") <= MAX_BRACKET_DEPTH:
        return 0
    depth = peak = 0
    for char in _NOT_BRACKETS.sub("", text):
        if char in "[{":
            depth += 1
            peak = max(peak, depth)
        elif char in "]}":
            depth = max(0, depth - 1)
    return peak


def _build(loader: Any, file: str, problems: Problems) -> Any:
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int]] = {}
    root: Any = None
    documents = 0
    count = 0
    skip = 0  # depth of a subtree being skipped (too deep)
    raw = ""
    get = loader.get_event
    event = get()
    while event is not None:
        kind = type(event)
        value: Any
        pos: Pos
        if skip:
            if kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
                skip += 1
            elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
                skip -= 1
            if skip:
                event = get()
                continue
            value, pos = None, _pos(event.start_mark)
        elif kind is ev.ScalarEvent:
            count += 1
            if event.tag not in _PLAIN_TAGS:
                _tag_error(event, file, problems)
            raw = value = event.value
            if not event.style and value in _NULLS:  # plain style: '' from libyaml, None in Python
                value = None
            pos = _pos(event.start_mark, event.style)
            if event.anchor:
                anchors[event.anchor] = (value, 1)
        elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
            if event.tag not in _PLAIN_TAGS:
                _tag_error(event, file, problems)
            start = _pos(event.start_mark)
            if len(stack) >= MAX_DEPTH:
                problems.error(
                    Loc(file, *start),
                    f"nesting deeper than {MAX_DEPTH} levels",
                    "A pack never needs this much nesting; check the brackets and indentation.",
                    "yaml-depth",
                )
                skip = 1
                event = get()
                continue
            count += 1
            container: YMap | YList = YMap(start) if kind is ev.MappingStartEvent else YList(start)
            stack.append(_Frame(container, event.anchor, count))
            event = get()
            continue
        elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
            frame = stack.pop()
            value, pos = frame.container, frame.container.pos
            if frame.anchor:
                anchors[frame.anchor] = (value, count - frame.start_count + 1)
        elif kind is ev.AliasEvent:
            value, size = anchors.get(event.anchor, (None, 1))
            count += size
            pos = _pos(event.start_mark)
        elif kind is ev.DocumentStartEvent:
            documents += 1
            if documents > 1:
                problems.error(
                    Loc(file, *_pos(event.start_mark)),
                    "a pack file holds one YAML document; this is a second one",
                    "Remove the '---' line or move the second document to its own file.",
                    "yaml",
                )
                return root
            event = get()
            continue
        else:  # stream start/end, document end
            event = get()
            continue

        if count > MAX_NODES:
            problems.error(
                Loc(file, *pos),
                f"the document expands to more than {MAX_NODES:,} values",
                "Aliases (*name) that repeat large anchors multiply the size; copy less.",
                "yaml-size",
            )
            return None

        if not stack:
            root = value
        else:
            top = stack[-1]
            box = top.container
            if isinstance(box, YList):
                box.append(value)
                box.ipos.append(pos)
            elif top.key is None:
                if kind is ev.ScalarEvent:
                    value = raw  # keys stay text: a key 'no' or 'null' is the word itself
                else:
                    problems.error(
                        Loc(file, *pos),
                        "a key must be plain text",
                        "Write keys as simple words such as 'title' or 'steps'.",
                        "yaml-key",
                    )
                    value = f"<invalid key {pos[0]}:{pos[1]}>"
                top.key = value
                top.key_pos = pos
            else:
                key = top.key
                if key in box:
                    first = box.marks[key]
                    problems.error(
                        Loc(file, *top.key_pos),
                        f"duplicate key '{key}' (first at line {first[0]})",
                        "Each key may appear once in a mapping; rename or remove one of them.",
                        "duplicate-key",
                    )
                box[key] = value
                box.marks[key] = (*top.key_pos, *pos)
                top.key = None
        event = get()
    return root


def _tag_error(event: Any, file: str, problems: Problems) -> None:
    problems.error(
        Loc(file, *_pos(event.start_mark)),
        f"YAML tags such as '{event.tag}' are not allowed in packs",
        "Remove the tag: write the value as plain text.",
        "yaml-tag",
    )
