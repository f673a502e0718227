"""Shipping packs to desks: signed archives, safe install, update and rollback.

The modules, from the trainer's side to the desk's:

- :mod:`.keys`: Ed25519 signing keys, key ids and the trusted keys of a desk.
- :mod:`.manifest`: the signed manifest of an archive and its canonical JSON.
- :mod:`.build`: check a pack (validation and scenario tests), then write a ``.adpack``.
- :mod:`.verify`: every check an archive must pass; streaming, counted extraction.
  :mod:`.names` holds the rules for entry names, :mod:`.limits` the size limits.
- :mod:`agentdesk.core.packs.installed`: how installed packs are kept on disk.
- :mod:`.install`: atomic install with the previous version kept, and rollback.
- :mod:`.changes`: what changed between the installed pack and a new one, as plain data.
- :mod:`.repository` and :mod:`.publish`: the update channel as a TUF repository in a
  folder, and what trainers do to it (publish, delegate, rotate keys, refresh).
- :mod:`.channel`: desks ``update`` from a channel with ``tuf.ngclient``;
  :mod:`.fetcher` fetches within one deadline; :mod:`.desk_trust` is the root a desk trusts
  (and the one-time migration from pre-TUF trusted keys).

Every refusal is a :class:`.refusals.Refusal` with a reason code (:class:`.refusals.Reason`);
a trainer's channel change that cannot be made is a :class:`.repository.ChannelError`.
Nothing here imports Qt; the desktop app calls these functions from a worker thread.
"""
