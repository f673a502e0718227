"""Markers that turn the model's type hints into the pack format's rules.

The model (:mod:`agentdesk.core.packs.model`) is declared once, as typed NamedTuples whose
fields carry these markers through ``typing.Annotated``. From that single declaration come
the reader that validates YAML (:mod:`.build`), the JSON Schema trainers' editors use
(:mod:`.jsonschema`) and the field reference in ``docs/packs.md``.

The patterns of ids and versions, and how versions compare, are here too: installing and
shipping packs (:mod:`agentdesk.core.shipping`) follow the same rules.
"""

from __future__ import annotations

from typing import Annotated, NamedTuple


class Doc(NamedTuple):
    """What the field means, for trainers."""

    text: str


class Pattern(NamedTuple):
    """The text must match ``regex``; ``hint`` tells a trainer how to fix it."""

    regex: str
    hint: str


class Range(NamedTuple):
    minimum: int
    maximum: int


class Ref(NamedTuple):
    """The value names another item of the pack: a step, flow, script, macro, offer..."""

    kind: str


class TemplateMarker(NamedTuple):
    """The text is a template: it may use ``{{ variable }}`` and snippets."""


class NonEmpty(NamedTuple):
    """A list or mapping that must hold at least one entry."""


TEMPLATE = TemplateMarker()
NON_EMPTY = NonEmpty()

ID_REGEX = r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$"
ID_HINT = "Use letters, digits, '_', '-' or '.', up to 64 characters, e.g. 'primer-contacto'."
VAR_REGEX = r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"
VAR_HINT = "Use letters, digits and '_', starting with a letter, e.g. 'nombre_cliente'."
PACK_ID_REGEX = r"^[a-z0-9][a-z0-9-]{0,63}$"
PACK_ID_HINT = "Use lowercase letters, digits and '-', e.g. 'migracion-pre-post'."
#: Pack versions, and the AgentDesk versions an archive may require.
VERSION_REGEX = r"^\d{1,6}(\.\d{1,6}){0,3}$"
VERSION_HINT = "Use numbers and dots, e.g. '1.2.0'."

Id = Annotated[str, Pattern(ID_REGEX, ID_HINT)]
VarName = Annotated[str, Pattern(VAR_REGEX, VAR_HINT)]
Template = Annotated[str, TEMPLATE]


def version_key(version: str) -> tuple[int, ...]:
    """What versions are compared by: their numbers, trailing zeros dropped ('1.2' == '1.2.0')."""
    numbers = [int(part) for part in version.split(".") if part.isdigit()]
    while numbers and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)
