"""The audit hash chain: how an entry's hash is made, and how a chain is checked.

Each entry's hash covers its own content and the previous entry's hash, so an edited,
deleted or reordered entry breaks the chain from that point on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["GENESIS", "ChainBreak", "canonical_json", "entry_hash", "verify_chain"]

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    """One text for one value: sorted keys, no spaces, non-JSON values as strings."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    """SHA-256 over the previous hash and the canonical form of ``content``."""
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii"))
    digest.update(canonical_json(dict(content)).encode("utf-8"))
    return digest.hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain stops holding, and why."""

    seq: int
    entry_id: str
    problem: str  # "prev_hash" (an entry before it is gone or moved) | "hash" (edited)


def verify_chain(
    entries: Iterable[tuple[int, str, str, str, Mapping[str, Any]]],
) -> list[ChainBreak]:
    """Check ``(seq, id, prev_hash, hash, content)`` tuples in ``seq`` order."""
    breaks: list[ChainBreak] = []
    expected_prev = GENESIS
    for seq, entry_id, prev_hash, stored_hash, content in entries:
        if prev_hash != expected_prev:
            breaks.append(ChainBreak(seq, entry_id, "prev_hash"))
        if entry_hash(prev_hash, content) != stored_hash:
            breaks.append(ChainBreak(seq, entry_id, "hash"))
        expected_prev = stored_hash
    return breaks
