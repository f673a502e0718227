"""Test setup: Qt offscreen, every user folder in a temporary place, English by default."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("HYPOTHESIS_PROFILE", "default")

from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])

from agentdesk.core import i18n  # noqa: E402
from agentdesk.core.packs.loader import load_pack  # noqa: E402
from agentdesk.core.packs.model import Pack  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PACKS = REPO / "resources" / "packs"
EXAMPLE = PACKS / "ejemplo"


@pytest.fixture(scope="session")
def example_pack() -> Pack:
    """The example pack (every feature of the format), loaded once."""
    result = load_pack(EXAMPLE)
    assert result.pack is not None
    return result.pack


@pytest.fixture(autouse=True)
def user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Data, config and cache folders of a fresh user, per test."""
    home = tmp_path_factory.mktemp("user")
    for name in ("DATA", "CONFIG", "CACHE"):
        monkeypatch.setenv(f"AGENTDESK_{name}_DIR", str(home / name.lower()))
    monkeypatch.delenv("AGENTDESK_LANG", raising=False)
    monkeypatch.delenv("AGENTDESK_CENTRAL_URL", raising=False)  # no test syncs unless told
    monkeypatch.delenv("AGENTDESK_LOG_DIR", raising=False)  # logs follow the data folder
    return home


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Core tests read messages in English; tests of the Spanish UI switch explicitly."""
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def spanish() -> Iterator[None]:
    i18n.set_language("es")
    yield
    i18n.set_language("en")
