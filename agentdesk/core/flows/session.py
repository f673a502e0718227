"""An agent's session: one or more walks (a choice may hand over to another flow or
pack), the customer's details and the date. The desktop panel, the kiosk and the command
line drive flows through this one class.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from agentdesk.core.flows.view import StepView, present
from agentdesk.core.flows.walk import Decision, UnknownChoice, Walk, WalkError
from agentdesk.core.i18n import _
from agentdesk.core.packs.model import Audience, Choice, Flow, Pack
from agentdesk.core.packs.validity import may_use
from agentdesk.core.render.renderer import Renderer

PackLookup = Callable[[str], Pack | None]


class Session:
    def __init__(
        self, lookup: PackLookup, today: date | None = None, audience: Audience = "desk"
    ) -> None:
        self.lookup = lookup
        self.today = today or date.today()
        self.audience = audience
        self.walks: tuple[Walk, ...] = ()
        self.values: dict[str, str] = {}
        self._renderers: dict[str, Renderer] = {}
        self._alive_steps: dict[tuple[str, str], frozenset[str]] = {}

    # -- state --------------------------------------------------------------------------

    @property
    def walk(self) -> Walk:
        if not self.walks:
            raise WalkError("no flow is open")
        return self.walks[-1]

    @property
    def is_open(self) -> bool:
        return bool(self.walks)

    def renderer(self, pack: Pack) -> Renderer:
        renderer = self._renderers.get(pack.digest)
        if renderer is None or renderer.pack is not pack:
            renderer = self._renderers[pack.digest] = Renderer(pack)
        return renderer

    def view(self) -> StepView:
        return present(
            self.walks, self.values, self.today, self.renderer(self.walk.pack), self.allowed
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
        is a step from which every way on is hidden (it would be a dead end)."""
        if choice.go:
            return choice.go in self._alive(self.walk.pack, self.walk.flow)
        if not choice.flow:
            return True
        target = self._target(choice.flow)
        if target is None:
            return True  # shown, and the view says it is not available
        return may_use(*target, self.audience)

    def _target(self, ref: str) -> tuple[Pack, Flow] | None:
        """The pack and flow a hand-over names ('flow' or 'pack/flow'), if available."""
        pack_id, _, flow_id = ref.rpartition("/")
        pack = self.lookup(pack_id) if pack_id else self.walk.pack
        flow = pack.flows.get(flow_id) if pack is not None else None
        return None if pack is None or flow is None else (pack, flow)

    def _alive(self, pack: Pack, flow: Flow) -> frozenset[str]:
        """Steps of ``flow`` from which this audience can reach an outcome or a flow it may
        open (walked backwards from those, once per flow)."""
        key = (pack.digest, flow.id)
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
        self.walks = (walk,)

    def close(self) -> None:
        self.walks = ()

    def choose(self, choice_id: str) -> None:
        """Answer; an answer that leads to another flow opens it, if it is available."""
        if not self.allowed(self.walk.choice(choice_id)):
            raise UnknownChoice(self.walk.step, choice_id)
        walk = self.walk.choose(choice_id)
        self.walks = (*self.walks[:-1], walk)
        if walk.handover is None:
            return
        target = self._target(walk.handover)
        if target is None:
            return  # the view says the flow is not available
        pack, flow = target
        following = Walk.start(pack, flow.id)
        if pack.id == walk.pack.id:  # what was recorded still holds in the same pack
            following = following._replace(
                facts=walk.recorded, refused=walk.refused, accepted=walk.accepted
            )
        self.walks = (*self.walks, following)

    def back(self) -> None:
        walk = self.walk
        if len(walk.trail) == 1 and len(self.walks) > 1:
            self.walks = self.walks[:-1]
            self.walks = (*self.walks[:-1], self.walks[-1].back())
        else:
            self.walks = (*self.walks[:-1], walk.back())

    def restart(self) -> None:
        self.walks = (self.walks[0].restart(),)

    def jump(self, depth: int, step_id: str) -> None:
        """Go back to a crumb: the step ``step_id`` of the walk at ``depth``."""
        if not 0 <= depth < len(self.walks):
            raise WalkError(f"no flow at depth {depth}")
        self.walks = (*self.walks[:depth], self.walks[depth].jump(step_id))

    def record(self, fact: str, on: bool = True) -> None:
        self.walks = (*self.walks[:-1], self.walk.record(fact, on))

    def decide(self, offer: str, decision: Decision) -> None:
        self.walks = (*self.walks[:-1], self.walk.decide(offer, decision))

    def _pack(self, pack_id: str) -> Pack:
        pack = self.lookup(pack_id)
        if pack is None:
            raise WalkError(f"no pack '{pack_id}' is available")
        return pack
