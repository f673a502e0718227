"""The pack format (v1), declared once.

Each class is one kind of thing a trainer writes in YAML. Field names are the YAML keys;
the type hints and their markers (:mod:`.spec`) are the rules. The reader (:mod:`.build`),
the JSON Schema (:mod:`.jsonschema`) and the docs' field reference are all derived from
this module, so changing the format means changing it here and nowhere else.

Fields named ``id`` are filled from the key the item is written under; fields named ``loc``
record where the item was written. The scenario tests' part of the format is in
:mod:`.scenario` (included here).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal, NamedTuple

from agentdesk.core.ids import PACK_ID_HINT, PACK_ID_REGEX, VERSION_HINT, VERSION_REGEX
from agentdesk.core.packs.scenario import Expect as Expect
from agentdesk.core.packs.scenario import Scenario as Scenario
from agentdesk.core.packs.spec import (
    NON_EMPTY,
    AnswerCondition,
    Condition,
    Doc,
    Id,
    Pattern,
    Range,
    Ref,
    Template,
    VarName,
    Verbatim,
)
from agentdesk.core.problems import NOWHERE as NOWHERE
from agentdesk.core.problems import Loc

#: A pack's locale: a language and, usually, a country (Babel must know it too).
LOCALE_REGEX = r"^[a-z]{2,3}(-[A-Z]{2})?$"

Audience = Literal["desk", "kiosk"]
VariableType = Literal[
    "text", "number", "money", "date", "phone", "email", "id_number", "url", "choice", "days"
]
Medium = Literal[
    "phone", "whatsapp", "email", "switchboard", "skype", "teams", "chat", "in_person", "other"
]
MEDIA: tuple[Medium, ...] = (
    "phone",
    "whatsapp",
    "email",
    "switchboard",
    "skype",
    "teams",
    "chat",
    "in_person",
    "other",
)

ValidFrom = Annotated[date | None, Doc("First day this is current (YYYY-MM-DD).")]
ValidUntil = Annotated[date | None, Doc("Last day this is current (YYYY-MM-DD).")]
Tags = Annotated[tuple[str, ...], Doc("Words that help find this item in search.")]
Active = Annotated[
    bool,
    Doc("false: switched off in the helpdesk it came from; kept, marked, left out of search."),
]
OnlyIf = Annotated[
    Condition | None,
    Doc("Shown only when this condition on the customer's details holds, e.g. 'monto > 1000'."),
]


class Manifest(NamedTuple):
    """``pack.yaml``: what the pack is, for whom, and when it is current."""

    id: Annotated[
        str, Pattern(PACK_ID_REGEX, PACK_ID_HINT), Doc("Unique pack id, e.g. 'cobranza-cl'.")
    ]
    title: Annotated[str, Doc("Name shown to agents.")]
    version: Annotated[
        str,
        Pattern(VERSION_REGEX, VERSION_HINT),
        Doc("Content version; raise it for every release you ship."),
    ]
    locale: Annotated[
        str,
        Pattern(LOCALE_REGEX, "Use a language and country, e.g. 'es-MX'."),
        Doc("Language and country of the content: formats money and dates (es-MX, es-CL...)."),
    ]
    format: Annotated[int, Range(1, 1), Doc("Pack format version. Write 1.")] = 1
    description: Annotated[str, Doc("What the pack covers, in a sentence or two.")] = ""
    audiences: Annotated[
        tuple[Audience, ...],
        NON_EMPTY,
        Doc("Who sees the pack: desk (agents at a desk) and/or kiosk (branch kiosks)."),
    ] = ("desk",)
    valid_from: ValidFrom = None
    valid_until: ValidUntil = None
    tags: Tags = ()
    synonyms: Annotated[
        tuple[tuple[str, ...], ...],
        Doc("Groups of words that name the same thing; search finds any by the others."),
    ] = ()
    currency: Annotated[
        str | None,
        Pattern(r"^[A-Z]{3}$", "Use an ISO 4217 code such as MXN, USD, BOB or CLP."),
        Doc("Currency for the money filter; by default the locale's country currency."),
    ] = None
    source: Annotated[str | None, Doc("The document the pack was written from.")] = None
    start: Annotated[str | None, Ref("flow"), Doc("The flow to open first.")] = None
    ticket_statuses: Annotated[
        tuple[str, ...], Doc("If set, every macro's ticket_status must be one of these.")
    ] = ()
    order_statuses: Annotated[
        tuple[str, ...], Doc("If set, every macro's order_status must be one of these.")
    ] = ()
    usage_stats: Annotated[
        bool,
        Doc(
            "true: the pack asks desks to count locally which steps, answers and offers are "
            "used (never customer data); desks whose usage setting is 'pack' then do."
        ),
    ] = False
    loc: Loc = NOWHERE


class Variable(NamedTuple):
    """A customer detail the agent types once and every text reuses: ``{{ id }}``."""

    id: VarName
    label: Annotated[str, Doc("Name shown in the customer-details form.")]
    type: Annotated[VariableType, Doc("Kind of value; decides the input and its check.")] = "text"
    example: Annotated[str | None, Doc("A realistic value, shown as a placeholder.")] = None
    fallback: Annotated[str | None, Doc("Used in texts while the agent has not typed a value.")] = (
        None
    )
    pattern: Annotated[
        str | None, Doc("Regular expression a valid value matches, e.g. '^\\d{10}$'.")
    ] = None
    hint: Annotated[str | None, Doc("Shown when a value does not match the pattern.")] = None
    choices: Annotated[tuple[str, ...], Doc("Allowed values when type is 'choice'.")] = ()
    helpdesk_placeholder: Annotated[
        str | None,
        Doc(
            "The helpdesk's own placeholder this detail stands for, without braces, e.g. "
            "'ticket.requester.name': importing and exporting macros turn one into the other."
        ),
    ] = None
    loc: Loc = NOWHERE


class Fact(NamedTuple):
    """Something the agent records during the call, such as a cancellation threat."""

    id: Id
    label: Annotated[str, Doc("What the agent records, e.g. 'El cliente amenaza con cancelar'.")]
    description: Annotated[str, Doc("When to record it.")] = ""
    loc: Loc = NOWHERE


class Snippet(NamedTuple):
    """Reusable text. Use it in any text with ``{% include "id" %}``."""

    id: Id
    text: Annotated[Template, Doc("The shared text; may use variables.")]
    loc: Loc = NOWHERE


class Script(NamedTuple):
    """What the agent says, word for word."""

    id: Id
    title: Annotated[str, Doc("Short name of the script.")]
    text: Annotated[Template, Doc("The words to say or send; may use variables.")]
    channel: Annotated[
        str | None, Doc("Where it is used: Teléfono, WhatsApp, IVR, Presencial...")
    ] = None
    when: Annotated[str | None, Doc("When to use it (guidance for the agent).")] = None
    tags: Tags = ()
    valid_from: ValidFrom = None
    valid_until: ValidUntil = None
    active: Active = True
    only_if: OnlyIf = None
    loc: Loc = NOWHERE


class HelpdeskField(NamedTuple):
    """Something else the macro sets in the helpdesk: priority, tags, group, a custom field..."""

    field: Annotated[
        str, Doc("The helpdesk's name for it, e.g. 'priority', 'set_tags', 'custom_fields_360'.")
    ]
    value: Annotated[Verbatim, Doc("The value it sets, as the helpdesk writes it.")] = ""
    items: Annotated[
        tuple[Verbatim, ...], Doc("Instead of 'value', when the helpdesk takes a list of values.")
    ] = ()
    label: Annotated[
        str | None, Doc("What the agent sees instead of the field's name, e.g. 'Prioridad'.")
    ] = None


class Macro(NamedTuple):
    """A helpdesk macro: where to find it, what it writes and the statuses it sets."""

    id: Id
    title: Annotated[str, Doc("The macro's name, e.g. 'Saludo Inicial: Primer Contacto'.")]
    path: Annotated[
        str,
        Doc("Levels separated by '::' or '>', quoted: \"Móvil :: WhatsApp :: Oferta\"."),
    ]
    text: Annotated[Template | None, Doc("The body to paste; may use variables.")] = None
    description: Annotated[str | None, Doc("What the macro does, from the procedure.")] = None
    ticket_status: Annotated[str | None, Doc("Ticket status the macro sets.")] = None
    order_status: Annotated[str | None, Doc("Order status the macro sets.")] = None
    tags: Tags = ()
    valid_from: ValidFrom = None
    valid_until: ValidUntil = None
    fields: Annotated[
        tuple[HelpdeskField, ...],
        Doc("Everything else the macro sets in the helpdesk, shown beside its statuses."),
    ] = ()
    active: Active = True
    helpdesk_id: Annotated[
        str | None, Doc("The macro's id in the helpdesk it was imported from, kept for export.")
    ] = None
    only_if: OnlyIf = None
    loc: Loc = NOWHERE

    @property
    def levels(self) -> tuple[str, ...]:
        return macro_levels(self.path)


def macro_levels(path: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in re.split(r"::|>", path) if part.strip())


class MacroUse(NamedTuple):
    """A macro used at a step; the statuses may differ from the macro's own."""

    macro: Annotated[str, Ref("macro"), Doc("The macro's id.")]
    ticket_status: Annotated[str | None, Doc("Ticket status to set at this step.")] = None
    order_status: Annotated[str | None, Doc("Order status to set at this step.")] = None
    note: Annotated[str | None, Doc("What to do with the macro at this step.")] = None


class Offer(NamedTuple):
    """A commercial offer, possibly one rung of a ladder with guards."""

    id: Id
    code: Annotated[str, Doc("The code as the agent finds it in the system.")]
    title: Annotated[str, Doc("What the offer is.")]
    description: Annotated[Template | None, Doc("Conditions and how to offer it.")] = None
    ladder: Annotated[Id | None, Doc("Offers with the same ladder are offered in rank order.")] = (
        None
    )
    rank: Annotated[
        int | None, Range(1, 9), Doc("1 is offered first; 2 only after 1 was refused...")
    ] = None
    requires: Annotated[
        tuple[Annotated[str, Ref("fact")], ...],
        Doc("Facts that must be recorded before the offer may be made."),
    ] = ()
    never_volunteer: Annotated[
        bool, Doc("true: never offered on the agent's initiative, only when the guard holds.")
    ] = False
    valid_from: ValidFrom = None
    valid_until: ValidUntil = None
    only_if: Annotated[
        Condition | None,
        Doc("A condition on the details that must hold too, e.g. 'segmento == \"Premium\"'."),
    ] = None
    loc: Loc = NOWHERE


class ChecklistItem(NamedTuple):
    """Something to collect or confirm, ticked by the agent."""

    label: Annotated[str, Doc("What to collect or check.")]
    required: Annotated[bool, Doc("false for optional items.")] = True
    id: Annotated[Id | None, Doc("Name used by scenario tests ('tick:').")] = None


class Timer(NamedTuple):
    """A countdown that starts when the step is reached."""

    label: Annotated[str, Doc("What is running out, e.g. 'Vigencia del token'.")]
    minutes: Annotated[int, Range(1, 1440), Doc("Duration in minutes.")]
    alert: Annotated[str | None, Doc("What to do when it runs out.")] = None
    id: Annotated[Id | None, Doc("Name used by scenario tests.")] = None


class NoteDraft(NamedTuple):
    """What the interaction note is pre-filled with when the agent passes this step."""

    medium: Annotated[Medium | None, Doc("How the customer got in touch.")] = None
    reason: Annotated[Template | None, Doc("Reason for the contact.")] = None
    inputs: Annotated[Template | None, Doc("Inputs given to or received from the customer.")] = None
    pending: Annotated[Template | None, Doc("What is still pending.")] = None
    solution: Annotated[Template | None, Doc("The solution given.")] = None
    protocol: Annotated[Template | None, Doc("The protocol applied.")] = None


class Choice(NamedTuple):
    """An answer to a step's question, leading to another step or flow."""

    label: Annotated[str, Doc("The answer as the agent sees it.")]
    id: Annotated[
        Id | None, Doc("Name used by tests and the command line. Default: the target.")
    ] = None
    go: Annotated[str | None, Ref("step"), Doc("The step this answer leads to.")] = None
    flow: Annotated[
        str | None, Ref("flow"), Doc("Or: a flow to continue in, 'flow' or 'pack/flow'.")
    ] = None
    records: Annotated[
        tuple[Annotated[str, Ref("fact")], ...], Doc("Facts this answer records.")
    ] = ()
    hint: Annotated[str | None, Doc("A line explaining when to pick this answer.")] = None
    only_if: Annotated[
        AnswerCondition | None,
        Doc(
            "Offered only when this condition holds; in a decision step, taken when it holds. "
            "May count the step's ticked checklist items: 'checked >= 2'."
        ),
    ] = None
    accepts: Annotated[
        str | None,
        Ref("offer"),
        Doc("The offer this answer accepts; offered only while the offer may be made."),
    ] = None
    refuses: Annotated[
        str | None,
        Ref("offer"),
        Doc("The offer this answer refuses; offered only while the offer may be made."),
    ] = None


class Next(NamedTuple):
    """The single way on from a procedure step."""

    go: Annotated[str | None, Ref("step"), Doc("The next step.")] = None
    label: Annotated[str | None, Doc("Button text. Default: 'Continuar'.")] = None
    flow: Annotated[
        str | None, Ref("flow"), Doc("Or: a flow to continue in, 'flow' or 'pack/flow'.")
    ] = None


class Step(NamedTuple):
    """One screen of the wizard: a question, a procedure step or an outcome."""

    id: Id
    title: Annotated[str | None, Doc("Short name shown in the breadcrumbs.")] = None
    ask: Annotated[Template | None, Doc("The question the agent answers.")] = None
    text: Annotated[Template | None, Doc("What the agent should know or do here.")] = None
    choices: Annotated[tuple[Choice, ...], Doc("The answers to the question.")] = ()
    next: Annotated[Next | None, Doc("For procedure steps: the step that follows.")] = None
    scripts: Annotated[
        tuple[Annotated[str, Ref("script")], ...], Doc("Scripts to say here (ids).")
    ] = ()
    macros: Annotated[tuple[MacroUse, ...], Doc("Macros to use here (ids).")] = ()
    offers: Annotated[
        tuple[Annotated[str, Ref("offer")], ...], Doc("Offers that may apply here (ids).")
    ] = ()
    checklist: Annotated[tuple[ChecklistItem, ...], Doc("Things to collect or confirm.")] = ()
    timers: Annotated[tuple[Timer, ...], Doc("Countdowns that start here.")] = ()
    rules: Annotated[tuple[Template, ...], Doc("Must / never rules shown prominently.")] = ()
    note: Annotated[NoteDraft | None, Doc("Pre-fills the interaction note.")] = None
    decide: Annotated[
        bool,
        Doc(
            "true: the details choose the answer, the first whose only_if holds, without "
            "asking; while a detail is missing the agent answers by hand."
        ),
    ] = False
    only_if: Annotated[
        Condition | None,
        Doc("Shown only when this condition holds; otherwise the walk goes on by its 'next'."),
    ] = None
    loc: Loc = NOWHERE

    @property
    def is_outcome(self) -> bool:
        """A step with no way on ends the flow: it is an outcome."""
        return not self.choices

    @property
    def name(self) -> str:
        """What a map or a figure calls it: its title, its question's first line, its id."""
        return self.title or (self.ask or "").split("\n")[0] or self.id


class Flow(NamedTuple):
    """A situation, walked as a series of steps from ``start`` to an outcome."""

    id: Id
    title: Annotated[str, Doc("The situation, as an agent would name it.")]
    steps: Annotated[dict[Id, Step], NON_EMPTY, Doc("The steps, by id.")]
    start: Annotated[str | None, Ref("step"), Doc("First step. Default: the first written.")] = None
    description: Annotated[str | None, Doc("When to use this flow.")] = None
    audiences: Annotated[
        tuple[Audience, ...] | None, Doc("Who sees the flow. Default: the pack's audiences.")
    ] = None
    rules: Annotated[tuple[Template, ...], Doc("Rules shown on every step of the flow.")] = ()
    tags: Tags = ()
    valid_from: ValidFrom = None
    valid_until: ValidUntil = None
    loc: Loc = NOWHERE

    @property
    def first(self) -> str:
        return self.start or next(iter(self.steps))


class ContentFile(NamedTuple):
    """Any YAML file of the pack other than ``pack.yaml``. Every section is optional."""

    variables: Annotated[dict[VarName, Variable], Doc("Customer details, by id.")] = {}  # noqa: RUF012
    facts: Annotated[dict[Id, Fact], Doc("Things the agent may record, by id.")] = {}  # noqa: RUF012
    snippets: Annotated[dict[Id, Snippet], Doc("Reusable texts, by id.")] = {}  # noqa: RUF012
    scripts: Annotated[dict[Id, Script], Doc("What to say, by id.")] = {}  # noqa: RUF012
    macros: Annotated[dict[Id, Macro], Doc("Helpdesk macros, by id.")] = {}  # noqa: RUF012
    offers: Annotated[dict[Id, Offer], Doc("Offers, by id.")] = {}  # noqa: RUF012
    flows: Annotated[dict[Id, Flow], Doc("Situations, by id.")] = {}  # noqa: RUF012
    tests: Annotated[tuple[Scenario, ...], Doc("Scenario tests.")] = ()


SECTIONS = ("variables", "facts", "snippets", "scripts", "macros", "offers", "flows")


class Pack(NamedTuple):
    """A whole pack, read and checked. Built by :mod:`.loader`, never written by hand."""

    manifest: Manifest
    root: str
    digest: str
    variables: dict[str, Variable]
    facts: dict[str, Fact]
    snippets: dict[str, Snippet]
    scripts: dict[str, Script]
    macros: dict[str, Macro]
    offers: dict[str, Offer]
    flows: dict[str, Flow]
    tests: tuple[Scenario, ...]

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def title(self) -> str:
        return self.manifest.title

    @property
    def version(self) -> str:
        return self.manifest.version


MODEL_CLASSES: tuple[type[tuple[object, ...]], ...] = (
    Manifest,
    Variable,
    Fact,
    Snippet,
    Script,
    HelpdeskField,
    Macro,
    MacroUse,
    Offer,
    ChecklistItem,
    Timer,
    NoteDraft,
    Choice,
    Next,
    Step,
    Flow,
    Expect,
    Scenario,
    ContentFile,
    Pack,
)

# A scalar written where one of these objects is expected fills this field:
# ``macros: [primer-contacto]`` means ``macros: [{macro: primer-contacto}]``.
SHORTHANDS: dict[type, str] = {
    MacroUse: "macro",
    ChecklistItem: "label",
    Next: "go",
    Snippet: "text",
}
