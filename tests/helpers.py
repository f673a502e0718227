"""Small helpers to write packs in tests."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

from agentdesk.core.packs.library import Library
from agentdesk.core.packs.loader import LoadResult, load_pack

MANIFEST = """\
id: prueba
title: Pack de prueba
version: "1.0.0"
locale: es-MX
"""


def write_pack(root: Path, files: dict[str, str], manifest: str = MANIFEST) -> Path:
    """Write a pack folder: ``files`` maps relative names to YAML (dedented)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pack.yaml").write_text(textwrap.dedent(manifest), encoding="utf-8")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def load(root: Path, files: dict[str, str], manifest: str = MANIFEST) -> LoadResult:
    return load_pack(write_pack(root, files, manifest))


def messages(result: LoadResult, severity: str = "error") -> list[str]:
    return [p.message for p in result.problems if p.severity == severity]


def codes(result: LoadResult, severity: str = "error") -> list[str]:
    return [p.code for p in result.problems if p.severity == severity]


SIMPLE_FLOW = """\
variables:
  nombre: {label: Nombre, fallback: cliente}
flows:
  f:
    title: Flujo
    steps:
      inicio:
        ask: ¿Qué pasa, {{ nombre }}?
        choices:
          - {label: Uno, go: fin}
      fin:
        text: Listo.
"""


def kiosk_example_library(folder: Path) -> Library:
    """The bundled packs, and the example pack copied into ``folder`` as a trainer would make
    it for kiosks (the bundled one is for desks only): every feature of the format, on a
    kiosk."""
    from tests.conftest import EXAMPLE

    copy = folder / "ejemplo"
    shutil.copytree(EXAMPLE, copy)
    for name in ("pack.yaml", "flows/consulta.yaml"):
        text = (copy / name).read_text(encoding="utf-8")
        (copy / name).write_text(re.sub(r"audiences: \[desk\]", "audiences: [desk, kiosk]", text))
    return Library(None, folders=[copy]).load()
