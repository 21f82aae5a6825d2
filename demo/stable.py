"""The one source of the demo's variety: a stable hash of a text (the same on every run and machine)."""

import hashlib


def stable_hash(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")
