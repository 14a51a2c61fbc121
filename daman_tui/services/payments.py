"""A household's payments (الدفعات المالية): the history read out at the counter, the hold
a suspension puts on them, and a supervisor's corrections of their status.

The monthly cycle (``services/cycle.py``) makes the payments; everything after that
goes through here, so that a payment moves only along the moves of
``domain/payments.py`` and every move is audited. Suspending a case holds its due
payments in the suspension's own transaction (``case_actions.suspend``), and resuming
it releases exactly those, never a payment held for another reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from daman_tui.db.models import Application, Payment
from daman_tui.db.types import utcnow
from daman_tui.domain.arabic import validate_free_text
from daman_tui.domain.digits import strip_spaces, to_ascii_digits
from daman_tui.domain.enums import ApplicationStatus, PaymentStatus
from daman_tui.domain.errors import IllegalTransition, PermissionDenied, ValidationError
from daman_tui.domain.national_id import validate_national_id
from daman_tui.domain.payments import (
    HELD_REASON_MAX,
    check_payment_move,
    is_suspension_hold,
    suspension_hold_reason,
)
from daman_tui.domain.permissions import Actor, Permission, require
from daman_tui.services.case_file import (
    PaymentView,
    applications_of_head,
    check_case_access,
    household_applications,
    household_payments,
)
from daman_tui.services.store import Store
from daman_tui.services.uow import UnitOfWork

__all__ = [
    "PaymentView",
    "hold_payments_in",
    "move_payment_in",
    "payment_history",
    "release_payments_in",
    "set_payment_status",
]


# ---- reading ------------------------------------------------------------------------------
def _unknown(text: str) -> ValidationError:
    return ValidationError(
        "case.unknown",
        f"لا يوجد طلب «{text}»؛ أعطِ رقم الطلب أو رقم هوية رب الأسرة كاملًا.",
        f"No case '{text}'; give a request number or the head's full national ID.",
    )


def _household_apps(
    session: Session,
    *,
    household_id: str | None,
    request_number: str | None,
    national_id: str | None,
) -> list[Application]:
    """The live applications of the one household named, newest first (never empty)."""
    if request_number:
        typed = strip_spaces(to_ascii_digits(request_number)).upper()
        apps = list(
            session.exec(
                select(Application)
                .where(Application.request_number == typed)
                .where(col(Application.deleted_at).is_(None))
            ).all()
        )
    elif national_id:
        apps = applications_of_head(session, validate_national_id(national_id))
    else:
        apps = household_applications(session, [str(household_id)])
    if not apps:
        raise _unknown(request_number or national_id or str(household_id))
    if len({a.household_id for a in apps}) > 1:
        # A provider heading two families: each is its own household with its own pension.
        raise ValidationError(
            "payments.several_households",
            "صاحب هذه الهوية رب لأكثر من أسرة، ولكل أسرة دفعاتها؛ أعطِ رقم الطلب.",
            "This person heads more than one household, each with its own payments; "
            "give the request number.",
        )
    return apps


def _check_household_access(session: Session, actor: Actor, apps: Sequence[Application]) -> None:
    """Whoever may open one of the household's cases may read its payments (the case
    file shows them too): the case file's rule, field officers included."""
    refusals: list[PermissionDenied] = []
    for app in apps:
        try:
            check_case_access(session, actor, app)
        except PermissionDenied as err:
            refusals.append(err)
        else:
            return
    raise refusals[0]


def payment_history(
    store: Store,
    actor: Actor,
    *,
    household_id: str | None = None,
    request_number: str | None = None,
    national_id: str | None = None,
) -> list[PaymentView]:
    """One household's payments, newest cycle first, named by exactly one of its id, a
    request number of its cases, or its head's national ID (as typed at the counter)."""
    named = [v for v in (household_id, request_number, national_id) if v]
    if len(named) != 1:
        raise ValidationError(
            "payments.which",
            "حدّد الأسرة بأحد الثلاثة فقط: رقم الطلب أو رقم هوية رب الأسرة أو معرّف الأسرة.",
            "Name the household by exactly one of: a request number, the head's national ID, "
            "the household id.",
        )
    with store.read() as session:
        apps = _household_apps(
            session,
            household_id=household_id,
            request_number=request_number,
            national_id=national_id,
        )
        _check_household_access(session, actor, apps)
        return household_payments(session, apps[0].household_id)


# ---- holding while suspended --------------------------------------------------------------
def _payments_in(session: Session, household_id: str, status: PaymentStatus) -> list[Payment]:
    return list(
        session.exec(
            select(Payment)
            .where(Payment.household_id == household_id)
            .where(Payment.status == status)
            .where(col(Payment.deleted_at).is_(None))
        ).all()
    )


def hold_payments_in(uow: UnitOfWork, household_id: str, reason: str) -> int:
    """Hold the household's due payments because its case is suspended for ``reason``;
    how many were held. Paid ones stay paid, held ones keep their own reason."""
    held_reason = suspension_hold_reason(reason)
    due = _payments_in(uow.session, household_id, PaymentStatus.DUE)
    for payment in due:
        changes = {"status": PaymentStatus.HELD, "held_reason": held_reason}
        uow.update(payment, changes, action="payment.hold")
    return len(due)


def release_payments_in(uow: UnitOfWork, household_id: str) -> int:
    """Release the payments held because the household's case was suspended (back to
    due); how many. A payment held for anything else stays held."""
    held = [
        p
        for p in _payments_in(uow.session, household_id, PaymentStatus.HELD)
        if is_suspension_hold(p.held_reason)
    ]
    for payment in held:
        changes = {"status": PaymentStatus.DUE, "held_reason": ""}
        uow.update(payment, changes, action="payment.release")
    return len(held)


# ---- a supervisor's corrections -----------------------------------------------------------
def _load_payment(session: Session, payment_id: str) -> Payment:
    payment = session.get(Payment, payment_id)
    if payment is None or payment.deleted_at is not None:
        raise ValidationError(
            "payment.unknown", "الدفعة غير موجودة.", "Unknown payment.", payment_id=payment_id
        )
    return payment


def _case_suspended(session: Session, household_id: str) -> bool:
    found = session.exec(
        select(Application.id)
        .where(Application.household_id == household_id)
        .where(Application.status == ApplicationStatus.SUSPENDED)
        .where(col(Application.deleted_at).is_(None))
        .limit(1)
    ).first()
    return found is not None


def _held_reason(target: PaymentStatus, reason: str) -> str:
    """What ``held_reason`` becomes: the reason for a hold (required, and not the one a
    suspension writes), nothing otherwise — only a hold has a place for a reason."""
    if target is not PaymentStatus.HELD:
        if reason:
            raise ValidationError(
                "payment.reason_unused",
                "يُكتب السبب عند إيقاف الدفعة فقط؛ احذف السبب لهذا الإجراء.",
                "A reason is kept only when a payment is held; leave it out for this move.",
                target=target.value,
            )
        return ""
    if not reason:
        raise ValidationError(
            "payment.reason_required",
            "اكتب سبب إيقاف الدفعة.",
            "Write why the payment is held.",
        )
    if is_suspension_hold(reason):
        raise ValidationError(
            "payment.reason_reserved",
            "هذا السبب يكتبه إيقاف الحالة نفسه؛ لإيقاف دفعات الحالة أوقف الحالة.",
            "That reason is written by suspending the case; to hold its payments, suspend it.",
        )
    return reason


def move_payment_in(
    uow: UnitOfWork, actor: Actor, payment: Payment, status: PaymentStatus, note: str = ""
) -> None:
    """Move ``payment`` to ``status`` inside ``uow`` (a supervisor's move, checked: the
    allowed moves, a hold's reason, never released or paid while the case is suspended)."""
    require(actor, Permission.MANAGE_PAYMENTS, payment.branch_id)
    source = PaymentStatus(payment.status)
    check_payment_move(source, status)
    changes: dict[str, Any] = {"status": status, "held_reason": _held_reason(status, note)}
    if status in (PaymentStatus.DUE, PaymentStatus.PAID) and _case_suspended(
        uow.session, payment.household_id
    ):
        raise IllegalTransition(
            "payment.case_suspended",
            "حالة الأسرة موقوفة، فلا تُصرف دفعاتها ولا تُفرج؛ استأنف الحالة أولًا.",
            "The household's case is suspended: its payments are neither paid nor "
            "released; resume the case first.",
            target=status.value,
        )
    if status is PaymentStatus.PAID:
        changes["paid_at"] = utcnow()
    elif status is PaymentStatus.DUE:
        changes["paid_at"] = None  # a returned payment is paid again
    uow.update(payment, changes, action=f"payment.mark_{status.value}")


def set_payment_status(
    store: Store,
    actor: Actor,
    payment_id: str,
    status: PaymentStatus,
    *,
    reason: str = "",
) -> PaymentView:
    """Move a payment along ``domain.payments.payment_moves`` (paid on day 1, returned by
    the bank, held with ``reason`` for an investigation, due again), as a supervisor of
    its branch (``MANAGE_PAYMENTS``).

    While the household's case is suspended its payments are neither released nor paid:
    resuming the case does that.
    """
    note = validate_free_text(reason, max_len=HELD_REASON_MAX)
    with store.write(actor) as uow:
        payment = _load_payment(uow.session, payment_id)
        move_payment_in(uow, actor, payment, status, note)
        return next(
            p for p in household_payments(uow.session, payment.household_id) if p.id == payment.id
        )
