"""Web pages (Flask, served by waitress): thin views over the core, like the Qt widgets."""
