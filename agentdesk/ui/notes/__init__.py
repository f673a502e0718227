"""Interaction notes in the app: the note form, the history, the draft that autosaves."""
