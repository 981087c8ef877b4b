"""Data core, settings, HTTP app and CLI of stratagraph."""

from service.core.sqlite_allocator import turn_off_allocation_count

# Before anything imports sqlite3, which starts SQLite (service.core.sqlite_allocator says why).
turn_off_allocation_count()
