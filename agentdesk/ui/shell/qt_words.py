"""Qt's own words that Qt's catalog for a language lacks, from our catalog.

``qtbase_es.qm`` (shipped in the PySide6 wheel) translates "Look in:" and "Files of type:"
but not the "&Look in:" and "Files of &type:" the widget file dialog actually asks for, so
a Spanish file dialog showed English labels. :class:`QtGaps` is a translator for those
strings only: it answers from our gettext catalog (:mod:`agentdesk.core.i18n`, one
mechanism for our words) and leaves every other string to Qt's catalog. Installed after
Qt's catalog, it is asked first.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTranslator

from agentdesk.core.i18n import _


def gaps() -> dict[tuple[str, str], str]:
    """(Qt context, Qt's English text) -> the text in the current language. Worded as
    qtbase_es.qm words the same labels without their shortcut letter."""
    return {
        ("QFileDialog", "&Look in:"): _("&Look in:"),
        ("QFileDialog", "Files of &type:"): _("Files of &type:"),
    }


class QtGaps(QTranslator):
    """A translator for :func:`gaps`, in the language current when it was made."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words = {key: text for key, text in gaps().items() if text != key[1]}

    def isEmpty(self) -> bool:  # Qt's name
        return not self._words

    def translate(  # Qt's name
        self,
        context: str,
        source_text: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str:
        # No answer (None, a null QString; "" would be taken as the translation) sends Qt
        # on to its own catalog.
        return self._words.get((context, source_text))  # type: ignore[return-value]
