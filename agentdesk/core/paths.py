"""Every folder AgentDesk reads or writes, resolved in one place.

Overrides, strongest first: the ``--data-dir`` option (data only), then the variables
``AGENTDESK_DATA_DIR``, ``AGENTDESK_CONFIG_DIR`` and ``AGENTDESK_CACHE_DIR``, then the
platform's user folders (platformdirs). Tests point all three at a temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

APP_NAME = "agentdesk"
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    """Bundled resources: inside the package when installed, the repo's folder otherwise."""
    installed = PACKAGE_DIR / "resources"
    return installed if installed.is_dir() else PACKAGE_DIR.parent / "resources"


def bundled_packs_dir() -> Path:
    return resources_dir() / "packs"


class Paths(NamedTuple):
    data: Path
    config: Path
    cache: Path

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None) -> Paths:
        import platformdirs

        def pick(explicit: str | os.PathLike[str] | None, variable: str, default: str) -> Path:
            chosen = explicit or os.environ.get(variable) or default
            return Path(chosen).expanduser().resolve()

        return cls(
            data=pick(data_dir, "AGENTDESK_DATA_DIR", platformdirs.user_data_dir(APP_NAME, False)),
            config=pick(
                None, "AGENTDESK_CONFIG_DIR", platformdirs.user_config_dir(APP_NAME, False)
            ),
            cache=pick(None, "AGENTDESK_CACHE_DIR", platformdirs.user_cache_dir(APP_NAME, False)),
        )

    @property
    def installed_packs(self) -> Path:
        return self.data / "packs"

    @property
    def pack_cache(self) -> Path:
        return self.cache / "packs"

    @property
    def notes_db(self) -> Path:
        return self.data / "notes.db"

    @property
    def usage_db(self) -> Path:
        """Local usage figures: ids and times only, never customer data."""
        return self.data / "usage.db"

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.json"

    @property
    def trusted_keys(self) -> Path:
        return self.config / "trusted-keys"

    @property
    def channel(self) -> Path:
        """The update channel's metadata this desk trusts (its TUF root and what followed)."""
        return self.data / "channel"
