"""Nothing a pack contains can crash the program: only problems come out.

Hypothesis throws arbitrary text, arbitrary structures shaped like packs, and mutations
of the example pack at the loader; whatever loads is then walked and rendered in full.
"""

from __future__ import annotations

import typing
from datetime import date

import yaml
from hypothesis import given
from hypothesis import strategies as st

from agentdesk.core.flows.session import Session
from agentdesk.core.packs import model
from agentdesk.core.packs.loader import _parse, pack_files
from agentdesk.core.packs.model import Pack
from tests.conftest import EXAMPLE

MANIFEST = b"id: p\ntitle: T\nversion: '1'\nlocale: es-MX\n"
EXAMPLE_FILES = {p.as_posix(): (EXAMPLE / p).read_bytes() for p in pack_files(EXAMPLE)}
FIELD_NAMES = sorted(
    {name for cls in model.MODEL_CLASSES for name in cls._fields} | set(model.SECTIONS) | {"tests"}
)


def exercise(blobs: dict[str, bytes]) -> None:
    pack, problems = _parse(blobs, "digest")
    for problem in problems:
        assert problem.format()
    if pack is not None:
        walk_everything(pack)


def walk_everything(pack: Pack) -> None:
    """Open every flow, visit every step and render it: nothing may raise."""
    session = Session(lambda pid: pack if pid == pack.id else None, date(2024, 1, 1))
    session.values = dict.fromkeys(pack.variables, "1712345678")
    for flow in pack.flows.values():
        session.open(pack.id, flow.id)
        for step_id in flow.steps:
            session.jump(0, step_id)
            session.view().to_json()
            for choice in session.walk.step.choices:
                session.choose(choice.id or "")
                session.view()
                session.jump(0, step_id)


@given(st.text(max_size=400))
def test_arbitrary_text(text: str) -> None:
    exercise({"pack.yaml": MANIFEST, "x.yaml": text.encode("utf-8", "surrogatepass")})


@given(st.binary(max_size=300))
def test_arbitrary_bytes_as_manifest(data: bytes) -> None:
    exercise({"pack.yaml": data})


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**12),
    st.floats(allow_nan=False),
    st.sampled_from(["no", "on", "010", "12:30", "2023-10-31", "{{ x }}", "{% include 'a' %}"]),
    st.text(max_size=12),
)
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(min_size=1, max_size=8))
structures = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=5)),
    max_leaves=40,
)


@given(st.dictionaries(st.sampled_from([*model.SECTIONS, "tests"]), structures, max_size=4))
def test_arbitrary_structures_shaped_like_packs(content: dict[str, typing.Any]) -> None:
    exercise({"pack.yaml": MANIFEST, "c.yaml": yaml.safe_dump(content).encode()})


@given(structures)
def test_arbitrary_manifests(manifest: typing.Any) -> None:
    exercise({"pack.yaml": yaml.safe_dump(manifest).encode()})


@given(
    st.sampled_from(sorted(EXAMPLE_FILES)),
    st.lists(
        st.tuples(
            st.integers(0, 10_000), st.sampled_from(["drop", "dup", "char"]), st.text(max_size=3)
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_mutated_example_pack(name: str, edits: list[tuple[int, str, str]]) -> None:
    lines = EXAMPLE_FILES[name].decode().splitlines(keepends=True)
    for position, kind, text in edits:
        i = position % len(lines)
        if kind == "drop":
            del lines[i]
        elif kind == "dup":
            lines.insert(i, lines[i])
        else:
            line = lines[i]
            j = position % (len(line) or 1)
            lines[i] = line[:j] + text + line[j + 1 :]
        if not lines:
            lines = ["\n"]
    exercise({**EXAMPLE_FILES, name: "".join(lines).encode("utf-8", "surrogatepass")})


def test_the_example_pack_walks_cleanly() -> None:
    pack, problems = _parse(EXAMPLE_FILES, "digest")
    assert pack is not None, problems
    walk_everything(pack)
