"""How the kiosk looks: the desk's style sheet at a larger scale, with touch-sized targets."""

from __future__ import annotations

from agentdesk.ui.kiosk.kiosk_pin import KEY_SIZE as PIN_KEY
from agentdesk.ui.shell.theme import ACCENT, BORDER, DANGER, DANGER_BG, style_sheet

KIOSK_SCALE = 1.35
TOUCH_TARGET = 48
CONTENT_WIDTH = 1100
"""Widest the pages grow on a large screen: lines stay readable."""


def kiosk_style_sheet() -> str:
    """The desk's style sheet, larger, with touch-sized rows, boxes and keys."""
    return (
        style_sheet(KIOSK_SCALE)
        + f"""
    WrapButton, WrapCheck QCheckBox {{ min-height: {TOUCH_TARGET}px; }}
    QCheckBox::indicator {{ width: 30px; height: 30px; }}
    QToolButton {{ min-height: {TOUCH_TARGET}px; min-width: {TOUCH_TARGET}px; }}
    #header QToolButton {{ min-height: {TOUCH_TARGET - 10}px; padding: 4px 14px; }}
    QLineEdit, QComboBox {{ min-height: {TOUCH_TARGET - 12}px; }}
    QTreeView {{ background: white; border: 1px solid {BORDER}; border-radius: 10px;
        outline: 0; show-decoration-selected: 1; }}
    QTreeView::item {{ min-height: 56px; padding: 0 8px; border: none; }}
    QTreeView::item:selected {{ background: #d6ebf5; color: #1f2933; }}
    QScrollBar:vertical {{ background: transparent; width: 18px; margin: 2px; }}
    QScrollBar::handle:vertical {{ background: #b8c2cc; border-radius: 7px;
        min-height: {TOUCH_TARGET}px; }}
    QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; }}
    QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: none; }}
    #kioskDetails QToolButton {{ background: white; border: 1px solid {BORDER};
        border-radius: 8px; padding: 4px 14px; }}
    QPushButton#key, QPushButton#pinKey {{ font-weight: 600; padding: 0; }}
    QPushButton#pinKey {{ min-height: {PIN_KEY}px; min-width: {PIN_KEY}px; font-size: 28px; }}
    QPushButton#pinKey[tone="primary"] {{ background: {ACCENT}; color: white;
        border-color: {ACCENT}; font-size: 22px; }}
    QPushButton#pinKey:disabled {{ background: #eef1f4; color: #9aa5b1; border-color: {BORDER}; }}
    QPushButton#key:checked {{ background: #d6ebf5; }}
    #touchKeyboard {{ background: #dde3ea; border-top: 1px solid {BORDER}; }}
    #touchKeyboard QPushButton#key {{ font-size: 21px; min-height: {TOUCH_TARGET}px; }}
    QLineEdit#pinField {{ font-size: 30px; letter-spacing: 6px; min-height: 56px; }}
    #countdownSeconds {{ font-size: 64px; font-weight: 700; color: {ACCENT}; }}
    QPushButton[tone="danger"] {{ color: {DANGER}; background: {DANGER_BG}; }}
    """
    )
