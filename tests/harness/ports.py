"""A port for a server a test starts (a webhook, a homeserver, a metrics endpoint)."""

from __future__ import annotations

import random
import socket
from pathlib import Path

LOWEST = 20000
"""Below the ports of the kernel's ephemeral range, above the well-known and most registered ones."""


def _ephemeral_start() -> int:
    """The first port the kernel hands to outgoing connections and to ``bind(0)`` (Linux; 32768 elsewhere)."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def server_port() -> int:
    """A TCP port free on every interface now, outside the ephemeral range: a port chosen by ``bind(0)`` comes from that
    range, where any outgoing connection (to PostgreSQL, to the emulator) may take it between the choice and the
    server's own bind (« address already in use » seen in CI with two test workers); drawn at random so that tests
    running side by side rarely draw the same one, and checked free."""
    high = _ephemeral_start() - 1
    draw = random.SystemRandom()
    for _ in range(500):
        port = draw.randint(LOWEST, high)
        with socket.socket() as sock:
            try:
                sock.bind(("0.0.0.0", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between {LOWEST} and {high}")
