"""SQLite storage: one aiosqlite connection, numbered migrations, one module per aggregate.

Repository functions take a ``sqlite3.Connection`` and run on the database thread, so that a
whole conversation step (dedupe, load, save, effects) is one transaction and one thread hop.
"""

from storage.database import Database

__all__ = ["Database"]
