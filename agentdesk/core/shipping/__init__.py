"""Shipping packs to desks: signed archives, safe install, update and rollback.

The modules, from the trainer's side to the desk's:

- :mod:`.keys`: Ed25519 signing keys, key ids and the trusted keys of a desk.
- :mod:`.manifest`: the signed manifest of an archive and its canonical JSON.
- :mod:`.build`: check a pack (validation and scenario tests), then write a ``.adpack``.
- :mod:`.verify`: every check an archive must pass; streaming, counted extraction.
  :mod:`.names` holds the rules for entry names, :mod:`.limits` the size limits.
- :mod:`.layout`: how installed packs are kept on disk (versions and a state file).
- :mod:`.install`: atomic install with the previous version kept, and rollback.
- :mod:`.changes`: what changed between the installed pack and a new one, as plain data.
- :mod:`.channel`: a signed ``index.json`` of archives (publish) and ``update`` from it.

Every refusal is a :class:`.refusals.Refusal` with a reason code (:class:`.refusals.Reason`).
Nothing here imports Qt; the desktop app calls these functions from a worker thread.
"""
