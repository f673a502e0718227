"""The call in progress, without Qt: what the desk panel and the kiosk hold about the
customer being served, and the rules of the interaction note drafted from it.

- :mod:`.call`: :class:`Call`, the customer on the line: the flow session, their details,
  ticked checklist items, running timers, what was copied and when. Every intent of the
  agent (open, choose, back, new customer...) is one method; each returns what to show.
- :mod:`.drafting`: :class:`NoteDrafting`, when an outcome starts a note draft, when it is
  merged into the draft of the same interaction, and when the draft is closed.

The Qt side (``agentdesk.ui.shell.controller``, ``agentdesk.ui.notes.notes_controller``)
only adapts these to signals and timers. Nothing here is imported before the panel's first
paint but this package and :mod:`.call`: the flow engine and the notes load on first use.
"""
