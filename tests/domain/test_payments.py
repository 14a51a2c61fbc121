"""A payment's moves and the mark of a suspension's hold."""

from __future__ import annotations

import itertools
import re

import pytest

from daman_tui.domain.enums import PaymentStatus as P
from daman_tui.domain.errors import IllegalTransition
from daman_tui.domain.payments import (
    HELD_REASON_MAX,
    SUSPENSION_HOLD,
    check_payment_move,
    is_suspension_hold,
    payment_moves,
    suspension_hold_reason,
)

ALLOWED = {
    (P.DUE, P.PAID),
    (P.DUE, P.HELD),
    (P.HELD, P.DUE),
    (P.PAID, P.RETURNED),
    (P.RETURNED, P.DUE),
}
ARABIC = re.compile("[\u0600-\u06ff]")


@pytest.mark.parametrize(("source", "target"), list(itertools.product(P, P)))
def test_only_the_listed_moves_pass(source: P, target: P) -> None:
    assert (target in payment_moves(source)) == ((source, target) in ALLOWED)
    if (source, target) in ALLOWED:
        check_payment_move(source, target)
        return
    with pytest.raises(IllegalTransition) as caught:
        check_payment_move(source, target)
    err = caught.value
    assert err.code == "payment.illegal"
    assert f"'{source.value}' to '{target.value}'" in err.message_en
    assert ARABIC.search(err.message_ar)


def test_a_refusal_names_what_is_allowed() -> None:
    with pytest.raises(IllegalTransition) as caught:
        check_payment_move(P.PAID, P.HELD)
    assert caught.value.message_en.endswith("allowed: returned.")
    assert "مرتجعة" in caught.value.message_ar


def test_a_suspension_hold_is_marked_and_nothing_else_is() -> None:
    reason = suspension_hold_reason("  تحديث\nالحساب البنكي ")
    assert reason == f"{SUSPENSION_HOLD}: تحديث الحساب البنكي"
    assert is_suspension_hold(reason)
    assert is_suspension_hold(SUSPENSION_HOLD)  # the monthly cycle's hold
    assert suspension_hold_reason("") == SUSPENSION_HOLD
    for other in ("", "تحقق من دفعة مرتجعة", f"سبب: {SUSPENSION_HOLD}", f"{SUSPENSION_HOLD}ة"):
        assert not is_suspension_hold(other), other


def test_a_long_suspension_reason_fits_the_column() -> None:
    reason = suspension_hold_reason("س" * 2000)
    assert len(reason) == HELD_REASON_MAX and is_suspension_hold(reason)
