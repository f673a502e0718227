"""An agent's session: one or more walks (a choice may hand over to another flow or
pack), the customer's details and the date. The desktop panel, the kiosk and the command
line drive flows through this one class.

The session keeps the walks as the agent's actions left them; what it shows is those walks
as the customer's details have them now (:meth:`Judge.settle`): typing a detail takes the
decisions it feeds again, live, and the next action keeps what is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from agentdesk.core.flows.judge import MAX_AUTO, Judge
from agentdesk.core.flows.step_view import StepView
from agentdesk.core.flows.view import present, step_title
from agentdesk.core.flows.walk import Decision, UnknownChoice, Walk, WalkError
from agentdesk.core.i18n import _
from agentdesk.core.packs.model import Audience, Choice, Flow, Pack
from agentdesk.core.packs.validity import is_current_flow, may_use
from agentdesk.core.render.renderer import Renderer

PackLookup = Callable[[str], Pack | None]
MAX_WALKS = 32  # hand-overs in one session (a loop of hand-overs by the details stops there)


class Session:
    def __init__(
        self, lookup: PackLookup, today: date | None = None, audience: Audience = "desk"
    ) -> None:
        self.lookup = lookup
        self.today = today or date.today()
        self.audience = audience
        self.values: dict[str, str] = {}
        self._given: tuple[Walk, ...] = ()  # as the agent's actions left them
        # what the given walks settle to, with the details and date they settled on
        self._settled: tuple[tuple[Walk, ...], dict[str, str], date, tuple[Walk, ...]] | None
        self._settled = None
        self._renderers: dict[str, Renderer] = {}
        self._judges: dict[str, tuple[Pack, dict[str, str], date, Judge]] = {}
        self._alive_steps: dict[tuple[str, str, date], frozenset[str]] = {}

    # -- state --------------------------------------------------------------------------

    @property
    def walks(self) -> tuple[Walk, ...]:
        """The walks as the customer's details have them now."""
        done = self._settled
        if done is None or done[0] is not self._given or done[1:3] != (self.values, self.today):
            done = self._settled = (self._given, dict(self.values), self.today, self._settle())
        return done[3]

    @property
    def walk(self) -> Walk:
        if not self.walks:
            raise WalkError("no flow is open")
        return self.walks[-1]

    @property
    def is_open(self) -> bool:
        return bool(self._given)

    def renderer(self, pack: Pack) -> Renderer:
        renderer = self._renderers.get(pack.digest)
        if renderer is None or renderer.pack is not pack:
            renderer = self._renderers[pack.digest] = Renderer(pack)
        return renderer

    def judge(self, pack: Pack) -> Judge:
        """The pack's conditions on the details as they are now."""
        cached = self._judges.get(pack.digest)
        if cached is None or cached[0] is not pack or cached[1:3] != (self.values, self.today):
            judge = Judge(pack, self.values, self.today)
            cached = self._judges[pack.digest] = (pack, dict(self.values), self.today, judge)
        return cached[3]

    def view(self) -> StepView:
        walk = self.walk
        walks = self.walks
        judge = self.judge(walk.pack)
        return present(
            walks,
            self.values,
            self.today,
            self.renderer(walk.pack),
            lambda choice: self.allowed(choice) and judge.answer_open(walk, choice),
            judges=self.judge,
            notices=self._changed(walks),
            renderers=self.renderer,
        )

    def prepare_next(self) -> None:
        """Compile the texts of the steps the current answers lead to (call when idle)."""
        walk = self.walk
        renderer = self.renderer(walk.pack)
        pack = walk.pack
        for choice in walk.step.choices:
            step = walk.flow.steps.get(choice.go or "")
            if step is None:
                continue
            texts = [step.ask, step.text, *step.rules]
            texts += [pack.scripts[s].text for s in step.scripts if s in pack.scripts]
            texts += [pack.macros[m.macro].text for m in step.macros if m.macro in pack.macros]
            texts += [pack.offers[o].description for o in step.offers if o in pack.offers]
            if step.note:
                texts += [getattr(step.note, f) for f in step.note._fields if f != "medium"]
            for text in texts:
                renderer.prepare(text)

    def allowed(self, choice: Choice) -> bool:
        """Whether this audience may follow the choice: a flow for others is hidden, and so
        is a step from which every way on is hidden (it would be a dead end). On a kiosk a
        flow that is not current (an ended campaign) is hidden too, as in its start list."""
        if choice.go:
            return choice.go in self._alive(self.walk.pack, self.walk.flow)
        if not choice.flow:
            return True
        target = self._target(choice.flow, self.walk.pack)
        if target is None:
            return True  # shown, and the view says it is not available
        return self._may_follow(*target)

    def _may_follow(self, pack: Pack, flow: Flow) -> bool:
        """Whether this audience may be taken to ``flow``: desks also to expired content
        (it shows under its red banner), kiosks only to what is current."""
        if not may_use(pack, flow, self.audience):
            return False
        return self.audience != "kiosk" or is_current_flow(pack, flow, self.today)

    def _target(self, ref: str, pack: Pack) -> tuple[Pack, Flow] | None:
        """The pack and flow a hand-over from ``pack`` names ('flow' or 'pack/flow')."""
        pack_id, _, flow_id = ref.rpartition("/")
        target = self.lookup(pack_id) if pack_id else pack
        flow = target.flows.get(flow_id) if target is not None else None
        return None if target is None or flow is None else (target, flow)

    def _alive(self, pack: Pack, flow: Flow) -> frozenset[str]:
        """Steps of ``flow`` from which this audience can reach an outcome or a flow it may
        open (walked backwards from those, once per flow)."""
        key = (pack.digest, flow.id, self.today)
        alive = self._alive_steps.get(key)
        if alive is None:
            incoming: dict[str, list[str]] = {}
            found: set[str] = set()
            for sid, step in flow.steps.items():
                for c in step.choices:
                    if c.go:
                        incoming.setdefault(c.go, []).append(sid)
                if step.is_outcome or any(c.flow and self.allowed(c) for c in step.choices):
                    found.add(sid)
            queue = list(found)
            while queue:
                for source in incoming.get(queue.pop(), ()):
                    if source not in found:
                        found.add(source)
                        queue.append(source)
            alive = self._alive_steps[key] = frozenset(found)
        return alive

    # -- the details at work ------------------------------------------------------------

    def _settle(self) -> tuple[Walk, ...]:
        """The given walks replayed on the details; a walk that (now) hands over is followed
        by the walk it hands over to."""
        settled: list[Walk] = []
        given = list(self._given)
        while given and len(settled) < MAX_WALKS:
            walk = given.pop(0)
            now = self.judge(walk.pack).settle(walk)
            settled.append(now)
            if now.handover is None:
                break
            if given and now.trail == walk.trail and now.handover == walk.handover:
                continue  # the next given walk still follows this one
            following = self._following(now)
            given = [following] if following is not None else []
        return tuple(settled)

    def _following(self, walk: Walk) -> Walk | None:
        """The walk ``walk`` hands over to, if that flow is available here."""
        target = self._target(walk.handover or "", walk.pack)
        if target is None or not self._may_follow(*target):
            return None  # the view says the flow is not available
        pack, flow = target
        following = Walk.start(pack, flow.id)
        if pack.id == walk.pack.id:  # what was recorded still holds in the same pack
            following = following._replace(
                facts=walk.recorded,
                refused=walk.offers_refused,
                accepted=walk.offers_accepted,
            )
        return following

    def _changed(self, walks: tuple[Walk, ...]) -> tuple[str, ...]:
        """A notice when the details changed an answer on the path the agent was on (not
        when they only take a decision the agent was waiting at), and where."""
        for given, now in zip(self._given, walks, strict=False):
            if given.flow is not now.flow:
                break
            for index, (was, is_) in enumerate(zip(given.trail, now.trail, strict=False)):
                if was.choice is not None and (was.step, was.choice) != (is_.step, is_.choice):
                    title = step_title(now, now.trail[index].step)
                    return (
                        _("The details changed the path from «{step}»: it follows them.").format(
                            step=title
                        ),
                    )
        return ()

    def _keep(self, walks: tuple[Walk, ...]) -> None:
        """What the agent did becomes what is given; what it leads to is kept too (and,
        being settled already, is what it settles to)."""
        self._given = walks
        self._given = settled = self.walks
        self._settled = (settled, dict(self.values), self.today, settled)

    # -- actions ------------------------------------------------------------------------

    def open(self, pack_id: str, flow_id: str | None = None) -> None:
        pack = self._pack(pack_id)
        flow = flow_id or pack.manifest.start or next(iter(pack.flows), None)
        if flow is None:
            raise WalkError(f"pack '{pack_id}' has no flows")
        walk = Walk.start(pack, flow)
        if not may_use(pack, walk.flow, self.audience):
            raise WalkError(
                _("This flow is not available on kiosks.")
                if self.audience == "kiosk"
                else _("This flow is only for the branch kiosks.")
            )
        self._keep((walk,))

    def close(self) -> None:
        self._given = ()

    def choose(self, choice_id: str) -> None:
        """Answer; an answer that leads to another flow opens it, if it is available."""
        walk = self.walk
        walks = self.walks
        judge = self.judge(walk.pack)
        available = tuple(
            c.id or "" for c in walk.step.choices if self.allowed(c) and judge.answer_open(walk, c)
        )
        if choice_id not in available:
            walk.choice(choice_id)  # not an answer of the step at all: says so
            raise UnknownChoice(walk.step, choice_id, available)
        self._keep((*walks[:-1], walk.choose(choice_id)))

    def back(self) -> None:
        """Undo the agent's last answer; where the details then answer again and nothing
        would change, undo the one before."""
        before = _where(self.walks)
        for _attempt in range(MAX_AUTO):
            walk = self.walk
            walks = self.walks
            undone = walk.back()
            if undone is not walk:
                self._keep((*walks[:-1], undone))
            elif len(walks) > 1:
                self._keep((*walks[:-2], walks[-2].back()))
            else:
                return
            if _where(self.walks) != before:
                return

    def restart(self) -> None:
        self._keep((self.walks[0].restart(),))

    def jump(self, depth: int, step_id: str) -> None:
        """Go back to a crumb: the step ``step_id`` of the walk at ``depth``. A step the
        details answer (a decision they take, a step passed over) would be answered again
        at once, so its crumb goes back as Back does from it: to the agent's last answer
        before it (a decision left to the agent is landed on, to answer again)."""
        walks = self.walks
        if not 0 <= depth < len(walks):
            raise WalkError(f"no flow at depth {depth}")
        jumped = walks[depth].jump(step_id)
        self._keep((*walks[:depth], jumped))
        on_path = step_id in walks[depth].path
        now = self.walks[depth].trail if depth < len(self.walks) else ()
        at = len(jumped.trail) - 1
        if on_path and len(now) > at and now[at].auto:
            self.back()

    def record(self, fact: str, on: bool = True) -> None:
        self._keep((*self.walks[:-1], self.walk.record(fact, on)))

    def decide(self, offer: str, decision: Decision) -> None:
        self._keep((*self.walks[:-1], self.walk.decide(offer, decision)))

    def tick(self, index: int, on: bool = True) -> None:
        """Tick (or untick) item ``index`` of the current step's checklist."""
        self._keep((*self.walks[:-1], self.walk.tick(index, on)))

    def tick_items(self, items: Iterable[str]) -> None:
        """Tick the current step's checklist items with these ids (others are ignored: a
        scenario or the command line lists the items of every step it passes)."""
        walk = self.walk
        if walk.handover is not None:
            return
        wanted = set(items)
        for index, item in enumerate(walk.step.checklist):
            if item.id in wanted and (walk.step.id, index) not in walk.ticked:
                self.tick(index)

    def _pack(self, pack_id: str) -> Pack:
        pack = self.lookup(pack_id)
        if pack is None:
            raise WalkError(f"no pack '{pack_id}' is available")
        return pack


def _where(walks: tuple[Walk, ...]) -> tuple[object, ...]:
    return (len(walks), walks[-1].path, walks[-1].handover) if walks else ()
