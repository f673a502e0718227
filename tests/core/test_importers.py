"""Importing helpdesk content: Zendesk macros and Zammad text modules, from fixtures written
after the public API documentation (tests/fixtures/importers/)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from agentdesk.core.importers.html_text import html_to_text
from agentdesk.core.importers.report import Report, UnreadableFile
from agentdesk.core.importers.zammad import import_text_modules, read_text_modules
from agentdesk.core.importers.zendesk import export_macros, import_macros, read_macros
from agentdesk.core.packs.loader import load_pack
from agentdesk.core.packs.model import Pack
from agentdesk.core.packs.writer import without_locations, write_pack
from agentdesk.core.search.index import SearchIndex
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "importers"
ZENDESK = FIXTURES / "zendesk-macros.json"
ZAMMAD = FIXTURES / "zammad-text-modules.csv"
ORDER_FIELD = "custom_fields_360005512345"


def zendesk_pack(macros: list[object] | None = None) -> tuple[Pack, Report]:
    raw = macros if macros is not None else read_macros(ZENDESK.read_text("utf-8"), "z.json")
    return import_macros(
        raw,
        pack_id="zendesk-movil",
        title="Macros de Zendesk",
        locale="es-BO",
        source="Zendesk: zendesk-macros.json",
        order_field=ORDER_FIELD,
    )


def zammad_pack() -> Pack:
    rows = read_text_modules(ZAMMAD.read_text("utf-8"), "z.csv")
    pack, _ = import_text_modules(
        rows, pack_id="zammad-movil", title="Textos", locale="es-BO", source="Zammad"
    )
    return pack


def written(pack: Pack, folder: Path) -> Pack:
    write_pack(pack, folder)
    result = load_pack(folder)
    assert result.pack is not None, [p.format() for p in result.errors]
    assert [p.format() for p in result.problems] == []  # no errors, no warnings either
    return result.pack


# -- Zendesk -----------------------------------------------------------------------------------


def test_zendesk_macros_become_a_pack_that_validates_and_reads_back_equal(tmp_path: Path) -> None:
    pack, _ = zendesk_pack()
    again = written(pack, tmp_path / "zd")
    assert without_locations(again) == without_locations(pack)
    assert len(pack.macros) == 8  # one per Zendesk macro, the inactive one too


def test_paths_titles_statuses_and_texts(tmp_path: Path) -> None:
    pack, _ = zendesk_pack()
    first = pack.macros["primer-contacto"]
    assert first.path == "Móvil :: WhatsApp :: Saludo inicial :: Primer contacto"
    assert first.title == "Primer contacto"
    assert first.ticket_status == "En espera"  # status: hold, in the pack's language
    assert first.order_status == "en_progreso_datos_insuficientes"  # from --order-field
    assert first.helpdesk_id == "360101"
    assert first.text is not None and first.text.startswith(
        "Hola {{ requester_first_name | capitalize }}, gracias por escribirnos."
    )
    assert "1. Nombre completo del titular\n2. Número de Carnet de Identidad" in first.text
    assert "<" not in first.text
    assert pack.manifest.ticket_statuses == ("Abierto", "Pendiente", "En espera", "Resuelto")
    b2b = pack.macros["derivacion-a-ejecutivos-b2b"].text or ""
    assert "movil.bo/empresas (https://www.movil.bo/empresas)" in b2b
    assert "{% raw %}{% if ticket.organization.name != empty %}{% endraw %}" in b2b


def test_no_action_is_dropped_in_silence() -> None:
    pack, report = zendesk_pack()
    raw = json.loads(ZENDESK.read_text("utf-8"))["macros"]
    kinds = {a["field"] for m in raw for a in m["actions"]}
    assert kinds >= {
        "status",
        "priority",
        "type",
        "comment_value",
        "comment_value_html",
        "set_tags",
        "current_tags",
        "remove_tags",
        "group_id",
        "assignee_id",
        "subject",
        ORDER_FIELD,
    }  # every action kind of the issue is in the fixture
    for macro in raw:
        for action in macro["actions"]:
            said = [
                e
                for e in report.entries
                if e.item.startswith(macro["title"]) and e.source == action["field"]
            ]
            assert said, f"{macro['title']}: {action['field']} is not in the report"
    fields = {f.field: f for m in pack.macros.values() for f in m.fields}
    assert (
        fields["priority"].label == "Prioridad"
        and fields["set_tags"].value == "gobierno derivado_b2b"
    )
    assert fields["custom_fields_360005598765"].items == ("linea_sin_equipo", "whatsapp")
    assert fields["brand_id"].label == "Marca"  # an action the issue does not list, kept too
    left = {e.source for e in report.entries if e.outcome == "left out"}
    assert {"restriction", "raw_title"} <= left


def test_placeholders_become_declared_variables_with_labels() -> None:
    pack, _ = zendesk_pack()
    variables = {v.helpdesk_placeholder: (k, v.label) for k, v in pack.variables.items()}
    assert variables["ticket.requester.name"] == ("requester_name", "Nombre del cliente")
    assert variables["current_user.name"] == ("agent_name", "Nombre del agente")
    assert variables["dc.firma_whatsapp"] == (
        "dc_firma_whatsapp",
        "Contenido dinámico de Zendesk: firma_whatsapp",
    )
    assert pack.variables["satisfaction_url"].type == "url"


def test_inactive_macros_are_kept_inactive_out_of_search_and_the_flow() -> None:
    pack, _ = zendesk_pack()
    retired = pack.macros["plan-2023-retirado"]
    assert retired.active is False
    shown = {use.macro for f in pack.flows.values() for s in f.steps.values() for use in s.macros}
    assert "plan-2023-retirado" not in shown and "mega-plan-x" in shown
    index = SearchIndex.from_packs([pack])
    assert [i.item_id for i in index.search("plan 2023")] == []
    assert [i.item_id for i in index.search("mega plan")] == ["mega-plan-x"]


def test_two_macros_with_one_title_keep_their_own_paths() -> None:
    pack, _ = zendesk_pack()
    paths = sorted(m.path for m in pack.macros.values() if m.path.startswith("Cierre"))
    assert paths == ["Cierre :: Despedida", "Cierre :: Despedida (360108)"]


def test_export_gives_back_what_was_imported() -> None:
    pack, _ = zendesk_pack()
    data, _report = export_macros(pack, ORDER_FIELD)
    again, _ = zendesk_pack(data["macros"])
    assert without_locations(again) == without_locations(pack)
    raw = {m["id"]: m for m in json.loads(ZENDESK.read_text("utf-8"))["macros"]}
    sent = {m["id"]: m for m in data["macros"]}
    comment = {"field": "comment_value", "value": raw[360102]["actions"][1]["value"]}
    assert comment in sent[360102]["actions"]  # placeholders written back as they were
    assert sent[360107]["active"] is False
    assert {"field": "status", "value": "hold"} in sent[360101]["actions"]


def test_export_of_a_hand_written_pack_says_what_zendesk_cannot_hold() -> None:
    pack = load_pack(REPO / "resources" / "packs" / "migracion-pre-post").pack
    assert pack is not None
    data, report = export_macros(pack)
    first = data["macros"][0]
    assert (
        first["title"] == "Móvil::WhatsApp::Migración Pre a Post::Saludo Inicial::Primer contacto"
    )
    assert {"field": "status", "value": "hold"} in first["actions"]  # 'En Espera'
    left = {(e.source, e.target) for e in report.entries if e.outcome == "left out"}
    assert ("order_status", "no --order-field names its Zendesk field") in left


@pytest.mark.parametrize(
    ("text", "where"),
    [("{ nope", "z.json:1:3"), ('{"tickets": []}', "z.json: expected a Zendesk macros response")],
)
def test_a_file_that_is_not_a_macros_response_says_why(text: str, where: str) -> None:
    with pytest.raises(UnreadableFile, match=re.escape(where)):
        read_macros(text, "z.json")


def test_broken_macros_are_reported_not_fatal() -> None:
    pack, report = zendesk_pack([{"title": ""}, "x", {"title": "Ok", "actions": [{"value": 1}]}])
    assert list(pack.macros) == ["ok"]
    assert [e.target for e in report.entries if e.outcome == "left out"] == [
        "it has no title",
        "not an object",
        "it names no field",
    ]


# -- Zammad ------------------------------------------------------------------------------------


def test_zammad_text_modules_become_scripts_found_by_their_keywords(tmp_path: Path) -> None:
    pack = written(zammad_pack(), tmp_path / "zm")
    assert list(pack.scripts) == [
        "saludo-inicial",
        "solicitud-de-documentos",
        "token-enviado",
        "despedida-ticket-resuelto",
        "promocion-2023-retirada",
    ]
    index = SearchIndex.from_packs([pack])
    for keyword, found in (
        ("tocken", "token-enviado"),
        ("sms 7371", "token-enviado"),
        ("carnet", "solicitud-de-documentos"),
        ("bienvenida", "saludo-inicial"),
    ):
        hits = [(i.item_id, i.step_id) for i in index.search(keyword) if i.kind == "script"]
        assert hits == [(found, found)], keyword  # and it opens the step that shows it
    assert index.search("promo2023") == []  # inactive: kept, not offered


def test_zammad_html_placeholders_and_quoted_fields() -> None:
    pack = zammad_pack()
    docs = pack.scripts["solicitud-de-documentos"]
    assert docs.text == (
        "Para validar la titularidad de la línea necesitamos:\n\n"
        "- Foto del Carnet de Identidad (anverso y reverso)\n"
        "- Selfie sosteniendo el CI\n\n"
        "Por favor envíalos por este medio; tu ticket es el #{{ ticket_number }}."
    )
    assert pack.scripts["despedida-ticket-resuelto"].title == "Despedida; ticket resuelto"
    assert (
        pack.scripts["token-enviado"].when == "El token vence a los 10 minutos: si vence, reenviar."
    )
    assert pack.variables["customer_first_name"].helpdesk_placeholder == "ticket.customer.firstname"
    assert pack.scripts["promocion-2023-retirada"].active is False


def test_a_broken_zammad_csv_says_where() -> None:
    with pytest.raises(
        UnreadableFile, match=re.escape("z.csv:1: expected Zammad's text-module columns")
    ):
        read_text_modules("title,body\nx,y\n", "z.csv")
    with pytest.raises(UnreadableFile, match=re.escape("z.csv:2: not a readable CSV")):
        read_text_modules('name;content;\nA;"unclosed\n', "z.csv")


# -- HTML --------------------------------------------------------------------------------------


def test_html_to_text() -> None:
    html = (
        "<p>Hola,&nbsp;<b>Ana</b></p><ul><li>uno</li><li>dos</li></ul>"
        '<p><a href="https://x.bo/a">ayuda</a> · <a href="mailto:a@x.bo">a@x.bo</a></p>'
        "<style>p{}</style><script>alert(1)</script><div>fin<br>línea</div><p>sin cerrar"
    )
    assert html_to_text(html) == (
        "Hola, Ana\n\n- uno\n- dos\n\nayuda (https://x.bo/a) · a@x.bo\n\nfin\nlínea\n\nsin cerrar"
    )
