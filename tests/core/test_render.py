"""Rendering: values, fallbacks, locale filters, the fast path, the sandbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentdesk.core.packs.model import Pack
from agentdesk.core.render.renderer import Renderer
from agentdesk.core.render.sandbox import make_environment
from agentdesk.core.templates.policy import MAX_OUTPUT_CHARS, MAX_TEMPLATE_CHARS, analyze
from tests.helpers import load

VARIABLES = """\
variables:
  nombre: {label: Nombre del cliente}
  plan: {label: Plan, fallback: Básico}
  monto: {label: Monto, type: money}
  fecha: {label: Fecha, type: date}
snippets:
  firma: "Atentamente, {{ plan }}"
flows:
  f:
    title: F
    steps:
      a:
        text: "{{ nombre }} {{ plan }} {{ monto }} {{ fecha }} {% include 'firma' %}"
"""


def make_pack(tmp_path: Path, locale: str = "es-MX") -> Pack:
    manifest = f"id: p\ntitle: T\nversion: '1'\nlocale: {locale}\n"
    result = load(tmp_path / locale, {"v.yaml": VARIABLES}, manifest)
    assert result.pack is not None, [p.format() for p in result.problems]
    return result.pack


@pytest.fixture
def renderer(tmp_path: Path) -> Renderer:
    return Renderer(make_pack(tmp_path))


def render(renderer: Renderer, text: str, **values: str) -> Any:
    return renderer.render(text, renderer.context(values))


def test_values_fallbacks_and_placeholders(renderer: Renderer) -> None:
    result = render(renderer, "Hola {{ nombre }}, plan {{ plan }}")
    assert result.text == "Hola [Nombre del cliente], plan Básico"
    assert result.missing == ("nombre",)
    assert render(renderer, "Hola {{ nombre }}", nombre="Ana").text == "Hola Ana"


def test_missing_values_work_with_default_and_if(renderer: Renderer) -> None:
    text = "{{ nombre | default('cliente') }}{% if nombre %} (con nombre){% endif %}"
    assert render(renderer, text).text == "cliente"
    assert render(renderer, text, nombre="Ana").text == "Ana (con nombre)"


def test_missing_lists_only_the_placeholders_shown(renderer: Renderer) -> None:
    assert render(renderer, "{% if nombre %}{{ nombre }}{% endif %} {{ monto }}").missing == (
        "monto",
    )
    assert render(renderer, "{% include 'firma' %}").missing == ()  # plan has a fallback
    assert render(renderer, "{{ nombre | upper }}").missing == ("nombre",)


def test_snippets_are_included_with_the_same_values(renderer: Renderer) -> None:
    assert render(renderer, "{% include 'firma' %}", plan="Plus").text == "Atentamente, Plus"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("es-MX", "$1,500.50"), ("es-CL", "$1.500"), ("es-EC", "$1.500,50"), ("es-BO", "Bs1.500,50")],
)
def test_money_in_the_pack_locale(tmp_path: Path, locale: str, expected: str) -> None:
    renderer = Renderer(make_pack(tmp_path, locale))
    assert render(renderer, "{{ monto | money }}", monto="1500.50").text == expected


def test_money_keeps_what_it_cannot_read(renderer: Renderer) -> None:
    assert render(renderer, "{{ monto | money }}", monto="ciento cincuenta").text == (
        "ciento cincuenta"
    )
    assert render(renderer, "{{ monto | money }}").text == "[Monto]"


def test_dates_in_the_pack_locale(tmp_path: Path) -> None:
    renderer = Renderer(make_pack(tmp_path, "es-EC"))
    assert render(renderer, "{{ fecha | date }}", fecha="2020-05-10").text == "10 de mayo de 2020"
    assert render(renderer, "{{ fecha | date('d-M-y') }}", fecha="10/05/2020").text == "10-5-2020"
    long = "{{ fecha | date(\"EEEE d 'de' MMMM 'de' y\") }}"
    assert render(renderer, long, fecha="2021-03-31").text == "miércoles 31 de marzo de 2021"
    assert render(renderer, "{{ fecha | date }}", fecha="pronto").text == "pronto"


def test_amounts_print_as_typed_and_count_as_numbers(renderer: Renderer) -> None:
    assert render(renderer, "{{ monto }}", monto="1,500.50").text == "1,500.50"
    assert render(renderer, "{{ monto * 2 }}", monto="150").text == "300"
    text = "{% if monto > 100 %}alto{% else %}bajo{% endif %}"
    assert render(renderer, text, monto="150").text == "alto"
    assert render(renderer, text, monto="99").text == "bajo"
    assert render(renderer, "{{ monto | money }}", monto="1,500.50").text == "$1,500.50"


def test_mask(renderer: Renderer) -> None:
    assert render(renderer, "{{ nombre | mask }}", nombre="1712345678").text == "••••••5678"


def test_output_is_capped(renderer: Renderer) -> None:
    text = "{% include 'firma' %}" * 10 + "x" * (MAX_TEMPLATE_CHARS - 300)
    assert analyze(text).issue is None
    big = render(renderer, "{{ nombre }}" * 150, nombre="y" * 500)
    assert len(big.text) <= MAX_OUTPUT_CHARS + 1


def test_oversized_templates_are_refused(renderer: Renderer) -> None:
    result = render(renderer, "x" * (MAX_TEMPLATE_CHARS + 1))
    assert result.error is not None


def test_rendering_never_raises_on_bad_templates(renderer: Renderer) -> None:
    for text in ("{{ nombre", "{{ desconocida }}", "{% include 'nada' %}", "{{ 1 / 0 }}"):
        result = render(renderer, text)
        assert result.error, text


# -- the fast path equals Jinja --------------------------------------------------------

NAMES = ("nombre", "plan", "monto", "fecha")
SIMPLE_FILTERS = ("upper", "lower", "title", "capitalize", "trim", "mask", "money", "date")

literal = st.text(alphabet=st.characters(blacklist_characters="{}", blacklist_categories=("Cs",)))
expression = st.builds(
    lambda name, filters, pad: (
        "{{" + pad + name + "".join(f"{pad}|{pad}{f}" for f in filters) + pad + "}}"
    ),
    st.sampled_from(NAMES),
    st.lists(st.sampled_from(SIMPLE_FILTERS), max_size=3),
    st.sampled_from(["", " ", "  "]),
)
template = st.lists(st.one_of(literal, expression), max_size=8).map("".join)
value = st.one_of(st.just(""), st.text(max_size=20), st.sampled_from(["1500.5", "2020-05-10"]))


@given(template, st.fixed_dictionaries(dict.fromkeys(NAMES, value)))
def test_fast_path_renders_exactly_like_jinja(
    tmp_path_factory: pytest.TempPathFactory, text: str, values: dict[str, str]
) -> None:
    renderer = _shared_renderer(tmp_path_factory)
    info = analyze(text)
    assert info.simple is not None, text
    context = renderer.context(values)
    fast = renderer.render(text, context)
    assert fast.error is None
    assert fast.text == renderer._render_jinja(text, context)


_RENDERER: list[Renderer] = []


def _shared_renderer(factory: pytest.TempPathFactory) -> Renderer:
    if not _RENDERER:
        _RENDERER.append(Renderer(make_pack(factory.mktemp("fast"))))
    return _RENDERER[0]


def test_richer_templates_take_the_jinja_path() -> None:
    for text in ("{% if a %}x{% endif %}", "{{ a ~ b }}", "{{ a | default('x') }}", "{#c#}"):
        assert analyze(text).simple is None


# -- the sandbox -----------------------------------------------------------------------

ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ nombre.__class__.__base__.__subclasses__() }}",
    "{{ ''['\\x5f\\x5fclass\\x5f\\x5f'] }}",
    "{{ self._TemplateReference__context }}",
    "{{ self.__init__.__globals__.__builtins__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ namespace.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ config.items() }}",
    "{{ request.application.__globals__ }}",
    "{{ nombre|attr('__class__') }}",
    "{{ '{0.__class__}'.format(nombre) }}",
    "{{ '%s' % nombre }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{% set x = 1 %}{{ x }}",
    "{% import 'os' as os %}",
    "{% extends '/etc/passwd' %}",
    "{% include '/etc/passwd' %}",
    "{% include nombre %}",
    "{{ range(10**10) | list }}",
    "{{ 'x' * 1000000000 }}",
    "{{ 9 ** 9 ** 9 }}",
    "{{ dict(a=1) }}",
    "{% macro m() %}x{% endmacro %}{{ m() }}",
    "{% with a = 1 %}{{ a }}{% endwith %}",
]


@pytest.mark.parametrize("payload", ESCAPES)
def test_known_escapes_are_refused(renderer: Renderer, payload: str) -> None:
    result = render(renderer, payload, nombre="x")
    assert result.error is not None
    assert result.text == payload  # shown as written, never executed


@pytest.mark.parametrize("payload", ESCAPES)
def test_known_escapes_fail_in_the_sandbox_itself(payload: str) -> None:
    """Defence in depth: even without the policy, the environment refuses them."""
    from jinja2.exceptions import SecurityError, TemplateError

    env = make_environment()
    try:
        output = env.from_string(payload).render(nombre="x")
    except (SecurityError, TemplateError, TypeError):
        return
    assert "class" not in output and "uid=" not in output and "os" not in output, output


def test_attr_filter_and_globals_are_gone() -> None:
    env = make_environment()
    assert "attr" not in env.filters
    assert not env.globals
