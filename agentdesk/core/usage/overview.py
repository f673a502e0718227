"""The stats page's content, without Qt: a pack's figures for a period as charts of bars.

The page (``agentdesk.ui.stats``) only draws what :func:`charts` gives: each chart a title
and labelled bars, named as agents see them (step titles, answer labels, offer titles, from
the packs loaded; ids when a pack is not installed any more), each bar with its length
(0 to 1) and the figure as read. :func:`load` reads and aggregates the events, the slow
part (a second or more for a million events): the page runs it on a worker thread.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

from agentdesk.core.i18n import _, ngettext
from agentdesk.core.usage.figures import CSV_COLUMNS, Figures, aggregate
from agentdesk.core.usage.store import UsageStore

if TYPE_CHECKING:
    from agentdesk.core.packs.model import Pack, Step
    from agentdesk.core.usage.events import Event

#: The periods the page offers, in days back from today (None: everything kept).
PERIODS: tuple[int | None, ...] = (7, 30, 90, None)
CHECK_EVERY = 20_000  # events read between two looks at whether the page still wants them


class Cancelled(Exception):
    """The page no longer wants the figures being loaded."""


class Bar(NamedTuple):
    label: str  # what is counted: a step, "step → answer", an offer
    where: str  # the flow it is in (and the pack, when every pack is shown)
    value: float  # the bar's length, from 0 to 1
    text: str  # the figure as read beside the bar


class Chart(NamedTuple):
    name: str  # visits, answers, outcomes, offers, times, drop_offs, unvisited
    title: str
    bars: tuple[Bar, ...]


def period_name(days: int | None) -> str:
    if days is None:
        return _("All time")
    return ngettext("Last {n} day", "Last {n} days", days).format(n=days)


def since(days: int | None, today: date) -> float | None:
    """The first moment of a period of ``days`` days ending today (None: no limit)."""
    if days is None:
        return None
    first = today - timedelta(days=days - 1)
    return datetime(first.year, first.month, first.day).timestamp()


def load(
    path: Path,
    pack: str | None,
    start: float | None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Figures:
    """The figures of ``pack`` (None: every pack) since ``start``; raises sqlite3.Error if
    the file cannot be read and :class:`Cancelled` as soon as ``cancelled()`` says so."""

    def watched(events: Iterator[Event]) -> Iterator[Event]:
        for count, event in enumerate(events):
            if count % CHECK_EVERY == 0 and cancelled():
                raise Cancelled
            yield event

    return aggregate(watched(UsageStore(path).events(pack, start)))


def write_csv(figures: Figures, target: Path) -> None:
    """Every figure as a row (:data:`~.figures.CSV_COLUMNS`): what ``agentdesk stats --csv``
    writes, for a central team to put desks together."""
    with target.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(figures.rows())


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def percent(share: float) -> str:
    return f"{share:.0%}"


def summary(figures: Figures) -> str:
    outcomes = sum(o.times for o in figures.outcomes)
    dropped = sum(s.drop_offs for s in figures.steps)
    return (
        ngettext("{n} call", "{n} calls", figures.calls).format(n=figures.calls)
        + " · "
        + ngettext("{n} outcome reached", "{n} outcomes reached", outcomes).format(n=outcomes)
        + " · "
        + ngettext("{n} dropped off", "{n} dropped off", dropped).format(n=dropped)
    )


class AtStep(Protocol):
    """A figure about one step: visits, an answer, an outcome, a drop-off."""

    @property
    def pack(self) -> str: ...
    @property
    def flow(self) -> str: ...
    @property
    def step(self) -> str: ...


class _Names:
    """How the packs loaded name what the figures hold as ids."""

    def __init__(self, lookup: Callable[[str], Pack | None], every_pack: bool) -> None:
        self.lookup = lookup
        self.every_pack = every_pack

    def step_of(self, pack: str, flow: str, step: str) -> Step | None:
        found = self.lookup(pack)
        steps = found.flows[flow].steps if found and flow in found.flows else {}
        return steps.get(step)

    def step(self, pack: str, flow: str, step: str) -> str:
        found = self.step_of(pack, flow, step)
        return found.name if found else step

    def choice(self, pack: str, flow: str, step: str, choice: str) -> str:
        found = self.step_of(pack, flow, step)
        labels = {c.id: c.label for c in found.choices} if found else {}
        return labels.get(choice) or choice

    def offer(self, pack: str, offer: str) -> str:
        found = self.lookup(pack)
        known = found.offers.get(offer) if found else None
        return f"{known.title} · {known.code}" if known else offer

    def bar(self, at: AtStep, value: float, text: str, label: str = "") -> Bar:
        """A bar for a figure of one step (named by the step unless ``label`` says)."""
        return Bar(
            label or self.step(at.pack, at.flow, at.step), self.where(at.pack, at.flow), value, text
        )

    def where(self, pack: str, flow: str = "") -> str:
        found = self.lookup(pack)
        flow_title = found.flows[flow].title if found and flow in found.flows else flow
        pack_title = found.title if found else pack
        if not self.every_pack:
            return flow_title
        return f"{pack_title} · {flow_title}" if flow_title else pack_title


def _scaled(values: list[float]) -> list[float]:
    top = max(values, default=0) or 1
    return [v / top for v in values]


def charts(
    figures: Figures, lookup: Callable[[str], Pack | None], pack: str | None = None
) -> list[Chart]:
    """The page's charts for the figures of ``pack`` (None: every pack)."""
    names = _Names(lookup, pack is None)
    calls = figures.calls or 1
    steps = sorted(figures.steps, key=lambda s: -s.visits)
    timed = sorted(
        (s for s in figures.steps if s.median_seconds), key=lambda s: -(s.median_seconds or 0)
    )
    visits = _scaled([s.visits for s in steps])
    times = _scaled([s.median_seconds or 0 for s in timed])
    found = [
        Chart(
            "visits",
            _("Visits per step"),
            tuple(names.bar(s, v, str(s.visits)) for s, v in zip(steps, visits, strict=True)),
        ),
        Chart(
            "answers",
            _("Answers: share at each step"),
            tuple(
                names.bar(
                    a,
                    a.share,
                    f"{percent(a.share)} ({a.times})",
                    f"{names.step(*a[:3])} → {names.choice(*a[:4])}",
                )
                for a in figures.answers
            ),
        ),
        Chart(
            "outcomes",
            _("Outcomes reached"),
            tuple(
                names.bar(o, o.times / calls, f"{o.times} ({percent(o.times / calls)})")
                for o in sorted(figures.outcomes, key=lambda o: -o.times)
            ),
        ),
        Chart(
            "offers",
            _("Offers: accepted of shown"),
            tuple(
                Bar(
                    names.offer(f.pack, f.offer),
                    names.where(f.pack) if pack is None else "",
                    f.acceptance or 0.0,
                    _("{accepted} of {shown} · {refused} refused").format(
                        accepted=f.accepted, shown=f.shown, refused=f.refused
                    ),
                )
                for f in figures.offers
            ),
        ),
        Chart(
            "times",
            _("Median time per step"),
            tuple(
                names.bar(s, v, duration(s.median_seconds))
                for s, v in zip(timed, times, strict=True)
            ),
        ),
        Chart(
            "drop_offs",
            _("Where calls drop off"),
            tuple(
                names.bar(
                    s,
                    s.drop_offs / calls,
                    _("{n} of {calls} calls").format(n=s.drop_offs, calls=figures.calls),
                )
                for s in figures.drop_offs
            ),
        ),
    ]
    if pack is not None and (loaded := lookup(pack)) is not None:
        visited = {(s.flow, s.step) for s in figures.steps if s.visits}
        found.append(
            Chart(
                "unvisited",
                _("Steps not visited"),
                tuple(
                    Bar(step.name, flow.title, 0.0, "0")
                    for flow in loaded.flows.values()
                    for step in flow.steps.values()
                    if (flow.id, step.id) not in visited
                ),
            )
        )
    return found
