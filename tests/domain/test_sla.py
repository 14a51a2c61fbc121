"""The decision and objection clocks: day counting, pauses, states."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from daman_tui.domain.sla import (
    CALENDAR_DAYS,
    DECISION_LIMIT_DAYS,
    Calendar,
    Clock,
    add_days,
    days_between,
    decision_clock,
    objection_clock,
)

WORKING = Calendar(working_days=True)
SUNDAY = date(2026, 11, 1)  # a Sunday: the first day of the Saudi working week
HOLIDAY = date(2026, 11, 10)  # a Tuesday, as if it were an official holiday
WORKING_WITH_HOLIDAY = Calendar(working_days=True, holidays=frozenset({HOLIDAY}))

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
holidays = st.frozensets(days, max_size=30)
weekends = st.frozensets(st.integers(0, 6), max_size=6)
calendars = st.one_of(
    st.just(CALENDAR_DAYS),
    st.builds(Calendar, st.just(True), weekends, holidays),
    st.builds(Calendar, st.just(True), st.just(frozenset({4, 5})), holidays),
)
counts = st.integers(min_value=0, max_value=120)


def brute_count(a: date, b: date, cal: Calendar) -> int:
    """Counted days in (a, b], one by one: the reference for days_between."""
    if b < a:
        return -brute_count(b, a, cal)
    return sum(cal.counts(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))


# --- the calendar ---------------------------------------------------------------------------


def test_the_default_weekend_is_friday_and_saturday() -> None:
    assert WORKING.weekend == frozenset({4, 5})
    assert not WORKING.counts(date(2026, 11, 6))  # Friday
    assert not WORKING.counts(date(2026, 11, 7))  # Saturday
    assert WORKING.counts(SUNDAY)
    assert not WORKING_WITH_HOLIDAY.counts(HOLIDAY)
    assert CALENDAR_DAYS.counts(date(2026, 11, 6))


@pytest.mark.parametrize("weekend", [frozenset(range(7)), frozenset({7}), frozenset({-1})])
def test_an_impossible_weekend_is_refused(weekend: frozenset[int]) -> None:
    with pytest.raises(ValueError, match=r"weekend|working day"):
        Calendar(working_days=True, weekend=weekend)


def test_add_days_examples() -> None:
    assert add_days(SUNDAY, 20, CALENDAR_DAYS) == date(2026, 11, 21)
    assert add_days(SUNDAY, 20, WORKING) == date(2026, 11, 29)
    assert add_days(SUNDAY, 20, WORKING_WITH_HOLIDAY) == date(2026, 11, 30)
    thursday = date(2026, 11, 5)
    assert add_days(thursday, 1, WORKING) == date(2026, 11, 8)  # over the weekend
    assert add_days(date(2026, 11, 6), 0, WORKING) == date(2026, 11, 6)  # day 0 is the start


def test_add_days_refuses_a_negative_count() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_days(SUNDAY, -1, WORKING)


def test_days_between_examples() -> None:
    thursday, sunday = date(2026, 11, 5), date(2026, 11, 8)
    assert days_between(thursday, sunday, WORKING) == 1
    assert days_between(sunday, thursday, WORKING) == -1
    assert days_between(thursday, sunday, CALENDAR_DAYS) == 3
    assert days_between(SUNDAY, SUNDAY, WORKING) == 0
    assert days_between(SUNDAY, date(2026, 11, 30), WORKING_WITH_HOLIDAY) == 20


@given(days, counts, calendars)
def test_add_days_then_days_between_round_trips(start: date, n: int, cal: Calendar) -> None:
    assert days_between(start, add_days(start, n, cal), cal) == n


@given(days, days, calendars)
def test_days_between_counts_the_days_one_by_one(a: date, b: date, cal: Calendar) -> None:
    assume(abs((b - a).days) <= 800)
    assert days_between(a, b, cal) == brute_count(a, b, cal)
    assert days_between(b, a, cal) == -days_between(a, b, cal)


@given(days, days)
def test_calendar_days_are_plain_differences(a: date, b: date) -> None:
    assert days_between(a, b, CALENDAR_DAYS) == (b - a).days


@given(days, st.integers(min_value=1, max_value=120), calendars)
def test_a_working_day_result_is_never_a_weekend_or_holiday(
    start: date, n: int, cal: Calendar
) -> None:
    result = add_days(start, n, cal)
    assert cal.counts(result)
    if cal.working_days:
        assert result.weekday() not in cal.weekend and result not in cal.holidays


@given(days, counts, counts, calendars)
def test_add_days_composes(start: date, m: int, n: int, cal: Calendar) -> None:
    assert add_days(add_days(start, m, cal), n, cal) == add_days(start, m + n, cal)


# --- the decision clock ------------------------------------------------------------------


def test_a_fresh_case() -> None:
    clock = decision_clock(SUNDAY, SUNDAY, WORKING)
    assert clock == Clock(
        due=date(2026, 11, 29), days_left=20, overdue=False, paused=False, state="ok"
    )


def test_states_along_the_way() -> None:
    due = date(2026, 11, 21)
    assert decision_clock(SUNDAY, due - timedelta(days=4), CALENDAR_DAYS).state == "ok"
    assert decision_clock(SUNDAY, due - timedelta(days=3), CALENDAR_DAYS).state == "due_soon"
    on_the_day = decision_clock(SUNDAY, due, CALENDAR_DAYS)
    assert (on_the_day.days_left, on_the_day.state, on_the_day.overdue) == (0, "due_soon", False)
    late = decision_clock(SUNDAY, due + timedelta(days=2), CALENDAR_DAYS)
    assert (late.days_left, late.state, late.overdue) == (-2, "overdue", True)


def test_the_due_soon_threshold_is_a_parameter() -> None:
    today = date(2026, 11, 16)  # 5 days left
    assert decision_clock(SUNDAY, today, CALENDAR_DAYS).state == "ok"
    assert decision_clock(SUNDAY, today, CALENDAR_DAYS, due_soon_days=5).state == "due_soon"
    assert decision_clock(SUNDAY, today, CALENDAR_DAYS, due_soon_days=0).state == "ok"


def test_the_weekend_after_the_due_day_is_already_overdue() -> None:
    thursday_due = add_days(date(2026, 10, 8), 20, WORKING)
    assert thursday_due.weekday() == 3
    friday = thursday_due + timedelta(days=1)
    clock = decision_clock(date(2026, 10, 8), friday, WORKING)
    assert (clock.days_left, clock.overdue, clock.state) == (-1, True, "overdue")
    sunday = decision_clock(date(2026, 10, 8), friday + timedelta(days=2), WORKING)
    assert sunday.days_left == -1
    monday = decision_clock(date(2026, 10, 8), friday + timedelta(days=3), WORKING)
    assert monday.days_left == -2


def test_a_closed_pause_moves_the_due_date_by_its_length() -> None:
    pause = (
        date(2026, 11, 3),
        date(2026, 11, 10),
    )  # 7 calendar days, 5 working days (Fri, Sat off)
    today = date(2026, 11, 12)
    calendar = decision_clock(SUNDAY, today, CALENDAR_DAYS, paused_periods=[pause])
    assert (calendar.due, calendar.paused_days) == (date(2026, 11, 28), 7)
    working = decision_clock(SUNDAY, today, WORKING, paused_periods=[pause])
    assert (working.due, working.paused_days, working.paused) == (date(2026, 12, 6), 5, False)


def test_an_open_pause_is_paused_and_holds_days_left() -> None:
    pause = [(date(2026, 11, 10), None)]
    before = decision_clock(SUNDAY, date(2026, 11, 10), CALENDAR_DAYS, paused_periods=pause)
    later = decision_clock(SUNDAY, date(2026, 12, 30), CALENDAR_DAYS, paused_periods=pause)
    assert before.state == later.state == "paused"
    assert before.paused and later.paused
    assert before.days_left == later.days_left == 11
    assert later.due == date(2027, 1, 10)
    assert not later.overdue


def test_an_open_pause_over_a_weekend_reads_as_of_the_next_working_day() -> None:
    submitted = date(2026, 10, 8)
    due = add_days(submitted, 20, WORKING)
    pause = [(due, None)]  # documents requested on the due day itself: nothing left
    for today in (due, due + timedelta(days=1), due + timedelta(days=2)):  # Thu, Fri, Sat
        clock = decision_clock(submitted, today, WORKING, paused_periods=pause)
        assert (clock.state, clock.days_left, clock.overdue) == ("paused", 0, False)
    friday = decision_clock(submitted, due + timedelta(days=1), WORKING, paused_periods=pause)
    assert friday.due == due + timedelta(days=3)  # if the documents come in on Sunday
    received_sunday = decision_clock(
        submitted,
        due + timedelta(days=3),
        WORKING,
        paused_periods=[(due, due + timedelta(days=3))],
    )
    assert (received_sunday.due, received_sunday.days_left) == (friday.due, 0)


def test_overlapping_and_repeated_pauses_count_once() -> None:
    today = date(2026, 11, 12)
    once = decision_clock(
        SUNDAY, today, CALENDAR_DAYS, paused_periods=[(date(2026, 11, 3), date(2026, 11, 10))]
    )
    assert once.paused_days == 7
    messy = decision_clock(
        SUNDAY,
        today,
        CALENDAR_DAYS,
        paused_periods=[
            (date(2026, 11, 5), date(2026, 11, 10)),
            (date(2026, 11, 3), date(2026, 11, 7)),
            (date(2026, 11, 3), date(2026, 11, 10)),
        ],
    )
    assert messy.due == once.due


def test_pauses_outside_the_clock_are_ignored() -> None:
    today = date(2026, 11, 12)
    clock = decision_clock(
        SUNDAY,
        today,
        CALENDAR_DAYS,
        paused_periods=[
            (date(2026, 10, 1), date(2026, 10, 20)),  # before submission
            (date(2026, 10, 30), date(2026, 11, 3)),  # straddles it: 2 days count
            (date(2026, 11, 20), None),  # not begun yet
        ],
    )
    assert (clock.paused_days, clock.paused) == (2, False)


def test_a_pause_ending_before_it_begins_is_broken_data() -> None:
    with pytest.raises(ValueError, match="before it begins"):
        decision_clock(SUNDAY, SUNDAY, WORKING, paused_periods=[(date(2026, 11, 5), SUNDAY)])


def test_a_decided_case_is_stopped_and_frozen() -> None:
    decided = date(2026, 11, 18)
    clocks = [
        decision_clock(SUNDAY, today, CALENDAR_DAYS, decided=decided)
        for today in (decided, decided + timedelta(days=30), decided + timedelta(days=400))
    ]
    assert {c.state for c in clocks} == {"stopped"}
    assert {c.days_left for c in clocks} == {3}
    assert not any(c.paused or c.overdue for c in clocks)


def test_a_late_decision_stays_overdue_and_ends_a_pause() -> None:
    late = decision_clock(
        SUNDAY,
        date(2027, 1, 1),
        CALENDAR_DAYS,
        paused_periods=[(date(2026, 11, 11), None)],
        decided=date(2026, 12, 1),
    )
    assert late.state == "stopped"
    assert not late.paused
    assert late.paused_days == 20  # the pause counted only until the decision
    assert (late.due, late.days_left, late.overdue) == (date(2026, 12, 11), 10, False)
    really_late = decision_clock(SUNDAY, date(2027, 1, 1), CALENDAR_DAYS, decided=date(2026, 12, 1))
    assert (really_late.days_left, really_late.overdue) == (-10, True)


@pytest.mark.parametrize(
    "kwargs",
    [{"limit_days": -1}, {"decided": date(2026, 10, 31)}],
)
def test_broken_clock_data_raises(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        decision_clock(SUNDAY, SUNDAY, WORKING, **kwargs)  # type: ignore[arg-type]


def test_objection_clock_has_its_own_limit() -> None:
    clock = objection_clock(SUNDAY, SUNDAY, CALENDAR_DAYS, limit_days=30)
    assert clock.due == date(2026, 12, 1)
    assert objection_clock(SUNDAY, SUNDAY, WORKING) == decision_clock(SUNDAY, SUNDAY, WORKING)


# --- clock properties --------------------------------------------------------------------


pauses = st.lists(
    st.tuples(
        st.integers(min_value=-10, max_value=60),
        st.one_of(st.none(), st.integers(min_value=0, max_value=40)),
    ),
    max_size=4,
)


def _periods(start: date, spec: list[tuple[int, int | None]]) -> list[tuple[date, date | None]]:
    return [
        (
            start + timedelta(days=offset),
            None if length is None else start + timedelta(days=offset + length),
        )
        for offset, length in spec
    ]


@given(days, st.integers(0, 60), calendars, st.integers(0, 40))
def test_calendar_days_left_drops_by_one_a_day(
    submitted: date, elapsed: int, cal: Calendar, limit: int
) -> None:
    del cal  # the property is about calendar-day counting
    today = submitted + timedelta(days=elapsed)
    first = decision_clock(submitted, today, CALENDAR_DAYS, limit_days=limit)
    second = decision_clock(submitted, today + timedelta(days=1), CALENDAR_DAYS, limit_days=limit)
    assert second.days_left == first.days_left - 1
    assert first.due == second.due == submitted + timedelta(days=limit)


@given(days, st.integers(0, 90), calendars, pauses, st.integers(0, 40))
def test_a_longer_pause_never_makes_the_due_date_earlier(
    submitted: date, elapsed: int, cal: Calendar, spec: list[tuple[int, int | None]], extra: int
) -> None:
    today = submitted + timedelta(days=elapsed)
    periods = _periods(submitted, spec)
    longer = [
        (begin, None if end is None else end + timedelta(days=extra)) for begin, end in periods
    ]
    base = decision_clock(submitted, today, cal, paused_periods=periods)
    extended = decision_clock(submitted, today, cal, paused_periods=longer)
    assert extended.due >= base.due
    assert extended.paused_days >= base.paused_days
    added = decision_clock(
        submitted, today, cal, paused_periods=[*periods, (submitted, submitted + timedelta(extra))]
    )
    assert added.due >= base.due


@given(days, st.integers(0, 90), calendars, pauses)
def test_a_working_day_due_date_is_a_working_day(
    submitted: date, elapsed: int, cal: Calendar, spec: list[tuple[int, int | None]]
) -> None:
    clock = decision_clock(
        submitted,
        submitted + timedelta(days=elapsed),
        cal,
        paused_periods=_periods(submitted, spec),
    )
    assert cal.counts(clock.due)
    assert clock.due >= add_days(submitted, DECISION_LIMIT_DAYS, cal)


@given(days, st.integers(0, 90), calendars, pauses, st.integers(0, 10))
def test_clock_invariants(
    submitted: date,
    elapsed: int,
    cal: Calendar,
    spec: list[tuple[int, int | None]],
    threshold: int,
) -> None:
    today = submitted + timedelta(days=elapsed)
    clock = decision_clock(
        submitted, today, cal, paused_periods=_periods(submitted, spec), due_soon_days=threshold
    )
    assert clock.overdue == (clock.days_left < 0) == (today > clock.due)
    assert clock.due == add_days(submitted, DECISION_LIMIT_DAYS + clock.paused_days, cal)
    if clock.paused:
        assert clock.state == "paused"
    elif clock.overdue:
        assert clock.state == "overdue"
    else:
        assert clock.state == ("due_soon" if clock.days_left <= threshold else "ok")


@given(days, st.integers(0, 30), st.integers(0, 60), calendars)
def test_an_open_pause_freezes_days_left(
    submitted: date, pause_offset: int, waited: int, cal: Calendar
) -> None:
    begin = submitted + timedelta(days=pause_offset)
    periods = [(begin, None)]
    at_start = decision_clock(submitted, begin, cal, paused_periods=periods)
    later = decision_clock(submitted, begin + timedelta(days=waited), cal, paused_periods=periods)
    assert later.paused and later.state == "paused"
    assert later.days_left == at_start.days_left
    assert later.due >= at_start.due


@given(days, st.integers(0, 60), st.integers(0, 400), calendars, pauses)
def test_a_stopped_clock_does_not_move(
    submitted: date,
    decided_after: int,
    read_after: int,
    cal: Calendar,
    spec: list[tuple[int, int | None]],
) -> None:
    decided = submitted + timedelta(days=decided_after)
    periods = _periods(submitted, spec)
    at_decision = decision_clock(submitted, decided, cal, paused_periods=periods, decided=decided)
    later = decision_clock(
        submitted,
        decided + timedelta(days=read_after),
        cal,
        paused_periods=periods,
        decided=decided,
    )
    assert later == at_decision
    assert later.state == "stopped" and not later.paused
