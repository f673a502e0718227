"""Whatever validate accepts renders: with the declared examples, with adversarially long
values and with nothing typed, without an error, within the output cap and a memory bound.

Hypothesis writes templates from everything the policy allows (and much it does not):
filters with right and wrong arguments, operators between texts and numbers, long and huge
constants, comparisons, ``in`` lists, inline ifs. The real validator decides; what it
accepts is rendered with the real renderer. Memory is measured with tracemalloc, so the
bound is one of work, not of time.
"""

from __future__ import annotations

import tracemalloc

from hypothesis import given, settings
from hypothesis import strategies as st

from agentdesk.core.packs.loader import _parse
from agentdesk.core.render.renderer import Renderer
from agentdesk.core.templates.policy import MAX_OUTPUT_CHARS

MANIFEST = b"id: p\ntitle: T\nversion: '1'\nlocale: es-MX\n"
VARIABLES = """\
variables:
  nombre: {label: Nombre, example: Ana María}
  monto: {label: Monto, type: money, example: "1500.50"}
  fecha: {label: Fecha, type: date, example: "2024-03-10"}
  plan: {label: Plan, type: choice, choices: [Básico, Plus], example: Plus}
  cedula: {label: Cédula, type: id_number, pattern: '^\\d{10}$', example: "1712345678"}
  correo: {label: Correo, type: email}
"""
NAMES = ("nombre", "monto", "fecha", "plan", "cedula", "correo")
MEMORY_BOUND = 16 * 2**20  # the cap is 50,000 characters; a render holds a few of them

LONG = st.sampled_from(
    [
        "x" * 500,
        "9" * 500,
        "1.234.567,89" * 40,
        "ΐ" * 500,  # upper() makes three characters of each
        "ß" * 500,
        "{{ nombre }}{% if %}" * 25,
        "\x1b[31m\u202e\n\t" * 100,
        " " * 500,
        "2024-03-10" + "0" * 490,
    ]
)

constants = st.one_of(
    st.sampled_from(["''", "'x'", "'Plus'", "'-'", "' '", "0", "1", "2", "100", "1.5", "true"]),
    st.sampled_from(["50000", "1000000000", "99999999999999999999", "-1", "('y' * 50000)"]),
)
arguments = st.sampled_from(
    [
        "",
        "()",
        "('x')",
        "('x', 'yy')",
        "('', '-')",
        "('a', 'b', 2)",
        "(1)",
        "(2)",
        "('USD')",
        "('XXX')",
        "('short')",
        "('dd/MM/yyyy')",
        "(nombre)",
        "(monto, true)",
        "('a', 'b', 'c')",
        "('y' * 50000, 'x')",
        "('x', 'y' * 50000)",
    ]
)
FILTERS = ("default", "upper", "lower", "title", "capitalize", "trim", "replace")
FILTERS += ("money", "number", "date", "mask")


def expressions() -> st.SearchStrategy[str]:
    atoms = st.one_of(st.sampled_from(NAMES), constants)
    return st.recursive(
        atoms,
        lambda inner: st.one_of(
            st.builds(
                lambda a, f, x: f"({a} | {f}{x})", inner, st.sampled_from(FILTERS), arguments
            ),
            st.builds(lambda a, op, b: f"({a} {op} {b})", inner, st.sampled_from("~+-*/"), inner),
            st.builds(
                lambda a, op, b: f"({a} {op} {b})",
                inner,
                st.sampled_from(["==", "!=", "<", ">=", "in", "not in"]),
                inner,
            ),
            st.builds(lambda a: f"(-{a})", inner),
            st.builds(lambda a: f"({a} in ['Plus', 1, ''])", inner),
            st.builds(lambda a, b, c: f"({a} if {b} else {c})", inner, inner, inner),
            st.builds(
                lambda a, t: f"({a} is {t})",
                inner,
                st.sampled_from(["defined", "number", "in('ab')"]),
            ),
        ),
        max_leaves=8,
    )


templates = st.lists(
    st.one_of(
        st.builds(lambda e: "{{ " + e + " }}", expressions()),
        st.builds(
            lambda c, e: "{% if " + c + " %}" + e + "{% else %}-{% endif %}",
            expressions(),
            expressions(),
        ),
        st.sampled_from(["Hola ", "\n", "Total: "]),
    ),
    min_size=1,
    max_size=4,
).map("".join)


def accepted(template: str) -> Renderer | None:
    content = VARIABLES + "snippets:\n  t:\n    text: " + _quoted(template) + "\n"
    pack, _problems = _parse({"pack.yaml": MANIFEST, "v.yaml": content.encode()}, "digest")
    return None if pack is None else Renderer(pack)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def bounded_render(renderer: Renderer, template: str, values: dict[str, str]) -> None:
    context = renderer.context(values)
    tracemalloc.start()
    try:
        shown = renderer.render(template, context)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert shown.error is None, (template, values, shown.error)
    assert len(shown.text) <= MAX_OUTPUT_CHARS + 1
    assert peak < MEMORY_BOUND, (template, peak)


@settings(max_examples=300)
@given(templates, st.fixed_dictionaries(dict.fromkeys(NAMES, LONG)))
def test_whatever_validate_accepts_renders_within_bounds(
    template: str, long: dict[str, str]
) -> None:
    renderer = accepted(template)
    if renderer is None:
        return  # refused, with a message: that is the other half of the promise
    examples = {name: var.example or "" for name, var in renderer.pack.variables.items()}
    for values in (examples, long, {}):
        bounded_render(renderer, template, values)
