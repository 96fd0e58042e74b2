"""What the fork server of the suggestion rounds loads once, for every round's child to inherit.

With ``services.round_worker.START_METHOD = "forkserver"`` (the test suite), each round's
process is forked from a server that has imported this module: the engine, numpy and the
packaged territories (0.3 s to load) are ready in the child from its first instruction.
"""

from __future__ import annotations

import services.round_worker  # noqa: F401  (the engine, numpy, the storage readers)
from territories import default_resolver

default_resolver()
