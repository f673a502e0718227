"""A corpus of broken and hostile packs (issue 13), each built fresh in a folder.

Every case is refused cleanly (errors with a file, a position and a hint; nothing raw,
nothing internal), warned about (a warning that ``--strict`` turns into a failure), or
accepted, and then it renders within bounds. ``tests/test_hostile_packs.py`` runs them in
CI; ``scripts/bench_hostile.py`` times ``pack validate`` and ``walk`` on each as a user
would run them, against the goal of 2 s and 300 MB.

Cases are code, not files: links, pipes, control characters in names and 2,001 files do
not travel well in a repository.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Literal, NamedTuple

Expect = Literal["refused", "warned", "accepted"]

MANIFEST = 'id: hostil\ntitle: Hostil\nversion: "1.0.0"\nlocale: es-MX\n'
FLOW = """\
variables:
  nombre: {label: Nombre, example: Ana}
  monto: {label: Monto, type: money, example: "150"}
flows:
  f:
    title: Flujo
    steps:
      inicio:
        ask: "¿Sigue, {{ nombre }}?"
        choices:
          - {label: Sí, go: fin}
      fin:
        text: TEXT
"""
LONG_VALUES = {"nombre": "ΐx{{ }}\x1b[31m" * 60, "monto": "9" * 499 + "1"}


class Case(NamedTuple):
    name: str
    build: Callable[[Path], list[Path]]  # writes the case under a folder; returns pack roots
    expect: Expect
    code: str = ""  # a problem code the case must report ('' for accepted cases)


def pack(root: Path, files: dict[str, str | bytes], manifest: str | bytes = MANIFEST) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in {"pack.yaml": manifest, **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return root


def text_case(template: str) -> Callable[[Path], list[Path]]:
    """A pack whose outcome step shows ``template`` (quoted for YAML)."""
    quoted = '"' + template.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return lambda base: [pack(base / "p", {"f.yaml": FLOW.replace("TEXT", quoted)})]


def variable_case(declaration: str) -> Callable[[Path], list[Path]]:
    """A pack with one more variable, declared as ``declaration`` (a YAML flow mapping)."""
    content = FLOW.replace("flows:", f"  otra: {declaration}\nflows:").replace(
        "TEXT", '"{{ otra }}"'
    )
    return lambda base: [pack(base / "p", {"f.yaml": content})]


def files_case(
    files: dict[str, str | bytes], manifest: str | bytes = MANIFEST
) -> Callable[[Path], list[Path]]:
    return lambda base: [pack(base / "p", files, manifest)]


def _ok_flow() -> dict[str, str | bytes]:
    return {"f.yaml": FLOW.replace("TEXT", '"Listo, {{ nombre }}."')}


def _manifest_link(base: Path) -> list[Path]:
    root = pack(base / "p", _ok_flow())
    (base / "real.yaml").write_text(MANIFEST, encoding="utf-8")
    (root / "pack.yaml").unlink()
    (root / "pack.yaml").symlink_to(base / "real.yaml")
    return [root]


def _manifest_folder(base: Path) -> list[Path]:
    root = base / "p"
    (root / "pack.yaml").mkdir(parents=True)
    (root / "f.yaml").write_text(FLOW.replace("TEXT", "x"), encoding="utf-8")
    return [root]


def _manifest_fifo(base: Path) -> list[Path]:
    root = base / "p"
    root.mkdir(parents=True)
    os.mkfifo(root / "pack.yaml")
    return [root]


def _content_link(base: Path) -> list[Path]:
    root = pack(base / "p", _ok_flow())
    (base / "outside.yaml").write_text("facts: {x: {label: X}}\n", encoding="utf-8")
    (root / "extra.yaml").symlink_to(base / "outside.yaml")
    return [root]


def _folder_link(base: Path) -> list[Path]:
    root = pack(base / "p", _ok_flow())
    (root / "loop").symlink_to(root)  # a link back to the pack itself: never followed
    return [root]


def _content_fifo(base: Path) -> list[Path]:
    root = pack(base / "p", _ok_flow())
    os.mkfifo(root / "espera.yaml")  # reading it would block forever
    return [root]


def _control_names(base: Path) -> list[Path]:
    return [pack(base / "p", {**_ok_flow(), "mal\x1b[31m\nnombre.yaml": "flows: ["})]


def _many_files(base: Path) -> list[Path]:
    files: dict[str, str | bytes] = {f"x/{i:04}.yaml": "facts: {}\n" for i in range(2001)}
    return [pack(base / "p", {**_ok_flow(), **files})]


def _duplicate_ids(base: Path) -> list[Path]:
    return [pack(base / "a", _ok_flow()), pack(base / "b", _ok_flow())]


def _include_bomb() -> dict[str, str | bytes]:
    snippets = ["snippets:"]
    for level in range(6):
        body = "".join(f'{{% include "s{level + 1}" %}}' for _ in range(10)) if level < 5 else "x"
        snippets.append(f"  s{level}: {{text: '{body}'}}")
    flow = FLOW.replace("TEXT", "'{% include \"s0\" %}'")
    return {"f.yaml": flow + "\n".join(snippets) + "\n"}


def _billion_laughs() -> str:
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        name = chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def _big_flow() -> dict[str, str | bytes]:
    steps = [
        f"      s{i}:\n        ask: 'Paso {i} {{{{ nombre }}}}'\n        choices:\n"
        f"          - {{label: Sigue, go: s{i + 1}{', id: fin' if i == 0 else ''}}}\n"
        for i in range(1500)
    ]
    end = "      s1500:\n        text: Fin\n"
    head = "variables:\n  nombre: {label: Nombre}\nflows:\n  f:\n    title: F\n    steps:\n"
    return {"f.yaml": head + "".join(steps) + end}


DEEP = "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}"
CASES: list[Case] = [
    # -- variable patterns: linear time, or refused with a hint
    Case(
        "pattern-nested-quantifier",
        variable_case("{label: O, pattern: '^(a+)+$', example: " + "a" * 60 + "!}"),
        "refused",
        "schema",
    ),
    Case(
        "pattern-realistic-email",
        variable_case(
            r"{label: O, pattern: '^([a-zA-Z0-9]+\.?)*@banco\.mx$', example: juan.perez@banco.mx}"
        ),
        "accepted",
    ),
    Case(
        "pattern-lookahead",
        variable_case(r"{label: O, pattern: '^\d{5}(?!\d)'}"),
        "refused",
        "pattern",
    ),
    Case(
        "pattern-backreference",
        variable_case(r"{label: O, pattern: '^(a)\1$'}"),
        "refused",
        "pattern",
    ),
    Case(
        "pattern-huge-repeat",
        variable_case("{label: O, pattern: '(a{1000}){1000}'}"),
        "refused",
        "pattern",
    ),
    Case(
        "pattern-1001-chars",
        variable_case("{label: O, pattern: '" + "a" * 1001 + "'}"),
        "refused",
        "pattern",
    ),
    # -- filter calls against the real signatures, currencies against Babel
    Case(
        "filter-number-extra-arg",
        text_case("{{ nombre | number(nombre) }}"),
        "refused",
        "template-call",
    ),
    Case(
        "filter-default-three-args",
        text_case("{{ nombre | default('a', 'b', 'c') }}"),
        "refused",
        "template-call",
    ),
    Case(
        "filter-replace-one-arg",
        text_case("{{ nombre | replace('x') }}"),
        "refused",
        "template-call",
    ),
    Case("filter-trim-number", text_case("{{ nombre | trim(1) }}"), "refused", "template-call"),
    Case("filter-title-arg", text_case("{{ nombre | title(5) }}"), "refused", "template-call"),
    Case("filter-money-xxx", text_case("{{ monto | money('XXX') }}"), "refused", "currency"),
    Case(
        "manifest-currency-xxx",
        files_case(_ok_flow(), MANIFEST + "currency: XXX\n"),
        "refused",
        "currency",
    ),
    # -- sizes: computed before the text is built
    Case(
        "replace-blowup",
        text_case("{{ ('x' * 50000) | replace('x', 'y' * 50000) }}"),
        "refused",
        "template-size",
    ),
    Case(
        "concat-blowup",
        text_case("{{ " + " ~ ".join(["('x' * 50000)"] * 400) + " }}"),
        "refused",
        "template-size",
    ),
    Case("repeat-billion", text_case("{{ 'x' * 1000000000 }}"), "refused", "template-size"),
    Case(
        "value-times-hundred",
        text_case("{{ nombre * 100 }}{{ nombre ~ nombre ~ nombre }}"),
        "accepted",
    ),
    Case("include-bomb", files_case(_include_bomb()), "refused", "template-size"),
    Case("template-over-20000", text_case("x" * 20_001), "refused", "template-size"),
    Case("deep-parentheses", text_case(DEEP), "refused", "template-size"),
    Case("long-sum", text_case("{{ " + "+".join(["1"] * 4000) + " }}"), "refused", "template-size"),
    # -- templates that used to fail in front of the agent
    Case("division-by-zero", text_case("{{ 1 / 0 }}"), "refused", "template-fails"),
    Case(
        "compare-typed-text",
        text_case("{% if monto > 100 %}alto{% else %}bajo{% endif %} {{ monto * 1.16 }}"),
        "accepted",
    ),
    Case("inline-if-no-else", text_case("{{ 'x' if nombre }}"), "refused", "template-policy"),
    Case(
        "ssti-class-walk",
        text_case("{{ ''.__class__.__mro__[1].__subclasses__() }}"),
        "refused",
        "template-policy",
    ),
    Case(
        "ssti-loop",
        text_case("{% for c in [1] %}{{ c }}{% endfor %}"),
        "refused",
        "template-policy",
    ),
    Case(
        "huge-number-literal", text_case("{{ " + "9" * 5000 + " }}"), "refused", "template-policy"
    ),
    # -- YAML
    Case("yaml-billion-laughs", files_case({"f.yaml": _billion_laughs()}), "refused", "yaml-size"),
    Case(
        "yaml-deep-brackets",
        files_case({"f.yaml": "x: " + "[" * 5000 + "]" * 5000 + "\n"}),
        "refused",
        "yaml-depth",
    ),
    Case(
        "yaml-deep-indent",
        files_case(
            {"f.yaml": "".join(f"{'  ' * i}k{i}:\n" for i in range(100)) + "  " * 100 + "x\n"}
        ),
        "refused",
        "yaml-depth",
    ),
    Case(
        "yaml-python-tag",
        files_case({"f.yaml": "facts: !!python/object/apply:os.system ['id']\n"}),
        "refused",
        "yaml-tag",
    ),
    Case(
        "yaml-bad-utf8",
        files_case({"f.yaml": b"facts: {x: {label: \xff\xfe}}\n"}),
        "refused",
        "encoding",
    ),
    Case(
        "yaml-control-char",
        files_case({"f.yaml": 'facts: {x: {label: "a\x07b"}}\n'}),
        "refused",
        "yaml",
    ),
    Case(
        "yaml-two-documents",
        files_case({"f.yaml": "facts: {}\n---\nfacts: {}\n"}),
        "refused",
        "yaml",
    ),
    Case("yaml-9-mib", files_case({"f.yaml": "# " + "x" * (9 * 2**20) + "\n"}), "refused", "size"),
    Case("big-but-legal-flow", files_case(_big_flow()), "accepted"),
    # -- the folder
    Case("manifest-symlink", _manifest_link, "refused", "skipped-link"),
    Case("manifest-is-folder", _manifest_folder, "refused", "no-manifest"),
    Case("manifest-is-fifo", _manifest_fifo, "refused", "no-manifest"),
    Case("no-manifest", lambda base: [_no_manifest(base)], "refused", "no-manifest"),
    Case("content-symlink", _content_link, "warned", "skipped-link"),
    Case("folder-symlink-loop", _folder_link, "warned", "skipped-link"),
    Case("content-fifo", _content_fifo, "warned", "skipped-file"),
    Case("control-characters-in-names", _control_names, "refused", "yaml"),
    Case("over-2000-files", _many_files, "refused", "size"),
    Case("duplicate-pack-id", _duplicate_ids, "refused", "duplicate-pack"),
]


def _no_manifest(base: Path) -> Path:
    root = base / "p"
    root.mkdir(parents=True)
    (root / "f.yaml").write_text("facts: {}\n", encoding="utf-8")
    return root
