"""Load a pack folder: read every file, check everything, report every problem.

A pack is a folder with ``pack.yaml`` (the manifest) and any number of other ``.yaml``
files holding sections (variables, snippets, scripts, macros, offers, facts, flows,
tests), in sub-folders if the trainer likes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from agentdesk.core.packs import MANIFEST
from agentdesk.core.packs.cache import PackCache, reader_fingerprint
from agentdesk.core.packs.folder import MAX_FILE_BYTES as MAX_FILE_BYTES  # read from here too
from agentdesk.core.packs.folder import MAX_FILES as MAX_FILES
from agentdesk.core.packs.folder import MAX_PACK_BYTES as MAX_PACK_BYTES
from agentdesk.core.packs.folder import pack_files as pack_files
from agentdesk.core.packs.folder import read_pack_folder
from agentdesk.core.problems import Loc, Problem, Problems

if TYPE_CHECKING:
    from agentdesk.core.packs.model import ContentFile, Manifest, Pack, Scenario


class LoadResult(NamedTuple):
    """A pack (None if it has errors) and the problems found, with file paths as given."""

    root: str
    pack: Pack | None
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return self.pack is not None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def load_pack(root: str | Path, cache: PackCache | None = None) -> LoadResult:
    """Read and check the pack in ``root``. Never raises for anything the folder holds."""
    shown = str(root)
    folder = Path(root)
    read = read_pack_folder(folder)  # what the folder holds: the same for every caller
    if read.problems.has_errors:
        return LoadResult(shown, None, tuple(_located(read.problems, shown)))
    digest = _digest(read.files)
    cached = cache.get(digest) if cache else None
    if cached is not None:
        pack, relative = cached
    else:
        pack, relative = _parse(read.files, digest)
        if cache:
            cache.put(digest, (pack, relative))
    if pack is not None:
        pack = pack._replace(root=str(folder))
    return LoadResult(shown, pack, tuple(_located((*read.problems, *relative), shown)))


def _digest(blobs: dict[str, bytes]) -> str:
    import hashlib  # here, not at the top: the desk app paints before it reads packs

    digest = hashlib.sha256(reader_fingerprint())
    for name, data in blobs.items():
        digest.update(f"\0{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _located(problems: Iterable[Problem], root: str) -> list[Problem]:
    """Problems with file names relative to the pack turned into paths as the user gave."""
    base = Path(root)
    out = [
        p._replace(loc=p.loc._replace(file=str(base / p.loc.file) if p.loc.file else root))
        for p in problems
    ]
    out.sort(key=lambda p: (p.loc, p.severity != "error"))
    return out


def _parse(blobs: dict[str, bytes], digest: str) -> tuple[Pack | None, tuple[Problem, ...]]:
    # Imported here: a pack that comes from the cache needs none of the reading machinery.
    from agentdesk.core.packs.build import (
        BuildContext,
        ConditionUse,
        RefUse,
        TemplateUse,
        read_object,
    )
    from agentdesk.core.packs.checks import check_pack
    from agentdesk.core.packs.model import SECTIONS, ContentFile, Manifest
    from agentdesk.core.packs.yamlsource import decode, read_yaml

    problems = Problems()
    unread: list[str] = []  # files whose YAML could not be read
    refs: list[RefUse] = []
    templates: list[TemplateUse] = []
    conditions: list[ConditionUse] = []
    manifest: Manifest | None = None
    contents: list[ContentFile] = []
    for name, data in blobs.items():
        ctx = BuildContext(name, problems)
        text = decode(data, name, problems)
        before = len(problems)
        doc = None if text is None else read_yaml(text, name, problems)
        if text is None or (doc is None and len(problems) > before):
            unread.append(name)
        if text is None:
            continue
        if name == MANIFEST:
            manifest = read_object(Manifest, doc, (1, 1), ctx)
        elif doc is not None:
            if not isinstance(doc, dict):
                problems.error(
                    Loc(name),
                    "a pack file must be a mapping of sections",
                    f"Start the file with one of: {', '.join((*SECTIONS, 'tests'))}.",
                    "schema",
                )
                continue
            contents.append(read_object(ContentFile, doc, (1, 1), ctx))
        refs.extend(ctx.refs)
        templates.extend(ctx.templates)
        conditions.extend(ctx.conditions)
    if manifest is None:
        return None, tuple(problems)
    pack = _assemble(manifest, contents, digest, problems)
    for name in unread:
        problems.warning(
            Loc(name),
            "this file could not be read, so nothing refers to what it defines yet",
            "References, variables and unused items are checked once every file reads.",
            "incomplete",
        )
    check_pack(pack, refs, templates, problems, complete=not unread, conditions=conditions)
    return (None if problems.has_errors else pack), tuple(problems)


def _assemble(
    manifest: Manifest, contents: list[ContentFile], digest: str, problems: Problems
) -> Pack:
    from agentdesk.core.packs.model import SECTIONS, Pack

    merged: dict[str, dict[str, Any]] = {section: {} for section in SECTIONS}
    tests: list[Scenario] = []
    for content in contents:
        for section in SECTIONS:
            target = merged[section]
            for item_id, item in getattr(content, section).items():
                if item_id in target:
                    first = target[item_id]
                    problems.error(
                        item.loc,
                        f"duplicate id '{item_id}' in {section} (first at {first.loc})",
                        "Ids must be unique within a pack: rename one of them.",
                        "duplicate-id",
                    )
                    continue
                target[item_id] = item
        tests.extend(t for t in content.tests if t.expect is not None)
    return Pack(manifest=manifest, root="", digest=digest, tests=tuple(tests), **merged)
