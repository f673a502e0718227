"""Render a pack's texts with the customer's details.

Values come from the agent; a variable with no value uses its fallback, and with no
fallback it shows as ``[Label]`` so the agent sees what is missing. Nothing a template or
a value contains can crash rendering: a failure comes back as the source text plus the
reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from agentdesk.core.packs.model import Pack
from agentdesk.core.render.sandbox import make_environment
from agentdesk.core.templates.filters import parse_amount
from agentdesk.core.templates.policy import MAX_OUTPUT_CHARS, MAX_VALUE_CHARS, analyze

if TYPE_CHECKING:
    from jinja2 import Template
    from jinja2.sandbox import ImmutableSandboxedEnvironment


class Amount(Decimal):
    """A number the agent typed: prints as typed, calculates as a number."""

    text: str

    def __new__(cls, value: Decimal, text: str) -> Amount:
        amount = super().__new__(cls, value)
        amount.text = text
        return amount

    def __str__(self) -> str:
        return self.text


class Rendered(NamedTuple):
    text: str
    missing: tuple[str, ...] = ()  # variables shown as placeholders
    error: str | None = None


def _missing_class() -> type:
    from jinja2 import Undefined

    class Missing(Undefined):
        """A declared variable with no value and no fallback: prints as ``[Label]``.

        Printing it also notes its name in ``shown``, so a render knows exactly which
        placeholders the agent sees (not those an ``if`` or ``default`` kept out of sight).
        """

        __slots__ = ("shown",)

        def __str__(self) -> str:
            self.shown.add(self._undefined_name)
            return f"[{self._undefined_hint}]"

    return Missing


_MISSING: type | None = None


def missing(label: str, name: str, shown: set[str]) -> Any:
    """A placeholder for variable ``name`` that records in ``shown`` when it is printed."""
    global _MISSING
    if _MISSING is None:
        _MISSING = _missing_class()
    value = _MISSING(hint=label, name=name)
    value.shown = shown
    return value


class Renderer:
    """Renders one pack's templates; compiled templates are kept for reuse."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self._env: ImmutableSandboxedEnvironment | None = None
        self._compiled: dict[str, Template] = {}
        self._shown: set[str] = set()  # placeholders printed by the current render
        self._context: tuple[tuple[tuple[str, str], ...], dict[str, Any]] | None = None

    @property
    def env(self) -> ImmutableSandboxedEnvironment:
        if self._env is None:
            manifest = self.pack.manifest
            snippets = {sid: s.text for sid, s in self.pack.snippets.items()}
            self._env = make_environment(manifest.locale, manifest.currency, snippets)
        return self._env

    def context(self, values: Mapping[str, str]) -> dict[str, Any]:
        """Values by variable name, with fallbacks and placeholders filled in.

        Numbers and amounts become :class:`Amount`: they print as typed, and they count
        (``{{ monto * 2 }}``, ``{% if monto > 100 %}``) instead of repeating text.
        """
        key = tuple(sorted(values.items()))
        if self._context is not None and self._context[0] == key:
            return self._context[1]  # the same details as for the last step: reuse them
        ctx: dict[str, Any] = {}
        locale = self.pack.manifest.locale.replace("-", "_")
        for name, var in self.pack.variables.items():
            value: Any = (values.get(name) or "").strip()[:MAX_VALUE_CHARS] or var.fallback
            if value is None:
                ctx[name] = missing(var.label, name, self._shown)
                continue
            if var.type in ("number", "money", "days"):
                amount = parse_amount(value, locale)
                value = value if amount is None else Amount(amount, value)
            ctx[name] = value
        self._context = (key, ctx)
        return ctx

    def render(self, text: str | None, context: Mapping[str, Any]) -> Rendered:
        """Render ``text`` with a context from :meth:`context`."""
        if not text:
            return Rendered("")
        info = analyze(text)
        if info.issue is not None:
            return Rendered(text, (), info.issue.message)
        self._shown.clear()
        try:
            if info.simple is not None:
                output = self._render_simple(info.simple, context)
            else:
                output = self._render_jinja(text, context)
        except Exception as exc:  # a pack's text must never crash the app
            return Rendered(text, tuple(sorted(self._shown)), f"{type(exc).__name__}: {exc}")
        return Rendered(output, tuple(sorted(self._shown)))

    def prepare(self, text: str | None) -> None:
        """Compile ``text`` now (in idle time) so that rendering it later is instant."""
        if not text or text in self._compiled:
            return
        info = analyze(text)
        if info.issue is None and info.simple is None:
            try:
                self._template(text)
            except Exception:  # reported when it is rendered
                return

    def _render_simple(self, plan: tuple[Any, ...], context: Mapping[str, Any]) -> str:
        out: list[str] = []
        size = 0
        for part in plan:
            if size > MAX_OUTPUT_CHARS:
                break  # the rest would be cut: not computed (as the Jinja path stops)
            if isinstance(part, str):
                out.append(part)
                size += len(part)
                continue
            name, filters = part
            if name not in context:
                from jinja2.exceptions import UndefinedError

                raise UndefinedError(f"'{name}' is undefined")
            value = context[name]
            for f in filters:
                value = self.env.call_filter(f, value, context=None)
            out.append(str(value))
            size += len(out[-1])
        result = "".join(out)
        if len(result) > MAX_OUTPUT_CHARS:
            return result[:MAX_OUTPUT_CHARS] + "…"
        return result

    def _template(self, text: str) -> Template:
        """``text`` compiled, once."""
        template = self._compiled.get(text)
        if template is None:
            template = self._compiled[text] = self.env.from_string(text)
        return template

    def _render_jinja(self, text: str, context: Mapping[str, Any]) -> str:
        size = 0
        chunks: list[str] = []
        for chunk in self._template(text).generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                chunks.append(chunk[: MAX_OUTPUT_CHARS - size + len(chunk)] + "…")
                break
            chunks.append(chunk)
        return "".join(chunks)
