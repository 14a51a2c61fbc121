"""Objections (اعتراض) and financial complaints (شكوى مالية): the rules that need no store.

- the objection window: a decision may be objected to for the rule set's
  ``objection_window_days`` after it was issued (counted as the rule set counts days);
- the review clock: a filed objection or complaint is due for a decision within the rule
  set's ``decision_limit_days`` (our choice: the same limit as an application's);
- the reason categories each kind is filed under;
- the moves of an objection or a complaint (filed → under review → decided);
- corrections: what a supervisor may change in a what-if (an income line, a member, an
  asset), as a typed list the service applies to the file's rows;
- arrears: what an upheld objection owes for the months already paid (or not paid);
- the applicant's notification, in Arabic (and English for an English-speaking desk).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from daman_tui.domain.dates import to_hijri
from daman_tui.domain.enums import ComplaintStatus, ObjectionStatus
from daman_tui.domain.errors import IllegalTransition, ValidationError
from daman_tui.domain.money import format_money
from daman_tui.domain.rules import RuleSet
from daman_tui.domain.sla import add_days, days_between

__all__ = [
    "COMPLAINT_CATEGORIES",
    "CORRECTABLE",
    "OBJECTION_CATEGORIES",
    "OPEN_COMPLAINT",
    "OPEN_OBJECTION",
    "Arrears",
    "ArrearsLine",
    "Correction",
    "arrears",
    "check_category",
    "check_complaint_move",
    "check_justification",
    "check_objection_move",
    "check_objection_window",
    "complaint_notification",
    "days_left",
    "objection_notification",
    "objection_window",
    "parse_corrections",
    "pay_months",
    "review_due",
]

JUSTIFICATION_MIN = 10
"""Characters a written justification needs at least: "ok" justifies nothing."""

OBJECTION_CATEGORIES: Mapping[str, tuple[str, str]] = {
    "income_changed": ("تغير الدخل أو احتسابه بالخطأ", "income changed or counted wrongly"),
    "household_changed": ("تغير أفراد الأسرة", "the household's members changed"),
    "assets_wrong": ("الأصول المسجلة غير صحيحة", "the recorded assets are wrong"),
    "amount_wrong": ("مبلغ الاستحقاق أقل من المستحق", "the entitlement is less than owed"),
    "conditions_met": ("الشروط منطبقة على الأسرة", "the household meets the conditions"),
    "other": ("سبب آخر", "another reason"),
}
"""Why an applicant objects, by code (stored on the objection)."""

COMPLAINT_CATEGORIES: Mapping[str, tuple[str, str]] = {
    "not_received": ("لم تصل الدفعة", "the payment did not arrive"),
    "wrong_amount": ("مبلغ الدفعة غير صحيح", "the payment's amount is wrong"),
    "returned": ("أعيدت الدفعة من البنك", "the bank returned the payment"),
    "held": ("الدفعة موقوفة", "the payment is held"),
    "bank_account": ("مشكلة في الحساب البنكي", "a problem with the bank account"),
    "other": ("سبب آخر", "another reason"),
}
"""Why a household complains about a payment, by code."""

CORRECTABLE: Mapping[str, tuple[str, str]] = {
    "income_line": ("بند دخل", "income line"),
    "support_line": ("بند دعم", "support line"),
    "real_estate": ("عقار", "property"),
    "title_deed": ("صك", "title deed"),
    "vehicle": ("مركبة", "vehicle"),
    "household_member": ("فرد من الأسرة", "household member"),
}
"""The rows of the file a what-if may correct: an amount, or the row removed (a member
who left, an asset sold, an income that stopped)."""

_OBJECTION_MOVES: Mapping[ObjectionStatus, frozenset[ObjectionStatus]] = {
    ObjectionStatus.DRAFT: frozenset({ObjectionStatus.FILED}),
    ObjectionStatus.FILED: frozenset(
        {
            ObjectionStatus.UNDER_REVIEW,
            ObjectionStatus.UPHELD,
            ObjectionStatus.DISMISSED,
            ObjectionStatus.DUPLICATE,
        }
    ),
    ObjectionStatus.UNDER_REVIEW: frozenset(
        {ObjectionStatus.UPHELD, ObjectionStatus.DISMISSED, ObjectionStatus.DUPLICATE}
    ),
}

_COMPLAINT_MOVES: Mapping[ComplaintStatus, frozenset[ComplaintStatus]] = {
    ComplaintStatus.DRAFT: frozenset({ComplaintStatus.FILED}),
    ComplaintStatus.FILED: frozenset(
        {
            ComplaintStatus.UNDER_REVIEW,
            ComplaintStatus.RESOLVED,
            ComplaintStatus.DISMISSED,
            ComplaintStatus.DUPLICATE,
        }
    ),
    ComplaintStatus.UNDER_REVIEW: frozenset(
        {ComplaintStatus.RESOLVED, ComplaintStatus.DISMISSED, ComplaintStatus.DUPLICATE}
    ),
}

OPEN_OBJECTION = frozenset({ObjectionStatus.FILED, ObjectionStatus.UNDER_REVIEW})
"""An objection still waiting for a decision."""
OPEN_COMPLAINT = frozenset({ComplaintStatus.FILED, ComplaintStatus.UNDER_REVIEW})
"""A financial complaint still waiting for a decision: its payment is in dispute."""


def _both_calendars(day: date) -> str:
    hijri = to_hijri(day)
    return f"{day.isoformat()} ({hijri[0]:04d}-{hijri[1]:02d}-{hijri[2]:02d} هـ)"


# ---- the window and the clock --------------------------------------------------------
def objection_window(decided_on: date, rules: RuleSet) -> tuple[date, date]:
    """The first and the last day a decision issued on ``decided_on`` may be objected to."""
    return decided_on, add_days(decided_on, rules.objection_window_days, rules.calendar)


def check_objection_window(decided_on: date, today: date, rules: RuleSet) -> None:
    """Refuse an objection filed after the window (the dates are in the message)."""
    first, last = objection_window(decided_on, rules)
    if today > last:
        raise ValidationError(
            "objection.window_closed",
            f"انتهت مدة الاعتراض على هذا القرار: صدر في {_both_calendars(first)}، "
            f"وكان آخر يوم للاعتراض {_both_calendars(last)}.",
            f"The objection period for this decision is over: it was issued on "
            f"{first.isoformat()} and the last day to object was {last.isoformat()}.",
            issued=first.isoformat(),
            last_day=last.isoformat(),
        )


def review_due(filed_on: date, rules: RuleSet) -> date:
    """The day a filed objection or complaint is due for a decision."""
    return add_days(filed_on, rules.decision_limit_days, rules.calendar)


def days_left(filed_on: date, today: date, rules: RuleSet) -> int:
    """Counted days from ``today`` to the review's due day (negative: overdue)."""
    return days_between(today, review_due(filed_on, rules), rules.calendar)


# ---- what a filing needs --------------------------------------------------------------
def check_category(category: str, categories: Mapping[str, tuple[str, str]]) -> str:
    """The category code, or a refusal listing the codes there are."""
    code = category.strip()
    if code not in categories:
        known = "، ".join(ar for ar, _en in categories.values())
        raise ValidationError(
            "dispute.category",
            f"اختر سبباً من القائمة: {known}.",
            f"Choose a reason from the list: {', '.join(categories)}.",
            category=category,
        )
    return code


def check_justification(text: str, *, code: str = "dispute.justification") -> str:
    """A written justification of at least ``JUSTIFICATION_MIN`` characters."""
    cleaned = text.strip()
    if len(cleaned) < JUSTIFICATION_MIN:
        raise ValidationError(
            code,
            f"اكتب مسوغاً للقرار ({JUSTIFICATION_MIN} أحرف على الأقل): يقرؤه المستفيد في الإشعار.",
            f"Write a justification for the decision (at least {JUSTIFICATION_MIN} "
            "characters): the applicant reads it in the notification.",
        )
    return cleaned


def check_objection_move(current: ObjectionStatus, target: ObjectionStatus) -> None:
    if target not in _OBJECTION_MOVES.get(current, frozenset()):
        raise IllegalTransition(
            "objection.transition",
            "لا يمكن نقل الاعتراض من حالته الحالية إلى هذه الحالة (ربما بُتّ فيه من قبل).",
            "The objection cannot move from its current status to this one (it may have "
            "been decided already).",
            current=current.value,
            target=target.value,
        )


def check_complaint_move(current: ComplaintStatus, target: ComplaintStatus) -> None:
    if target not in _COMPLAINT_MOVES.get(current, frozenset()):
        raise IllegalTransition(
            "complaint.transition",
            "لا يمكن نقل الشكوى من حالتها الحالية إلى هذه الحالة (ربما بُتّ فيها من قبل).",
            "The complaint cannot move from its current status to this one (it may have "
            "been decided already).",
            current=current.value,
            target=target.value,
        )


# ---- corrections ------------------------------------------------------------------------
@dataclass(frozen=True)
class Correction:
    """One change to a row of the file: its amount (``value_halalas``), or the row
    removed (``None``). A member can only be removed, and never the head."""

    table: str
    row_id: str
    value_halalas: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"table": self.table, "row_id": self.row_id, "value_halalas": self.value_halalas}


def _bad_correction(path: str, ar: str, en: str) -> ValidationError:
    return ValidationError("correction.invalid", f"{path}: {ar}", f"{path}: {en}", path=path)


def parse_corrections(data: Any) -> tuple[Correction, ...]:
    """Corrections from JSON (a list of ``{table, row_id, value_halalas}``), checked."""
    if not isinstance(data, list):
        raise _bad_correction("corrections", "قائمة من التصحيحات", "a list of corrections")
    out: list[Correction] = []
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(data):
        path = f"corrections[{index}]"
        if not isinstance(item, dict) or set(item) - {"table", "row_id", "value_halalas"}:
            raise _bad_correction(
                path, "جدول ومعرّف صف ومبلغ فقط", "only table, row_id and value_halalas"
            )
        table, row_id, value = item.get("table"), item.get("row_id"), item.get("value_halalas")
        if table not in CORRECTABLE:
            raise _bad_correction(
                path,
                "لا يصحح إلا الدخل والدعم والأصول وأفراد الأسرة",
                f"only {', '.join(CORRECTABLE)} can be corrected",
            )
        if not isinstance(table, str) or not isinstance(row_id, str):
            raise _bad_correction(path, "معرّف الصف مفقود", "the row id is missing")
        if not row_id.strip() or len(row_id) > 36:
            raise _bad_correction(path, "معرّف الصف مفقود", "the row id is missing")
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**11
        ):
            raise _bad_correction(
                path, "المبلغ بالهللات من 0 فأكثر", "the amount is whole halalas, 0 or more"
            )
        if table == "household_member" and value is not None:
            raise _bad_correction(path, "الفرد يُحذف من الأسرة فقط", "a member can only be removed")
        if (table, row_id) in seen:
            raise _bad_correction(path, "الصف مصحح مرتين", "the row is corrected twice")
        seen.add((table, row_id))
        out.append(Correction(table, row_id, value))
    return tuple(out)


# ---- arrears ---------------------------------------------------------------------------
def pay_months(after: date, today: date) -> list[str]:
    """The months (``YYYY-MM``) whose pay day (day 1) falls in ``(after, today]``."""
    months: list[str] = []
    year, month = after.year, after.month + 1
    if month == 13:
        year, month = year + 1, 1
    while date(year, month, 1) <= today:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass(frozen=True)
class ArrearsLine:
    """One past month: what was paid, what the new decision says was owed."""

    month: str
    paid_halalas: int
    owed_halalas: int

    @property
    def difference_halalas(self) -> int:
        # An upheld objection never takes back what was paid (our choice).
        return max(0, self.owed_halalas - self.paid_halalas)


@dataclass(frozen=True)
class Arrears:
    lines: tuple[ArrearsLine, ...]

    @property
    def total_halalas(self) -> int:
        return sum(line.difference_halalas for line in self.lines)


def arrears(owed_monthly_halalas: int, paid: Mapping[str, int], months: Sequence[str]) -> Arrears:
    """The difference for each of ``months`` between the new monthly amount and what was
    paid that month (``paid``: month → halalas actually paid; a held or returned payment
    counts as nothing paid)."""
    return Arrears(tuple(ArrearsLine(m, paid.get(m, 0), owed_monthly_halalas) for m in months))


# ---- notifications ---------------------------------------------------------------------
def objection_notification(
    *,
    upheld: bool,
    reference: str,
    filed_on: date,
    eligible: bool,
    monthly_halalas: int,
    arrears_halalas: int,
    justification: str,
    lang: str = "ar",
) -> str:
    """The text the applicant receives about an objection's outcome."""
    money = format_money
    if lang == "ar":
        head = (
            f"المستفيد الكريم، نفيدكم بأنه تمت دراسة اعتراضكم رقم {reference} "
            f"المقدم بتاريخ {_both_calendars(filed_on)}"
        )
        if not upheld:
            return (
                f"{head}، وتقرر رفض الاعتراض وبقاء القرار السابق.\n"
                f"المسوغ: {justification}\n"
                "لمزيد من الاستفسار يمكنكم التواصل عبر الرقم 19911."
            )
        result = (
            f"وأصبحت أسرتكم مؤهلة بمبلغ استحقاق شهري قدره {money(monthly_halalas, 'ar')}"
            if eligible
            else "ولا تزال الأسرة غير مؤهلة بعد إعادة التقييم"
        )
        arrears_text = (
            f"، وتُصرف لكم مستحقات الأشهر السابقة بمبلغ {money(arrears_halalas, 'ar')}"
            if arrears_halalas
            else ""
        )
        return (
            f"{head}، وتقرر قبول الاعتراض وإعادة تقييم الأهلية، {result}{arrears_text}.\n"
            f"المسوغ: {justification}\n"
            "تصرف الدفعات في اليوم الأول من كل شهر ميلادي. للاستفسار: 19911."
        )
    head = f"Your objection {reference}, filed on {filed_on.isoformat()}, has been reviewed"
    if not upheld:
        return (
            f"{head}: it was dismissed and the earlier decision stands.\n"
            f"Justification: {justification}\nFor questions call 19911."
        )
    result = (
        f"your household is now eligible for {money(monthly_halalas, 'en')} a month"
        if eligible
        else "after re-evaluation the household is still not eligible"
    )
    arrears_text = (
        f", and {money(arrears_halalas, 'en')} is due for past months" if arrears_halalas else ""
    )
    return (
        f"{head}: it was upheld and eligibility re-evaluated; {result}{arrears_text}.\n"
        f"Justification: {justification}\n"
        "Payments go out on day 1 of each Gregorian month. Questions: 19911."
    )


def complaint_notification(
    *, resolved: bool, reference: str, filed_on: date, justification: str, lang: str = "ar"
) -> str:
    """The text the household receives about a financial complaint's outcome."""
    if lang == "ar":
        outcome = "تمت معالجة الشكوى" if resolved else "تقرر حفظ الشكوى دون إجراء"
        return (
            f"المستفيد الكريم، نفيدكم بأنه تمت دراسة شكواكم المالية رقم {reference} "
            f"المقدمة بتاريخ {_both_calendars(filed_on)}، و{outcome}.\n"
            f"المسوغ: {justification}\nللاستفسار: 19911."
        )
    outcome = "it has been resolved" if resolved else "it was closed without action"
    return (
        f"Your financial complaint {reference}, filed on {filed_on.isoformat()}, has been "
        f"reviewed: {outcome}.\nJustification: {justification}\nQuestions: 19911."
    )
