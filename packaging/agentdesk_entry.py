"""The bundle's entry point: the installed ``agentdesk`` command, as the bundle runs it.

``gui_main`` is ``main`` made safe for an executable with no console (the Windows
``AgentDesk.exe``); with a console it is the same as ``main``.
"""

from agentdesk.cli.main import gui_main

raise SystemExit(gui_main())
