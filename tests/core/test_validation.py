"""The validator: every kind of problem, with its place, all at once."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from textwrap import dedent

from agentdesk.core.packs.checks import validity_problems
from agentdesk.core.packs.loader import load_pack
from tests.helpers import SIMPLE_FLOW, codes, load, messages


def test_a_valid_pack_loads(tmp_path: Path) -> None:
    result = load(tmp_path, {"flow.yaml": SIMPLE_FLOW})
    assert result.ok, [p.format() for p in result.problems]
    assert result.pack is not None
    assert result.pack.flows["f"].steps["inicio"].choices[0].id == "fin"


def test_missing_manifest(tmp_path: Path) -> None:
    result = load_pack(tmp_path)
    assert codes(result) == ["no-manifest"]
    assert result.problems[0].loc.file == str(tmp_path / "pack.yaml")


def test_problem_format_is_path_line_col_message_and_hint(tmp_path: Path) -> None:
    result = load(tmp_path, {"flow.yaml": SIMPLE_FLOW.replace("go: fin", "go: fni")})
    (problem,) = result.errors
    assert problem.format() == (
        f"{tmp_path / 'flow.yaml'}:10:30: error: unknown step 'fni' in flow 'f'\n"
        "    hint: Did you mean 'fin'? Write the id of a step of the same flow."
    )


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    broken = """\
    flows:
      f:
        title: Flujo
        stpes: {}
      g:
        steps:
          a:
            ask: ¿{{ quien }}?
            choices:
              - {label: x, go: nada}
    """
    result = load(tmp_path, {"a.yaml": broken, "b.yaml": "scripts: {s: {title: T}}\n"})
    found = codes(result)
    assert found.count("missing") >= 3  # b.yaml: a script without text
    assert found.count("schema") >= 1  # stpes
    assert "missing" in found  # f without steps, g without title
    assert "unknown-ref" in found  # go: nada
    assert "undeclared-variable" in found  # quien
    assert len(result.errors) >= 5


def test_unknown_field_suggests_the_right_one(tmp_path: Path) -> None:
    result = load(tmp_path, {"f.yaml": SIMPLE_FLOW.replace("label: Uno", "lable: Uno")})
    problem = next(p for p in result.errors if "lable" in p.message)
    assert "Did you mean 'label'?" in problem.hint


def test_wrong_types(tmp_path: Path) -> None:
    content = """\
    variables:
      v: {label: [a, b]}
    flows:
      f:
        title: F
        steps:
          s:
            text: hola
            timers:
              - {label: t, minutes: diez}
              - {label: t, minutes: 5000}
            checklist: uno
            checklist2: x
    """
    result = load(tmp_path, {"f.yaml": content})
    text = "\n".join(messages(result))
    assert "expected text, found a list" in text
    assert "expected a whole number, found 'diez'" in text
    assert "5000 is out of range" in text
    assert "expected a list, found 'uno'" in text
    assert "unknown field 'checklist2'" in text


def test_booleans_are_true_or_false_only(tmp_path: Path) -> None:
    content = SIMPLE_FLOW + dedent("""\
    offers:
      o: {code: X, title: Y, never_volunteer: yes}
    """)
    result = load(tmp_path, {"f.yaml": content})
    problem = next(p for p in result.errors if "true or false" in p.message)
    assert "yes/no/on/off" in problem.hint


def test_manifest_fields_are_checked(tmp_path: Path) -> None:
    manifest = """\
    id: Mi Pack
    title: T
    version: uno
    locale: español
    audiences: [desk, web]
    valid_from: 2024-02-30
    """
    result = load(tmp_path, {"f.yaml": SIMPLE_FLOW}, manifest)
    text = "\n".join(messages(result))
    assert "'Mi Pack' is not a valid value here" in text
    assert "'uno' is not a valid value here" in text
    assert "'web' is not one of: desk, kiosk" in text
    assert "expected a date, found '2024-02-30'" in text


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    script = "scripts:\n  s: {title: A, text: hola}\n"
    result = load(tmp_path, {"a.yaml": SIMPLE_FLOW + script, "b.yaml": script})
    (problem,) = [p for p in result.errors if p.code == "duplicate-id"]
    assert problem.loc.file.endswith("b.yaml")
    assert "first at a.yaml" in problem.message


def test_duplicate_choice_ids(tmp_path: Path) -> None:
    content = SIMPLE_FLOW.replace(
        "- {label: Uno, go: fin}", "- {label: Uno, go: fin}\n          - {label: Dos, go: fin}"
    )
    result = load(tmp_path, {"f.yaml": content})
    assert "duplicate-id" in codes(result)


def test_duplicate_macro_paths_ignore_case_accents_and_separators(tmp_path: Path) -> None:
    content = SIMPLE_FLOW + dedent("""\
    macros:
      a: {title: A, path: "Móvil :: WhatsApp :: Oferta"}
      b: {title: B, path: "movil > whatsapp > OFERTA"}
    """)
    result = load(tmp_path, {"f.yaml": content})
    (problem,) = [p for p in result.errors if p.code == "duplicate-path"]
    assert "'a' and 'b'" in problem.message


def test_cycle_without_exit(tmp_path: Path) -> None:
    content = """\
    flows:
      f:
        title: F
        steps:
          a:
            ask: ¿?
            choices: [{label: fin, go: fin}, {label: bucle, go: b}]
          b: {next: c}
          c: {next: b}
          fin: {text: fin}
    """
    result = load(tmp_path, {"f.yaml": content})
    (problem,) = [p for p in result.errors if p.code == "cycle"]
    assert "'b', 'c'" in problem.message


def test_a_loop_with_an_exit_is_fine(tmp_path: Path) -> None:
    content = """\
    flows:
      f:
        title: F
        steps:
          a:
            ask: ¿Contestó?
            choices: [{label: sí, go: fin}, {label: no, go: b}]
          b: {next: a}
          fin: {text: fin}
    """
    assert load(tmp_path, {"f.yaml": content}).ok


def test_steps_leading_nowhere(tmp_path: Path) -> None:
    content = """\
    flows:
      f:
        title: F
        steps:
          a: {ask: ¿Algo?, choices: [{label: x, go: b}]}
          b: {title: nada}
          c: {ask: ¿Y esto?}
    """
    result = load(tmp_path, {"f.yaml": content})
    assert codes(result).count("leads-nowhere") == 2


def test_unreachable_steps_are_warnings(tmp_path: Path) -> None:
    content = SIMPLE_FLOW + "      suelto:\n        text: nadie llega\n"
    result = load(tmp_path, {"f.yaml": content})
    assert result.ok
    assert codes(result, "warning") == ["unreachable"]


def test_template_syntax_error_points_into_the_text(tmp_path: Path) -> None:
    content = SIMPLE_FLOW + dedent("""\
    scripts:
      s:
        title: S
        text: |
          Línea uno
          Línea dos {{ nombre | }}
          Línea tres
    """)
    result = load(tmp_path, {"f.yaml": content})
    (problem,) = [p for p in result.errors if p.code == "template-syntax"]
    assert problem.loc.line == 18  # "Línea dos" in the file


def test_template_policy_and_filters(tmp_path: Path) -> None:
    content = SIMPLE_FLOW + dedent("""\
    scripts:
      a: {title: A, text: "{{ nombre.__class__ }}"}
      b: {title: B, text: "{% for x in nombre %}{{ x }}{% endfor %}"}
      c: {title: C, text: "{{ nombre | attr('x') }}"}
      d: {title: D, text: "{{ nombre | shout }}"}
    """)
    result = load(tmp_path, {"f.yaml": content})
    assert codes(result).count("template-policy") == 2
    assert codes(result).count("template-filter") == 2


def test_undeclared_variable_suggests_the_declared_one(tmp_path: Path) -> None:
    result = load(tmp_path, {"f.yaml": SIMPLE_FLOW.replace("{{ nombre }}", "{{ nombres }}")})
    problem = next(p for p in result.errors if p.code == "undeclared-variable")
    assert "Did you mean 'nombre'?" in problem.hint


def test_snippet_include_cycle_and_unknown_snippet(tmp_path: Path) -> None:
    content = SIMPLE_FLOW + dedent("""\
    snippets:
      a: '{% include "b" %}'
      b: '{% include "a" %}'
      c: '{% include "zz" %}'
    """)
    result = load(tmp_path, {"f.yaml": content})
    assert "cycle" in codes(result)
    assert any("unknown snippet 'zz'" in m for m in messages(result))


def test_include_explosion_is_refused(tmp_path: Path) -> None:
    snippets = ["snippets:", "  s0: hola"]
    for i in range(1, 8):
        snippets.append(f"  s{i}: '" + f'{{% include "s{i - 1}" %}}' * 4 + "'")
    snippets.append("scripts:\n  x: {title: X, text: '{% include \"s7\" %}'}")
    result = load(tmp_path, {"f.yaml": SIMPLE_FLOW + "\n".join(snippets) + "\n"})
    assert "template-size" in codes(result)


def test_offer_ladder_ranks_must_be_unique_and_contiguous(tmp_path: Path) -> None:
    content = SIMPLE_FLOW + dedent("""\
    offers:
      a: {code: A, title: A, ladder: l, rank: 1}
      b: {code: B, title: B, ladder: l, rank: 3}
      c: {code: C, title: C, ladder: l}
    """)
    result = load(tmp_path, {"f.yaml": content})
    text = "\n".join(messages(result))
    assert "the ranks of ladder 'l' are [1, 3]" in text
    assert "needs both 'ladder' and 'rank'" in text


def test_statuses_checked_against_the_manifest_list(tmp_path: Path) -> None:
    manifest = (
        "id: p\ntitle: T\nversion: '1'\nlocale: es-BO\nticket_statuses: [Abierto, Resuelto]\n"
    )
    content = SIMPLE_FLOW + dedent("""\
    macros:
      m: {title: M, path: "A :: B", ticket_status: Resulto}
    """)
    result = load(tmp_path, {"f.yaml": content}, manifest)
    problem = next(p for p in result.errors if "Resulto" in p.message)
    assert "Did you mean 'Resuelto'?" in problem.hint


def test_variable_pattern_must_compile_and_match_its_example(tmp_path: Path) -> None:
    content = SIMPLE_FLOW + dedent("""\
    variables:
      a: {label: A, pattern: '^(\\d+$'}
      b: {label: B, pattern: '^\\d{10}$', example: "123"}
    """)
    result = load(tmp_path, {"f.yaml": content})
    text = "\n".join(messages(result))
    assert "not a valid regular expression" in text
    assert "the example of variable 'b' does not match its pattern" in text


def test_validity_window_problems(tmp_path: Path) -> None:
    manifest = (
        "id: p\ntitle: T\nversion: '1'\nlocale: es-MX\n"
        "valid_from: 2023-09-28\nvalid_until: 2023-10-31\n"
    )
    result = load(tmp_path, {"f.yaml": SIMPLE_FLOW}, manifest)
    assert result.pack is not None
    assert not validity_problems(result.pack, date(2023, 10, 5)).items
    (warning,) = validity_problems(result.pack, date(2023, 11, 1)).items
    assert warning.code == "expired" and "2023-10-31" in warning.message

    reversed_window = manifest.replace("2023-09-28", "2023-12-01")
    assert "valid_until is before valid_from" in messages(
        load(tmp_path / "b", {"f.yaml": SIMPLE_FLOW}, reversed_window)
    )


def test_unused_items_are_warnings(tmp_path: Path) -> None:
    content = SIMPLE_FLOW + dedent("""\
    scripts:
      nunca: {title: N, text: nada}
    """)
    result = load(tmp_path, {"f.yaml": content})
    assert result.ok
    assert any("script 'nunca' is never used" in m for m in messages(result, "warning"))


def test_scenario_with_unknown_flow_and_variable(tmp_path: Path) -> None:
    content = SIMPLE_FLOW + dedent("""\
    tests:
      - name: t
        flow: g
        vars: {nobre: x}
        expect: {step: inicio}
    """)
    result = load(tmp_path, {"f.yaml": content})
    text = "\n".join(messages(result))
    assert "unknown flow 'g'" in text
    assert "unknown variable 'nobre'" in text


def test_a_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    result = load(tmp_path, {"f.yaml": "- a\n- b\n"})
    assert "a pack file must be a mapping of sections" in messages(result)


def test_hidden_and_non_yaml_files_are_ignored(tmp_path: Path) -> None:
    result = load(tmp_path, {"f.yaml": SIMPLE_FLOW, ".git/x.yaml": "[", "README.md": "# hola"})
    assert result.ok


def test_templates_in_plain_fields_are_warned(tmp_path: Path) -> None:
    content = SIMPLE_FLOW.replace("{label: Uno, go: fin}", "{label: 'Uno {{ nombre }}', go: fin}")
    result = load(tmp_path, {"f.yaml": content})
    assert result.ok and codes(result, "warning") == ["not-a-template"]


def test_a_template_comment_in_a_plain_field_is_warned(tmp_path: Path) -> None:
    content = SIMPLE_FLOW.replace("{label: Uno, go: fin}", "{label: 'Uno {# nota #}', go: fin}")
    result = load(tmp_path, {"f.yaml": content})
    assert result.ok and codes(result, "warning") == ["not-a-template"]


def test_never_volunteer_without_a_guard_is_warned(tmp_path: Path) -> None:
    content = SIMPLE_FLOW.replace("text: Listo.", "offers: [o]") + dedent("""\
    offers:
      o: {code: X, title: Y, never_volunteer: true}
    """)
    result = load(tmp_path, {"f.yaml": content})
    assert "unguarded-offer" in codes(result, "warning")


def test_a_flow_for_an_audience_its_pack_lacks_is_warned(tmp_path: Path) -> None:
    kiosk_only = "    title: Flujo\n    audiences: [kiosk]\n"
    content = SIMPLE_FLOW.replace("    title: Flujo\n", kiosk_only)
    result = load(tmp_path, {"f.yaml": content})
    (warning,) = [p for p in result.problems if p.code == "audience"]
    assert "never be shown" in warning.message


def test_unused_snippets_and_merge_keys(tmp_path: Path) -> None:
    content = SIMPLE_FLOW + dedent("""\
    snippets:
      solo: hola
    scripts:
      s:
        <<: {title: T}
        text: x
    """)
    result = load(tmp_path, {"f.yaml": content})
    assert any("snippet 'solo' is never included" in m for m in messages(result, "warning"))
    merge = next(p for p in result.errors if "'<<'" in p.message)
    assert "Merge keys" in merge.hint


def test_a_bad_number_is_one_problem(tmp_path: Path) -> None:
    content = SIMPLE_FLOW.replace(
        "text: Listo.", "text: Listo.\n        timers: [{label: t, minutes: 90 min}]"
    )
    result = load(tmp_path, {"f.yaml": content})
    assert messages(result) == ["expected a whole number, found '90 min'"]


def test_go_and_flow_together(tmp_path: Path) -> None:
    content = SIMPLE_FLOW.replace("go: fin}", "go: fin, flow: f}")
    result = load(tmp_path, {"f.yaml": content})
    assert any("not both" in m for m in messages(result))


def test_a_file_that_does_not_read_causes_no_echoes(tmp_path: Path) -> None:
    flows = "flows:\n  f:\n    title: F\n    steps:\n      a: {text: hola, scripts: [s]}\n"
    result = load(tmp_path, {"f.yaml": flows, "scripts.yaml": "scripts: [\n"})
    assert codes(result) == ["yaml"]  # not also "unknown script 's'"
    assert codes(result, "warning") == ["incomplete"]


def test_an_include_of_a_path_says_it_is_not_a_snippet_id(tmp_path: Path) -> None:
    """It is quoted: saying it needs quotes sends the trainer the wrong way."""
    files = {"s.yaml": "scripts:\n  s:\n    title: S\n    text: '{% include \"../x\" %}'\n"}
    (message,) = messages(load(tmp_path, files))
    assert message == "'../x' is not a snippet id: include names a snippet, not a file"
