"""Payments (الدفعات المالية): the moves of a payment's status and why a payment is held.

A payment is due when the cycle makes it, paid on day 1 of the month, held while its
case is suspended or under investigation, and returned when the bank sends it back.
The moves are few and explicit, like the application's state machine: a table is
easier to audit than code paths, and money must not move by a path nobody listed.
"""

from __future__ import annotations

from daman_tui.domain.enums import PaymentStatus
from daman_tui.domain.errors import IllegalTransition

__all__ = [
    "HELD_REASON_MAX",
    "SUSPENSION_HOLD",
    "check_payment_move",
    "is_suspension_hold",
    "payment_moves",
    "suspension_hold_reason",
]

_P = PaymentStatus
_MOVES: dict[PaymentStatus, frozenset[PaymentStatus]] = {
    _P.DUE: frozenset({_P.PAID, _P.HELD}),
    _P.HELD: frozenset({_P.DUE}),
    _P.PAID: frozenset({_P.RETURNED}),
    _P.RETURNED: frozenset({_P.DUE}),
}

# The staff's words (the catalogue's enum.PaymentStatus), for messages built here.
_AR = {_P.DUE: "مستحقة", _P.PAID: "مصروفة", _P.HELD: "موقوفة", _P.RETURNED: "مرتجعة"}

SUSPENSION_HOLD = "الحالة موقوفة"
"""How a payment held because its case is suspended says so: the whole reason (the
monthly cycle's hold), or the start of it followed by ": " and the suspension's reason.
Lifting the suspension releases exactly these; a payment held for anything else (a
returned payment under investigation) waits for a supervisor."""

HELD_REASON_MAX = 500
"""Characters ``payment.held_reason`` holds."""


def payment_moves(source: PaymentStatus) -> frozenset[PaymentStatus]:
    """The statuses a payment in ``source`` may move to: due → paid | held, held → due,
    paid → returned, returned → due (paid again)."""
    return _MOVES[source]


def check_payment_move(source: PaymentStatus, target: PaymentStatus) -> None:
    """Refuse a move :func:`payment_moves` does not list (staying put is no move)."""
    if target not in payment_moves(source):
        allowed = sorted(t.value for t in payment_moves(source))
        raise IllegalTransition(
            "payment.illegal",
            f"لا تنتقل الدفعة من «{_AR[source]}» إلى «{_AR[target]}»؛ "
            f"المسموح: {'، '.join(_AR[PaymentStatus(t)] for t in allowed)}.",
            f"A payment cannot move from '{source.value}' to '{target.value}'; "
            f"allowed: {', '.join(allowed)}.",
            source=source.value,
            target=target.value,
        )


def suspension_hold_reason(reason: str) -> str:
    """The ``held_reason`` of a payment held by suspending its case for ``reason``."""
    reason = " ".join(reason.split())
    text = f"{SUSPENSION_HOLD}: {reason}" if reason else SUSPENSION_HOLD
    return text[:HELD_REASON_MAX]


def is_suspension_hold(held_reason: str) -> bool:
    """Whether a payment was held because its case is suspended (and nothing else)."""
    return held_reason == SUSPENSION_HOLD or held_reason.startswith(f"{SUSPENSION_HOLD}: ")
