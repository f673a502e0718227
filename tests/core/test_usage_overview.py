"""The stats page's content without Qt: charts named as agents see the packs, periods, and
a load that stops when the page no longer wants it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from agentdesk.core.packs.library import Library
from agentdesk.core.usage.events import Event
from agentdesk.core.usage.figures import aggregate
from agentdesk.core.usage.overview import CHECK_EVERY, Cancelled, charts, load, since
from agentdesk.core.usage.store import UsageStore


@pytest.fixture(scope="module")
def library() -> Library:
    return Library(None).load()


def event(kind: str, pack: str, flow: str, step: str, **extra: object) -> Event:
    return Event("c1", 1.0, kind, pack, "1", flow, step)._replace(**extra)  # type: ignore[arg-type]


def test_bars_are_named_as_the_agents_see_them(library: Library) -> None:
    figures = aggregate(
        [
            event("visit", "ejemplo", "consulta", "tema"),  # no title: its question
            event("answer", "ejemplo", "consulta", "tema", choice="horarios"),
            event("visit", "ejemplo", "consulta", "horarios"),  # neither: its id
            event("visit", "retired-pack", "f", "s"),  # a pack no longer installed: ids
            event("offer_shown", "gestionix-nueva-plataforma", "f", "s", offer="retencion-150"),
        ]
    )
    every = {c.name: c for c in charts(figures, library.get)}
    visits = [(b.label, b.where, b.text) for b in every["visits"].bars]
    where = "Pack de ejemplo (todas las funciones) · Consulta general"
    assert visits[:2] == [("horarios", where, "1"), ("¿Sobre qué es la consulta?", where, "1")]
    assert ("s", "retired-pack · f", "1") in visits
    assert [b.label for b in every["answers"].bars] == ["¿Sobre qué es la consulta? → Horarios"]
    [offer] = every["offers"].bars
    assert offer.label == "Descuento de $150 por 3 meses (retención) · DESC $150 POR 3 MESES RT NEG"
    assert offer.text == "0 of 1 · 0 refused" and offer.value == 0
    assert "unvisited" not in every  # only for one pack

    one = {c.name: c for c in charts(figures, library.get, "ejemplo")}
    assert one["visits"].bars[0].where == "Consulta general"
    unvisited = {b.label for b in one["unvisited"].bars}
    assert "pagos" in unvisited  # its id: no title, no question
    assert "¿Sobre qué es la consulta?" not in unvisited


def test_a_period_starts_at_midnight_some_days_back() -> None:
    assert since(1, date(2024, 6, 1)) == datetime(2024, 6, 1).timestamp()
    assert since(7, date(2024, 6, 1)) == datetime(2024, 5, 26).timestamp()
    assert since(None, date(2024, 6, 1)) is None


def test_a_load_no_longer_wanted_stops(tmp_path: Path) -> None:
    path = tmp_path / "usage.db"
    UsageStore(path).add(
        [event("visit", "p", "f", "s")._replace(call=str(n)) for n in range(CHECK_EVERY + 1)]
    )
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 1  # wanted at first, then given up

    with pytest.raises(Cancelled):
        load(path, None, None, cancelled)
    assert load(path, "p", None).calls == CHECK_EVERY + 1
