"""Content hashing shared by record IDs, the LLM cache, dedup and splits.

One canonical JSON encoding (sorted keys, no whitespace, UTF-8) feeds one hash function, so a
value hashes the same in every process, on every machine, in every run.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from typing import Any

_WS = re.compile(r"\s+")


def canonical_json(value: Any) -> str:
    """Encode ``value`` as canonical JSON (sorted keys, compact, non-ASCII kept)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(value: Any, *, size: int = 16) -> str:
    """Hex digest (``2*size`` chars) of the canonical JSON of ``value``."""
    data = value if isinstance(value, str) else canonical_json(value)
    return hashlib.blake2b(data.encode("utf-8"), digest_size=size).hexdigest()


def record_id(kind: str, value: Any) -> str:
    """A record ID: a short kind prefix and a content hash, e.g. ``tp_3f2a...``."""
    return f"{kind}_{content_hash(value, size=10)}"


def normalize_text(text: str) -> str:
    """NFKC, case-folded, whitespace-collapsed text: the form that IDs and dedup compare."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def hash_unit(key: str, seed: int | str = 0) -> float:
    """A deterministic number in [0, 1) from ``key`` and ``seed`` (for hash-based splits)."""
    digest = hashlib.blake2b(f"{seed}\x1f{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def hash64(text: str, seed: int = 0) -> int:
    """A 64-bit unsigned integer hash of ``text`` (for MinHash and bucketing)."""
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8, salt=seed.to_bytes(16, "big"))
    return int.from_bytes(digest.digest(), "big")
