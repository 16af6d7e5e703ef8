"""The content-hash seam: one hash for config files (the watcher's snapshot, the load cache,
the check cache), and the one place that chooses its implementation.

CPython's own BLAKE2 module is used directly where it exists: `hashlib` would also load
OpenSSL's libcrypto into every monitor, which costs resident memory and start-up time
(bench/README.md, "content hash"); the public `hashlib` is the fallback elsewhere.
"""
from __future__ import annotations

from typing import Any

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - Pythons without the built-in module
    from hashlib import blake2b


def content_digest(data: bytes) -> bytes:
    """A 16-byte digest of `data`."""
    return blake2b(data, digest_size=16).digest()


def content_hasher() -> Any:
    """An incremental hasher (`update`, `hexdigest`) for digests of several files."""
    return blake2b(digest_size=16)
