"""The agent's side panel at the desk (or a normal window)."""
