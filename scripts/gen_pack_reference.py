"""Generate the field reference at the end of docs/packs.md from the pack model.

The tables come from ``agentdesk.core.packs.model``: the type hints (read with
``typing.get_type_hints(..., include_extras=True)``), their ``Doc``, ``Pattern``, ``Range``,
``Ref`` and template markers, and each class's ``_field_defaults``. The kinds and their names
are those of the JSON Schemas (``agentdesk.core.packs.jsonschema``), visited from the two
file kinds (``manifest`` and ``content``) in the order a trainer meets them.

    python scripts/gen_pack_reference.py            rewrite the section in place
    python scripts/gen_pack_reference.py --check    exit 1 if the section is stale
"""

from __future__ import annotations

import argparse
import re
import sys
import types
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "packs.md"
START = "<!-- reference:start -->"
END = "<!-- reference:end -->"

if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from agentdesk.core.ids import ID_REGEX, VAR_REGEX  # noqa: E402
from agentdesk.core.packs import jsonschema, model  # noqa: E402
from agentdesk.core.packs.spec import (  # noqa: E402
    ConditionMarker,
    Doc,
    NonEmpty,
    Pattern,
    Range,
    Ref,
    TemplateMarker,
)

ROOTS: tuple[type, ...] = (model.Manifest, model.ContentFile)


# -- the kinds, in reading order ------------------------------------------------------------


def name_of(cls: type) -> str:
    """The kind's name, as the JSON Schemas call it: 'macro-use', 'test'..."""
    return jsonschema._NAMES[cls]


_TITLES = {"content": "content file"}  # how the docs name a kind, where not its schema name


def title_of(cls: type) -> str:
    name = name_of(cls)
    return _TITLES.get(name, name.replace("-", " "))


def anchor(cls: type) -> str:
    """The heading's anchor, as GitHub makes it from 'Reference: <title>'."""
    return "reference-" + title_of(cls).replace(" ", "-")


def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls, include_extras=True)


def _fields(cls: type) -> list[str]:
    return [f for f in cls._fields if f != "loc"]  # type: ignore[attr-defined]


def _classes_in(tp: Any) -> list[type]:
    """The model classes a type hint mentions, in order."""
    if isinstance(tp, type) and tp in jsonschema._NAMES:
        return [tp]
    found: list[type] = []
    for arg in get_args(tp):
        if isinstance(arg, (type, types.GenericAlias)) or get_origin(arg) is not None:
            found += _classes_in(arg)
    return found


def kinds() -> list[type]:
    """Every kind of the format, depth first from the file kinds, each once."""
    order: list[type] = []

    def visit(cls: type) -> None:
        if cls in order:
            return
        order.append(cls)
        hints = _hints(cls)
        for field in _fields(cls):
            for inner in _classes_in(hints[field]):
                visit(inner)

    for cls in ROOTS:
        visit(cls)
    order += [cls for cls in jsonschema._NAMES if cls not in order]
    return order


def _parents(order: list[type]) -> dict[type, list[tuple[type, str, str]]]:
    """For each kind: (parent kind, field, how) where it is written; how = one/each/entry."""
    parents: dict[type, list[tuple[type, str, str]]] = {cls: [] for cls in order}
    for parent in order:
        hints = _hints(parent)
        for field in _fields(parent):
            tp = _strip(hints[field])
            origin = get_origin(tp)
            how = "entry" if origin is dict else "each" if origin is tuple else "one"
            for inner in _classes_in(tp):
                parents[inner].append((parent, field, how))
    return parents


# -- describing a type ------------------------------------------------------------------------


def _strip(tp: Any) -> Any:
    """The type without Annotated markers and without '| None'."""
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            (tp,) = [a for a in get_args(tp) if a is not type(None)]
        else:
            return tp


def _markers(tp: Any) -> list[Any]:
    found: list[Any] = []
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            base, *marks = get_args(tp)
            found += marks
            tp = base
        elif origin in (Union, types.UnionType):
            (tp,) = [a for a in get_args(tp) if a is not type(None)]
        else:
            return found


def _link(cls: type, plural: bool = False) -> str:
    return f"[{title_of(cls)}](#{anchor(cls)})" + ("s" if plural else "")


def describe(tp: Any, plural: bool = False) -> str:
    """A type hint in a trainer's words: 'text', 'list of step ids', 'date (YYYY-MM-DD)'..."""
    marks = _markers(tp)
    base = _strip(tp)
    origin = get_origin(base)
    ref = next((m for m in marks if isinstance(m, Ref)), None)
    if ref is not None:
        return f"{ref.kind} id" + ("s" if plural else "")
    if origin is Literal:
        values = ", ".join(f"`{v}`" for v in get_args(base))
        return f"values from {values}" if plural else f"one of {values}"
    if origin is tuple:
        return ("lists" if plural else "list") + " of " + describe(get_args(base)[0], plural=True)
    if origin is dict:
        key, item = get_args(base)
        return f"mapping of {describe(key)} → {describe(item)}"
    if isinstance(base, type) and base in jsonschema._NAMES:
        return _link(base, plural)
    if base is str and _pattern(tp) in _ID_PATTERNS:
        return _ID_PATTERNS[_pattern(tp)] + ("s" if plural else "")
    if base is str and any(isinstance(m, ConditionMarker) for m in marks):
        return "[condition](#conditions)"
    if base is str:
        text = "texts" if plural else "text"
        return f"{text} (template)" if any(isinstance(m, TemplateMarker) for m in marks) else text
    if base is bool:
        return "`true` or `false`"
    if base is int:
        size = next((m for m in marks if isinstance(m, Range)), None)
        numbers = "whole numbers" if plural else "whole number"
        if size and size.minimum == size.maximum:
            return f"{numbers} (only {size.minimum})"
        return f"{numbers} from {size.minimum} to {size.maximum}" if size else numbers
    if base is date:
        return "date (YYYY-MM-DD)"
    raise TypeError(f"cannot describe {tp!r}")


# Ids follow the rules told once above the tables, so their rows do not repeat them.
_ID_PATTERNS = {ID_REGEX: "id", VAR_REGEX: "variable id"}


def _pattern(tp: Any) -> str | None:
    mark = next((m for m in _markers(tp) if isinstance(m, Pattern)), None)
    return mark.regex if mark else None


def default_text(cls: type, field: str, tp: Any) -> str:
    defaults = cls._field_defaults  # type: ignore[attr-defined]
    at_least_one = any(isinstance(m, NonEmpty) for m in _markers(tp))
    if field not in defaults:
        return "**required**" + (", at least one" if at_least_one else "")
    value = defaults[field]
    if value is None or value == "":
        return "optional"
    if value in ((), {}):
        return "optional (none)"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, tuple):
        return "`[" + ", ".join(map(str, value)) + "]`"
    return f"`{value}`"


def meaning(tp: Any) -> str:
    parts = []
    doc = next((m for m in reversed(_markers(tp)) if isinstance(m, Doc)), None)
    if doc is not None:
        parts.append(doc.text)
    pattern = next((m for m in _markers(tp) if isinstance(m, Pattern)), None)
    if pattern is not None and pattern.regex not in _ID_PATTERNS:
        parts.append(pattern.hint)
    return " ".join(parts)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _docstring(cls: type) -> str:
    text = " ".join((cls.__doc__ or "").split())
    return re.sub(r"``([^`]+)``", r"`\1`", text)


# -- the section ------------------------------------------------------------------------------


def _where(cls: type, parents: list[tuple[type, str, str]]) -> str:
    if cls is model.Manifest:
        return "Written in: the file `pack.yaml`."
    if cls is model.ContentFile:
        return "Written in: every other `.yaml` file of the pack, in any sub-folder."
    places = []
    for parent, field, how in parents:
        where = f"`{field}:` in a {_link(parent)}"
        if how == "entry":
            places.append(f"each entry of {where}, under its id")
        elif how == "each":
            places.append(f"each item of {where}")
        else:
            places.append(where)
    return "Written as: " + "; ".join(places) + "."


def table(cls: type, parents: list[tuple[type, str, str]]) -> list[str]:
    hints = _hints(cls)
    lines = [f"### Reference: {title_of(cls)}", "", _docstring(cls), "", _where(cls, parents)]
    shorthand = model.SHORTHANDS.get(cls)
    if shorthand:
        lines.append(
            f"Shorthand: a plain text instead of the fields means `{shorthand}:` that text."
        )
    lines += ["", "| Field | Type | Required / default | Meaning |", "| --- | --- | --- | --- |"]
    keyed = cls in jsonschema._KEYED
    for field in _fields(cls):
        tp = hints[field]
        if field == "id" and keyed:
            row = (
                "*(the key)*",
                describe(tp),
                "**required**",
                "Written as the key, not as a field.",
            )
        else:
            row = (f"`{field}`", describe(tp), default_text(cls, field, tp), meaning(tp))
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return lines


def render() -> str:
    """The generated section, markers included."""
    order = kinds()
    parents = _parents(order)
    lines = [
        START,
        "<!-- Generated from agentdesk/core/packs/model.py by scripts/gen_pack_reference.py."
        " Do not edit by hand: run the script. -->",
    ]
    for cls in order:
        lines += ["", *table(cls, parents[cls])]
    lines += ["", END]
    return "\n".join(lines)


def replace_section(text: str, section: str) -> str:
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"docs/packs.md needs the markers {START} and {END}, in that order")
    return text[:start] + section + text[end + len(END) :]


def check(path: Path = DOC) -> bool:
    """Whether the reference section of ``path`` is what the model generates."""
    text = path.read_text(encoding="utf-8")
    return replace_section(text, render()) == text


def update(path: Path = DOC) -> bool:
    """Rewrite the section in place; True if the file changed."""
    text = path.read_text(encoding="utf-8")
    new = replace_section(text, render())
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the section is stale")
    parser.add_argument("--file", type=Path, default=DOC, help="the document (docs/packs.md)")
    args = parser.parse_args(argv)
    if args.check:
        if check(args.file):
            return 0
        print(
            f"{args.file}: the field reference is stale; run: python scripts/gen_pack_reference.py",
            file=sys.stderr,
        )
        return 1
    changed = update(args.file)
    shown = args.file.resolve()
    shown = shown.relative_to(ROOT) if shown.is_relative_to(ROOT) else shown
    print(f"{shown}: reference {'updated' if changed else 'already current'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
