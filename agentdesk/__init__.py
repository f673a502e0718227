"""AgentDesk: the right script and macro for the situation at hand, mid-call."""

__version__ = "0.1.0"
