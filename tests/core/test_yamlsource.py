"""The YAML reader: text stays text, positions are right, bad input is reported."""

from __future__ import annotations

from agentdesk.core.packs.yamlsource import MAX_DEPTH, YList, YMap, decode, read_yaml
from agentdesk.core.problems import Problems


def read(text: str) -> tuple[object, Problems]:
    problems = Problems()
    return read_yaml(text, "f.yaml", problems), problems


def test_yaml_11_traps_stay_text() -> None:
    doc, problems = read("a: no\nb: on\nc: 010\nd: 12:30\ne: 1.10\nf: yes\nno: key\n")
    assert not problems.items
    assert doc == {
        "a": "no",
        "b": "on",
        "c": "010",
        "d": "12:30",
        "e": "1.10",
        "f": "yes",
        "no": "key",
    }


def test_empty_and_null_values_are_none_but_quoted_stay() -> None:
    doc, _ = read("a:\nb: ~\nc: null\nd: ''\ne: \"null\"\n")
    assert doc == {"a": None, "b": None, "c": None, "d": "", "e": "null"}


def test_positions_of_keys_values_and_items() -> None:
    doc, _ = read("top:\n  name: valor\n  items:\n    - uno\n    - dos\n")
    assert isinstance(doc, YMap)
    inner = doc["top"]
    assert inner.key_pos("name") == (2, 3)
    assert inner.value_pos("name") == (2, 9)
    items = inner["items"]
    assert isinstance(items, YList)
    assert items.ipos == [(4, 7), (5, 7)]


def test_block_scalar_position_is_its_first_text_line() -> None:
    doc, _ = read("text: |\n  línea uno\n  línea dos\n")
    assert isinstance(doc, YMap)
    assert doc.value_pos("text")[0] == 2
    assert doc["text"] == "línea uno\nlínea dos\n"


def test_syntax_error_reports_line_column_and_hint() -> None:
    doc, problems = read("path: Móvil :: WhatsApp :: Oferta\n")
    assert doc is None
    (problem,) = problems.items
    assert problem.loc.line == 1 and problem.code == "yaml"
    assert "quotes" in problem.hint


def test_duplicate_keys_are_errors() -> None:
    _, problems = read("a: 1\nb: 2\na: 3\n")
    (problem,) = problems.items
    assert problem.code == "duplicate-key"
    assert problem.loc.line == 3
    assert "first at line 1" in problem.message


def test_tags_are_refused() -> None:
    _, problems = read("a: !!python/object:os.system ls\n")
    assert [p.code for p in problems] == ["yaml-tag"]


def test_second_document_is_an_error() -> None:
    _, problems = read("a: 1\n---\nb: 2\n")
    assert [p.code for p in problems] == ["yaml"]


def test_deep_nesting_is_reported_not_crashed() -> None:
    depth = 200_000  # PyYAML's own composer overflows the C stack here
    doc, problems = read("a: " + "[" * depth + "]" * depth + "\n")
    assert [p.code for p in problems] == ["yaml-depth"]
    assert doc is None


def test_nesting_between_the_limits_is_reported_at_its_position() -> None:
    depth = MAX_DEPTH + 10
    _, problems = read("a:\n  b: " + "[" * depth + "]" * depth + "\n")
    (problem,) = problems.items
    assert problem.code == "yaml-depth" and problem.loc.line == 2


def test_nesting_up_to_the_limit_is_fine() -> None:
    depth = MAX_DEPTH - 2
    _, problems = read("a: " + "[" * depth + "]" * depth + "\n")
    assert not problems.items


def test_alias_bomb_is_stopped() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    _, problems = read("\n".join(lines) + "\n")
    assert [p.code for p in problems] == ["yaml-size"]


def test_recursive_alias_does_not_hang() -> None:
    doc, problems = read("a: &x [1, *x]\n")
    assert isinstance(doc, YMap)
    assert doc["a"] == ["1", None]  # an alias to an unfinished anchor reads as nothing
    assert not problems.items


def test_invalid_utf8_reports_the_byte_position() -> None:
    problems = Problems()
    assert decode(b"a: ok\nb: caf\xe9\n", "f.yaml", problems) is None
    (problem,) = problems.items
    assert (problem.loc.line, problem.loc.col) == (2, 7)


def test_bom_is_accepted() -> None:
    problems = Problems()
    assert decode("\ufeffa: 1".encode(), "f.yaml", problems) == "a: 1"


def test_control_character_is_reported() -> None:
    doc, problems = read("a: b\x07c\n")
    assert doc is None and problems.items[0].loc.line == 1
