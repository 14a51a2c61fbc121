"""The decision clock of one application, read from the columns the store keeps for it.

The queue, the case file and the scheduling of a home visit all need the same answer to
"when is this case due": one function, so they can never disagree.
"""

from __future__ import annotations

from datetime import date, datetime

from daman_tui.domain.rules import rule_set_for
from daman_tui.domain.sla import Clock, days_between, decision_clock

__all__ = ["application_clock", "closed_pause_days"]


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def application_clock(
    submitted_at: datetime | None,
    decided_at: datetime | None,
    paused_days: int,
    paused_since: datetime | None,
    today: date,
) -> Clock | None:
    """The clock of an application on ``today``; None while it was never submitted.

    ``paused_days`` are the counted days of pauses already over (they move the due day
    later); ``paused_since`` is the start of a pause still open. The rule set is the one
    in force on the submission day: a case keeps the limit it was submitted under.
    """
    submitted = _day(submitted_at)
    if submitted is None:
        return None
    decided = _day(decided_at)
    rules = rule_set_for(submitted)
    paused = _day(paused_since)
    return decision_clock(
        submitted,
        max(today, submitted),
        rules.calendar,
        limit_days=rules.decision_limit_days + paused_days,
        paused_periods=[(paused, None)] if paused is not None and decided is None else (),
        decided=decided,
    )


def closed_pause_days(submitted_at: datetime, paused_since: datetime, today: date) -> int:
    """The counted days of a pause begun at ``paused_since`` and ending ``today``.

    Counted as :func:`~daman_tui.domain.sla.decision_clock` counts an open pause (the day
    of the request is still a day of the clock, the day the documents come back is not),
    so closing a pause leaves the due day where the open pause had put it.
    """
    rules = rule_set_for(submitted_at.date())
    start = max(paused_since.date(), submitted_at.date())
    return max(0, days_between(start, today, rules.calendar))
