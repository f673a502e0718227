"""Keys, a trust store and the user's folders for the shipping tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from agentdesk.core.paths import Paths
from agentdesk.core.shipping.keys import TrustStore, key_id


@pytest.fixture(scope="session")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="session")
def other_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def trust(key: Ed25519PrivateKey) -> TrustStore:
    public = key.public_key()
    return TrustStore({key_id(public): public})


@pytest.fixture
def paths(user_dirs: Path) -> Paths:
    return Paths.resolve()
