"""A new notes database is made under a name of its own and put in place in one step.

SQLite creates a database file empty and writes its first page a moment later. Another
opener that comes in between (a second thread of the app, the command line, a second app)
would find an empty file at the notes' name, which an open takes for a damaged database
(:func:`~.backup.is_empty_file`) and sets aside, from under the connection that is making
it: that one then fails ("locking protocol", "disk I/O error") and the agent is told the
notes were damaged when they were new. So the schema is built in a private file and linked
to the notes' name only once complete, without replacing a file another opener put there
first (theirs is used then): the notes' name never shows a half-made database. Where the
file system has no hard links, the complete file is moved into place instead, unless
another opener's is there by then.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path


def create_complete(path: Path, build: Callable[[Path], sqlite3.Connection]) -> None:
    """Make the database at ``path`` with ``build`` (which opens, sets up and migrates
    the file it is given), unless another opener makes it first."""
    partial = path.with_name(f".{path.name}.new-{os.getpid()}-{threading.get_ident()}")
    try:
        build(partial).close()  # the last connection closing folds its WAL into the file
        os.link(partial, path)  # never over a file that is there: unlike a rename
    except FileExistsError:
        pass  # another opener made it meanwhile: theirs is the notes
    except OSError:  # no hard links here (FAT, some network shares): moved into place
        if not path.exists():
            partial.replace(path)
    finally:
        for companion in ("", "-wal", "-shm", "-journal"):
            Path(f"{partial}{companion}").unlink(missing_ok=True)
