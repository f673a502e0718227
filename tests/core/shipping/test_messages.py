"""Shipping in words: every refusal a desk can meet is explained to the agent."""

from __future__ import annotations

import pytest

from agentdesk.core import i18n
from agentdesk.core.shipping.messages import refusal_text
from agentdesk.core.shipping.refusals import Reason


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_refusal_reason_has_its_own_words(language: str) -> None:
    i18n.set_language(language)
    fallback = i18n._("It cannot be used.")
    assert [r.value for r in Reason if refusal_text(r) == fallback] == []


@pytest.mark.usefixtures("spanish")
def test_the_channel_refusals_speak_spanish() -> None:
    assert refusal_text(Reason.TOO_SLOW).startswith("La actualización tardó demasiado")
    assert "root.json" in refusal_text(Reason.NO_TRUSTED_ROOT)
