"""Shipping in words, for the command line and the desktop app alike: why an archive or an
update source was refused, what changed in a pack, and how a job is getting on.

Everything here is in the interface language (:mod:`agentdesk.core.i18n`) except the
command line's record of changes (:func:`change_lines` with ``for_agents=False``), which
stays in English: scripts read it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from agentdesk.core.i18n import _, ngettext
from agentdesk.core.shipping.changes import REPORTED, Change, ItemChange, PackChanges
from agentdesk.core.shipping.refusals import Reason

TITLES_SHOWN = 6  # item titles listed per kind of change; the rest are counted


def refusal_text(reason: str) -> str:
    """Why an archive or an update source was refused, for the agent or IT."""
    names = _(
        "It holds file names or entries a pack archive never has: only archives made with "
        "agentdesk pack build are accepted."
    )
    changed = _("A file was changed after signing, or the copy is damaged.")
    size = _("It is larger than a pack may be.")
    texts: dict[str, str] = {
        Reason.NOT_AN_ARCHIVE: _("The file is not a pack archive (.adpack), or cannot be read."),
        Reason.CORRUPT: _("The file is damaged: get it again."),
        Reason.MISSING_SIGNATURE: _("It is not signed."),
        Reason.BAD_SIGNATURE: _(
            "The signature does not match: the content was changed after signing."
        ),
        Reason.UNKNOWN_KEY: _("It is signed with a key this computer does not trust."),
        Reason.NO_TRUSTED_KEYS: _(
            "This computer trusts no signing key yet: ask IT to add the trainers' key."
        ),
        Reason.BAD_MANIFEST: _("Its manifest is missing or malformed."),
        Reason.UNSUPPORTED_FORMAT: _("It is in a format this AgentDesk cannot read."),
        Reason.ROLLBACK: _("Its version is not newer than the one installed."),
        Reason.EXPIRED: _("It has expired (or this computer's clock is wrong)."),
        Reason.APP_TOO_OLD: _("It needs a newer AgentDesk."),
        Reason.NOT_IN_MANIFEST: _("It holds a file the signature does not cover."),
        Reason.MISSING_FILE: _("A signed file is missing."),
        Reason.SIZE_MISMATCH: changed,
        Reason.HASH_MISMATCH: changed,
        Reason.ABSOLUTE_PATH: names,
        Reason.PARENT_PATH: names,
        Reason.BACKSLASH: names,
        Reason.NUL_IN_NAME: names,
        Reason.BAD_NAME: names,
        Reason.DUPLICATE_NAME: names,
        Reason.CASE_COLLISION: names,
        Reason.SYMLINK: names,
        Reason.ENCRYPTED: names,
        Reason.NESTED_ARCHIVE: names,
        Reason.TOO_MANY_FILES: size,
        Reason.TOO_MANY_BYTES: size,
        Reason.COMPRESSION_RATIO: size,
        Reason.PACK_INVALID: _("The pack inside cannot be used by this AgentDesk."),
        Reason.NOTHING_TO_ROLL_BACK: _("There is no previous version to go back to."),
        Reason.NOT_INSTALLED: _("This pack was not installed from an archive."),
        Reason.BAD_INDEX: _(
            "The update channel's information is malformed, or does not match the archive it lists."
        ),
        Reason.DOWNLOAD_FAILED: _("The update source answered with an error, or lacks a file."),
        Reason.NO_TRUSTED_ROOT: _(
            "This computer trusts no update channel yet: ask IT to install the channel's "
            "root.json (agentdesk pack trust-root)."
        ),
        Reason.CHANNEL_EXPIRED: _(
            "The update channel's signed information has expired (or this computer's clock "
            "is wrong): the trainers must publish it again."
        ),
        Reason.CHANNEL_ROLLBACK: _(
            "The update channel sent older information than this computer has already seen: "
            "an old copy of the channel, or an attack."
        ),
        Reason.CHANNEL_MISMATCH: _(
            "The update channel's files do not belong to the same publication: a copy "
            "caught while it was being published, or an attack. Try again later."
        ),
        Reason.UNTRUSTED_METADATA: _(
            "The update channel's information is not signed by the keys this computer "
            "trusts for it."
        ),
        Reason.TOO_SLOW: _(
            "The update took too long and was stopped: the connection is too slow, or the "
            "server does not answer in time. Try again later."
        ),
    }
    return texts.get(reason, _("It cannot be used."))


def _phrases() -> dict[tuple[str, Change], Callable[[int], str]]:
    """(section, change) -> the counted phrase: whole phrases, so each language agrees."""
    return {
        ("flows", "added"): lambda n: ngettext("{n} new flow", "{n} new flows", n),
        ("flows", "changed"): lambda n: ngettext("{n} changed flow", "{n} changed flows", n),
        ("flows", "removed"): lambda n: ngettext("{n} removed flow", "{n} removed flows", n),
        ("scripts", "added"): lambda n: ngettext("{n} new script", "{n} new scripts", n),
        ("scripts", "changed"): lambda n: ngettext("{n} changed script", "{n} changed scripts", n),
        ("scripts", "removed"): lambda n: ngettext("{n} removed script", "{n} removed scripts", n),
        ("macros", "added"): lambda n: ngettext("{n} new macro", "{n} new macros", n),
        ("macros", "changed"): lambda n: ngettext("{n} changed macro", "{n} changed macros", n),
        ("macros", "removed"): lambda n: ngettext("{n} removed macro", "{n} removed macros", n),
        ("offers", "added"): lambda n: ngettext("{n} new offer", "{n} new offers", n),
        ("offers", "changed"): lambda n: ngettext("{n} changed offer", "{n} changed offers", n),
        ("offers", "removed"): lambda n: ngettext("{n} removed offer", "{n} removed offers", n),
        ("snippets", "added"): lambda n: ngettext("{n} new snippet", "{n} new snippets", n),
        ("snippets", "changed"): lambda n: ngettext(
            "{n} changed snippet", "{n} changed snippets", n
        ),
        ("snippets", "removed"): lambda n: ngettext(
            "{n} removed snippet", "{n} removed snippets", n
        ),
        ("variables", "added"): lambda n: ngettext(
            "{n} new customer detail", "{n} new customer details", n
        ),
        ("variables", "changed"): lambda n: ngettext(
            "{n} changed customer detail", "{n} changed customer details", n
        ),
        ("variables", "removed"): lambda n: ngettext(
            "{n} removed customer detail", "{n} removed customer details", n
        ),
        ("facts", "added"): lambda n: ngettext(
            "{n} new fact to record", "{n} new facts to record", n
        ),
        ("facts", "changed"): lambda n: ngettext(
            "{n} changed fact to record", "{n} changed facts to record", n
        ),
        ("facts", "removed"): lambda n: ngettext(
            "{n} removed fact to record", "{n} removed facts to record", n
        ),
    }


def count_phrase(section: str, change: Change, n: int) -> str:
    """``2 flujos nuevos``: how many items of ``section`` were added, changed or removed."""
    return _phrases()[(section, change)](n).format(n=n)


def _groups(changes: PackChanges) -> Iterator[tuple[str, Change, list[ItemChange]]]:
    """The changed items by section (in :data:`REPORTED` order) and kind of change."""
    kinds: tuple[Change, ...] = ("added", "changed", "removed")
    for section in REPORTED:
        for change in kinds:
            items = [i for i in changes.items if (i.section, i.change) == (section, change)]
            if items:
                yield section, change, items


def change_lines(changes: PackChanges, *, for_agents: bool = True) -> list[str]:
    """What changed in one pack: a head line, then what changed, one line each.

    For agents (the app): counted by kind, with the items' titles, in the interface
    language: ``Title: id 1.0.0 → 1.1.0`` then ``  2 flujos nuevos: Alta, Baja``.
    For the command line: one line per item with its id, in English (scripts read it):
    ``id: 1.0.0 -> 1.1.0`` then ``  added flow alta (Alta)``.
    """
    lines = [_agents_head(changes) if for_agents else _log_head(changes)]
    if not for_agents and changes.is_new:  # everything is new: how much of it
        counts = [
            f"{sum(i.section == s for i in changes.items)} {s}"
            for s in REPORTED[:4]
            if any(i.section == s for i in changes.items)
        ]
        return [*lines, *([f"  {', '.join(counts)}"] if counts else [])]
    for section, change, items in _groups(changes):
        if for_agents:
            titles = [i.title for i in items]
            shown = ", ".join(titles[:TITLES_SHOWN])
            if len(titles) > TITLES_SHOWN:
                shown = _("{items} and {n} more").format(items=shown, n=len(titles) - TITLES_SHOWN)
            lines.append(f"  {count_phrase(section, change, len(items))}: {shown}")
        else:
            kind = section.removesuffix("s")
            lines += [f"  {change} {kind} {_with_title(i)}" for i in items]
    if changes.manifest_changed:
        lines.append(
            "  " + _("The pack's details changed (title, validity or audiences).")
            if for_agents
            else "  changed pack details (pack.yaml)"
        )
    if not changes.items and not changes.manifest_changed:
        lines.append(
            "  " + _("No change agents can see.") if for_agents else "  no change agents can see"
        )
    return lines


def _agents_head(changes: PackChanges) -> str:
    if changes.old_version is None:
        return _("{title}: {id} {version} (new on this computer)").format(
            title=changes.title, id=changes.pack_id, version=changes.new_version
        )
    return _("{title}: {id} {old} → {new}").format(
        title=changes.title, id=changes.pack_id, old=changes.old_version, new=changes.new_version
    )


def _log_head(changes: PackChanges) -> str:
    if changes.is_new:
        return f"{changes.pack_id}: new, version {changes.new_version}"
    return f"{changes.pack_id}: {changes.old_version} -> {changes.new_version}"


def _with_title(item: ItemChange) -> str:
    return item.id if item.title == item.id else f"{item.id} ({item.title})"


def progress_text(what: str, phase: str, done: int, total: int) -> str:
    """What a job is doing now, for the progress line: ``Downloading ejemplo…``."""
    if phase == "download":
        return _("Downloading {id}…").format(id=what)
    if done >= total:
        return _("Finishing the install of {id}…").format(id=what)
    return _("Installing {id}…").format(id=what)
