"""What supervisors read from the central server: one query per section, one shape for all.

The note sections read ``agentdesk.notes`` (the newest revision of each note; deleted notes
left out); their times are the desks' local wall-clock times, as the notes store them; "due"
is measured against the clock of the machine making the report. The usage section reads
``agentdesk.usage_events`` (desks whose usage figures are on), its days in the server's
time zone. The command line
(``agentdesk central report``) and the supervisor page print the same :class:`Report`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from agentdesk.core.central.server import SCHEMA

if TYPE_CHECKING:
    import psycopg

DEFAULT_DAYS = 7
_LIVE = "NOT deleted AND created_at >= %(since)s AND created_at < %(until)s"


class Section(NamedTuple):
    name: str
    title: str
    columns: tuple[str, ...]
    sql: str


SECTIONS = (
    Section(
        "per-agent",
        "Notes per agent and day",
        ("day", "agent", "notes", "desks"),
        f"SELECT created_at::date, agent, count(*), count(DISTINCT desk_id) "
        f"FROM {SCHEMA}.notes WHERE {_LIVE} GROUP BY 1, 2 ORDER BY 1, 2",
    ),
    Section(
        "due",
        "Follow-ups due",
        ("follow_up", "agent", "person", "reason", "desk", "note"),
        f"SELECT n.follow_up, n.agent, n.person, n.reason, d.name, n.local_id "
        f"FROM {SCHEMA}.notes n JOIN {SCHEMA}.desks d USING (desk_id) "
        "WHERE NOT n.deleted AND n.follow_up IS NOT NULL AND NOT n.follow_up_done "
        "AND n.follow_up <= %(now)s ORDER BY n.follow_up, d.name, n.local_id",
    ),
    Section(
        "outcomes",
        "Outcomes",
        ("pack", "flow", "outcome", "notes"),
        f"SELECT pack_id, flow_id, outcome, count(*) FROM {SCHEMA}.notes "
        f"WHERE {_LIVE} AND flow_id <> '' GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2, 3",
    ),
    Section(
        "offers",
        "Offer acceptance",
        ("pack", "offer", "accepted", "pack_notes", "rate"),
        f"WITH period AS (SELECT pack_id, offers_applied FROM {SCHEMA}.notes "
        f"WHERE {_LIVE} AND pack_id <> ''), "
        "packs AS (SELECT pack_id, count(*) AS notes FROM period GROUP BY pack_id) "
        "SELECT p.pack_id, o.offer, count(*), packs.notes, "
        "round(count(*)::numeric / packs.notes, 3)::float8 "
        "FROM period p CROSS JOIN LATERAL unnest(p.offers_applied) AS o(offer) "
        "JOIN packs USING (pack_id) GROUP BY p.pack_id, o.offer, packs.notes "
        "ORDER BY 1, 3 DESC, 2",
    ),
    Section(
        "usage",
        "Flow usage",
        (
            "pack",
            "flow",
            "calls",
            "desks",
            "outcomes",
            "drop_offs",
            "offers_shown",
            "offers_accepted",
        ),
        "SELECT pack_id, flow_id, count(DISTINCT desk_id || ':' || call), "
        "count(DISTINCT desk_id), count(*) FILTER (WHERE kind = 'outcome'), "
        "count(*) FILTER (WHERE kind = 'drop_off'), count(*) FILTER (WHERE kind = 'offer_shown'), "
        "count(*) FILTER (WHERE kind = 'offer_accepted') "
        f"FROM {SCHEMA}.usage_events WHERE at >= %(since)s AND at < %(until)s "
        "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2",
    ),
)
NAMES = tuple(s.name for s in SECTIONS)


class Report(NamedTuple):
    since: date
    until: date
    now: datetime
    rows: dict[str, list[tuple[Any, ...]]]

    def to_json(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "now": self.now.isoformat(timespec="seconds"),
            **{
                s.name: [dict(zip(s.columns, map(_plain, row), strict=True)) for row in rows]
                for s, rows in self.sections()
            },
        }

    def sections(self) -> list[tuple[Section, list[tuple[Any, ...]]]]:
        return [(s, self.rows[s.name]) for s in SECTIONS if s.name in self.rows]

    def csv(self, name: str) -> str:
        """One section as CSV (a header row, then its rows)."""
        section = next(s for s in SECTIONS if s.name == name)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(section.columns)
        writer.writerows([_plain(v) for v in row] for row in self.rows[name])
        return out.getvalue()

    def text(self) -> str:
        """Each section as an aligned table, for a terminal."""
        blocks = [
            f"AgentDesk report: {self.since} to {self.until} (due at {self.now:%Y-%m-%d %H:%M})"
        ]
        for section, rows in self.sections():
            table = [section.columns, *([cell(v) for v in row] for row in rows)]
            widths = [max(len(str(r[i])) for r in table) for i in range(len(section.columns))]
            lines = [
                "  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)) for r in table
            ]
            body = "\n".join(line.rstrip() for line in lines) if rows else "(none)"
            blocks.append(f"{section.title}\n{body}")
        return "\n\n".join(blocks) + "\n"


def period(since: date | None, until: date | None, today: date) -> tuple[date, date]:
    """The days a report covers (both included): the last week unless told."""
    until = until or today
    return since or until - timedelta(days=DEFAULT_DAYS - 1), until


def build(
    conn: psycopg.Connection[Any],
    since: date,
    until: date,
    now: datetime,
    names: Sequence[str] = NAMES,
) -> Report:
    params = {"since": since, "until": until + timedelta(days=1), "now": now}
    rows = {
        s.name: [tuple(row) for row in conn.execute(s.sql, params)]
        for s in SECTIONS
        if s.name in names
    }
    return Report(since, until, now, rows)


def _plain(value: Any) -> Any:
    """JSON and CSV values: ISO text for days and times."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return value


def cell(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        return f"{value:.0%}"
    return "" if value is None else " ".join(str(value).split())
