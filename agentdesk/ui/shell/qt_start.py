"""PySide6's start-up tax on every import, made smaller.

To support its opt-in ``from __feature__ import ...`` syntax, PySide6 asks of every module
imported after it whether its source mentions "PySide6" (``shibokensupport.feature.
_mod_uses_pyside``), and finds out with ``inspect.getsource``: the whole file through
``linecache``, about 0.15 ms a module, 40 modules before the panel's first paint
(scripts/bench_ui.py). :func:`read_sources_faster` answers the same question from the
file's bytes. Modules without a ``.py`` file go to PySide's own check. If a PySide6
version no longer has the function, nothing is changed (tests/ui/test_start_up.py checks
that both give the same answers).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

_FEATURE = "shibokensupport.feature"


def read_sources_faster() -> bool:
    """Replace PySide6's check by the same check on the file's bytes; False if PySide6
    (imported before this is called) has no such check."""
    feature = sys.modules.get(_FEATURE)
    original: Callable[[ModuleType], bool] | None = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None:
        return False
    if getattr(original, "reads_bytes", False):
        return True

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                return b"PySide6" in Path(path).read_bytes()
            except OSError:
                pass
        return original(module)

    uses_pyside.reads_bytes = True  # type: ignore[attr-defined]
    uses_pyside.original = original  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]
    return True
