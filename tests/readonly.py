"""A read-only notes database, as a file of mode 0444, a read-only folder or disk make it
for a user who is not root: SQLite opens it, but only to read (the tests run as root in
CI, where permissions would not stop a write, so SQLite is told ``mode=ro``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest


def read_only_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on every SQLite database opens read-only, as on a read-only disk."""
    real = sqlite3.connect

    def connect(database: Any, *args: Any, uri: bool = False, **kwargs: Any) -> sqlite3.Connection:
        target = str(database) if uri else Path(database).resolve().as_uri()
        base, _, query = target.partition("?")
        kept = [p for p in query.split("&") if p and not p.startswith("mode=")]
        return real(f"{base}?{'&'.join(['mode=ro', *kept])}", *args, uri=True, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
