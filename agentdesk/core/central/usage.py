"""Usage figures to the central server: the desk's usage events, queued in its outbox.

The events live in their own database (:mod:`agentdesk.core.usage.store`), which has no
triggers into the notes database. So each sync round first *collects*: it copies the events
not queued yet into the outbox (kind ``usage``, record = the event's random id, revision 1),
then marks them queued in the usage database. A crash between the two queues them again;
the server keeps one copy per desk and event id (the push is idempotent), so an event is
never counted twice. Only while the desk's ``usage_stats`` setting is not ``off``: a desk
that stops recording also stops sending what it kept.

No customer data is in an event; what leaves is only the event's own fields (:func:`leaving`).
"""

from __future__ import annotations

import json
import sqlite3
import sys
from typing import TYPE_CHECKING, Any

from agentdesk.core.usage.events import Event

if TYPE_CHECKING:
    from agentdesk.core.central.outbox import DeskOutbox

KIND = "usage"
FIELDS = ("id", *Event._fields)


def leaving(snapshot: dict[str, Any]) -> dict[str, Any]:
    """An event as the server may see it: its own fields, no other key."""
    return {name: snapshot.get(name) for name in FIELDS}


def collect(outbox: DeskOutbox, limit: int) -> int:
    """Queue up to ``limit`` usage events recorded since the last time; how many.

    Nothing when the outbox does not know the desk's folders or recording is off. A usage
    file that cannot be read never holds the notes back: it is said on stderr and left
    as it is (the app sets a damaged one aside when it next records).
    """
    from agentdesk.core.settings import Settings
    from agentdesk.core.usage.store import UsageStore

    paths = outbox.paths
    if paths is None or Settings.load(paths.settings_file).usage_stats == "off":
        return 0
    store = UsageStore(paths.usage_db)
    try:
        found = store.unqueued(limit)
    except sqlite3.Error as exc:
        print(f"agentdesk: usage figures not sent: {exc}", file=sys.stderr)
        return 0
    if not found:
        return 0
    outbox.queue(KIND, [(i, json.dumps({"id": i, **event._asdict()})) for i, event in found])
    store.mark_queued([event_id for event_id, _ in found])  # (if not: queued again, sent once)
    return len(found)
