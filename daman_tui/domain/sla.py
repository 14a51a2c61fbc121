"""Service-level clocks: the 20-day decision clock and the objection clock.

A decision with reasons is due within 20 days of submission, the home visit included
(seed 004). The rule set says whether those are calendar days or working days; working
days skip the weekend (Friday and Saturday) and the official holidays the rule set lists.
While the case waits on the applicant for documents the clock is paused, and the due
date moves later by the length of the pause.

Day counting, used everywhere in this module:

* The start day is day 0. ``add_days(start, n)`` is the n-th counted day *after*
  ``start``: with calendar days simply ``start + n``; with working days the n-th working
  day after ``start`` (so a due date is always a working day, whatever day the case was
  submitted on).
* ``days_between(a, b)`` is how many counted days lie in ``(a, b]`` (after ``a``, up to
  and including ``b``), negative when ``b`` is before ``a``. It is the exact inverse of
  ``add_days``: ``days_between(a, add_days(a, n)) == n`` for every ``n >= 0``.

Everything here is pure: "today" is always a parameter, never read from the clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

__all__ = [
    "CALENDAR_DAYS",
    "DECISION_LIMIT_DAYS",
    "DUE_SOON_DAYS",
    "OBJECTION_LIMIT_DAYS",
    "Calendar",
    "Clock",
    "ClockState",
    "add_days",
    "days_between",
    "decision_clock",
    "objection_clock",
]

DECISION_LIMIT_DAYS = 20
"""Days from submission to a decision, the visit included (seed 004)."""

OBJECTION_LIMIT_DAYS = 20
"""Days from filing an objection to its decision (our choice; the seeds give none).

Set equal to the decision limit: deciding an objection is a review of a decision, no
lighter than the decision itself. The rule set may say otherwise.
"""

DUE_SOON_DAYS = 3
"""A running clock with this many days left or fewer is "due_soon"."""

ClockState = Literal["ok", "due_soon", "overdue", "paused", "stopped"]

_ONE_DAY = timedelta(days=1)
_FRIDAY, _SATURDAY = 4, 5  # date.weekday(): Monday is 0


@dataclass(frozen=True, slots=True)
class Calendar:
    """How days are counted, as the rule set says.

    ``working_days`` False counts every calendar day and ignores the other two fields.
    True counts only days whose ``date.weekday()`` is not in ``weekend`` (Friday=4 and
    Saturday=5, the Saudi weekend) and that are not in ``holidays`` (the official
    holidays, e.g. the Eid breaks and National Day, listed by the rule set since Eid
    dates follow the moon sighting and are only known each year).
    """

    working_days: bool
    weekend: frozenset[int] = field(default_factory=lambda: frozenset({_FRIDAY, _SATURDAY}))
    holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if not self.weekend <= frozenset(range(7)):
            raise ValueError(f"weekend days are 0 (Monday) to 6 (Sunday), got {self.weekend}")
        if len(self.weekend) == 7:
            # Nothing would ever be due: add_days would search forever.
            raise ValueError("a week needs at least one working day")

    def counts(self, day: date) -> bool:
        """Whether ``day`` counts towards a limit."""
        if not self.working_days:
            return True
        return day.weekday() not in self.weekend and day not in self.holidays


CALENDAR_DAYS = Calendar(working_days=False)
"""Every day counts."""


def add_days(start: date, days: int, cal: Calendar) -> date:
    """The ``days``-th counted day after ``start`` (``start`` itself is day 0).

    ``days`` 0 gives ``start`` unchanged, even on a weekend. Raises ``ValueError`` for a
    negative ``days``: limits and pauses are never negative, and counting backwards
    from a non-working day has no single right answer.
    """
    if days < 0:
        raise ValueError(f"days must not be negative, got {days}")
    if not cal.working_days:
        return start + timedelta(days=days)
    day = start
    remaining = days
    while remaining:
        day += _ONE_DAY
        if cal.counts(day):
            remaining -= 1
    return day


def days_between(a: date, b: date, cal: Calendar) -> int:
    """Counted days in ``(a, b]``; ``-days_between(b, a)`` when ``b`` is before ``a``.

    With calendar days this is ``(b - a).days``.
    """
    if b < a:
        return -days_between(b, a, cal)
    if not cal.working_days:
        return (b - a).days
    # Whole weeks in one step: a clock over a year-long pause stays cheap in a list of
    # thousands of cases. Each full week has 7 - len(weekend) working days; holidays in
    # the range are then taken off one by one.
    span = (b - a).days
    weeks, extra = divmod(span, 7)
    count = weeks * (7 - len(cal.weekend))
    day = a + timedelta(days=weeks * 7)
    for _ in range(extra):
        day += _ONE_DAY
        if day.weekday() not in cal.weekend:
            count += 1
    count -= sum(1 for h in cal.holidays if a < h <= b and h.weekday() not in cal.weekend)
    return count


@dataclass(frozen=True, slots=True)
class Clock:
    """Where a case stands against its limit on a given day.

    ``due``: the last day the decision is on time. ``days_left``: counted days from
    today to ``due`` (from the decision day once stopped, from the next working day
    while paused on a day off); 0 means due today, and it is negative exactly when
    ``overdue`` (at least -1 once the due day has passed, even over a weekend).
    ``paused_days``: the counted days the clock stood still, already added to ``due``.
    ``state``: "stopped" once decided, else "paused" while a pause is open, else
    "overdue", else "due_soon" within the threshold, else "ok".
    """

    due: date
    days_left: int
    overdue: bool
    paused: bool
    state: ClockState
    paused_days: int = 0


def _merge_pauses(
    periods: Sequence[tuple[date, date | None]], start: date, end: date
) -> list[tuple[date, date, bool]]:
    """The pauses clipped to ``[start, end]`` and merged where they overlap or touch.

    Each result is ``(from, to, open)``, ``open`` when it is still running at ``end``.
    Merging makes the answer independent of how the store happened to split or repeat
    the periods: a day waiting on the applicant is counted once.
    """
    clipped: list[tuple[date, date, bool]] = []
    for begin, finish in periods:
        if finish is not None and finish < begin:
            raise ValueError(f"a pause ends ({finish}) before it begins ({begin})")
        if begin > end:
            continue  # not begun yet on the day the clock is read
        lo = max(begin, start)
        # A pause ending after ``end`` is still running on that day.
        is_open = finish is None or finish > end
        hi = end if finish is None or is_open else finish
        if hi < lo:
            continue  # ended before the clock started
        clipped.append((lo, hi, is_open))
    clipped.sort()
    merged: list[tuple[date, date, bool]] = []
    for lo, hi, is_open in clipped:
        if merged and lo <= merged[-1][1]:
            prev_lo, prev_hi, prev_open = merged[-1]
            merged[-1] = (prev_lo, max(prev_hi, hi), prev_open or is_open)
        else:
            merged.append((lo, hi, is_open))
    return merged


def _next_counted(day: date, cal: Calendar) -> date:
    """``day`` if it counts, else the first counted day after it."""
    while not cal.counts(day):
        day += _ONE_DAY
    return day


def _clock(
    started: date,
    today: date,
    cal: Calendar,
    *,
    limit_days: int,
    paused_periods: Sequence[tuple[date, date | None]],
    decided: date | None,
    due_soon_days: int,
) -> Clock:
    if limit_days < 0:
        raise ValueError(f"limit_days must not be negative, got {limit_days}")
    if decided is not None and decided < started:
        raise ValueError(f"decided ({decided}) is before the clock started ({started})")
    # A decided case is read as of its decision: later pauses cannot concern it.
    as_of = decided if decided is not None else today
    pauses = _merge_pauses(paused_periods, started, as_of)
    paused = decided is None and any(is_open for _, _, is_open in pauses)
    if paused:
        # A pause still open on a weekend or holiday lasts at least until the next
        # counted day, the first day documents can be received. Reading the clock as of
        # that day keeps days_left exactly where it was when the pause began (the due day
        # and the reading day move together), and due is what it will be if the
        # documents come in then.
        as_of = _next_counted(as_of, cal)
        pauses = [(lo, as_of if is_open else hi, is_open) for lo, hi, is_open in pauses]
    paused_days = sum(days_between(lo, hi, cal) for lo, hi, _ in pauses)
    due = add_days(started, limit_days + paused_days, cal)
    days_left = days_between(as_of, due, cal)
    overdue = as_of > due
    if overdue:
        # On a weekend right after the due day no working day has been lost yet, but the
        # date has passed: show it as one day late, so "overdue" and "days_left < 0" are
        # the same thing for every reader.
        days_left = min(days_left, -1)
    state: ClockState
    if decided is not None:
        state = "stopped"
    elif paused:
        state = "paused"
    elif overdue:
        state = "overdue"
    elif days_left <= due_soon_days:
        state = "due_soon"
    else:
        state = "ok"
    return Clock(
        due=due,
        days_left=days_left,
        overdue=overdue,
        paused=paused,
        state=state,
        paused_days=paused_days,
    )


def decision_clock(
    submitted: date,
    today: date,
    cal: Calendar,
    *,
    limit_days: int = DECISION_LIMIT_DAYS,
    paused_periods: Sequence[tuple[date, date | None]] = (),
    decided: date | None = None,
    due_soon_days: int = DUE_SOON_DAYS,
) -> Clock:
    """The decision clock of an application submitted on ``submitted``, read on ``today``.

    ``due = add_days(submitted, limit_days + paused_days)``: the submission day is day 0,
    and the visit runs inside the limit (no pause for it).

    ``paused_periods`` are the spans the case waited on the applicant for documents, as
    ``(requested, received)``; ``received`` None means still waiting. A pause's length is
    ``days_between(requested, received)`` in the calendar's counting (the day of the
    request is still a day of the clock, the day the documents come back is not), and
    overlapping pauses count once. A still-open pause runs to ``today`` (on a weekend or
    holiday, to the next working day: documents cannot come in before it) and ``state``
    is "paused": the due date moves later with every counted day of the pause, so
    ``days_left`` stands still at what was left when the pause began, and ``due`` is the
    due date if the documents came in today (or that next working day). Pauses outside
    the clock's life (before ``submitted``, after ``today`` or after the decision) are
    ignored.

    ``decided`` stops the clock: everything is computed as of the decision day, so
    ``days_left`` is frozen at what was left then (negative if the decision was late)
    and ``state`` is "stopped".

    Raises ``ValueError`` for a negative limit, a decision before the submission or a
    pause that ends before it begins: those are broken data, not a state of a case.
    """
    return _clock(
        submitted,
        today,
        cal,
        limit_days=limit_days,
        paused_periods=paused_periods,
        decided=decided,
        due_soon_days=due_soon_days,
    )


def objection_clock(
    filed: date,
    today: date,
    cal: Calendar,
    *,
    limit_days: int = OBJECTION_LIMIT_DAYS,
    paused_periods: Sequence[tuple[date, date | None]] = (),
    decided: date | None = None,
    due_soon_days: int = DUE_SOON_DAYS,
) -> Clock:
    """The clock of an objection confirmed on ``filed``; rules as :func:`decision_clock`.

    It starts when the objection is confirmed (a draft does not count), pauses while
    the objector is asked for more evidence, and stops at the supervisor's decision
    (upheld or dismissed).
    """
    return _clock(
        filed,
        today,
        cal,
        limit_days=limit_days,
        paused_periods=paused_periods,
        decided=decided,
        due_soon_days=due_soon_days,
    )
