"""User settings, declared once: name, type, default and what each one means.

Stored as JSON in the user's config folder. A file from an older version is upgraded
through ``RENAMED``; unknown keys are dropped and bad values fall back to their default,
so a hand-edited or damaged file never stops the app.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

SETTINGS_VERSION = 1

# old name -> new name, for files written by earlier versions
RENAMED: dict[str, str] = {}


@dataclass
class Settings:
    version: int = field(default=SETTINGS_VERSION, metadata={"doc": "Format of this file."})
    language: str = field(default="es", metadata={"doc": "Interface language: es or en."})
    mode: str = field(
        default="panel", metadata={"doc": "panel: narrow, docked to a screen edge; window."}
    )
    edge: str = field(default="right", metadata={"doc": "Screen edge the panel docks to."})
    stay_on_top: bool = field(default=True, metadata={"doc": "Keep the panel above the CRM."})
    panel_width: int = field(default=420, metadata={"doc": "Width of the docked panel (px)."})
    window_geometry: list[int] = field(
        default_factory=list, metadata={"doc": "x, y, width, height of the normal window."}
    )
    last_pack: str = field(default="", metadata={"doc": "Pack open when the app last closed."})
    last_flow: str = field(default="", metadata={"doc": "Flow open when the app last closed."})
    agent_name: str = field(default="", metadata={"doc": "Recorded in interaction notes."})
    show_details: bool = field(default=True, metadata={"doc": "Customer details form open."})
    kiosk: bool = field(default=False, metadata={"doc": "Start as a branch kiosk."})
    kiosk_idle_seconds: int = field(
        default=90, metadata={"doc": "Kiosk: idle time before it resets itself."}
    )
    kiosk_pin_hash: str = field(
        default="", metadata={"doc": "Kiosk: salted hash of the administrator PIN."}
    )

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
        defaults = cls()
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name in raw and _same_type(raw[f.name], getattr(defaults, f.name)):
                values[f.name] = raw[f.name]
        values["version"] = SETTINGS_VERSION
        return cls(**values)

    def save(self, path: Path) -> None:
        """Write atomically: a crash mid-write leaves the previous file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(asdict(self), f, ensure_ascii=False, indent=2)
        Path(tmp).replace(path)


def _same_type(value: Any, default: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(default, list):
        return isinstance(value, list) and all(isinstance(v, int) for v in value)
    return isinstance(value, type(default))
