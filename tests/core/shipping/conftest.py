"""Keys, a trust store and the user's folders for the shipping tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from agentdesk.core.paths import Paths
from agentdesk.core.shipping.keys import TrustStore, key_id
from tests.core.shipping.channels import Keys
from tests.core.shipping.forge import build, copy_example


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


@pytest.fixture(scope="session")
def channel_keys() -> Keys:
    return Keys.make()


@pytest.fixture(scope="session")
def archives(tmp_path_factory: pytest.TempPathFactory, channel_keys: Keys) -> dict[str, Path]:
    """ejemplo 1.0.0, 1.1.0 (a flow renamed) and 99.0.0, signed by the channel's targets key."""
    folder = tmp_path_factory.mktemp("archives")
    src = copy_example(folder / "src")
    built = {"1.0.0": build(src, folder / "ejemplo-1.0.0.adpack", channel_keys.targets, "1.0.0")}
    flows = src / "flows" / "consulta.yaml"
    flows.write_text(
        flows.read_text(encoding="utf-8").replace("title:", "title: Nueva", 1), "utf-8"
    )
    for version in ("1.1.0", "99.0.0"):
        out = folder / f"ejemplo-{version}.adpack"
        built[version] = build(src, out, channel_keys.targets, version)
    return {version: b.path for version, b in built.items()}
