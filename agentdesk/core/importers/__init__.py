"""Bring content from a helpdesk into a pack, and send it back.

Each importer reads the helpdesk's own export (Zendesk's macros API response, Zammad's
text-module CSV), builds the pack model and hands it to the pack writer
(:mod:`agentdesk.core.packs.writer`). What could not be mapped is never dropped in silence:
every importer fills a :class:`~agentdesk.core.importers.report.Report`.
"""
