"""What a database's files hold on disk, read by another process.

Never read a live SQLite file from the test's own process: closing the descriptor releases every
POSIX lock the process holds on that file, the bot's connections' included. A round's process
could then re-initialise the ``-shm`` index the bot's writer has mapped, which killed the test
process with SIGBUS (``tests/core/test_database_locks.py``).
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

_READ = """
import pickle, sys
from pathlib import Path
files = {}
for name in sys.argv[1:]:
    path = Path(name)
    if path.exists():
        files[path.name] = path.read_bytes()
sys.stdout.buffer.write(pickle.dumps(files))
"""


def database_files(path: str | Path) -> dict[str, bytes]:
    """The database file, its WAL and its shared-memory index as they are on disk now (by file name; missing ones left out)."""
    names = [str(path), f"{path}-wal", f"{path}-shm"]
    done = subprocess.run([sys.executable, "-c", _READ, *names], capture_output=True, timeout=120, check=True)
    files: dict[str, bytes] = pickle.loads(done.stdout)
    return files
