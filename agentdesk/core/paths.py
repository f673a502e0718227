"""Every folder AgentDesk reads or writes, resolved in one place.

Overrides, strongest first: the ``--data-dir`` option (data only), then the variables
``AGENTDESK_DATA_DIR``, ``AGENTDESK_CONFIG_DIR``, ``AGENTDESK_CACHE_DIR`` and
``AGENTDESK_LOG_DIR``, then the platform's user folders (platformdirs). Tests point them at
a temporary folder.

The log folder follows the data folder when that one is chosen (``--data-dir`` or
``AGENTDESK_DATA_DIR``): ``logs`` inside it. One app runs per data folder (the single
instance), so each log file has one writer, and a data folder carries its own history.
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
    log: Path | None = None
    """The log folder; None (a Paths made by hand): ``logs`` in the data folder."""

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None) -> Paths:
        import platformdirs

        def pick(explicit: str | os.PathLike[str] | None, variable: str, default: str) -> Path:
            chosen = explicit or os.environ.get(variable) or default
            return Path(chosen).expanduser().resolve()

        chosen_data = data_dir or os.environ.get("AGENTDESK_DATA_DIR")
        data = pick(data_dir, "AGENTDESK_DATA_DIR", platformdirs.user_data_dir(APP_NAME, False))
        default_log = data / "logs" if chosen_data else platformdirs.user_log_dir(APP_NAME, False)
        return cls(
            data=data,
            config=pick(
                None, "AGENTDESK_CONFIG_DIR", platformdirs.user_config_dir(APP_NAME, False)
            ),
            cache=pick(None, "AGENTDESK_CACHE_DIR", platformdirs.user_cache_dir(APP_NAME, False)),
            log=pick(None, "AGENTDESK_LOG_DIR", str(default_log)),
        )

    @property
    def logs(self) -> Path:
        """The log file and crash reports."""
        return self.log or self.data / "logs"

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
