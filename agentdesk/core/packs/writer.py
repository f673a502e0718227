"""Write a pack model back to YAML files: the way back from :mod:`.build`.

Importers build a :class:`~agentdesk.core.packs.model.Pack` and write it here; a pack read
and written again reads back equal. Like the reader, the writer follows the model's
declaration: each object becomes a mapping of its fields in declared order, fields equal to
their default are left out, items written under their id omit it, and an object whose only
field is its shorthand's (``macros: [primer-contacto]``) is written as that text.

The output is stable: the same pack always gives the same bytes (the pure-Python emitter,
fixed key order, multi-line texts as ``|`` blocks, short lists of words on one line).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from agentdesk.core.files import write_atomic
from agentdesk.core.packs import MANIFEST, model

WIDTH = 100
_SECTION_FILES = ("variables", "facts", "snippets", "scripts", "macros", "offers")
_FLOW_LIST_MAX = 80  # a list of short texts fitting this many characters stays on one line


class _Flat(list[Any]):
    """A list written on one line: ``[a, b, c]``."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # the same tuple used twice is written twice, never as an alias


_ESCAPED = frozenset("\r\x85\u2028\u2029")  # line breaks a block or plain text would lose


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if _ESCAPED.intersection(text) else "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _flat(dumper: yaml.SafeDumper, items: _Flat) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=True)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(_Flat, _flat)


def to_data(obj: Any, keyed: bool = False) -> Any:
    """A model object as plain YAML data; ``keyed``: it is written under its id."""
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return _object(obj, keyed)
    if isinstance(obj, dict):
        return {key: to_data(value, keyed=True) for key, value in obj.items()}
    if isinstance(obj, tuple):
        items = [to_data(item) for item in obj]
        words = all(isinstance(i, str) and "\n" not in i for i in items)
        if words and (not items or sum(len(i) + 2 for i in items) <= _FLOW_LIST_MAX):
            return _Flat(items)
        if all(isinstance(i, _Flat) for i in items):
            return list(items)
        return items
    return obj  # str, int, bool, date


def _object(obj: Any, keyed: bool) -> Any:
    cls = type(obj)
    defaults: dict[str, Any] = cls._field_defaults
    skip = {"loc"}
    if keyed:
        skip.add("id")
    if cls is model.Step and obj.next is not None:
        skip.add("choices")  # read from 'next'
    if cls is model.Choice and obj.id == _default_choice_id(obj):
        skip.add("id")
    data: dict[str, Any] = {}
    for name in cls._fields:
        value = getattr(obj, name)
        if name in skip or (name in defaults and value == defaults[name] and name != "format"):
            continue
        data[name] = to_data(value)
    shorthand = model.SHORTHANDS.get(cls)
    if shorthand and list(data) == [shorthand] and isinstance(data[shorthand], str):
        return data[shorthand]
    return data


def _default_choice_id(choice: model.Choice) -> str:
    """The id the reader gives a choice written without one."""
    return choice.go or (choice.flow or "").rsplit("/", 1)[-1] or "choice"


def dump(data: dict[str, Any]) -> str:
    text = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=WIDTH,
        default_flow_style=False,
    )
    return str(text)


def pack_files(pack: model.Pack) -> dict[str, str]:
    """The pack's files, relative path -> YAML text: ``pack.yaml``, one file per section
    and one per flow under ``flows/``."""
    files = {MANIFEST: dump(to_data(pack.manifest))}
    for section in _SECTION_FILES:
        items = getattr(pack, section)
        if items:
            files[f"{section}.yaml"] = dump({section: to_data(items)})
    for flow_id, flow in pack.flows.items():
        files[f"flows/{flow_id}.yaml"] = dump({"flows": {flow_id: to_data(flow, keyed=True)}})
    if pack.tests:
        files["tests.yaml"] = dump({"tests": [to_data(t) for t in pack.tests]})
    return files


def write_pack(pack: model.Pack, folder: Path) -> list[Path]:
    """Write the pack's files into ``folder`` (created if needed); returns what was written."""
    written = []
    for name, text in pack_files(pack).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text.encode("utf-8"))
        written.append(path)
    return written


def without_locations(obj: Any) -> Any:
    """``obj`` with every ``loc`` cleared (and a pack's root and digest): what two readings of
    the same content share, whichever files it was written in."""
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        values = {name: without_locations(getattr(obj, name)) for name in obj._fields}
        if "loc" in values:
            values["loc"] = model.NOWHERE
        if isinstance(obj, model.Pack):
            values.update(root="", digest="")
        return type(obj)(**values)
    if isinstance(obj, dict):
        return {key: without_locations(value) for key, value in obj.items()}
    if isinstance(obj, tuple):
        return tuple(without_locations(item) for item in obj)
    return obj
