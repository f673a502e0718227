"""User settings, declared once: name, type, default and what each one means.

Stored as JSON in the user's config folder. A file from an older version is upgraded
through ``RENAMED``; unknown keys are dropped and bad values fall back to their default,
so a hand-edited or damaged file never stops the app. (A plain class, not a dataclass:
this module is read before the first paint, and ``dataclasses`` costs start-up time.)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

from agentdesk.core.files import write_atomic

SETTINGS_VERSION = 1

# old name -> new name, for files written by earlier versions
RENAMED: dict[str, str] = {}


class Settings:
    version: int = SETTINGS_VERSION
    language: str = "es"
    mode: str = "panel"
    edge: str = "right"
    stay_on_top: bool = True
    panel_width: int = 420
    panel_screen: str = ""
    window_geometry: str = ""
    last_pack: str = ""
    last_flow: str = ""
    agent_name: str = ""
    kiosk: bool = False
    kiosk_idle_seconds: int = 90
    kiosk_pin_hash: str = ""
    update_source: str = ""
    usage_stats: str = "off"
    central_url: str = ""

    DOCS: ClassVar[dict[str, str]] = {
        "version": "Format of this file.",
        "language": "Interface language: es or en.",
        "mode": "panel: narrow, docked to a screen edge; window: a normal window.",
        "edge": "Screen edge the panel docks to: right or left.",
        "stay_on_top": "Keep the panel above the CRM.",
        "panel_width": "Width of the docked panel, in pixels.",
        "panel_screen": "Screen the panel docks to (its name); the main screen if it is gone.",
        "window_geometry": "The normal window's place and size (Qt's saveGeometry, base64).",
        "last_pack": "Pack open when the app last closed.",
        "last_flow": "Flow open when the app last closed.",
        "agent_name": "The agent's name, recorded in interaction notes.",
        "kiosk": "Start as a branch kiosk.",
        "kiosk_idle_seconds": "Kiosk: idle time before it resets itself.",
        "kiosk_pin_hash": "Kiosk: salted hash of the administrator PIN.",
        "update_source": "Where packs are updated from: a folder or an http(s) address.",
        "usage_stats": "Local usage figures (no customer data): off, on (every pack) or pack "
        "(packs that ask for them).",
        "central_url": "Central server to sync notes to: a libpq address (docs/central.md); "
        "AGENTDESK_CENTRAL_URL overrides it.",
    }

    def __init__(self, **values: Any) -> None:
        for name in self.DOCS:
            default = getattr(type(self), name)
            value = values.get(name, default)
            setattr(self, name, value if _same_type(value, default) else default)

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.DOCS}

    @classmethod
    def load(cls, path: Path) -> Settings:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        for old, new in RENAMED.items():
            if old in raw and new not in raw:
                raw[new] = raw.pop(old)
        raw["version"] = SETTINGS_VERSION
        return cls(**{k: v for k, v in raw.items() if k in cls.DOCS})

    def save(self, path: Path) -> None:
        """Write atomically and durably: a crash or a power cut leaves the old file or the new.

        Only the user may read it: it holds the kiosk PIN's hash."""
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.to_json(), ensure_ascii=False, indent=2)
        write_atomic(path, text.encode("utf-8"), mode=0o600)


def _same_type(value: Any, default: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, type(default))
