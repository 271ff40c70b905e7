"""Named random streams derived from the run seed (docs/design.md, "Determinism").

Each actor draws from its own stream, seeded from (run seed, stream name) through a hash, so
adding an actor or a draw in one body never shifts the numbers another body sees, and no code
touches Python's global generator.
"""

from __future__ import annotations

import hashlib
import random


def derive_seed(seed: int, name: str) -> int:
    digest = hashlib.blake2b(f"{seed}\x1f{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


class Streams:
    """One ``random.Random`` per name, created on first use."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._streams: dict[str, random.Random] = {}

    def __call__(self, name: str) -> random.Random:
        stream = self._streams.get(name)
        if stream is None:
            stream = self._streams[name] = random.Random(derive_seed(self.seed, name))
        return stream
