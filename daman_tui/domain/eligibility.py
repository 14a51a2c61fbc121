"""The income test of eligibility (seed 004): threshold, counted income, entitlement.

The threshold is 1100 SAR for the head (المستقل / رب الأسرة) plus 550 SAR for each other
member; the monthly entitlement is the threshold less the calculated income, when positive.
Amounts are integer halalas. The full rule engine (every condition, versioned rule sets)
builds on these functions.
"""

from __future__ import annotations

__all__ = ["HEAD_THRESHOLD_HALALAS", "MEMBER_THRESHOLD_HALALAS", "entitlement", "threshold"]

HEAD_THRESHOLD_HALALAS = 110_000
MEMBER_THRESHOLD_HALALAS = 55_000


def threshold(
    member_count: int,
    *,
    head: int = HEAD_THRESHOLD_HALALAS,
    per_member: int = MEMBER_THRESHOLD_HALALAS,
) -> int:
    """The household's income threshold in halalas; ``member_count`` includes the head."""
    if member_count < 1:
        raise ValueError("a household has at least its head")
    return head + per_member * (member_count - 1)


def entitlement(threshold_halalas: int, counted_income_halalas: int) -> int:
    """The monthly amount due: the gap below the threshold, never negative."""
    return max(0, threshold_halalas - counted_income_halalas)
