"""The trainers' guide, docs/packs.md, stays true to the format it documents.

Conventions in the guide, read by these tests:

* a YAML block is a complete pack file unless the line before it is ``<!-- fragment -->``
  (part of a file) or ``<!-- wrong -->`` (a mistake shown on purpose);
* ``<!-- file: PATH -->`` before a block marks a file of the tutorial pack, kept also in
  ``docs/examples/tutorial-pack/PATH`` (with the schema line pointing at this repository).
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import re
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

import pytest
import yaml

from agentdesk.cli.main import main
from agentdesk.core.packs.build import BuildContext, read_object
from agentdesk.core.packs.model import ContentFile, Manifest
from agentdesk.core.packs.yamlsource import read_yaml
from agentdesk.core.problems import Problems
from agentdesk.core.templates.policy import ALLOWED_FILTERS, ALLOWED_TESTS
from tests.conftest import REPO

DOC = REPO / "docs" / "packs.md"
TUTORIAL = REPO / "docs" / "examples" / "tutorial-pack"
GENERATOR = REPO / "scripts" / "gen_pack_reference.py"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=\S+\n")


class Block(NamedTuple):
    line: int  # of the opening fence, 1-based
    lang: str
    marker: str  # '', 'fragment', 'wrong' or 'file: PATH'
    text: str


def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


def blocks(text: str) -> list[Block]:
    """The fenced code blocks of a Markdown text, with the marker comment before each."""
    found: list[Block] = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        fence = re.match(r"^(`{3,})(\S*)", lines[index])
        if not fence:
            index += 1
            continue
        start = index
        end = start + 1
        while not lines[end].startswith(fence[1]):
            end += 1
        before = next((lines[i] for i in range(start - 1, -1, -1) if lines[i].strip()), "")
        marker = re.fullmatch(r"<!-- (fragment|wrong|file: \S+) -->", before.strip())
        body = "\n".join(lines[start + 1 : end]) + "\n"
        found.append(Block(start + 1, fence[2], marker[1] if marker else "", body))
        index = end + 1
    return found


def yaml_blocks() -> list[Block]:
    return [b for b in blocks(doc_text()) if b.lang == "yaml"]


def complete_files() -> list[Block]:
    return [b for b in yaml_blocks() if b.marker not in ("fragment", "wrong")]


def tutorial_blocks() -> dict[str, Block]:
    return {b.marker[len("file: ") :]: b for b in yaml_blocks() if b.marker.startswith("file: ")}


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_pack_reference", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the generated reference ------------------------------------------------------------------


def test_reference_section_is_current() -> None:
    generator = load_generator()
    assert generator.check(DOC), "run: python scripts/gen_pack_reference.py"


def test_reference_has_a_table_for_every_kind_of_the_format() -> None:
    from agentdesk.core.packs.jsonschema import _NAMES

    generator = load_generator()
    text = doc_text()
    for cls in _NAMES:
        assert f"### Reference: {generator.title_of(cls)}\n" in text
        for field in cls._fields:  # type: ignore[attr-defined]
            if field not in ("loc", "id"):
                assert f"| `{field}` |" in text, f"{cls.__name__}.{field} is not in the reference"


# -- the examples -----------------------------------------------------------------------------


def test_the_guide_has_examples_of_each_kind() -> None:
    markers = [b.marker for b in yaml_blocks()]
    assert markers.count("") >= 10
    assert "fragment" in markers and "wrong" in markers
    assert len(tutorial_blocks()) == 5


@pytest.mark.parametrize("block", complete_files(), ids=lambda b: f"line-{b.line}")
def test_complete_yaml_examples_are_well_formed_pack_files(block: Block) -> None:
    where = f"docs/packs.md (block at line {block.line})"
    yaml.safe_load(block.text)  # well-formed YAML for any tool
    problems = Problems()
    data = read_yaml(block.text, where, problems)  # and for AgentDesk's stricter reader
    assert isinstance(data, dict), f"{where}: a pack file is a mapping"
    is_manifest = block.marker == "file: pack.yaml" or {"id", "locale"} <= data.keys()
    read_object(
        Manifest if is_manifest else ContentFile, data, (1, 1), BuildContext(where, problems)
    )
    assert [p.format() for p in problems] == []


def test_tutorial_files_in_the_guide_are_the_example_pack() -> None:
    shown = tutorial_blocks()
    on_disk = {
        p.relative_to(TUTORIAL).as_posix(): p for p in TUTORIAL.rglob("*.yaml") if p.is_file()
    }
    assert sorted(shown) == sorted(on_disk), "every tutorial file is shown once, and kept"
    for name, block in shown.items():
        kept = on_disk[name].read_text(encoding="utf-8")
        assert MODELINE.match(block.text) and MODELINE.match(kept), f"{name}: schema line"
        assert MODELINE.sub("", block.text) == MODELINE.sub("", kept), (
            f"docs/packs.md:{block.line} differs from {on_disk[name]}"
        )


def test_tutorial_schema_lines_point_at_real_schemas() -> None:
    for path in TUTORIAL.rglob("*.yaml"):
        target = MODELINE.match(path.read_text(encoding="utf-8"))
        assert target is not None
        schema = target[0].split("$schema=", 1)[1].strip()
        assert (path.parent / schema).resolve().is_file(), f"{path}: {schema}"


def test_tutorial_pack_validates_without_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["pack", "validate", "--strict", str(TUTORIAL)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.strip() == f"{TUTORIAL}: ok"


def test_tutorial_pack_tests_pass_and_cover_every_outcome(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["pack", "test", "--require-coverage", str(TUTORIAL)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "outcomes reached by tests: 2/2" in out
    assert out.strip().endswith("3 passed, 0 failed")


# -- what the guide lists ---------------------------------------------------------------------


def _problem_codes() -> set[str]:
    """Every problem code reading and checking a pack can report (what validate prints)."""
    from agentdesk.core.packs.build import BuildContext as Context

    codes = {inspect.signature(Context.error).parameters["code"].default}
    sources = [*(REPO / "agentdesk/core/packs").rglob("*.py")]
    sources += [*(REPO / "agentdesk/core/render").rglob("*.py")]
    sources += [*(REPO / "agentdesk/core/templates").rglob("*.py")]
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            values = [k.value for k in node.keywords if k.arg == "code"]
            if name in ("error", "warning", "_refused", "TemplateIssue") and len(node.args) >= 4:
                values.append(node.args[3])
            codes |= {v.value for v in values if isinstance(v, ast.Constant)}
    return {c for c in codes if isinstance(c, str) and c}


def _documented_codes() -> set[str]:
    section = doc_text().split("### Problem codes", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z-]+)` \|", section, re.M))


def test_every_problem_code_is_explained() -> None:
    codes = _problem_codes()
    assert {"schema", "unknown-ref", "yaml", "template-policy"} <= codes  # the scan works
    assert _documented_codes() == codes


def test_every_template_filter_and_test_is_documented() -> None:
    section = doc_text().split("## Templates", 1)[1].split("\n## ", 1)[0]
    for name in ALLOWED_FILTERS - {"d"}:
        assert f"`{name}`" in section or f"| {name} |" in section, f"filter {name}"
    for name in ALLOWED_TESTS:
        assert f"`{name}`" in section, f"test {name}"


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_links_within_the_guide_lead_to_a_heading() -> None:
    text = doc_text()
    outside_code = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    slugs: set[str] = set()
    for heading in re.findall(r"^#{1,6} (.+)$", outside_code, re.M):
        slug = base = _slug(heading)
        number = 0
        while slug in slugs:
            number += 1
            slug = f"{base}-{number}"
        slugs.add(slug)
    links = set(re.findall(r"\]\(#([^)]+)\)", outside_code))
    assert links - slugs == set()


def test_links_to_files_of_the_repository_exist() -> None:
    for target in re.findall(r"\]\((?!#|https?:)([^)#]+)\)", doc_text()):
        assert (DOC.parent / target).resolve().exists(), target


def test_blocks_reader_sees_markers() -> None:
    sample = "a\n<!-- wrong -->\n```yaml\nx: [\n```\n\n```yaml\ny: 1\n```\n"
    assert [(b.marker, b.text) for b in blocks(sample)] == [("wrong", "x: [\n"), ("", "y: 1\n")]


def test_example_pack_paths_are_under_docs() -> None:
    assert Path(TUTORIAL).is_dir() and (TUTORIAL / "pack.yaml").is_file()


def test_the_guide_says_what_validate_does_with_a_hand_over_to_another_pack(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """docs/packs.md and docs/cli.md agree with what `pack validate` does: it checks a
    'pack/flow' link against the packs it has, and warns when it is not available."""
    from tests.helpers import SIMPLE_FLOW, write_pack

    flow = SIMPLE_FLOW.replace("go: fin", "flow: no-such-pack/flujo")
    root = write_pack(tmp_path / "p", {"f.yaml": flow + "      fin2: {text: x}\n"})
    main(["pack", "validate", str(root)])
    warning = "leads to flow 'no-such-pack/flujo', which is not available"
    assert warning in capsys.readouterr().out
    section = doc_text().split("## Handing over to another flow or pack", 1)[1]
    section = " ".join(section.split("\n## ", 1)[0].split())
    assert "which is not available` (code `unknown-ref`)" in section
    assert "does not check" not in section
    cli = " ".join((REPO / "docs" / "cli.md").read_text(encoding="utf-8").split())
    assert "also answers that lead to another pack's flow that is not available" in cli
