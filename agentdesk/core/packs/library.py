"""All the packs an installation can use: bundled, installed, and folders given by hand.

The library keeps the last good version of each pack: if a pack that loaded before now has
errors (a trainer saving a half-written file), its problems are reported and the previous
content stays in use.

The loader, the version rules and the layout of installed packs are imported by the methods that use
them: the desk app creates its library before its first paint and loads it after.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from agentdesk.core.packs import MANIFEST
from agentdesk.core.packs.cache import PackCache
from agentdesk.core.paths import Paths, bundled_packs_dir

if TYPE_CHECKING:
    from agentdesk.core.packs.loader import LoadResult
    from agentdesk.core.packs.model import Pack
    from agentdesk.core.problems import Problems

Origin = Literal["folder", "installed", "bundled"]
_RANK: dict[str, int] = {"folder": 0, "installed": 1, "bundled": 2}


class PackSource(NamedTuple):
    root: Path
    origin: Origin


class Entry(NamedTuple):
    source: PackSource
    result: LoadResult  # the latest attempt
    pack: Pack | None  # what is in use: the latest good load, possibly older than ``result``

    @property
    def stale(self) -> bool:
        """The latest attempt failed and an older good version is in use."""
        return self.result.pack is None and self.pack is not None


def find_packs(folder: Path) -> list[Path]:
    """Pack folders directly under ``folder`` (``<id>/pack.yaml``; a ``pack.yaml`` that is a
    link or a folder counts too, so that loading it says what is wrong)."""
    from agentdesk.core.packs.folder import is_pack_folder

    if not folder.is_dir():
        return []
    return [child for child in sorted(folder.iterdir()) if is_pack_folder(child)]


class Library:
    def __init__(
        self,
        paths: Paths | None = None,
        folders: Sequence[Path] = (),
        bundled: Path | None = None,
        include_bundled: bool = True,
    ) -> None:
        self.paths = paths
        self.folders = list(folders)
        self.bundled = bundled or bundled_packs_dir()
        self.include_bundled = include_bundled
        self.cache = PackCache(paths.pack_cache if paths else None)
        self.entries: dict[Path, Entry] = {}
        self.loaded = False

    def sources(self) -> list[PackSource]:
        from agentdesk.core.packs.installed import installed_roots

        found = [PackSource(root, "folder") for root in self.folders]
        if self.paths is not None:
            # <id>/versions/<version>/, the one named by <id>/state.json (packs.installed)
            found += [
                PackSource(root, "installed")
                for root in installed_roots(self.paths.installed_packs, MANIFEST)
            ]
        if self.include_bundled:
            found += [PackSource(root, "bundled") for root in find_packs(self.bundled)]
        return found

    def load(self) -> Library:
        """(Re)load every source; a source that now fails keeps its last good pack."""
        from agentdesk.core.packs.loader import load_pack

        entries: dict[Path, Entry] = {}
        for source in self.sources():
            result = load_pack(source.root, self.cache)
            previous = self.entries.get(source.root)
            pack = result.pack or (previous.pack if previous else None)
            entries[source.root] = Entry(source, result, pack)
        self.entries = entries
        self.loaded = True
        return self

    def reload(self, root: Path) -> Entry | None:
        """Reload one source (after its files changed)."""
        from agentdesk.core.packs.loader import load_pack

        previous = self.entries.get(root)
        if previous is None:
            return None
        result = load_pack(root, self.cache)
        entry = Entry(previous.source, result, result.pack or previous.pack)
        self.entries[root] = entry
        return entry

    # -- what is in use -----------------------------------------------------------------

    def in_use(self) -> dict[str, Entry]:
        """The entry in use for each pack id (its ``pack`` is never None): a folder given by
        hand, else the newest installed or bundled pack."""
        best: dict[str, tuple[int, Pack, Entry]] = {}
        for entry in self.entries.values():
            pack = entry.pack
            if pack is None:
                continue
            rank = _RANK[entry.source.origin]
            current = best.get(pack.id)
            if current is None or _preferred(rank, pack, current[0], current[1]):
                best[pack.id] = (rank, pack, entry)
        return {pid: best[pid][2] for pid in sorted(best)}

    def packs(self) -> dict[str, Pack]:
        """One pack per id: the pack of its entry in use (:meth:`in_use`)."""
        return {pid: e.pack for pid, e in self.in_use().items() if e.pack is not None}

    def get(self, pack_id: str) -> Pack | None:
        return self.packs().get(pack_id)

    def failed(self) -> list[Entry]:
        return [e for e in self.entries.values() if e.result.pack is None]

    def duplicates(self, roots: Iterable[Path]) -> Problems:
        """Folders among ``roots`` holding a pack with the same id and version as an earlier
        one: only one of them can be in use, and which one would be an accident."""
        from agentdesk.core.ids import version_key
        from agentdesk.core.problems import Problems

        problems = Problems()
        first: dict[tuple[str, tuple[int, ...]], Path] = {}
        for root in roots:
            entry = self.entries.get(root)
            pack = entry.result.pack if entry else None
            if pack is None:
                continue
            key = (pack.id, version_key(pack.version))
            if first.setdefault(key, root) == root:
                continue  # the first folder with it (or the same folder given twice)
            problems.error(
                pack.manifest.loc._replace(file=str(root / pack.manifest.loc.file)),
                f"pack '{pack.id}' version {pack.version} is also in {first[key]}",
                "Two folders hold the same pack and version: give one its own id, raise its "
                "version, or remove the copy.",
                "duplicate-pack",
            )
        return problems

    def link_problems(self) -> Problems:
        """Choices that hand over to another pack's flow that is not available."""
        from agentdesk.core.problems import Problems

        problems = Problems()
        packs = self.packs()
        for pack in packs.values():
            for flow in pack.flows.values():
                for step in flow.steps.values():
                    for choice in step.choices:
                        if not choice.flow or "/" not in choice.flow:
                            continue
                        target_pack, _, target_flow = choice.flow.partition("/")
                        target = packs.get(target_pack)
                        if target is None or target_flow not in target.flows:
                            problems.warning(
                                step.loc._replace(file=str(Path(pack.root) / step.loc.file)),
                                f"choice '{choice.id}' leads to flow '{choice.flow}', "
                                "which is not available",
                                "Install that pack, or fix the pack or flow id.",
                                "unknown-ref",
                            )
        return problems


def unknown_pack(library: Library, pack_id: str) -> str | None:
    """Why ``--pack ID`` cannot be opened (no pack has that id), or None."""
    from agentdesk.core.problems import printable

    if pack_id in library.packs():
        return None
    known = ", ".join(library.packs()) or "none"
    return f"no pack '{printable(pack_id)}' (available: {known})"


def _preferred(rank: int, pack: Pack, current_rank: int, current: Pack) -> bool:
    """A folder given by hand always wins; otherwise the newer version, then installed."""
    from agentdesk.core.ids import version_key

    if rank == 0 or current_rank == 0:
        return rank < current_rank
    new, old = version_key(pack.version), version_key(current.version)
    return new > old or (new == old and rank < current_rank)
