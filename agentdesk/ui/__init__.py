"""The desktop app (PySide6): thin widgets over :mod:`agentdesk.core`."""
