"""The Qt binding itself: a known-bad release must not slip in."""

from __future__ import annotations

import gc
import sys

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


def test_qt_calls_that_return_none_keep_none_alive(qapp: object) -> None:
    """PySide6 6.12.0 drops a reference to None each time a Qt call returns nothing; the
    app then dies with "deallocating None" after a few thousand calls."""
    root = QWidget()
    layout = QVBoxLayout(root)
    layout.addStretch(1)
    spacer = layout.itemAt(0)
    label = QLabel("x")
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(500):
        assert spacer is not None and spacer.widget() is None
        assert label.property("missing") is None
        assert layout.itemAt(99) is None
    assert sys.getrefcount(None) >= before
