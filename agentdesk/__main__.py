from agentdesk.cli.main import main

raise SystemExit(main())
