"""SQLite's count of allocated memory, turned off before SQLite starts (once per process).

SQLite counts the memory it allocates (``SQLITE_CONFIG_MEMSTATUS``) under one mutex that every
allocation in the process takes. A library built without lookaside memory (Debian's and
Ubuntu's are) allocates at almost every step of a sort, so threads running statements in one
process (aiosqlite gives each connection a thread) queue on that mutex: two threads running the
``budgetSummary`` statements of ``large`` each took 1.35x as long as one alone, and as long as
one alone with the count off (``benchmarks/RESULTS.md``). SQLite's own advice is to build with
the count off (``SQLITE_DEFAULT_MEMSTATUS=0``); a library built with it on can only be told so
by ``sqlite3_config`` before it initialises, and Python's ``sqlite3`` initialises it on import.
Nothing in the service reads what the count feeds (``sqlite3_memory_used``, heap limits).
"""

from __future__ import annotations

import ctypes
import importlib.machinery
import importlib.util
import sys

_SQLITE_CONFIG_MEMSTATUS = 9
_SQLITE_OK = 0


def turn_off_allocation_count() -> bool:
    """Whether SQLite's allocation count is now off in this process; False, changing nothing,
    when it is too late (``sqlite3`` already imported) or SQLite cannot be reached."""
    if "_sqlite3" in sys.modules:
        return False
    library = sqlite_library()
    if library is None:
        return False
    configure = library.sqlite3_config
    configure.restype = ctypes.c_int
    return bool(configure(_SQLITE_CONFIG_MEMSTATUS, ctypes.c_int(0)) == _SQLITE_OK)


def sqlite_library() -> ctypes.CDLL | None:
    """The SQLite that Python's ``sqlite3`` uses, found as importing it would find it: loading
    the ``_sqlite3`` extension's file resolves its SQLite exactly as the import does (the same
    search path; a copy linked into the extension itself), without initialising either."""
    spec = importlib.util.find_spec("_sqlite3")
    origin = spec.origin if spec is not None else None
    if origin is None or not origin.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)):
        return None  # built into the interpreter, or not there at all
    try:
        library = ctypes.CDLL(origin)
    except OSError:
        return None
    return library if hasattr(library, "sqlite3_config") else None
