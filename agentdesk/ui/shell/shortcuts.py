"""Every keyboard shortcut of the desk panel, declared once: its keys and what it does.

The panel binds them, its menu shows them beside the entries they share and the F1 help
lists them (``agentdesk.ui.panel.main_window``), and labels and tooltips name them
(:func:`with_key`): all from this one list, in the same words, so they cannot disagree.
Keys are named as the keyboard prints them, in the interface language ("Ctrl+Mayús+R",
"Alt+Izquierda"): short enough for a button in a narrow panel.

No Qt here: the app imports this before PySide6, with the core (see ``run_app``).
"""

from __future__ import annotations

from typing import NamedTuple

from agentdesk.core.i18n import _


class Shortcut(NamedTuple):
    name: str
    """The intent it runs: the panel window's method of that name."""
    keys: tuple[str, ...]
    """Key sequences in Qt's portable form; the first is the one tooltips name."""
    what: str
    """What it does, in the same words wherever it is named: the F1 help, the menu, the
    tooltips of the buttons that do it."""
    listed: bool = True
    """Listed in the F1 help (Quit and Escape are not: the menu and every dialog show them)."""
    numbered: bool = False
    """One key per position: the method receives the key's number (1 for the first)."""
    detail: str = ""
    """More about what it does, when the words above do not say it all (the F1 help's
    tooltip and what a screen reader adds)."""


def shortcuts() -> tuple[Shortcut, ...]:
    """The panel's shortcuts, in the order the help lists them (in the current language)."""
    return (
        Shortcut("open_search", ("Ctrl+K",), _("Search")),
        Shortcut(
            "choose_number", tuple("123456789"), _("Choose the numbered answer"), numbered=True
        ),
        Shortcut("back", ("Alt+Left", "Backspace"), _("Back one answer")),
        Shortcut("restart", ("Ctrl+R",), _("Restart the flow")),
        Shortcut(
            "new_customer",
            ("Ctrl+Shift+R",),
            _("New customer"),
            detail=_("Forget the details and go to the start flow"),
        ),
        Shortcut(
            "copy_primary", ("Ctrl+Shift+C",), _("Copy the main macro (or script) to the clipboard")
        ),
        Shortcut("toggle_details", ("Ctrl+D",), _("Customer details")),
        Shortcut(
            "go_home",
            ("Ctrl+Home",),
            _("Start screen"),
            detail=_("The start flow is selected: Enter opens it"),
        ),
        Shortcut("open_note", ("Ctrl+N",), _("The interaction note")),
        Shortcut("open_notes", ("Ctrl+Shift+N",), _("Notes history")),
        Shortcut("save_note", ("Ctrl+S",), _("Save the note")),
        Shortcut("show_shortcuts", ("F1",), _("Keyboard shortcuts")),
        Shortcut("escape", ("Escape",), _("Leave the search or the notes"), listed=False),
        Shortcut("close", ("Ctrl+Q",), _("Quit"), listed=False),
    )


def by_name(name: str) -> Shortcut:
    return next(s for s in shortcuts() if s.name == name)


def key_name(sequence: str) -> str:
    """One key sequence (Qt's portable form) as the keyboard names it: ``Ctrl+Mayús+R``."""
    names = {
        "Shift": _("Shift"),
        "Home": _("Home"),
        "Left": _("Left"),
        "Backspace": _("Backspace"),
        "Escape": "Esc",
    }
    return "+".join(names.get(part, part) for part in sequence.split("+"))


def key_text(shortcut: Shortcut) -> str:
    """The keys as people read them: ``Ctrl+K``, ``Alt+Left, Backspace``, ``1 … 9``."""
    names = [key_name(k) for k in shortcut.keys]
    if shortcut.numbered:
        return f"{names[0]} … {names[-1]}"
    return ", ".join(names)


def with_key(text: str, name: str) -> str:
    """``text`` followed by the first key of shortcut ``name``: ``Search (Ctrl+K)``."""
    return f"{text} ({key_name(by_name(name).keys[0])})"
