"""Markers that turn the model's type hints into the pack format's rules.

The model (:mod:`agentdesk.core.packs.model`) is declared once, as typed NamedTuples whose
fields carry these markers through ``typing.Annotated``. From that single declaration come
the reader that validates YAML (:mod:`.build`), the JSON Schema trainers' editors use
(:mod:`.jsonschema`) and the field reference in ``docs/packs.md``.

The patterns of ids and versions, and how versions compare, are in :mod:`agentdesk.core.ids`.
"""

from __future__ import annotations

from typing import Annotated, NamedTuple

from agentdesk.core.ids import ID_HINT, ID_REGEX, VAR_HINT, VAR_REGEX


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


class VerbatimMarker(NamedTuple):
    """Text the helpdesk reads as written: '{{' in it is the helpdesk's own placeholder,
    not the pack's template, so the reader does not warn about it."""


class NonEmpty(NamedTuple):
    """A list or mapping that must hold at least one entry."""


class ConditionMarker(NamedTuple):
    """The text is a condition on the customer's details (:mod:`agentdesk.core.logic`).
    ``answers``: an answer's condition, which may also count the step's ticked items."""

    answers: bool = False


TEMPLATE = TemplateMarker()
VERBATIM = VerbatimMarker()
NON_EMPTY = NonEmpty()

Id = Annotated[str, Pattern(ID_REGEX, ID_HINT)]
VarName = Annotated[str, Pattern(VAR_REGEX, VAR_HINT)]
Template = Annotated[str, TEMPLATE]
Verbatim = Annotated[str, VERBATIM]
Condition = Annotated[str, ConditionMarker()]
AnswerCondition = Annotated[str, ConditionMarker(answers=True)]
