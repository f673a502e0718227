"""What changed between the installed version of a pack and a new one, as plain data.

Items are compared by content, not by position: moving a flow to another file or adding a
blank line above it is not a change. :mod:`.messages` says them in words: for agents in
their language, and for the command line in English.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

from agentdesk.core.packs.model import SECTIONS, Pack

Change = Literal["added", "removed", "changed"]
#: Sections in the order they are reported: what agents notice first.
REPORTED = ("flows", "scripts", "macros", "offers", "snippets", "variables", "facts")
assert set(REPORTED) == set(SECTIONS)


class ItemChange(NamedTuple):
    section: str  # one of REPORTED
    id: str
    title: str  # the item's title (or label, or code), else its id
    change: Change


class PackChanges(NamedTuple):
    pack_id: str
    title: str
    old_version: str | None  # None: the pack was not installed before (all items "added")
    new_version: str
    items: tuple[ItemChange, ...]
    #: Title, validity, audiences or any other field of pack.yaml changed. The version is
    #: left out: every release has a new one, and the head line shows it.
    manifest_changed: bool
    #: Scenario tests added, removed or changed (not shown to agents).
    tests_changed: bool

    @property
    def is_new(self) -> bool:
        return self.old_version is None

    def to_json(self) -> dict[str, Any]:
        return {
            "pack": self.pack_id,
            "title": self.title,
            "from": self.old_version,
            "to": self.new_version,
            "manifest_changed": self.manifest_changed,
            "tests_changed": self.tests_changed,
            "items": [item._asdict() for item in self.items],
        }

    def lines(self) -> list[str]:
        """The command line's record of the changes (English): see
        :func:`agentdesk.core.shipping.messages.change_lines`."""
        from agentdesk.core.shipping.messages import change_lines

        return change_lines(self, for_agents=False)


def describe_changes(old: Pack | None, new: Pack) -> PackChanges:
    """Added, removed and changed items, section by section, in a stable order."""
    items: list[ItemChange] = []
    for section in REPORTED:
        after: dict[str, Any] = getattr(new, section)
        before: dict[str, Any] = getattr(old, section) if old is not None else {}
        for item_id in sorted(after.keys() - before.keys()):
            items.append(ItemChange(section, item_id, _title(after[item_id]), "added"))
        for item_id in sorted(before.keys() - after.keys()):
            items.append(ItemChange(section, item_id, _title(before[item_id]), "removed"))
        for item_id in sorted(after.keys() & before.keys()):
            if content(after[item_id]) != content(before[item_id]):
                items.append(ItemChange(section, item_id, _title(after[item_id]), "changed"))
    return PackChanges(
        pack_id=new.id,
        title=new.manifest.title,
        old_version=old.version if old is not None else None,
        new_version=new.version,
        items=tuple(items),
        manifest_changed=old is not None and not _same_details(old, new),
        tests_changed=old is not None and content(old.tests) != content(new.tests),
    )


def _same_details(old: Pack, new: Pack) -> bool:
    """pack.yaml compared without its version, which every release changes."""
    return bool(content(old.manifest._replace(version=new.version)) == content(new.manifest))


def content(value: Any) -> Any:
    """A comparable form of a pack item with every ``loc`` (file and line) left out."""
    fields = getattr(value, "_fields", None)
    if isinstance(value, tuple) and fields is not None:
        return tuple((f, content(getattr(value, f))) for f in fields if f != "loc")
    if isinstance(value, dict):
        return tuple((k, content(v)) for k, v in value.items())
    if isinstance(value, (tuple, list)):
        return tuple(content(v) for v in value)
    return value


def _title(item: Any) -> str:
    for field in ("title", "label", "code"):
        value = getattr(item, field, None)
        if isinstance(value, str) and value:
            return value
    return str(item.id)
