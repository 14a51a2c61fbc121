"""The application receipt (إيصال تقديم الطلب): what the counter hands the applicant.

Only the data and the day arithmetic live here; the wording is in
:mod:`daman_tui.services.receipt`, because the domain does not read the catalogues.

A receipt speaks in the branch's days, not in UTC: an application submitted at 22:30 UTC
was submitted the next morning in Riyadh, and that is the day the applicant saw and the
day the 20-day clock starts from (seed 004).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from daman_tui.domain.enums import DocumentType
from daman_tui.domain.sla import DECISION_LIMIT_DAYS, Calendar, add_days

__all__ = ["ReceiptData", "decision_due_on", "local_day"]


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        # A naive time would be read in whatever zone the printing machine is set to,
        # and a receipt near midnight would then carry the wrong day.
        raise ValueError(f"{name} must be timezone-aware (UTC), got {moment!r}")


def local_day(moment: datetime, tz: tzinfo) -> date:
    """The calendar day of the aware ``moment`` in the time zone ``tz``."""
    _require_aware(moment, "moment")
    return moment.astimezone(tz).date()


def decision_due_on(
    submitted_at: datetime,
    tz: tzinfo,
    cal: Calendar,
    *,
    limit_days: int = DECISION_LIMIT_DAYS,
) -> date:
    """The last day of the decision clock of an application submitted at ``submitted_at``.

    The clock counts from the submission day *in the branch's zone* (day 0), as
    :func:`daman_tui.domain.sla.decision_clock` does; no pause can have happened yet
    when the receipt is printed.
    """
    return add_days(local_day(submitted_at, tz), limit_days, cal)


@dataclass(frozen=True, slots=True)
class ReceiptData:
    """Everything the receipt prints, gathered when the application is submitted.

    ``national_id`` is the full number: the receipt masks it itself, so no caller can
    forget to. ``applicant_name`` is the four-part name in logical order, as stored.
    ``documents`` are ``(type, file name)`` pairs in the order received.
    ``decision_due`` is the last day of the decision clock (see :func:`decision_due_on`)
    and ``decision_limit_days`` its length, as the rule set in force says.
    ``preview_eligible`` / ``preview_entitlement_halalas`` are the eligibility engine's
    preview at submission, printed as an expectation and never as a decision; ``None``
    leaves them off the receipt. An amount is only meaningful with an eligible preview.
    """

    request_number: str
    file_number: str
    submitted_at: datetime
    branch_name_ar: str
    branch_name_en: str
    clerk_name: str
    applicant_name: str
    national_id: str
    members: int
    documents: tuple[tuple[DocumentType, str], ...]
    decision_due: date
    preview_eligible: bool | None = None
    preview_entitlement_halalas: int | None = None
    decision_limit_days: int = DECISION_LIMIT_DAYS

    def __post_init__(self) -> None:
        _require_aware(self.submitted_at, "submitted_at")
        if self.members < 1:
            raise ValueError(f"a household has at least one member, got {self.members}")
        if self.decision_due < self.submitted_at.date() - timedelta(days=1):
            # One day of slack: the due day is counted in the branch's zone, which may be
            # a day ahead of or behind the UTC date.
            raise ValueError(
                f"decision_due {self.decision_due} is before the submission {self.submitted_at}"
            )
        if self.decision_limit_days < 0:
            raise ValueError(f"a limit is never negative, got {self.decision_limit_days}")
        amount = self.preview_entitlement_halalas
        if amount is not None:
            if amount < 0:
                raise ValueError(f"an entitlement is never negative, got {amount}")
            if self.preview_eligible is not True:
                # Printing an amount next to "not eligible" would read as a promise.
                raise ValueError("an expected amount needs an eligible preview")

    def submitted_local(self, tz: tzinfo) -> datetime:
        """The submission time on the branch's clock."""
        return self.submitted_at.astimezone(tz)
