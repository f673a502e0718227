"""Colours, sizes and the style sheet: one place for how AgentDesk looks.

The kiosk uses the same sheet at a larger scale (touch targets of 48 px and more).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from agentdesk.core.paths import resources_dir

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound="QWidget")

ACCENT = "#0b6e99"
ACCENT_DARK = "#08547a"
TEXT = "#1f2933"
MUTED = "#5f6b7a"
BORDER = "#d5dbe3"
SURFACE = "#ffffff"
BACKGROUND = "#f2f4f7"
WARNING_BG = "#fff4e5"
WARNING = "#8a4b00"
DANGER_BG = "#fdecea"
DANGER = "#a0281e"
OK_BG = "#e8f5ee"
OK = "#1e6b3f"


def fixed_pitch(widget: W) -> W:
    """Text that must line up (macro paths, problem lists) in the platform's fixed-pitch
    font; the style sheet sets its size. Set on the widget, not in the style sheet: asking
    the platform for the font costs time the first paint would otherwise wait for."""
    from PySide6.QtGui import QFontDatabase

    widget.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return widget


def style_sheet(scale: float = 1.0) -> str:
    def px(value: float) -> str:
        return f"{round(value * scale)}px"

    arrow = (resources_dir() / "icons" / "down-arrow.svg").as_posix()

    return f"""
    QWidget {{ color: {TEXT}; font-size: {px(14)}; }}
    QMainWindow, #page {{ background: {BACKGROUND}; }}
    QScrollArea, QScrollArea > QWidget > QWidget {{ background: {BACKGROUND}; border: none; }}
    #header {{ background: {ACCENT}; }}
    #header QLabel {{ color: white; }}
    #headerTitle {{ font-weight: 600; font-size: {px(14)}; }}
    #headerSubtitle {{ color: #d8ecf5; font-size: {px(12)}; }}
    #header QToolButton {{
        color: white; background: transparent; border: 1px solid transparent;
        border-radius: {px(6)}; padding: {px(4)} {px(6)}; font-size: {px(13)};
        min-height: {px(28)};
    }}
    #header QToolButton:hover, #header QToolButton:focus {{
        background: {ACCENT_DARK}; border-color: #9fd0e6;
    }}
    #prompt {{ font-size: {px(17)}; font-weight: 600; }}
    #stepText {{ font-size: {px(14)}; }}
    #muted, QLabel[muted="true"] {{ color: {MUTED}; font-size: {px(12)}; }}
    #fieldError {{ color: {DANGER}; font-size: {px(12)}; }}
    #sectionTitle {{ color: {MUTED}; font-size: {px(11)}; font-weight: 700;
        letter-spacing: 1px; text-transform: uppercase; }}
    QPushButton {{
        background: {SURFACE}; border: 1px solid {BORDER}; border-radius: {px(8)};
        padding: {px(7)} {px(12)}; min-height: {px(22)};
    }}
    QPushButton:hover {{ border-color: {ACCENT}; }}
    QPushButton:focus {{ border: 2px solid {ACCENT}; }}
    QPushButton {{ outline: none; }}  /* the focus border above says it; no inner rectangle */
    QPushButton:disabled {{ color: #9aa5b1; background: #f4f5f7; }}
    QPushButton#choice {{
        text-align: left; padding: {px(10)} {px(12)}; font-size: {px(14)};
        min-height: {px(26)};
    }}
    QPushButton#choice:hover {{ background: #eaf4f9; }}
    QPushButton#primary {{ background: {ACCENT}; color: white; border-color: {ACCENT}; }}
    QPushButton#primary QLabel {{ color: white; }}
    QPushButton#primary:hover {{ background: {ACCENT_DARK}; }}
    #crumbs {{ font-size: {px(12)}; }}
    #shortcutKeys {{ font-weight: 600; color: {ACCENT_DARK}; }}
    #card {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: {px(10)}; }}
    #cardTitle {{ font-weight: 600; }}
    #cardBody {{ font-size: {px(14)}; }}
    #cardMeta {{ color: {MUTED}; font-size: {px(12)}; }}
    #macroPath {{ font-size: {px(12)};
        color: {ACCENT_DARK}; }}
    #status {{ border-radius: {px(6)}; padding: {px(2)} {px(6)}; font-size: {px(12)};
        background: #e6eef5; color: {ACCENT_DARK}; }}
    #banner {{ border-radius: {px(8)}; padding: {px(8)} {px(10)}; }}
    #banner[tone="warning"] {{ background: {WARNING_BG}; color: {WARNING}; }}
    #banner[tone="danger"] {{ background: {DANGER_BG}; color: {DANGER}; }}
    #banner[tone="ok"] {{ background: {OK_BG}; color: {OK}; }}
    #toast {{ border-radius: {px(8)}; padding: {px(8)} {px(10)}; border: 1px solid {BORDER}; }}
    #toast[tone="ok"] {{ background: {OK_BG}; color: {OK}; border-color: #b7dcc5; }}
    #toast[tone="warning"] {{ background: {WARNING_BG}; color: {WARNING}; }}
    #toast[tone="danger"] {{ background: {DANGER_BG}; color: {DANGER}; border-color: #f0b8b2; }}
    #timerStrip {{ background: {SURFACE}; border-bottom: 1px solid {BORDER}; }}
    #timerRow {{ border-radius: {px(6)}; }}
    #timerRow[tone="ok"] {{ background: #eaf4f9; }}
    #timerRow[tone="ok"] QLabel {{ color: {ACCENT_DARK}; font-weight: 600; }}
    #timerRow[tone="danger"] {{ background: {DANGER_BG}; }}
    #timerRow[tone="danger"] QLabel {{ color: {DANGER}; font-weight: 600; }}
    QPushButton#link {{ background: transparent; border: none; color: {ACCENT};
        padding: {px(2)} 0; min-height: 0; text-decoration: underline; }}
    QPushButton#link:focus {{ border: none; color: {ACCENT_DARK}; background: #eaf4f9; }}
    QLabel:disabled {{ color: {MUTED}; }}
    #badge {{ border-radius: {px(6)}; padding: {px(1)} {px(6)}; font-size: {px(11)};
        background: {WARNING_BG}; color: {WARNING}; font-weight: 600; }}
    QLineEdit, QComboBox, QPlainTextEdit, QDateTimeEdit {{
        background: {SURFACE}; border: 1px solid {BORDER}; border-radius: {px(6)};
        padding: {px(4)} {px(6)}; min-height: {px(22)};
    }}
    QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus {{ border: 2px solid {ACCENT}; }}
    QComboBox::drop-down, QDateTimeEdit::drop-down {{ border: none; width: {px(28)}; }}
    QComboBox::down-arrow, QDateTimeEdit::down-arrow {{
        image: url("{arrow}"); width: {px(12)}; height: {px(8)};
    }}
    QLineEdit[invalid="true"] {{ border: 2px solid {DANGER}; }}
    QListWidget, #notesList {{
        background: {SURFACE}; border: 1px solid {BORDER}; border-radius: {px(8)};
    }}
    #notesList::item {{ padding: {px(4)} {px(2)}; }}
    QTreeWidget {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: {px(8)}; }}
    QTreeWidget::item {{ padding: {px(4)} {px(2)}; }}
    QCheckBox {{ spacing: {px(8)}; }}
    QCheckBox::indicator {{ width: {px(18)}; height: {px(18)}; }}
    """
