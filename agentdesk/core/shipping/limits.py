"""Hard limits on what an archive may hold: anything beyond them is refused, not trimmed.

The defaults match what the pack loader accepts (``loader.MAX_FILES``, ``MAX_PACK_BYTES``), so
an archive that passes them holds a pack the loader can read. Tests pass smaller limits.
"""

from __future__ import annotations

from typing import NamedTuple

from agentdesk.core.packs import loader

#: Files a pack archive may hold, besides its manifest and signature.
MAX_FILES = loader.MAX_FILES
#: Uncompressed bytes of all the files together, counted as they are read.
MAX_TOTAL_BYTES = loader.MAX_PACK_BYTES
#: Uncompressed bytes of one file.
MAX_FILE_BYTES = loader.MAX_FILE_BYTES
#: Uncompressed size over compressed size of one entry; YAML compresses about 5 to 10 times.
MAX_RATIO = 100
#: Entries smaller than this are never judged by their ratio (a file of blanks is harmless).
RATIO_FLOOR_BYTES = 64 * 1024
#: Size of the ``.adpack`` file itself, and of one download.
MAX_ARCHIVE_BYTES = MAX_TOTAL_BYTES + 16 * 1024 * 1024
#: Size of the manifest and of its signature.
MAX_MANIFEST_BYTES = 4 * 1024 * 1024


class Limits(NamedTuple):
    max_files: int = MAX_FILES
    max_total_bytes: int = MAX_TOTAL_BYTES
    max_file_bytes: int = MAX_FILE_BYTES
    max_ratio: int = MAX_RATIO
    ratio_floor_bytes: int = RATIO_FLOOR_BYTES
    max_archive_bytes: int = MAX_ARCHIVE_BYTES
    max_manifest_bytes: int = MAX_MANIFEST_BYTES


DEFAULT_LIMITS = Limits()
