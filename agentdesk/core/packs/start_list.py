"""What the start screen lists, ready before the packs are loaded.

The start screen lists the flows of every pack in use, by pack. Loading the packs takes
tens of milliseconds for the bundled ones and more for large ones, from the pack cache
(scripts/bench_core.py), while the list needs a few fields of each: titles, ids,
audiences, validity. So every load keeps the library's :class:`StartList` in
``<cache>/start-list.json`` with the packs' fingerprint, and the next start reads it
before its first paint (:func:`read`); the packs themselves are loaded right after it.

The list is never stale: it is used only when the fingerprint is the same now.
:func:`fingerprint` is AgentDesk's version, the code that reads packs and every file of
every pack in use (the sources as :meth:`Library.sources` finds them, each pack's files as
:mod:`.folder` reads them), each with its size, modification and change times (in
nanoseconds) and inode: an edit, an install or a rollback, an added or removed pack or
file changes it, and stat calls only cost milliseconds. (A change time cannot be set by
hand, so copying older files over newer ones changes it too.) File system clocks tick
every few milliseconds, so a file written in the same tick as it was read could keep its
times: a list is therefore not kept when a file changed less than :data:`RECENT_NS`
before the load; the next load keeps it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from agentdesk.core.packs.validity import is_current_flow, is_expired, may_use

if TYPE_CHECKING:
    from agentdesk.core.packs.library import Library
    from agentdesk.core.packs.model import Audience, Pack

FILE = "start-list.json"
FORMAT = 1
#: A file changed this recently (nanoseconds) is not vouched for by its times (see above).
RECENT_NS = 2_000_000_000


class ListedManifest(NamedTuple):
    """What the start screen reads of a pack's manifest."""

    title: str
    description: str = ""
    start: str | None = None
    audiences: tuple[Audience, ...] = ("desk",)
    valid_from: date | None = None
    valid_until: date | None = None


class ListedFlow(NamedTuple):
    """What the start screen reads of a flow."""

    id: str
    title: str
    description: str | None = None
    audiences: tuple[Audience, ...] | None = None
    valid_from: date | None = None
    valid_until: date | None = None


class ListedPack(NamedTuple):
    """What the start screen reads of a pack."""

    id: str
    manifest: ListedManifest
    flows: dict[str, ListedFlow]

    @property
    def title(self) -> str:
        return self.manifest.title


class StartList(NamedTuple):
    """The packs in use, as the start screen lists them, and how many sources failed."""

    packs: tuple[ListedPack, ...]
    failed: int = 0

    @property
    def ids(self) -> list[str]:
        return [pack.id for pack in self.packs]

    def current(
        self, audience: Audience, today: date, include_expired: bool = False
    ) -> list[tuple[ListedPack, ListedFlow, bool]]:
        """(pack, flow, expired) for the flows ``audience`` may use on ``today``."""
        found = []
        for pack in self.packs:
            for flow in pack.flows.values():
                if not may_use(pack, flow, audience):
                    continue
                expired = is_expired(pack.manifest, today) or is_expired(flow, today)
                if expired and not include_expired:
                    continue
                if not expired and not is_current_flow(pack, flow, today):
                    continue  # not valid yet
                found.append((pack, flow, expired))
        return found


def listing(packs: Iterable[Pack], failed: int = 0) -> StartList:
    """The start list of loaded ``packs``."""
    return StartList(tuple(_listed(pack) for pack in packs), failed)


def of_library(library: Library) -> StartList:
    """The start list of a loaded library: its packs in use, its sources that failed."""
    failed = sum(1 for entry in library.entries.values() if entry.result.errors)
    return listing(library.packs().values(), failed)


def fingerprint(library: Library) -> str | None:
    """What the library's packs are made of, as file system metadata (see the module's
    docstring); None if a file changed too recently to tell, or cannot be looked at."""
    import agentdesk
    from agentdesk.core.packs.cache import reader_sources
    from agentdesk.core.packs.folder import pack_files

    lines = [agentdesk.__version__]
    oldest_safe = time.time_ns() - RECENT_NS
    try:
        for source in reader_sources():
            lines.append(_stat_line(source, str(source), oldest_safe))
        for root, origin in library.sources():
            lines.append(f"{origin}\t{root}")
            for name in pack_files(root):
                lines.append(_stat_line(root / name, name.as_posix(), oldest_safe))
    except (OSError, _Recent):
        return None
    return "\n".join(lines)


def read(library: Library) -> StartList | None:
    """The start list kept by the last load, if the packs are still what it lists."""
    path = _path(library)
    if path is None:
        return None
    try:
        kept = json.loads(path.read_bytes())
        if kept.get("format") != FORMAT:
            return None
        key = fingerprint(library)
        if key is None or kept.get("fingerprint") != key:
            return None
        return StartList(tuple(_pack(p) for p in kept["packs"]), int(kept["failed"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # none yet, or damaged: the packs are loaded before they are listed


def keep(library: Library, start_list: StartList, key: str | None) -> None:
    """Keep ``start_list`` for the next start, under the ``key`` the library's files had
    before they were loaded (nothing is kept without one)."""
    from agentdesk.core.files import write_atomic

    path = _path(library)
    if path is None or key is None:
        return
    doc = {
        "format": FORMAT,
        "fingerprint": key,
        "failed": start_list.failed,
        "packs": [_pack_doc(pack) for pack in start_list.packs],
    }
    data = json.dumps(doc, ensure_ascii=False).encode()
    try:
        if path.is_file() and path.read_bytes() == data:
            return  # kept already (every start after the first that changed nothing)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
    except OSError:
        return  # a read-only or full disk only costs the next start a moment


# -- helpers ------------------------------------------------------------------------------


class _Recent(Exception):
    """A file changed too recently for its times to vouch for its content."""


def _stat_line(path: Path, name: str, oldest_safe: int) -> str:
    st = path.stat()
    if max(st.st_mtime_ns, st.st_ctime_ns) > oldest_safe:
        raise _Recent
    return f"{name}\t{st.st_size}\t{st.st_mtime_ns}\t{st.st_ctime_ns}\t{st.st_ino}"


def _path(library: Library) -> Path | None:
    return library.paths.cache / FILE if library.paths is not None else None


def _listed(pack: Pack) -> ListedPack:
    m = pack.manifest
    manifest = ListedManifest(
        m.title, m.description, m.start, m.audiences, m.valid_from, m.valid_until
    )
    flows = {
        flow.id: ListedFlow(
            flow.id, flow.title, flow.description, flow.audiences, flow.valid_from, flow.valid_until
        )
        for flow in pack.flows.values()
    }
    return ListedPack(m.id, manifest, flows)


def _pack_doc(pack: ListedPack) -> dict[str, Any]:
    return {
        "id": pack.id,
        "manifest": _dated_doc(pack.manifest._asdict()),
        "flows": [_dated_doc(flow._asdict()) for flow in pack.flows.values()],
    }


def _dated_doc(fields: dict[str, Any]) -> dict[str, Any]:
    for name in ("valid_from", "valid_until"):
        if fields[name] is not None:
            fields[name] = fields[name].isoformat()
    return fields


def _pack(doc: dict[str, Any]) -> ListedPack:
    manifest = ListedManifest(**_dated(doc["manifest"]))
    flows = [ListedFlow(**_dated(flow)) for flow in doc["flows"]]
    return ListedPack(str(doc["id"]), manifest, {flow.id: flow for flow in flows})


def _dated(fields: dict[str, Any]) -> dict[str, Any]:
    for name in ("valid_from", "valid_until"):
        if fields.get(name) is not None:
            fields[name] = date.fromisoformat(fields[name])
    if fields.get("audiences") is not None:
        fields["audiences"] = cast("tuple[Audience, ...]", tuple(fields["audiences"]))
    return fields
