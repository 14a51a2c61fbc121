"""The receipt's data: aware times, the branch's day, and a preview that cannot mislead."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from daman_tui.domain.enums import DocumentType
from daman_tui.domain.receipt import ReceiptData, decision_due_on, local_day
from daman_tui.domain.sla import CALENDAR_DAYS, Calendar

RIYADH = ZoneInfo("Asia/Riyadh")


def _data(**changes: object) -> ReceiptData:
    values: dict[str, object] = {
        "request_number": "RYD01-261121-K3F-00042",
        "file_number": "RYD01-F-K3F-00017",
        "submitted_at": datetime(2026, 11, 21, 9, 15, tzinfo=UTC),
        "branch_name_ar": "فرع الرياض",
        "branch_name_en": "Riyadh branch",
        "clerk_name": "سارة أحمد",
        "applicant_name": "عبدالله محمد علي السبيعي",
        "national_id": "1012345678",
        "members": 4,
        "documents": ((DocumentType.NATIONAL_ID, "id.pdf"),),
        "decision_due": date(2026, 12, 11),
    }
    values.update(changes)
    return ReceiptData(**values)  # type: ignore[arg-type]


def test_late_evening_utc_is_the_next_day_in_riyadh():
    moment = datetime(2026, 11, 21, 22, 30, tzinfo=UTC)
    assert local_day(moment, RIYADH) == date(2026, 11, 22)
    assert decision_due_on(moment, RIYADH, CALENDAR_DAYS) == date(2026, 12, 12)


def test_due_day_in_working_days_lands_on_a_working_day():
    # Thursday 2026-11-19 in Riyadh; 20 working days skip four weekends (Fri, Sat).
    moment = datetime(2026, 11, 19, 8, 0, tzinfo=UTC)
    due = decision_due_on(moment, RIYADH, Calendar(working_days=True))
    assert due == date(2026, 12, 17)
    assert due.weekday() not in (4, 5)


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        _data(submitted_at=datetime(2026, 11, 21, 9, 15))
    with pytest.raises(ValueError, match="timezone-aware"):
        local_day(datetime(2026, 11, 21, 9, 15), RIYADH)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"members": 0}, "at least one member"),
        ({"decision_due": date(2026, 11, 1)}, "before the submission"),
        ({"preview_eligible": False, "preview_entitlement_halalas": 100}, "eligible preview"),
        ({"preview_eligible": None, "preview_entitlement_halalas": 100}, "eligible preview"),
        ({"preview_eligible": True, "preview_entitlement_halalas": -1}, "never negative"),
        ({"decision_limit_days": -1}, "never negative"),
    ],
)
def test_inconsistent_data_is_refused(changes: dict[str, object], message: str):
    with pytest.raises(ValueError, match=message):
        _data(**changes)


def test_submitted_local_keeps_the_instant():
    data = _data(submitted_at=datetime(2026, 11, 21, 22, 30, tzinfo=UTC))
    local = data.submitted_local(RIYADH)
    assert (local.date(), local.hour, local.minute) == (date(2026, 11, 22), 1, 30)
    assert local == data.submitted_at
