"""Content packs: a folder of YAML files that trainers write, read into an immutable model.

:mod:`.loader` reads and checks one pack, :mod:`.library` keeps every pack an installation
can use, :mod:`.model` and :mod:`.spec` declare the format.
"""

MANIFEST = "pack.yaml"
"""The file that makes a folder a pack."""
