"""The pack format's scenario tests (``tests:`` in a content file): the choices, details
and date to walk a flow with, and what must then show (:mod:`agentdesk.core.flows.scenarios`
runs them). Part of the format declared in :mod:`.model`, which includes these classes.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, NamedTuple

from agentdesk.core.packs.spec import Doc, Ref, VarName
from agentdesk.core.problems import NOWHERE, Loc


class Expect(NamedTuple):
    """What a scenario test expects to see after its choices."""

    flow: Annotated[
        str | None,
        Doc("The flow handed over to ('flow' or 'pack/flow'); 'step' is then one of its steps."),
    ] = None
    step: Annotated[str | None, Ref("step"), Doc("The step reached.")] = None
    outcome: Annotated[bool | None, Doc("true: the flow has ended at an outcome.")] = None
    scripts: Annotated[tuple[Annotated[str, Ref("script")], ...], Doc("Scripts shown.")] = ()
    macros: Annotated[tuple[Annotated[str, Ref("macro")], ...], Doc("Macros shown.")] = ()
    offers_available: Annotated[
        tuple[Annotated[str, Ref("offer")], ...], Doc("Offers that may be made now.")
    ] = ()
    offers_locked: Annotated[
        tuple[Annotated[str, Ref("offer")], ...], Doc("Offers shown but not allowed yet.")
    ] = ()
    timers: Annotated[tuple[str, ...], Doc("Timers running (their ids).")] = ()
    text: Annotated[tuple[str, ...], Doc("Texts that appear, rendered.")] = ()
    no_text: Annotated[tuple[str, ...], Doc("Texts that must not appear.")] = ()
    expired: Annotated[bool | None, Doc("Whether the content is past its validity.")] = None
    path: Annotated[
        tuple[Annotated[str, Ref("step")], ...],
        Doc("The steps passed in the flow reached, in order, those decided by the data too."),
    ] = ()
    choices: Annotated[tuple[str, ...], Doc("Answers offered now (their ids).")] = ()


class Scenario(NamedTuple):
    """A scenario test: choices, customer details and a date, and what must then show."""

    name: Annotated[str, Doc("What the test proves.")]
    flow: Annotated[str, Ref("flow"), Doc("The flow to walk.")]
    expect: Annotated[Expect, Doc("What must be shown at the end.")]
    choose: Annotated[tuple[str, ...], Doc("Choice ids, in order.")] = ()
    vars: Annotated[dict[VarName, str], Doc("Customer details, by variable id.")] = {}  # noqa: RUF012
    today: Annotated[date | None, Doc("The date to walk on (YYYY-MM-DD).")] = None
    record: Annotated[tuple[Annotated[str, Ref("fact")], ...], Doc("Facts the agent records.")] = ()
    refuse: Annotated[
        tuple[Annotated[str, Ref("offer")], ...], Doc("Offers the customer refuses.")
    ] = ()
    accept: Annotated[
        tuple[Annotated[str, Ref("offer")], ...], Doc("Offers the customer accepts.")
    ] = ()
    tick: Annotated[
        tuple[str, ...], Doc("Checklist items ticked (their ids), at the steps that show them.")
    ] = ()
    loc: Loc = NOWHERE
