"""JSON Schemas for pack files, derived from the model, for trainers' editors.

``pack.yaml`` follows the ``manifest`` schema and every other file the ``content`` schema;
the item kinds (flow, step, macro...) are published on their own too. Text fields accept
any scalar because the reader keeps every scalar as the text written (``no`` stays "no").
"""

from __future__ import annotations

import types
from datetime import date
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

from agentdesk.core.packs import model
from agentdesk.core.packs.spec import Doc, NonEmpty, Pattern, Range

SCHEMA_BASE = "https://agentdesk.example/schemas/"

# kind -> model class; 'manifest' and 'content' are file kinds, the rest item kinds.
KINDS: dict[str, type] = {
    "manifest": model.Manifest,
    "content": model.ContentFile,
    "variable": model.Variable,
    "fact": model.Fact,
    "snippet": model.Snippet,
    "script": model.Script,
    "macro": model.Macro,
    "offer": model.Offer,
    "flow": model.Flow,
    "step": model.Step,
    "choice": model.Choice,
    "test": model.Scenario,
}
_NAMES = {cls: kind for kind, cls in KINDS.items()}
_NAMES.update(
    {
        model.MacroUse: "macro-use",
        model.HelpdeskField: "helpdesk-field",
        model.ChecklistItem: "checklist-item",
        model.Timer: "timer",
        model.NoteDraft: "note",
        model.Next: "next",
        model.Expect: "expect",
    }
)

_SCALAR = {"type": ["string", "number", "boolean"]}


def schema(kind: str | None = None) -> dict[str, Any]:
    """The schema for one kind, or (kind None) for any pack file."""
    defs: dict[str, Any] = {}
    for cls in _NAMES:
        _define(cls, defs)
    if kind is None:
        root: dict[str, Any] = {
            "title": "AgentDesk pack file",
            "anyOf": [{"$ref": "#/$defs/manifest"}, {"$ref": "#/$defs/content"}],
        }
        name = "pack"
    else:
        if kind not in KINDS:
            raise KeyError(kind)
        root = {"$ref": f"#/$defs/{kind}"}
        name = kind
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_BASE}{name}.schema.json",
        **root,
        "$defs": defs,
    }


def _define(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    name = _NAMES[cls]
    ref = {"$ref": f"#/$defs/{name}"}
    if name in defs:
        return ref
    defs[name] = {}  # placeholder against recursion
    hints = get_type_hints(cls, include_extras=True)
    defaults = getattr(cls, "_field_defaults", {})
    properties: dict[str, Any] = {}
    required = []
    for field in cls._fields:  # type: ignore[attr-defined]
        if field in ("loc",) or (field == "id" and cls in _KEYED):
            continue
        properties[field] = _type(hints[field], defs)
        if field not in defaults:
            required.append(field)
    body: dict[str, Any] = {
        "type": "object",
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        body["required"] = required
    shorthand = model.SHORTHANDS.get(cls)
    defs[name] = {"anyOf": [body, _SCALAR]} if shorthand else body
    return ref


_KEYED = {
    model.Variable,
    model.Fact,
    model.Snippet,
    model.Script,
    model.Macro,
    model.Offer,
    model.Flow,
    model.Step,
}


def _type(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = get_origin(tp)
    if origin is Annotated:
        base, *markers = get_args(tp)
        out = dict(_type(base, defs))
        for marker in markers:
            if isinstance(marker, Doc):
                out["description"] = marker.text
            elif isinstance(marker, Pattern) and out.get("type") == _SCALAR["type"]:
                out = {"type": "string", "pattern": marker.regex, **_keep_doc(out)}
            elif isinstance(marker, Range):
                out.update(minimum=marker.minimum, maximum=marker.maximum)
            elif isinstance(marker, NonEmpty):
                key = "minItems" if out.get("type") == "array" else "minProperties"
                out[key] = 1
        return out
    if origin in (Union, types.UnionType):
        (inner,) = [a for a in get_args(tp) if a is not type(None)]
        return {"anyOf": [_type(inner, defs), {"type": "null"}]}
    if origin is Literal:
        return {"enum": list(get_args(tp))}
    if origin is tuple:
        return {"type": "array", "items": _type(get_args(tp)[0], defs)}
    if origin is dict:
        key, item = get_args(tp)
        out = {"type": "object", "additionalProperties": _type(item, defs)}
        key_schema = _type(key, defs)
        if "pattern" in key_schema:
            out["propertyNames"] = {"pattern": key_schema["pattern"]}
        return out
    if tp is str:
        return dict(_SCALAR)
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is date:
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    if isinstance(tp, type) and tp in _NAMES:
        return _define(tp, defs)
    raise TypeError(f"no schema for {tp!r}")


def _keep_doc(out: dict[str, Any]) -> dict[str, Any]:
    return {"description": out["description"]} if "description" in out else {}
