"""PySide6's two start-up taxes, made smaller.

To support its opt-in ``from __feature__ import ...`` syntax, PySide6 asks of every module
imported after it whether its source mentions "PySide6" (``shibokensupport.feature.
_mod_uses_pyside``), and finds out with ``inspect.getsource``: the whole file through
``linecache``, about 0.15 ms a module, 40 modules before the panel's first paint
(scripts/bench_ui.py). :func:`read_sources_faster` answers the same question from the
file's bytes. Modules without a ``.py`` file go to PySide's own check. If a PySide6
version no longer has the function, nothing is changed (tests/ui/test_start_up.py checks
that both give the same answers).

The ``Qt`` namespace is the other tax: the first use of ``PySide6.QtCore.Qt`` (or of any
value of its enums, even one a method returns, such as ``windowFlags()``) makes all its 93
enums as Python enums, 11 to 15 ms, more than a bare window's whole paint. So nothing
before the panel's first paint touches it (tests/ui/test_start_up.py checks it is not made
by then):

- the modules the first paint needs import :data:`Qt` from here: the same namespace (for
  mypy too), made on the first attribute read, in code that runs after the first paint;
- an enum property the first paint needs is set through the property system by its number
  (:func:`set_enum` and the constants below; a test checks each against Qt's value);
- what only an enum can set and the first paint can do without waits for it: stay-on-top
  (``MainWindow._apply_on_top``), the "Expired" header's flags (``StartPage._seal_header``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QObject
    from PySide6.QtCore import Qt as Qt  # for mypy, the namespace itself (see _LazyQt)

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


class _LazyQt:
    """``PySide6.QtCore.Qt``, imported on the first attribute read (see the module)."""

    def __getattr__(self, name: str) -> object:
        from PySide6.QtCore import Qt as namespace

        value = getattr(namespace, name)
        setattr(self, name, value)  # read directly from now on
        return value


if not TYPE_CHECKING:
    Qt = _LazyQt()


#: Values of the ``Qt`` namespace that start-up uses, by number (checked by a test).
USER_ROLE = 0x0100  # Qt.ItemDataRole.UserRole
FONT_ROLE = 6  # Qt.ItemDataRole.FontRole
WORD_WRAP = 0x1000  # Qt.TextFlag.TextWordWrap
PLAIN_TEXT = 0  # Qt.TextFormat.PlainText
SCROLL_BAR_ALWAYS_OFF = 1  # Qt.ScrollBarPolicy.ScrollBarAlwaysOff
ELIDE_NONE = 3  # Qt.TextElideMode.ElideNone


def set_enum(target: QObject, name: str, value: int) -> None:
    """Set the Qt property ``name`` (an enum) to its ``value`` as a number, without
    making the ``Qt`` namespace (tests/ui/test_start_up.py checks each value used)."""
    if not target.setProperty(name, value):
        raise ValueError(f"{type(target).__name__} has no property {name!r}")
