"""Render a pack's texts with the customer's details.

Values come from the agent; a variable with no value uses its fallback, and with no
fallback it shows as ``[Label]`` so the agent sees what is missing. Nothing a template or
a value contains can crash rendering: a failure comes back as the source text plus the
reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from agentdesk.core.packs.model import Pack
from agentdesk.core.render.sandbox import MAX_OUTPUT_CHARS, analyze, make_environment

if TYPE_CHECKING:
    from jinja2 import Template
    from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_VALUE_CHARS = 500


class Rendered(NamedTuple):
    text: str
    missing: tuple[str, ...] = ()  # variables shown as placeholders
    error: str | None = None


def _missing_class() -> type:
    from jinja2 import Undefined

    class Missing(Undefined):
        """A declared variable with no value and no fallback: renders as ``[Label]``."""

        __slots__ = ()

        def __str__(self) -> str:
            return f"[{self._undefined_hint}]"

    return Missing


_MISSING: type | None = None


def missing(label: str, name: str) -> Any:
    global _MISSING
    if _MISSING is None:
        _MISSING = _missing_class()
    return _MISSING(hint=label, name=name)


class Renderer:
    """Renders one pack's templates; compiled templates are kept for reuse."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self._env: ImmutableSandboxedEnvironment | None = None
        self._compiled: dict[str, Template] = {}

    @property
    def env(self) -> ImmutableSandboxedEnvironment:
        if self._env is None:
            manifest = self.pack.manifest
            snippets = {sid: s.text for sid, s in self.pack.snippets.items()}
            self._env = make_environment(manifest.locale, manifest.currency, snippets)
        return self._env

    def context(self, values: Mapping[str, str]) -> dict[str, Any]:
        """Values by variable name, with fallbacks and placeholders filled in."""
        ctx: dict[str, Any] = {}
        for name, var in self.pack.variables.items():
            value = (values.get(name) or "").strip()[:MAX_VALUE_CHARS]
            if value:
                ctx[name] = value
            elif var.fallback is not None:
                ctx[name] = var.fallback
            else:
                ctx[name] = missing(var.label, name)
        return ctx

    def render(self, text: str | None, context: Mapping[str, Any]) -> Rendered:
        """Render ``text`` with a context from :meth:`context`."""
        if not text:
            return Rendered("")
        info = analyze(text)
        if info.issue is not None:
            return Rendered(text, (), info.issue.message)
        missing_names = tuple(sorted(n for n in info.variables if _is_missing(context.get(n))))
        try:
            if info.simple is not None:
                output = self._render_simple(info.simple, context)
            else:
                output = self._render_jinja(text, context)
        except Exception as exc:
            return Rendered(text, missing_names, f"{type(exc).__name__}: {exc}")
        if info.includes:
            missing_names = tuple(
                sorted({*missing_names, *(n for n, v in context.items() if _is_missing(v))})
            )
        return Rendered(output, missing_names)

    def _render_simple(self, plan: tuple[Any, ...], context: Mapping[str, Any]) -> str:
        out: list[str] = []
        for part in plan:
            if isinstance(part, str):
                out.append(part)
                continue
            name, filters = part
            if name not in context:
                from jinja2.exceptions import UndefinedError

                raise UndefinedError(f"'{name}' is undefined")
            value = context[name]
            for f in filters:
                value = self.env.call_filter(f, value, context=None)
            out.append(str(value))
        result = "".join(out)
        if len(result) > MAX_OUTPUT_CHARS:
            return result[:MAX_OUTPUT_CHARS] + "…"
        return result

    def _render_jinja(self, text: str, context: Mapping[str, Any]) -> str:
        template = self._compiled.get(text)
        if template is None:
            template = self._compiled[text] = self.env.from_string(text)
        size = 0
        chunks: list[str] = []
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                chunks.append(chunk[: MAX_OUTPUT_CHARS - size + len(chunk)] + "…")
                break
            chunks.append(chunk)
        return "".join(chunks)


def _is_missing(value: Any) -> bool:
    return _MISSING is not None and isinstance(value, _MISSING)
