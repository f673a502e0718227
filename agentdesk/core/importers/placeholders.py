"""Helpdesk placeholders turned into the pack's declared variables, and back.

Zendesk writes Liquid (``{{ticket.requester.name}}``, ``{{current_user.name}}``,
``{{dc.welcome}}``, with filters such as ``| capitalize``); Zammad writes
``#{ticket.customer.firstname}``. Each placeholder becomes a variable with a label in the
pack's language; the variable remembers the placeholder (``helpdesk_placeholder``), so an
export writes it back. Liquid the pack's templates cannot express (tags such as
``{% if %}``, unknown filters) is kept exactly as written inside ``{% raw %}``, so it still
works once pasted into the helpdesk, and the report says so.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from agentdesk.core.importers.report import Report
from agentdesk.core.packs.model import Variable, VariableType
from agentdesk.core.templates.policy import MARKUP

Language = Literal["es", "en"]


class Known(NamedTuple):
    name: str  # the variable's id
    es: str
    en: str
    type: VariableType = "text"


_PERSON = {
    "name": ("nombre", "name", "text"),
    "first_name": ("nombre de pila", "first name", "text"),
    "firstname": ("nombre de pila", "first name", "text"),
    "last_name": ("apellido", "last name", "text"),
    "lastname": ("apellido", "last name", "text"),
    "email": ("correo", "email", "email"),
    "phone": ("teléfono", "phone", "phone"),
}


def _people(prefix: str, name: str, es: str, en: str) -> dict[str, Known]:
    return {
        f"{prefix}.{attr}": Known(
            f"{name}_{attr.replace('firstname', 'first_name').replace('lastname', 'last_name')}"
            if attr != "name"
            else f"{name}_name",
            f"{word_es.capitalize()} {es}",
            f"{en} {word_en}".capitalize(),
            kind,  # type: ignore[arg-type]
        )
        for attr, (word_es, word_en, kind) in _PERSON.items()
    }


ZENDESK_KNOWN: dict[str, Known] = {
    **_people("ticket.requester", "requester", "del cliente", "Customer"),
    **_people("current_user", "agent", "del agente", "Agent"),
    **_people("ticket.assignee", "assignee", "del agente asignado", "Assignee"),
    "ticket.id": Known("ticket_id", "Número de ticket", "Ticket number"),
    "ticket.title": Known("ticket_title", "Asunto del ticket", "Ticket subject"),
    "ticket.url": Known("ticket_url", "Enlace al ticket", "Ticket link", "url"),
    "ticket.link": Known("ticket_link", "Enlace al ticket", "Ticket link", "url"),
    "ticket.organization.name": Known(
        "organization_name", "Organización del cliente", "Customer's organization"
    ),
    "ticket.group.name": Known("group_name", "Grupo del ticket", "Ticket group"),
    "ticket.brand.name": Known("brand_name", "Marca", "Brand"),
    "satisfaction.rating_url": Known(
        "satisfaction_url",
        "Enlace a la encuesta de satisfacción",
        "Satisfaction survey link",
        "url",
    ),
}
ZAMMAD_KNOWN: dict[str, Known] = {
    **_people("ticket.customer", "customer", "del cliente", "Customer"),
    **_people("user", "agent", "del agente", "Agent"),
    **_people("ticket.owner", "owner", "del agente responsable", "Owner"),
    "ticket.number": Known("ticket_number", "Número de ticket", "Ticket number"),
    "ticket.title": Known("ticket_title", "Asunto del ticket", "Ticket subject"),
    "ticket.organization.name": Known(
        "organization_name", "Organización del cliente", "Customer's organization"
    ),
    "ticket.group.name": Known("group_name", "Grupo del ticket", "Ticket group"),
}

# Liquid filter -> pack filter (and back); the default filter takes one text argument.
_FILTERS = {"capitalize": "capitalize", "upcase": "upper", "downcase": "lower", "strip": "trim"}
_BACK = {pack: liquid for liquid, pack in _FILTERS.items()}
_PATH = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*"
_LIQUID = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}|\{%.*?%\}", re.S)
_ZAMMAD = re.compile(r"#\{(" + _PATH + r")\}")
_FILTER = re.compile(r"""\s*\|\s*([a-z_]+)\s*(?::\s*(?:"([^"]*)"|'([^']*)'))?\s*""")


def escape(text: str) -> str:
    """Literal text that shows as written in a pack template."""
    if not MARKUP.search(text):
        return text
    if "endraw" not in text:
        return "{% raw %}" + text + "{% endraw %}"
    return MARKUP.sub(lambda m: "{{ '" + m[0] + "' }}", text)


class Placeholders:
    """Collects the variables the placeholders of one import stand for."""

    def __init__(self, helpdesk: Literal["Zendesk", "Zammad"], language: Language) -> None:
        self.helpdesk = helpdesk
        self.language = language
        self.known = ZENDESK_KNOWN if helpdesk == "Zendesk" else ZAMMAD_KNOWN
        self.variables: dict[str, Variable] = {}
        self._by_placeholder: dict[str, str] = {}

    def variable(self, placeholder: str) -> str:
        """The id of the variable for ``placeholder`` (declared on first use)."""
        name = self._by_placeholder.get(placeholder)
        if name is not None:
            return name
        known = self.known.get(placeholder)
        if known is not None:
            name, label, kind = known.name, getattr(known, self.language), known.type
        else:
            name, label, kind = self._unknown(placeholder)
        base, number = name, 1
        while name in self.variables:
            number += 1
            name = f"{base[:60]}_{number}"
        self.variables[name] = Variable(
            id=name, label=label, type=kind, helpdesk_placeholder=placeholder
        )
        self._by_placeholder[placeholder] = name
        return name

    def _unknown(self, placeholder: str) -> tuple[str, str, VariableType]:
        name = re.sub(r"\W", "_", placeholder.replace(".", "_"))
        if not re.match(r"[A-Za-z]", name):
            name = f"v_{name}"
        if placeholder.startswith("dc."):
            key = placeholder[3:]
            label = {
                "es": f"Contenido dinámico de Zendesk: {key}",
                "en": f"Zendesk dynamic content: {key}",
            }
        else:
            label = {
                "es": f"Dato de {self.helpdesk}: {placeholder}",
                "en": f"{self.helpdesk} field: {placeholder}",
            }
        kind: VariableType = "url" if placeholder.endswith((".url", ".link")) else "text"
        return name[:64], label[self.language], kind

    def convert(self, text: str, item: str, report: Report) -> str:
        """``text`` as a pack template: placeholders as variables, the rest literal."""
        pattern = _LIQUID if self.helpdesk == "Zendesk" else _ZAMMAD
        out: list[str] = []
        last = 0
        for match in pattern.finditer(text):
            out.append(escape(text[last : match.start()]))
            out.append(self._one(match, item, report))
            last = match.end()
        out.append(escape(text[last:]))
        return "".join(out)

    def _one(self, match: re.Match[str], item: str, report: Report) -> str:
        written = match[0]
        if self.helpdesk == "Zammad":
            name = self.variable(match[1])
            report.mapped(item, f"placeholder {written}", f"variable {name}")
            return "{{ " + name + " }}"
        expression = match[1]
        if expression is None:  # a tag: {% if %}, {% for %}...
            report.kept(item, "Liquid tag", "kept as written (the helpdesk runs it)")
            return escape(written)
        path = re.match(_PATH, expression)
        filters = _filters(expression[path.end() :]) if path else None
        if path is None or filters is None:
            report.kept(item, f"Liquid {written}", "kept as written (no pack equivalent)")
            return escape(written)
        name = self.variable(path[0])
        report.mapped(item, "placeholder {{" + path[0] + "}}", f"variable {name}")
        return "{{ " + " | ".join((name, *filters)) + " }}"


def _filters(rest: str) -> list[str] | None:
    """The pack filters for Liquid's ``| f | default: "x"``, or None if one has no equivalent."""
    found: list[str] = []
    position = 0
    while position < len(rest):
        match = _FILTER.match(rest, position)
        if match is None or match.end() == position:
            return None
        name, argument = match[1], match[2] if match[2] is not None else match[3]
        if name == "default" and argument is not None:
            found.append('d("' + argument.replace('"', "'") + '")')
        elif name in _FILTERS and argument is None:
            found.append(_FILTERS[name])
        else:
            return None
        position = match.end()
    return found


_RAW = re.compile(r"\{% raw %\}(.*?)\{% endraw %\}", re.S)
_PRINT = re.compile(r"""\{\{ *([A-Za-z_]\w*) *((?:\| *[a-z_]+(?:\("[^"]*"\))? *)*)\}\}""")
_QUOTED_MARKUP = re.compile(r"""\{\{ '(\{[{%#])' \}\}""")


def to_liquid(text: str, variables: dict[str, Variable], item: str, report: Report) -> str:
    """A pack template as Zendesk Liquid: variables as their placeholders (or ``[label]``
    for variables that have none), literal parts as written."""
    out: list[str] = []
    last = 0
    for match in re.finditer(f"{_RAW.pattern}|{_PRINT.pattern}|{_QUOTED_MARKUP.pattern}", text):
        out.append(text[last : match.start()])
        last = match.end()
        if match[1] is not None:
            out.append(match[1])
        elif match[4] is not None:
            out.append(match[4])
        else:
            out.append(_placeholder(match[2], match[3], variables, item, report))
    tail = text[last:]
    if MARKUP.search(tail) or any(MARKUP.search(part) for part in out[::2]):
        report.kept(item, "template logic", "written as is (Liquid has no equivalent)")
    out.append(tail)
    return "".join(out)


def _placeholder(
    name: str, filters: str, variables: dict[str, Variable], item: str, report: Report
) -> str:
    var = variables.get(name)
    if var is None or not var.helpdesk_placeholder:
        label = var.label if var else name
        report.left_out(item, f"variable {name}", f"no helpdesk placeholder: written as [{label}]")
        return f"[{label}]"
    liquid = [var.helpdesk_placeholder]
    for raw in filter(None, (f.strip() for f in filters.split("|"))):
        default = re.fullmatch(r'(?:d|default)\("(.*)"\)', raw)
        if default:
            liquid.append(f'default: "{default[1]}"')
        elif raw in _BACK:
            liquid.append(_BACK[raw])
        else:
            report.left_out(item, f"filter {raw}", "no Liquid equivalent: left out")
    return "{{" + " | ".join(liquid) + "}}"
