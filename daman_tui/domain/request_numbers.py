"""Request numbers (رقم الطلب) that offline nodes can hand out without colliding.

A request number is read out at the counter and printed on the receipt, so it is short
and unambiguous: the branch code, the day, this node's tag and a node-local counter.
Two nodes of one branch differ by tag; one node never reuses a counter value.
"""

from __future__ import annotations

import hashlib
from datetime import date

__all__ = ["format_request_number", "node_tag_for"]

# Crockford's base32: no I, L, O or U to misread on a receipt or over the phone.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def node_tag_for(node_id: str) -> str:
    """A three-character tag derived from a node id."""
    value = int.from_bytes(hashlib.sha256(node_id.encode()).digest()[:4], "big")
    chars = []
    for _ in range(3):
        value, rem = divmod(value, 32)
        chars.append(_ALPHABET[rem])
    return "".join(chars)


def format_request_number(branch_code: str, day: date, node_tag: str, seq: int) -> str:
    """E.g. ``RYD01-261121-K3F-00042``."""
    return f"{branch_code}-{day:%y%m%d}-{node_tag}-{seq:05d}"
