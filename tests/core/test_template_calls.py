"""What validate accepts, the panel shows: filter calls are checked against the filters' real
signatures, currencies against Babel, and no operation builds a text past the cap.

Issue 13: ``number(nombre)``, ``default(a,b,c)``, ``replace(x)``, ``trim(1)``, ``title(5)``
passed validate and showed the agent raw ``{{ … }}`` and a Python TypeError; ``money('XXX')``
printed '¤'; ``('x'*50000)|replace('x','y'*50000)`` took 2.47 GB before the cap cut it, and
``~`` joins were built whole first.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agentdesk.core.render.renderer import Renderer
from tests.bounded import bounded_json
from tests.helpers import load
from tests.hostile import FLOW as BASE_FLOW

FLOW = BASE_FLOW.replace(
    "text: TEXT", "text: |\n          Cliente: {{ nombre }} {{ monto }}\n          TEMPLATE"
)


def problems_of(
    tmp_path: Path, template: str, manifest: str | None = None
) -> list[tuple[str, str, str]]:
    content = FLOW.replace("TEMPLATE", template)
    result = load(tmp_path, {"f.yaml": content}, *([manifest] if manifest else []))
    return [(str(p.loc).rsplit("/", 1)[-1], p.code, p.message) for p in result.errors]


@pytest.mark.parametrize(
    ("template", "code", "message"),
    [
        (
            "{{ nombre | number(nombre) }}",
            "template-call",
            "filter 'number' takes no arguments in brackets, not 1",
        ),
        (
            "{{ nombre | default('a', 'b', 'c') }}",
            "template-call",
            "filter 'default' takes 0 to 2 arguments in brackets, not 3",
        ),
        (
            "{{ nombre | replace('x') }}",
            "template-call",
            "filter 'replace' takes 2 to 3 arguments in brackets, not 1",
        ),
        (
            "{{ nombre | replace }}",
            "template-call",
            "filter 'replace' takes 2 to 3 arguments in brackets, not 0",
        ),
        (
            "{{ nombre | trim(1) }}",
            "template-call",
            "filter 'trim': expected text in quotes, found 1",
        ),
        (
            "{{ nombre | title(5) }}",
            "template-call",
            "filter 'title' takes no arguments in brackets, not 1",
        ),
        (
            "{{ nombre | mask('dos') }}",
            "template-call",
            "filter 'mask': expected a whole number, found 'dos'",
        ),
        (
            "{{ nombre | mask(nombre) }}",
            "template-call",
            "filter 'mask': its keep must be a constant (in quotes, or a number)",
        ),
        (
            "{{ nombre | money(codigo='USD') }}",
            "template-call",
            "filter 'money' has no argument 'codigo' (or it is given twice)",
        ),
        (
            "{{ monto | money('XXX') }}",
            "currency",
            "filter 'money': 'XXX' is not a currency in use",
        ),
        (
            "{{ monto | money('VEF') }}",
            "currency",
            "filter 'money': 'VEF' is not a currency in use",
        ),
        (
            "{{ nombre | date('qqqqqq') }}",
            "template-call",
            "filter 'date': 'qqqqqq' is not a date pattern Babel can use",
        ),
        (
            "{{ nombre is eq('a', 'b') }}",
            "template-call",
            "test 'eq' takes 1 argument in brackets, not 2",
        ),
        (
            "{{ ('x' * 50000) | replace('x', 'y' * 50000) }}",
            "template-size",
            "this text is always longer than 50,000 characters",
        ),
        (
            "{{ ('x' * 30000) ~ ('x' * 30000) }}",
            "template-size",
            "this text is always longer than 50,000 characters",
        ),
        (
            "{{ 1 / 0 }}",
            "template-fails",
            "this fails when it is shown: ZeroDivisionError: division by zero",
        ),
        ("{{ 'a' - 1 }}", "template-fails", "this fails when it is shown: TypeError"),
        ("{{ 'a' if nombre }}", "template-policy", "an inline 'if' needs an 'else'"),
        ("{{ ['a', 'b'] }}", "template-policy", "a list is only allowed after 'in'"),
        (
            "{% filter upper %}x{% endfilter %}",
            "template-policy",
            "'a filter block ({% filter %})' is not allowed",
        ),
        (
            "{{ " + "(" * 80 + "1" + ")" * 80 + " }}",
            "template-size",
            "the template nests more than 60 levels deep",
        ),
        (
            "{{ " + "+".join(["1"] * 3000) + " }}",
            "template-size",
            "the template nests more than 60 levels deep",
        ),
    ],
)
def test_calls_that_would_fail_in_front_of_the_agent_are_refused(
    tmp_path: Path, template: str, code: str, message: str
) -> None:
    (problem,) = problems_of(tmp_path, template)
    # the line of the call in the file (a template nested too deep: where it starts)
    assert problem[0] == ("f.yaml:14:1" if "nests" in message else "f.yaml:15:1")
    assert problem[1] == code
    assert problem[2].startswith(message)


@pytest.mark.parametrize(
    "template",
    [
        "{{ monto | money('USD') }} {{ monto | money(code='BOB') }} {{ monto | number }}",
        "{{ nombre | date('dd/MM/yyyy') }} {{ nombre | date(format='short') }}",
        "{{ nombre | replace(' ', '') }} {{ nombre | replace(nombre, 'y', 2) }}",
        "{{ nombre | default('cliente') }} {{ nombre | default(monto, true) }} {{ nombre | d }}",
        "{{ nombre | trim('-') | title | upper | lower | capitalize }} {{ nombre | mask(2) }}",
        "{% if nombre in ['Ana', 'Luis'] and monto is number %}x{% endif %}",
        "{{ 'x' if nombre else '' }} {{ nombre ~ ' ' ~ monto }} {{ -monto }} {{ monto * 2 }}",
    ],
)
def test_calls_that_work_are_accepted(tmp_path: Path, template: str) -> None:
    assert problems_of(tmp_path, template) == []


def test_the_manifest_currency_is_checked_against_babel(tmp_path: Path) -> None:
    manifest = "id: p\ntitle: T\nversion: '1'\nlocale: es-MX\ncurrency: XXX\n"
    assert problems_of(tmp_path, "", manifest) == [
        ("pack.yaml:5:11", "currency", "'XXX' is not a currency in use")
    ]


@pytest.mark.parametrize("locale", ["xx-YY", "es-XX", "ay-BO"])
def test_a_locale_babel_does_not_know_is_refused_where_it_is_written(
    tmp_path: Path, locale: str
) -> None:
    """Issue 14: 'locale: xx-YY' passed validate, then every script with money or a date
    failed in 'pack test' (and in front of the agent) with Babel's UnknownLocaleError."""
    manifest = f"id: p\ntitle: T\nversion: '1'\nlocale: {locale}\n"
    ((where, code, message),) = problems_of(tmp_path, "", manifest)
    assert (where, code) == ("pack.yaml:4:9", "locale")
    assert message == f"'{locale}' is not a locale the app can format money and dates in"
    hint = load(tmp_path, {"f.yaml": FLOW.replace("TEMPLATE", "")}, manifest).errors[0].hint
    assert "es-MX" in hint


def test_the_validator_checks_the_functions_the_sandbox_runs() -> None:
    from agentdesk.core.render.sandbox import make_environment
    from agentdesk.core.templates.calls import filter_functions, test_functions
    from agentdesk.core.templates.policy import ALLOWED_FILTERS, ALLOWED_TESTS

    env = make_environment("es-CL", "CLP")
    assert set(env.filters) == set(filter_functions()) == ALLOWED_FILTERS
    for name, checked in filter_functions().items():
        assert env.filters[name].__code__ is checked.__code__, name
    assert set(env.tests) == set(test_functions()) == ALLOWED_TESTS


# -- sizes: computed before the text is built ---------------------------------------------

SANDBOX = """
import json, tracemalloc
from agentdesk.core.render.sandbox import make_environment
template = make_environment().from_string({template!r})
tracemalloc.start()  # what rendering takes (compiling a long template takes its own)
out = template.render(nombre="x" * 500)
print(json.dumps({{"size": len(out), "peak": tracemalloc.get_traced_memory()[1]}}))
"""


@pytest.mark.parametrize(
    "template",
    [
        "{{ ('x' * 50000) | replace('x', 'y' * 50000) }}",
        "{{ " + " ~ ".join(["('x' * 50000)"] * 400) + " }}",
        "{{ " + " ~ ".join(["nombre"] * 2000) + " }}",
        "{{ (nombre * 100) | replace('', nombre) }}",
        "{{ ('ΐ' * 50000) | upper }}",
        "{{ ('x' * 50000) + ('y' * 50000) }}",
        "{{ 'x' * 1000000000 }}",
    ],
)
def test_no_filter_or_operator_builds_a_text_past_the_cap(template: str) -> None:
    """Even without the policy: the sandbox itself never builds more than about the cap."""
    measured = bounded_json(SANDBOX.format(template=template), cpu=20)
    assert measured["size"] <= 50_001
    assert measured["peak"] < 8 * 2**20  # the cap is 50,000 characters: ~200 KB at most


# -- what the agent types never breaks a text ------------------------------------------------


def test_a_detail_that_is_not_a_number_or_not_typed_yet_never_breaks_a_text(
    tmp_path: Path,
) -> None:
    result = load(tmp_path, {"f.yaml": FLOW.replace("TEMPLATE", "")})
    assert result.pack is not None
    renderer = Renderer(result.pack)
    for monto, expected in [
        ("150", "alto 300 -150"),
        ("cien", "bajo ciencien cien"),
        ("", "bajo [Monto] [Monto]"),
    ]:
        context = renderer.context({"monto": monto})
        shown = renderer.render(
            "{% if monto > 100 %}alto{% else %}bajo{% endif %} {{ monto * 2 }} {{ -monto }}",
            context,
        )
        assert shown.error is None, shown
        assert shown.text == expected
