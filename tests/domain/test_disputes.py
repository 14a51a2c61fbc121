"""The rules of objections and complaints that need no store."""

from __future__ import annotations

from datetime import date

import pytest

from daman_tui.domain.disputes import (
    COMPLAINT_CATEGORIES,
    OBJECTION_CATEGORIES,
    Correction,
    arrears,
    check_category,
    check_complaint_move,
    check_justification,
    check_objection_move,
    check_objection_window,
    complaint_notification,
    days_left,
    objection_notification,
    objection_window,
    parse_corrections,
    pay_months,
    review_due,
)
from daman_tui.domain.enums import ComplaintStatus, ObjectionStatus
from daman_tui.domain.errors import IllegalTransition, ValidationError
from daman_tui.domain.rules import rule_set_for

RULES = rule_set_for(date(2026, 1, 1))


def test_the_window_runs_the_rule_sets_days_from_the_decision() -> None:
    first, last = objection_window(date(2026, 3, 1), RULES)
    assert first == date(2026, 3, 1)
    assert last > first
    check_objection_window(date(2026, 3, 1), last, RULES)  # the last day is still in
    with pytest.raises(ValidationError) as refused:
        check_objection_window(date(2026, 3, 1), date.fromordinal(last.toordinal() + 1), RULES)
    error = refused.value
    assert error.code == "objection.window_closed"
    # Both dates are in both messages, the Arabic one with the Hijri day too.
    assert last.isoformat() in error.message_ar and last.isoformat() in error.message_en
    assert "2026-03-01" in error.message_ar and "هـ" in error.message_ar


def test_the_review_clock_counts_as_the_rule_set_counts() -> None:
    filed = date(2026, 3, 1)
    due = review_due(filed, RULES)
    assert due > filed
    assert days_left(filed, due, RULES) == 0
    assert days_left(filed, date.fromordinal(due.toordinal() + 7), RULES) < 0
    assert days_left(filed, filed, RULES) == RULES.decision_limit_days


def test_categories_are_checked() -> None:
    assert check_category(" income_changed ", OBJECTION_CATEGORIES) == "income_changed"
    assert check_category("not_received", COMPLAINT_CATEGORIES) == "not_received"
    with pytest.raises(ValidationError) as refused:
        check_category("not_received", OBJECTION_CATEGORIES)
    assert OBJECTION_CATEGORIES["income_changed"][0] in refused.value.message_ar


def test_a_justification_must_say_something() -> None:
    assert check_justification("  الراتب أقل مما سجل  ") == "الراتب أقل مما سجل"
    for short in ("", "   ", "ok", "مقبول"):
        with pytest.raises(ValidationError):
            check_justification(short)


def test_objections_and_complaints_move_one_way() -> None:
    check_objection_move(ObjectionStatus.FILED, ObjectionStatus.UNDER_REVIEW)
    check_objection_move(ObjectionStatus.UNDER_REVIEW, ObjectionStatus.UPHELD)
    check_objection_move(ObjectionStatus.FILED, ObjectionStatus.DUPLICATE)
    for decided in (
        ObjectionStatus.UPHELD,
        ObjectionStatus.DISMISSED,
        ObjectionStatus.DUPLICATE,
    ):
        with pytest.raises(IllegalTransition):
            check_objection_move(decided, ObjectionStatus.UPHELD)
    check_complaint_move(ComplaintStatus.UNDER_REVIEW, ComplaintStatus.RESOLVED)
    with pytest.raises(IllegalTransition):
        check_complaint_move(ComplaintStatus.RESOLVED, ComplaintStatus.DISMISSED)


def test_corrections_parse_and_refuse_what_cannot_be_corrected() -> None:
    parsed = parse_corrections(
        [
            {"table": "income_line", "row_id": "a", "value_halalas": 150000},
            {"table": "vehicle", "row_id": "b", "value_halalas": None},
            {"table": "household_member", "row_id": "c"},
        ]
    )
    assert parsed == (
        Correction("income_line", "a", 150000),
        Correction("vehicle", "b", None),
        Correction("household_member", "c", None),
    )
    assert parse_corrections([c.to_json() for c in parsed]) == parsed
    bad = [
        "not a list",
        [{"table": "person", "row_id": "a", "value_halalas": 1}],
        [{"table": "income_line", "row_id": "", "value_halalas": 1}],
        [{"table": "income_line", "row_id": "a", "value_halalas": -1}],
        [{"table": "income_line", "row_id": "a", "value_halalas": 1.5}],
        [{"table": "income_line", "row_id": "a", "value_halalas": True}],
        [{"table": "household_member", "row_id": "a", "value_halalas": 100}],
        [{"table": "income_line", "row_id": "a", "value_halalas": 1, "extra": 2}],
        [{"table": "income_line", "row_id": "a"}, {"table": "income_line", "row_id": "a"}],
    ]
    for data in bad:
        with pytest.raises(ValidationError):
            parse_corrections(data)


def test_pay_months_are_the_first_days_after_the_decision() -> None:
    assert pay_months(date(2026, 1, 15), date(2026, 4, 1)) == ["2026-02", "2026-03", "2026-04"]
    assert pay_months(date(2026, 1, 1), date(2026, 1, 31)) == []  # day 1 itself is not after
    assert pay_months(date(2025, 12, 10), date(2026, 1, 1)) == ["2026-01"]
    assert pay_months(date(2026, 5, 1), date(2026, 4, 1)) == []


def test_arrears_pay_the_difference_and_never_claw_back() -> None:
    owed = arrears(
        100_000, {"2026-02": 60_000, "2026-03": 120_000}, ["2026-02", "2026-03", "2026-04"]
    )
    assert [line.difference_halalas for line in owed.lines] == [40_000, 0, 100_000]
    assert owed.total_halalas == 140_000
    assert arrears(0, {}, ["2026-02"]).total_halalas == 0


def test_notifications_say_the_outcome_in_the_applicants_language() -> None:
    upheld = objection_notification(
        upheld=True,
        reference="RYD01-1-O1",
        filed_on=date(2026, 3, 2),
        eligible=True,
        monthly_halalas=88_300,
        arrears_halalas=176_600,
        justification="ثبت انخفاض الدخل",
    )
    assert "قبول الاعتراض" in upheld and "883.00 ريال" in upheld and "1,766.00 ريال" in upheld
    assert "RYD01-1-O1" in upheld and "ثبت انخفاض الدخل" in upheld and "19911" in upheld
    dismissed = objection_notification(
        upheld=False,
        reference="RYD01-1-O1",
        filed_on=date(2026, 3, 2),
        eligible=False,
        monthly_halalas=0,
        arrears_halalas=0,
        justification="لا يوجد ما يثبت",
        lang="en",
    )
    assert "dismissed" in dismissed and "لا يوجد ما يثبت" in dismissed
    resolved = complaint_notification(
        resolved=True, reference="RYD01-1-C2", filed_on=date(2026, 3, 2), justification="أعيد صرفها"
    )
    assert "تمت معالجة الشكوى" in resolved and "RYD01-1-C2" in resolved
