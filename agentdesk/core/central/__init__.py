"""Every desk's notes in one PostgreSQL server, the desk still offline-first (issue 18).

- :mod:`.config`: the server's address (setting or ``AGENTDESK_CENTRAL_URL``) and keeping
  its password out of every message.
- :mod:`.outbox`: the desk's side: turning the outbox on, reading it in order, masking what
  leaves, acknowledging what the server has. The triggers that fill it are in
  :mod:`agentdesk.core.notes.outbox`.
- :mod:`.server`: the server's schema (numbered ``migrations/*.sql``) and the idempotent push.
- :mod:`.sync`: the sync loop with backoff, for a process or a thread of its own.
- :mod:`.report`: what supervisors read.
"""
