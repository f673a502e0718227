"""Zendesk macros: the macros API response (``{"macros": [...]}``) into a pack, and back.

One macro per Zendesk macro. The ``::`` parts of its title are its path (the last part its
title); the ``status`` action its ticket status, in the pack's language; the comment
(``comment_value_html`` as text, or ``comment_value``) its text, with Liquid placeholders
as declared variables; every other action a helpdesk field shown beside the statuses. An
inactive macro stays, marked inactive. A flow browses the macros by category, so they show
in the panel, with a test per category.
"""

from __future__ import annotations

import json
from typing import Any

from agentdesk.core.importers.browse import Ids, imported_pack, language_of
from agentdesk.core.importers.html_text import html_to_text
from agentdesk.core.importers.placeholders import Language, Placeholders, to_liquid
from agentdesk.core.importers.report import Report, UnreadableFile
from agentdesk.core.packs.model import HelpdeskField, Macro, Manifest, Pack, macro_levels
from agentdesk.core.text import fold

STATUSES = ("new", "open", "pending", "hold", "solved", "closed")
STATUS_LABELS: dict[Language, dict[str, str]] = {
    "es": {
        "new": "Nuevo",
        "open": "Abierto",
        "pending": "Pendiente",
        "hold": "En espera",
        "solved": "Resuelto",
        "closed": "Cerrado",
    },
    "en": {
        "new": "New",
        "open": "Open",
        "pending": "Pending",
        "hold": "On-hold",
        "solved": "Solved",
        "closed": "Closed",
    },
}
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "priority": ("Prioridad", "Priority"),
    "type": ("Tipo", "Type"),
    "group_id": ("Grupo", "Group"),
    "assignee_id": ("Asignar a", "Assignee"),
    "set_tags": ("Etiquetas (reemplazan las del ticket)", "Tags (replace the ticket's)"),
    "current_tags": ("Agregar etiquetas", "Add tags"),
    "remove_tags": ("Quitar etiquetas", "Remove tags"),
    "subject": ("Asunto", "Subject"),
    "comment_mode_is_public": ("Comentario público", "Public comment"),
    "custom_status_id": ("Estado personalizado", "Custom status"),
    "brand_id": ("Marca", "Brand"),
    "ticket_form_id": ("Formulario", "Ticket form"),
}
_COMMENTS = ("comment_value_html", "comment_value")
_LEFT_OUT = {
    "restriction": "who may use the macro is managed in Zendesk",
    "url": "the macro's address in the Zendesk API",
    "created_at": "a Zendesk date",
    "updated_at": "a Zendesk date",
    "default": "whether Zendesk created it",
}


def read_macros(text: str, name: str) -> list[dict[str, Any]]:
    """The macros of an API response; :class:`UnreadableFile` says why there are none."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(
            f"{name}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}. "
            "Save the response of GET /api/v2/macros.json as it came."
        ) from None
    macros = data.get("macros") if isinstance(data, dict) else None
    if macros is None and isinstance(data, dict) and isinstance(data.get("macro"), dict):
        macros = [data["macro"]]
    if not isinstance(macros, list):
        raise UnreadableFile(
            f'{name}: expected a Zendesk macros response, {{"macros": [...]}}; '
            "export it with GET /api/v2/macros.json (every page)."
        )
    return macros


def import_macros(
    macros: list[Any],
    *,
    pack_id: str,
    title: str,
    locale: str,
    source: str,
    order_field: str | None = None,
) -> tuple[Pack, Report]:
    """The pack for ``macros`` (from :func:`read_macros`), and what became of each thing."""
    language = language_of(locale)
    report = Report()
    placeholders = Placeholders("Zendesk", language)
    ids = Ids()
    found: dict[str, Macro] = {}
    paths: set[tuple[str, ...]] = set()
    ordered = sorted(enumerate(macros), key=lambda m: (_position(m[1]), m[0]))
    for number, raw in ordered:
        macro = _macro(raw, number, language, placeholders, order_field, report)
        if macro is None:
            continue
        key = tuple(fold(level) for level in macro.levels)
        if key in paths:
            levels = (*macro.levels[:-1], f"{macro.levels[-1]} ({macro.helpdesk_id or number})")
            report.kept(macro.title, "title", "path made unique: another macro has this title")
            macro = macro._replace(title=levels[-1], path=" :: ".join(levels))
            key = tuple(fold(level) for level in levels)
        paths.add(key)
        macro = macro._replace(id=ids.make(macro.title))
        found[macro.id] = macro
    statuses = [s for s in STATUSES if STATUS_LABELS[language][s] in _used(found, "ticket_status")]
    manifest = Manifest(
        id=pack_id,
        title=title,
        version="1.0.0",
        locale=locale,
        source=source,
        ticket_statuses=tuple(STATUS_LABELS[language][s] for s in statuses),
        order_statuses=tuple(sorted(_used(found, "order_status"))) if order_field else (),
    )
    heading = "Macros de Zendesk" if language == "es" else "Zendesk macros"
    return imported_pack(manifest, placeholders.variables, heading, macros=found), report


def _position(raw: Any) -> int:
    position = raw.get("position") if isinstance(raw, dict) else None
    return position if isinstance(position, int) and not isinstance(position, bool) else 10**9


def _used(macros: dict[str, Macro], field: str) -> set[str]:
    return {getattr(m, field) for m in macros.values() if getattr(m, field)}


def _macro(
    raw: Any,
    number: int,
    language: Language,
    placeholders: Placeholders,
    order_field: str | None,
    report: Report,
) -> Macro | None:
    name = f"macro #{number + 1}"
    if not isinstance(raw, dict):
        report.left_out(name, "macro", "not an object")
        return None
    title = raw.get("title")
    levels = macro_levels(title) if isinstance(title, str) else ()
    if not levels:
        report.left_out(name, "macro", "it has no title")
        return None
    name = str(title)
    report.mapped(name, "title", "path and title")
    actions = raw.get("actions")
    if not isinstance(actions, list):
        report.left_out(name, "actions", "not a list")
        actions = []
    macro = Macro(id="", title=levels[-1], path=" :: ".join(levels))
    comments: dict[str, Any] = {}
    fields: list[HelpdeskField] = []
    for action in actions:
        field = action.get("field") if isinstance(action, dict) else None
        if not isinstance(field, str) or not field:
            report.left_out(name, "action", "it names no field")
            continue
        value = action.get("value")
        if field == "status" and value in STATUSES:
            macro = macro._replace(ticket_status=STATUS_LABELS[language][value])
            report.mapped(name, "status", "ticket_status")
        elif field in _COMMENTS and field not in comments:
            comments[field] = value
        elif field == order_field and isinstance(value, str):
            macro = macro._replace(order_status=value)
            report.mapped(name, field, "order_status")
        else:
            fields.append(_field(field, value, language))
            report.kept(name, field, "helpdesk field")
    if comments:
        macro = macro._replace(text=_text(comments, name, placeholders, report))
    description = raw.get("description")
    if isinstance(description, str) and description.strip():
        macro = macro._replace(description=description.strip())
        report.mapped(name, "description", "description")
    if raw.get("active") is False:
        report.mapped(name, "active: false", "active: false (kept, not in search or the flow)")
    if isinstance(raw.get("id"), (int, str)):
        report.mapped(name, "id", "helpdesk_id")
    if raw.get("position") is not None:
        report.mapped(name, "position", "the order of the pack's macros")
    if raw.get("raw_title") not in (None, title):
        report.left_out(name, "raw_title", "dynamic content in the title: the shown title is used")
    for key, why in _LEFT_OUT.items():
        if raw.get(key) is not None:
            report.left_out(name, key, why)
    return macro._replace(
        fields=tuple(fields),
        active=raw.get("active") is not False,
        helpdesk_id=str(raw["id"]) if isinstance(raw.get("id"), (int, str)) else None,
    )


def _field(field: str, value: Any, language: Language) -> HelpdeskField:
    labels = FIELD_LABELS.get(field)
    if labels is None and field.startswith("custom_fields_"):
        number = field.removeprefix("custom_fields_")
        labels = (f"Campo personalizado {number}", f"Custom field {number}")
    label = labels[0 if language == "es" else 1] if labels else None
    if isinstance(value, list):
        return HelpdeskField(field, items=tuple(_scalar(v) for v in value), label=label)
    return HelpdeskField(field, value=_scalar(value), label=label)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _text(comments: dict[str, Any], name: str, placeholders: Placeholders, report: Report) -> str:
    used = "comment_value_html" if "comment_value_html" in comments else "comment_value"
    value = comments[used]
    if isinstance(value, list) and value:  # ["channel:all", "text"]
        if len(value) > 1:
            report.left_out(name, f"{used} channel", f"'{value[0]}': Zendesk's own choice")
        value = value[-1]
    text = _scalar(value)
    if used == "comment_value_html":
        text = html_to_text(text)
        if "comment_value" in comments:
            report.left_out(name, "comment_value", "the HTML comment is used instead")
    report.mapped(name, used, "text")
    return placeholders.convert(text, name, report)


# -- the way back ---------------------------------------------------------------------------


def export_macros(pack: Pack, order_field: str | None = None) -> tuple[dict[str, Any], Report]:
    """The pack's macros as a Zendesk macros response, ready to re-import or to send."""
    report = Report()
    statuses = {
        fold(label): status for labels in STATUS_LABELS.values() for status, label in labels.items()
    }
    statuses.update({status: status for status in STATUSES})
    macros = []
    for macro in pack.macros.values():
        name = macro.id
        actions: list[dict[str, Any]] = []
        if macro.ticket_status:
            status = statuses.get(fold(macro.ticket_status))
            if status is None:
                why = f"'{macro.ticket_status}' is no Zendesk status"
                report.left_out(name, "ticket_status", why)
            else:
                actions.append({"field": "status", "value": status})
                report.mapped(name, "ticket_status", "status")
        if macro.order_status and order_field:
            actions.append({"field": order_field, "value": macro.order_status})
            report.mapped(name, "order_status", order_field)
        elif macro.order_status:
            report.left_out(name, "order_status", "no --order-field names its Zendesk field")
        for field in macro.fields:
            value: Any = list(field.items) if field.items else field.value
            actions.append({"field": field.field, "value": value})
            report.mapped(name, field.field, field.field)
        if macro.text:
            text = to_liquid(macro.text, pack.variables, name, report)
            actions.append({"field": "comment_value", "value": text})
            report.mapped(name, "text", "comment_value")
        if macro.title != macro.levels[-1]:
            report.left_out(name, "title", "Zendesk names a macro by its path")
        entry: dict[str, Any] = {}
        if macro.helpdesk_id:
            hid = macro.helpdesk_id
            entry["id"] = int(hid) if hid.isdigit() else hid
        entry.update(
            title="::".join(macro.levels),
            active=macro.active,
            description=macro.description,
            actions=actions,
        )
        macros.append(entry)
    for section in ("scripts", "offers", "flows"):
        if getattr(pack, section):
            report.left_out(pack.id, section, "Zendesk macros carry only macros")
    return {"macros": macros, "count": len(macros)}, report
