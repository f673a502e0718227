"""Qt's own dialogs in Spanish where qtbase_es.qm has gaps (issue 11): the file dialog's
"Look in" and "Files of type" come from our catalog."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog, QLabel

from agentdesk.ui.shell.app import use_qt_language

ENGLISH = {"Look in", "Files of type", "File name", "Save", "Cancel", "Open", "Choose"}


def file_dialog_words(mode: QFileDialog.AcceptMode) -> dict[str, str]:
    """What a person reads on the file dialog the app opens (Qt's own, as on Linux)."""
    dialog = QFileDialog(None, "Exportar")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(mode)
    dialog.setNameFilter("CSV (*.csv)")
    dialog.show()
    try:
        words = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
        buttons = [b for b in dialog.findChildren(QAbstractButton) if b.text()]
        words.update({f"button {n}": b.text() for n, b in enumerate(buttons)})
        return words
    finally:
        dialog.close()
        dialog.deleteLater()


def test_a_spanish_file_dialog_shows_no_english_labels(qapp: QApplication) -> None:
    try:
        assert use_qt_language(qapp, "es")
        for mode in (QFileDialog.AcceptMode.AcceptSave, QFileDialog.AcceptMode.AcceptOpen):
            words = file_dialog_words(mode)
            assert words["lookInLabel"] == "&Ver en:"
            assert words["fileTypeLabel"] == "Ficheros de &tipo:"
            english = [w for w in words.values() if w.replace("&", "").rstrip(":") in ENGLISH]
            assert english == []
    finally:
        assert use_qt_language(qapp, "en")
    words = file_dialog_words(QFileDialog.AcceptMode.AcceptSave)
    assert (words["lookInLabel"], words["fileTypeLabel"]) == ("&Look in:", "Files of &type:")
