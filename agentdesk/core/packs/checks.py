"""Checks that need the whole pack: references, templates, flow graphs, duplicates.

All problems are reported, none is fatal: the caller decides whether the pack is usable
(no errors) and shows warnings either way.
"""

from __future__ import annotations

import difflib
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, get_args

from agentdesk.core.packs.build import ConditionUse, RefUse, TemplateUse
from agentdesk.core.packs.conditions import check_conditions
from agentdesk.core.packs.model import Audience, Flow, Pack
from agentdesk.core.packs.reach import flow_reach, leads_nowhere
from agentdesk.core.packs.validity import may_use
from agentdesk.core.problems import Loc, Problems
from agentdesk.core.templates.policy import MAX_INCLUDE_EXPANSION, analyze
from agentdesk.core.text import fold

_SECTION_OF = {
    "script": "scripts",
    "macro": "macros",
    "offer": "offers",
    "fact": "facts",
    "snippet": "snippets",
    "variable": "variables",
    "flow": "flows",
}


def check_pack(
    pack: Pack,
    refs: Iterable[RefUse],
    templates: Iterable[TemplateUse],
    problems: Problems,
    complete: bool = True,
    conditions: Iterable[ConditionUse] = (),
) -> None:
    """All the whole-pack checks. With ``complete`` false (a file could not be read), what
    depends on every item being known is left out: its errors would be echoes."""
    full = problems
    if not complete:
        problems = _Quiet(problems, {"unknown-ref", "undeclared-variable", "unused"})
    refs = list(refs)
    used = _check_refs(pack, [r for r in refs if r.kind != "step"], problems)
    # A flow's steps are all in its own file: references to them are always checkable.
    used |= _check_refs(pack, [r for r in refs if r.kind == "step"], full)
    variables_used, snippets_used = _check_templates(pack, templates, problems)
    for flow in pack.flows.values():
        check_flow_graph(flow, problems)
    _check_macro_paths(pack, problems)
    _check_ladders(pack, problems)
    _check_statuses(pack, problems)
    _check_scenarios(pack, problems)
    _check_audiences(pack, problems)
    _check_offers(pack, problems)
    _check_ways_on(pack, problems)
    variables_used |= check_conditions(pack, conditions, problems)
    _warn_unused(pack, used, variables_used, snippets_used, problems)


class _Quiet(Problems):
    """Passes problems on to ``target`` except those with the given codes."""

    def __init__(self, target: Problems, hidden: set[str]) -> None:
        super().__init__()
        self.target = target
        self.hidden = hidden

    def error(self, loc: Loc, message: str, hint: str = "", code: str = "") -> None:
        if code not in self.hidden:
            self.target.error(loc, message, hint, code)

    def warning(self, loc: Loc, message: str, hint: str = "", code: str = "") -> None:
        if code not in self.hidden:
            self.target.warning(loc, message, hint, code)


def _suggest(name: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(options), n=1)
    return f"Did you mean '{close[0]}'? " if close else ""


def _check_refs(pack: Pack, refs: Iterable[RefUse], problems: Problems) -> set[tuple[str, str]]:
    used: set[tuple[str, str]] = set()
    for ref in refs:
        used.add((ref.kind, ref.name))
        if ref.kind == "step":
            flow = pack.flows.get(ref.scope or "")
            if flow is None or ref.name in flow.steps:
                continue
            problems.error(
                ref.loc,
                f"unknown step '{ref.name}' in flow '{flow.id}'",
                _suggest(ref.name, flow.steps) + "Write the id of a step of the same flow.",
                "unknown-ref",
            )
            continue
        if ref.kind == "flow" and "/" in ref.name:
            continue  # another pack's flow: checked when the library is loaded
        section: Mapping[str, Any] = getattr(pack, _SECTION_OF[ref.kind])
        if ref.name not in section:
            problems.error(
                ref.loc,
                f"unknown {ref.kind} '{ref.name}'",
                _suggest(ref.name, section)
                + f"Define it under '{_SECTION_OF[ref.kind]}:' in one of the pack's files.",
                "unknown-ref",
            )
    return used


def _template_loc(loc: Loc, line: int) -> Loc:
    return Loc(loc.file, loc.line + line - 1, loc.col if line == 1 else 1)


def _check_templates(
    pack: Pack, templates: Iterable[TemplateUse], problems: Problems
) -> tuple[set[str], set[str]]:
    """Template problems; returns the variables and the snippets the templates use."""
    declared = pack.variables
    snippets = pack.snippets
    used_vars: set[str] = set()
    used_snippets: set[str] = set()
    includes_of: dict[str, tuple[str, ...]] = {
        sid: analyze(s.text).includes for sid, s in snippets.items()
    }
    expansion = _include_expansion(pack, includes_of, problems)
    for use in templates:
        info = analyze(use.text)
        if info.issue is not None:
            problems.error(
                _template_loc(use.loc, info.issue.line),
                info.issue.message,
                info.issue.hint,
                info.issue.code,
            )
            continue
        used_vars |= info.variables
        used_snippets.update(info.includes)
        for name in sorted(info.variables - declared.keys()):
            problems.error(
                use.loc,
                f"variable '{name}' is used but not declared",
                _suggest(name, declared)
                + "Declare it under 'variables:' with a label, or fix the name.",
                "undeclared-variable",
            )
        total = 1
        for target in info.includes:
            if target not in snippets:
                problems.error(
                    use.loc,
                    f"unknown snippet '{target}'",
                    _suggest(target, snippets) + "Define it under 'snippets:'.",
                    "unknown-ref",
                )
            else:
                total += expansion.get(target, 1)
        if total > MAX_INCLUDE_EXPANSION:
            problems.error(
                use.loc,
                f"this text expands to more than {MAX_INCLUDE_EXPANSION} snippet includes",
                "Snippets that include snippets multiply; include fewer.",
                "template-size",
            )
    return used_vars, used_snippets


def _include_expansion(
    pack: Pack, includes_of: dict[str, tuple[str, ...]], problems: Problems
) -> dict[str, int]:
    """How many templates each snippet expands to; reports include cycles."""
    sizes: dict[str, int] = {}
    state: dict[str, int] = {}  # 1 visiting, 2 done
    for root in includes_of:
        if state.get(root):
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            sid, index = stack[-1]
            targets = [t for t in includes_of.get(sid, ()) if t in includes_of]
            if index < len(targets):
                stack[-1] = (sid, index + 1)
                target = targets[index]
                if state.get(target) == 1:
                    problems.error(
                        pack.snippets[sid].loc,
                        f"snippet '{sid}' includes '{target}', which leads back to '{sid}'",
                        "Snippets must not include each other in a loop.",
                        "cycle",
                    )
                    sizes[target] = MAX_INCLUDE_EXPANSION + 1
                elif not state.get(target):
                    state[target] = 1
                    stack.append((target, 0))
                continue
            stack.pop()
            state[sid] = 2
            sizes[sid] = min(MAX_INCLUDE_EXPANSION + 1, 1 + sum(sizes.get(t, 1) for t in targets))
    return sizes


def check_flow_graph(flow: Flow, problems: Problems) -> None:
    """Steps leading nowhere, loops with no way out, steps never reached."""
    steps = flow.steps
    if not steps:
        return
    reach = flow_reach(flow)
    for sid, step in steps.items():
        if leads_nowhere(step):
            problems.error(
                step.loc,
                f"step '{sid}' leads nowhere: it has no choices and shows nothing",
                "Add choices or 'next' to go on, or what the outcome shows "
                "(text, scripts, macros, offers, checklist).",
                "leads-nowhere",
            )
    stuck = [sid for sid in steps if sid not in reach.can_end]
    for group in _groups(stuck, reach.targets, reach.incoming):
        first = group[0]
        names = ", ".join(f"'{s}'" for s in group[:6]) + (" …" if len(group) > 6 else "")
        problems.error(
            steps[first].loc,
            f"steps {names} loop with no way out: no outcome can be reached from them",
            "Give one of these steps a choice that leads to an outcome or another flow.",
            "cycle",
        )
    for sid, step in steps.items():
        if sid not in reach.reached:
            problems.warning(
                step.loc,
                f"step '{sid}' is never reached from the start of flow '{flow.id}'",
                "Lead a choice to it, or remove it.",
                "unreachable",
            )


def _groups(
    stuck: list[str], targets: dict[str, list[str]], incoming: dict[str, list[str]]
) -> list[list[str]]:
    """Connected groups of stuck steps, in the order the steps were written."""
    remaining = set(stuck)
    groups: list[list[str]] = []
    for sid in stuck:
        if sid not in remaining:
            continue
        remaining.discard(sid)
        group, queue = [sid], deque([sid])
        while queue:
            current = queue.popleft()
            for other in (*targets.get(current, ()), *incoming.get(current, ())):
                if other in remaining:
                    remaining.discard(other)
                    group.append(other)
                    queue.append(other)
        order = {s: i for i, s in enumerate(stuck)}
        groups.append(sorted(group, key=order.__getitem__))
    return groups


def _check_macro_paths(pack: Pack, problems: Problems) -> None:
    seen: dict[tuple[str, ...], str] = {}
    for mid, macro in pack.macros.items():
        key = tuple(fold(level) for level in macro.levels)
        if not key:
            problems.error(
                macro.loc,
                f"macro '{mid}' has an empty path",
                "Write the path as the helpdesk shows it.",
                "schema",
            )
            continue
        if key in seen:
            first = pack.macros[seen[key]]
            problems.error(
                macro.loc,
                f"macros '{seen[key]}' and '{mid}' have the same path",
                f"'{first.path}' is already used at {first.loc}; a path names one macro. "
                "To set other statuses at a step, use the macro with its own "
                "ticket_status/order_status there.",
                "duplicate-path",
            )
        else:
            seen[key] = mid


def _check_ladders(pack: Pack, problems: Problems) -> None:
    ladders: dict[str, dict[int, str]] = defaultdict(dict)
    for oid, offer in pack.offers.items():
        if offer.ladder is None or offer.rank is None:
            continue
        rungs = ladders[offer.ladder]
        if offer.rank in rungs:
            problems.error(
                offer.loc,
                f"offers '{rungs[offer.rank]}' and '{oid}' both have rank {offer.rank} "
                f"in ladder '{offer.ladder}'",
                "Give each offer of a ladder its own rank: 1, 2, 3...",
                "duplicate-id",
            )
        rungs[offer.rank] = oid
    for ladder, rungs in ladders.items():
        expected = list(range(1, len(rungs) + 1))
        if sorted(rungs) != expected:
            first = pack.offers[rungs[min(rungs)]]
            problems.error(
                first.loc,
                f"the ranks of ladder '{ladder}' are {sorted(rungs)}; they must be {expected}",
                "Number the rungs from 1 without gaps.",
                "schema",
            )


def _check_statuses(pack: Pack, problems: Problems) -> None:
    m = pack.manifest
    for allowed, field in (
        (m.ticket_statuses, "ticket_status"),
        (m.order_statuses, "order_status"),
    ):
        if not allowed:
            continue
        for mid, macro in pack.macros.items():
            value = getattr(macro, field)
            if value is not None and value not in allowed:
                problems.error(
                    macro.loc,
                    f"macro '{mid}': {field} '{value}' is not one of the pack's {field}es",
                    _suggest(value, allowed) + f"Use one listed in pack.yaml under {field}es.",
                    "schema",
                )
        for flow in pack.flows.values():
            for step in flow.steps.values():
                for use in step.macros:
                    value = getattr(use, field)
                    if value is not None and value not in allowed:
                        problems.error(
                            step.loc,
                            f"step '{step.id}': {field} '{value}' is not one of the pack's "
                            f"{field}es",
                            _suggest(value, allowed) + "Use one listed in pack.yaml.",
                            "schema",
                        )


def _check_scenarios(pack: Pack, problems: Problems) -> None:
    for scenario in pack.tests:
        for name in scenario.vars:
            if name not in pack.variables:
                problems.error(
                    scenario.loc,
                    f"test '{scenario.name}' sets unknown variable '{name}'",
                    _suggest(name, pack.variables) + "Use a variable declared in the pack.",
                    "unknown-ref",
                )


def _check_offers(pack: Pack, problems: Problems) -> None:
    for oid, offer in pack.offers.items():
        if offer.never_volunteer and not offer.requires:
            problems.warning(
                offer.loc,
                f"offer '{oid}' is never to be volunteered but nothing guards it",
                "Add 'requires:' with the fact that allows it (e.g. a cancellation threat); "
                "never_volunteer alone only shows a badge.",
                "unguarded-offer",
            )


def _check_ways_on(pack: Pack, problems: Problems) -> None:
    """A step whose every answer accepts an offer with dates offers no answer once those
    dates pass (an expired offer cannot be accepted; one refused stays answerable)."""
    for flow in pack.flows.values():
        reached = flow_reach(flow).reached
        for sid, step in flow.steps.items():
            if sid not in reached or step.decide or not step.choices:
                continue
            offers = [pack.offers.get(c.accepts or "") for c in step.choices]
            dated = [o for o in offers if o is not None and (o.valid_from or o.valid_until)]
            if len(dated) < len(offers):
                continue  # an answer that does not hang on a dated offer
            names = ", ".join(sorted({f"'{o.id}'" for o in dated}))
            problems.error(
                step.loc,
                f"step '{sid}' of flow '{flow.id}' offers no answer once the offers its "
                f"answers accept ({names}) are out of date, and it is no outcome",
                "Add an answer that refuses the offer (refuses:) or does not depend on it, "
                "so the agent always has a way on.",
                "no-way-on",
            )


def _check_audiences(pack: Pack, problems: Problems) -> None:
    """A flow for an audience its pack is not for never shows there; a flow's answer that
    hands over to a flow of the pack hidden from some of its audiences is hidden there."""
    for flow in pack.flows.values():
        hidden = [a for a in flow.audiences or () if not may_use(pack, flow, a)]
        if hidden:
            problems.warning(
                flow.loc,
                f"flow '{flow.id}' is for {' and '.join(hidden)}, but the pack is not: "
                "it will never be shown there",
                f"Add {', '.join(hidden)} to the audiences in pack.yaml.",
                "audience",
            )
        audiences = [a for a in get_args(Audience) if may_use(pack, flow, a)]
        for step in flow.steps.values():
            for choice in step.choices:
                target = pack.flows.get(choice.flow or "")
                if target is None:
                    continue
                lost = [a for a in audiences if not may_use(pack, target, a)]
                if lost:
                    problems.warning(
                        step.loc,
                        f"choice '{choice.id}' leads to flow '{target.id}', which is not for "
                        f"{' and '.join(lost)}; there the choice is hidden",
                        f"Add {', '.join(lost)} to the audiences of flow '{target.id}' if it "
                        "should be reachable from here.",
                        "audience",
                    )


def _warn_unused(
    pack: Pack,
    used: set[tuple[str, str]],
    variables_used: set[str],
    snippets_used: set[str],
    problems: Problems,
) -> None:
    for kind in ("script", "macro", "offer", "fact"):
        section: Mapping[str, Any] = getattr(pack, _SECTION_OF[kind])
        for item_id, item in section.items():
            # An inactive macro or script is kept on purpose, not for use: no warning.
            if (kind, item_id) not in used and getattr(item, "active", True):
                problems.warning(
                    item.loc,
                    f"{kind} '{item_id}' is never used",
                    "Refer to it from a step, or remove it.",
                    "unused",
                )
    for sid, snippet in pack.snippets.items():
        if sid not in snippets_used:
            problems.warning(
                snippet.loc,
                f"snippet '{sid}' is never included",
                f'Use it with {{% include "{sid}" %}}, or remove it.',
                "unused",
            )
    for name, var in pack.variables.items():
        if name not in variables_used:
            problems.warning(
                var.loc,
                f"variable '{name}' is never used in a text or a condition",
                "Use it or remove it.",
                "unused",
            )


def validity_problems(pack: Pack, today: date) -> Problems:
    """Warnings for content past its validity window on ``today``."""
    problems = Problems()
    items: list[tuple[str, Any]] = [("pack", pack.manifest)]
    for kind in ("flow", "script", "macro", "offer"):
        items.extend((kind, item) for item in getattr(pack, _SECTION_OF[kind]).values())
    for kind, item in items:
        until = item.valid_until
        if until is not None and today > until:
            name = pack.id if kind == "pack" else item.id
            problems.warning(
                item.loc,
                f"{kind} '{name}' is past its validity window (valid until {until.isoformat()})",
                "It stays browsable, marked as expired. Raise valid_until if it is still current.",
                "expired",
            )
    return problems
