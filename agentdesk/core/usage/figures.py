"""Usage events aggregated: visits per step, answer shares, outcomes, offer acceptance,
median time per step and where calls drop off. Also as rows for a CSV, for central use:
counts from many desks add up; medians are per desk."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any, NamedTuple

from agentdesk.core.usage.events import Event

Place = tuple[str, str, str]  # pack, flow, step


class StepFigure(NamedTuple):
    pack: str
    flow: str
    step: str
    visits: int
    calls: int  # distinct calls that reached it
    median_seconds: float | None
    drop_offs: int


class AnswerFigure(NamedTuple):
    pack: str
    flow: str
    step: str
    choice: str
    times: int
    share: float  # of the answers given at that step


class OutcomeFigure(NamedTuple):
    pack: str
    flow: str
    step: str
    times: int


class OfferFigure(NamedTuple):
    pack: str
    offer: str
    shown: int
    accepted: int
    refused: int

    @property
    def acceptance(self) -> float | None:
        """Accepted, of the times it was shown."""
        return self.accepted / self.shown if self.shown else None


class Figures(NamedTuple):
    calls: int
    steps: tuple[StepFigure, ...]
    answers: tuple[AnswerFigure, ...]
    outcomes: tuple[OutcomeFigure, ...]
    offers: tuple[OfferFigure, ...]

    @property
    def drop_offs(self) -> tuple[StepFigure, ...]:
        """Steps where calls ended before an outcome, the most first."""
        dropped = [s for s in self.steps if s.drop_offs]
        return tuple(sorted(dropped, key=lambda s: -s.drop_offs))

    def to_json(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "steps": [s._asdict() for s in self.steps],
            "answers": [a._asdict() for a in self.answers],
            "outcomes": [o._asdict() for o in self.outcomes],
            "offers": [{**o._asdict(), "acceptance": o.acceptance} for o in self.offers],
            "drop_offs": [
                {"pack": s.pack, "flow": s.flow, "step": s.step, "count": s.drop_offs}
                for s in self.drop_offs
            ],
        }

    def rows(self) -> list[dict[str, Any]]:
        """One row per figure, every row the same columns (see :data:`CSV_COLUMNS`)."""
        rows = [_row("calls", count=self.calls)]
        for s in self.steps:
            place = {"pack": s.pack, "flow": s.flow, "step": s.step}
            rows.append(_row("visits", **place, count=s.visits))
            rows.append(_row("calls_at_step", **place, count=s.calls))
            if s.median_seconds is not None:
                rows.append(_row("median_seconds", **place, value=s.median_seconds))
        for a in self.answers:
            place = {"pack": a.pack, "flow": a.flow, "step": a.step, "item": a.choice}
            rows.append(_row("answer", **place, count=a.times, value=round(a.share, 4)))
        for o in self.outcomes:
            rows.append(_row("outcome", pack=o.pack, flow=o.flow, step=o.step, count=o.times))
        for f in self.offers:
            for figure in ("shown", "accepted", "refused"):
                rows.append(
                    _row(f"offer_{figure}", pack=f.pack, item=f.offer, count=getattr(f, figure))
                )
        for s in self.drop_offs:
            rows.append(_row("drop_off", pack=s.pack, flow=s.flow, step=s.step, count=s.drop_offs))
        return rows


CSV_COLUMNS = ("figure", "pack", "flow", "step", "item", "count", "value")


def _row(figure: str, **values: Any) -> dict[str, Any]:
    return {column: values.get(column, "") for column in CSV_COLUMNS} | {"figure": figure}


def aggregate(events: Iterable[Event]) -> Figures:
    calls: set[str] = set()
    visits: Counter[Place] = Counter()
    callers: defaultdict[Place, set[str]] = defaultdict(set)
    seconds: defaultdict[Place, list[float]] = defaultdict(list)
    drops: Counter[Place] = Counter()
    answers: Counter[tuple[Place, str]] = Counter()
    outcomes: Counter[Place] = Counter()
    offers: defaultdict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for e in events:
        calls.add(e.call)
        place = (e.pack, e.flow, e.step)
        if e.kind == "visit":
            visits[place] += 1
            callers[place].add(e.call)
        elif e.kind == "time" and e.seconds is not None:
            seconds[place].append(e.seconds)
        elif e.kind == "drop_off":
            drops[place] += 1
        elif e.kind == "answer" and e.choice:
            answers[(place, e.choice)] += 1
        elif e.kind == "outcome":
            outcomes[place] += 1
        elif e.kind.startswith("offer_") and e.offer:
            offers[(e.pack, e.offer)][e.kind.removeprefix("offer_")] += 1
    at_step: Counter[Place] = Counter()
    for (place, _choice), count in answers.items():
        at_step[place] += count
    places = sorted(set(visits) | set(seconds) | set(drops))
    return Figures(
        calls=len(calls),
        steps=tuple(
            StepFigure(
                *p,
                visits=visits[p],
                calls=len(callers[p]),
                median_seconds=round(statistics.median(seconds[p]), 3) if seconds[p] else None,
                drop_offs=drops[p],
            )
            for p in places
        ),
        answers=tuple(
            AnswerFigure(*place, choice, count, count / at_step[place])
            for (place, choice), count in sorted(answers.items())
        ),
        outcomes=tuple(OutcomeFigure(*p, count) for p, count in sorted(outcomes.items())),
        offers=tuple(
            OfferFigure(pack, offer, c["shown"], c["accepted"], c["refused"])
            for (pack, offer), c in sorted(offers.items())
        ),
    )
