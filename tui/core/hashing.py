"""One content hash for config files (the watcher's snapshot, the load and check caches)."""
from __future__ import annotations

try:  # CPython's own BLAKE2: `import hashlib` would map OpenSSL's libcrypto (~3.5 MB resident)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b


def content_digest(data: bytes) -> bytes:
    return blake2b(data, digest_size=16).digest()
