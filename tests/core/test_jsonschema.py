"""The JSON Schemas editors use agree with the reader: bundled files pass, mistakes fail."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from agentdesk.core.packs.jsonschema import schema
from agentdesk.core.packs.loader import pack_files
from tests.conftest import PACKS


class Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2 core schema, as yaml-language-server reads files (no yes/no booleans...)."""


Yaml12Loader.yaml_implicit_resolvers = {}
for tag, regex, first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$",
        "-+.0123456789",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", "~nN"),
):
    Yaml12Loader.add_implicit_resolver(tag, re.compile(regex), list(first))


Yaml12Loader.add_constructor(
    "tag:yaml.org,2002:int",
    lambda loader, node: int(loader.construct_scalar(node), 10),  # 0911 is 911, not octal
)


def load12(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)


FILES = sorted(
    (
        root / rel
        for root in PACKS.iterdir()
        if (root / "pack.yaml").is_file()
        for rel in pack_files(root)
    ),
)
VALIDATORS = {kind: Draft202012Validator(schema(kind)) for kind in ("manifest", "content")}


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_bundled_files_match_their_schema(path: Path) -> None:
    kind = "manifest" if path.name == "pack.yaml" else "content"
    errors = [e.message for e in VALIDATORS[kind].iter_errors(load12(path))]
    assert errors == []


def test_mistakes_fail_the_schema() -> None:
    content = VALIDATORS["content"]
    assert list(content.iter_errors({"flows": {"f": {"title": "F", "stpes": {}}}}))
    assert list(content.iter_errors({"offers": {"o": {"code": "X", "title": "Y", "rank": 12}}}))
    assert not list(
        content.iter_errors({"flows": {"f": {"title": "F", "steps": {"a": {"text": "hola"}}}}})
    )
