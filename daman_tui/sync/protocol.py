"""What travels between a node and the sync service: plain JSON, versioned.

A *mutation* is one outbox entry as pushed. Its ``hash`` covers everything that defines
its effect, so the service can tell a retry of ``(node, seq)`` (same hash: answer the
stored outcome) from a store restored or copied that reuses the number for something
else (another hash: the node must take a new id).

An update carries ``{"set": {field: new}, "was": {field: old}}``: conflicts are decided
by comparing old and new values with what the central store holds, never by clocks.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
    "PROTOCOL",
    "Change",
    "Mutation",
    "Outcome",
    "OutcomeKind",
    "PullPage",
    "mutation_hash",
    "update_fields",
]

PROTOCOL = 1
"""Sent with every request; the service answers 426 to a version it no longer speaks."""


class OutcomeKind(StrEnum):
    APPLIED = "applied"
    """Taken as sent (or already in effect: a retry)."""
    MERGED = "merged"
    """Taken beside other changes made to the row since the node's base version."""
    CONFLICT = "conflict"
    """Some of it contradicts a change made elsewhere: recorded for a supervisor."""
    REJECTED = "rejected"
    """Refused by a rule (permission, state machine, another branch, malformed)."""


def mutation_hash(entity: str, entity_id: str, op: str, base_version: int, payload: Any) -> str:
    canonical = json.dumps(
        [entity, entity_id, op, base_version, payload],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Mutation:
    seq: int
    entity: str
    entity_id: str
    op: str  # insert | update | delete
    base_version: int
    payload: dict[str, Any]
    hash: str

    @classmethod
    def make(
        cls,
        seq: int,
        entity: str,
        entity_id: str,
        op: str,
        base_version: int,
        payload: dict[str, Any],
    ) -> Mutation:
        digest = mutation_hash(entity, entity_id, op, base_version, payload)
        return cls(seq, entity, entity_id, op, base_version, payload, digest)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Mutation:
        return cls(
            seq=int(data["seq"]),
            entity=str(data["entity"]),
            entity_id=str(data["entity_id"]),
            op=str(data["op"]),
            base_version=int(data["base_version"]),
            payload=dict(data["payload"]),
            hash=str(data["hash"]),
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def intact(self) -> bool:
        """Whether the hash matches the content (a damaged or forged entry does not)."""
        return self.hash == mutation_hash(
            self.entity, self.entity_id, self.op, self.base_version, self.payload
        )


def update_fields(payload: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The new values of an update and, when the node sent them, the old ones.

    Entries written before old values were recorded carry only the new values; they are
    still accepted (a laptop upgrades holding unsynced work) and judged by version.
    """
    if "set" in payload and isinstance(payload["set"], dict):
        was = payload.get("was")
        return dict(payload["set"]), dict(was) if isinstance(was, dict) else None
    return dict(payload), None


@dataclass(frozen=True)
class Outcome:
    seq: int
    outcome: OutcomeKind
    code: str = ""
    """Why, for a rejection or a conflict (``status.illegal``, ``row.deleted`` …)."""
    row_version: int | None = None
    conflict_id: str | None = None
    repeated: bool = False
    """This answer is the stored one of an earlier push of the same mutation."""
    central: dict[str, Any] | None = None
    """For a conflict or a refusal, the row as the central store holds it now (None with
    ``withdrawn``: it has no such row), so the node shows what counts at once. Sent only
    in the first answer, never stored: a repeated answer would carry an old row."""
    withdrawn: bool = False

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["outcome"] = self.outcome.value
        return data

    def stored(self) -> dict[str, Any]:
        """What the service keeps for a retry: everything but the row of the moment."""
        data = self.to_json()
        data.pop("central")
        data.pop("withdrawn")
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Outcome:
        return cls(
            seq=int(data["seq"]),
            outcome=OutcomeKind(data["outcome"]),
            code=str(data.get("code") or ""),
            row_version=data.get("row_version"),
            conflict_id=data.get("conflict_id"),
            repeated=bool(data.get("repeated")),
            central=data.get("central"),
            withdrawn=bool(data.get("withdrawn")),
        )


@dataclass(frozen=True)
class Change:
    """One committed row version in a stream, at ``pos``; ``txid`` groups a transaction."""

    pos: int
    txid: int
    entity: str
    entity_id: str
    row_version: int
    row: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Change:
        return cls(
            pos=int(data["pos"]),
            txid=int(data["txid"]),
            entity=str(data["entity"]),
            entity_id=str(data["entity_id"]),
            row_version=int(data["row_version"]),
            row=dict(data["row"]),
        )


@dataclass(frozen=True)
class PullPage:
    stream: str
    changes: list[Change] = field(default_factory=list)
    next: int = 0
    """The cursor after this page (the last position it holds, or the one asked after)."""
    head: int = 0
    """The stream's newest position when the page was read: what progress is measured to."""

    @property
    def more(self) -> bool:
        return self.next < self.head

    def to_json(self) -> dict[str, Any]:
        return {
            "stream": self.stream,
            "changes": [c.to_json() for c in self.changes],
            "next": self.next,
            "head": self.head,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PullPage:
        return cls(
            stream=str(data["stream"]),
            changes=[Change.from_json(c) for c in data["changes"]],
            next=int(data["next"]),
            head=int(data["head"]),
        )
